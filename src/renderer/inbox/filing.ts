/**
 * The filing form's logic, free of React: what each field shows (the clerk's own entry, else the stored
 * value, else the best suggestion — so suggestions that arrive while OCR runs fill untouched fields), and
 * the changes inbox:file gets, checked by the contract's own schema so the clerk sees mistakes before
 * anything is sent.
 */
import { metadataChanges, type MetadataChanges } from '../../shared/contract';
import { INBOX_FORM_FIELDS, type InboxFormField } from '../../shared/inbox-draft';
import type { DocumentSummary, DocumentTypeRecord, InboxItem, Suggestion } from '../../shared/model';
import { fieldIssues, type FieldIssue } from '../../shared/messages';

/** The form's fields, as a draft may hold them (src/shared/inbox-draft.ts). */
export const FILING_FIELDS = INBOX_FORM_FIELDS;
export type FilingField = InboxFormField;

export type FilingValues = Record<FilingField, string>;

/** One inbox item's state on this screen: what the clerk typed, and whether it is accepted for filing. */
export interface Draft {
  edits: Partial<FilingValues>;
  accepted: boolean;
  /** Why the item may be filed without fields its type requires (inbox:file filingOverride). */
  override?: string;
}

export const EMPTY_DRAFT: Draft = { edits: {}, accepted: false };

export function bestSuggestion(suggestions: Suggestion[], field: FilingField): Suggestion | undefined {
  return suggestions.find((suggestion) => suggestion.field === field);
}

function stored(document: DocumentSummary, field: FilingField): string {
  return document[field] ?? '';
}

/** Where a shown value comes from: the clerk, the stored document, or a suggestion (with its confidence). */
export type ValueSource = { kind: 'edited' } | { kind: 'stored' } | { kind: 'suggested'; confidence: number } | { kind: 'empty' };

export function fieldValue(item: InboxItem, draft: Draft, field: FilingField): { value: string; source: ValueSource } {
  const edited = draft.edits[field];
  if (edited !== undefined) return { value: edited, source: { kind: 'edited' } };
  const current = stored(item.document, field);
  if (current !== '') return { value: current, source: { kind: 'stored' } };
  const suggestion = field === 'title' ? undefined : bestSuggestion(item.suggestions, field);
  if (suggestion) return { value: suggestion.value, source: { kind: 'suggested', confidence: suggestion.confidence } };
  return { value: '', source: { kind: 'empty' } };
}

export function formValues(item: InboxItem, draft: Draft): FilingValues {
  return Object.fromEntries(FILING_FIELDS.map((field) => [field, fieldValue(item, draft, field).value])) as FilingValues;
}

/** A refused check names, per field, what is wrong (the UI words it: i18n/core-messages.ts `fieldIssueWhat`). */
export type FilingCheck = { ok: true; changes: MetadataChanges | undefined } | { ok: false; errors: Partial<Record<FilingField, FieldIssue>> };

/** The fields whose shown value differs from the stored one, validated as the core will validate them. */
export function filingChanges(item: InboxItem, draft: Draft): FilingCheck {
  const values = formValues(item, draft);
  const changes: Record<string, string | null> = {};
  for (const field of FILING_FIELDS) {
    const value = values[field].trim();
    if (value === stored(item.document, field)) continue;
    changes[field] = value === '' && field !== 'title' ? null : value;
  }
  if (Object.keys(changes).length === 0) return { ok: true, changes: undefined };
  const parsed = metadataChanges.safeParse(changes);
  if (parsed.success) return { ok: true, changes: parsed.data };
  const errors: Partial<Record<FilingField, FieldIssue>> = {};
  for (const issue of fieldIssues(parsed.error.issues)) {
    if ((FILING_FIELDS as readonly string[]).includes(issue.field)) errors[issue.field as FilingField] ??= issue;
  }
  return { ok: false, errors };
}

/**
 * What the shown values lack to be filed under the chosen type's rule, as the core checks it
 * (docs/filing-rules.md). A required field this form does not show counts as missing here: the core, which
 * sees the stored value, decides. `signed`: the signed check's answer, null while it runs.
 */
export function missingToFile(values: FilingValues, types: DocumentTypeRecord[], signed: boolean | null): string[] {
  const code = values.type.trim();
  if (code === '') return ['type'];
  const required = types.find((type) => type.code === code)?.requiredFields ?? [];
  return required.filter((field) => (field === 'signature' ? signed !== true : !(field in values) || values[field as FilingField].trim() === ''));
}

/** The next item after `index` that is not accepted yet, wrapping around; null when all are. */
export function nextOpenIndex(items: InboxItem[], drafts: ReadonlyMap<number, Draft>, index: number): number | null {
  for (let step = 1; step <= items.length; step += 1) {
    const candidate = (index + step) % items.length;
    if (!drafts.get(items[candidate]!.document.id)?.accepted) return candidate;
  }
  return null;
}
