/**
 * Which suggestions the clerk must confirm before filing, and where on the page each field's value was read.
 * A suggestion the extractor is unsure of (a 25 % amount: 73000.00 read for 473000) is marked and held back
 * until the clerk confirms it (Enter in the field, or its ✓) or types over it; confident ones count as
 * accepted, as the form always did.
 */
import type { SuggestionBox } from '../../shared/model';
import type { InboxItem } from '../../shared/model';
import { FILING_FIELDS, fieldValue, type Draft, type FilingField } from './filing';

/**
 * Suggestions below this confidence (0–1) need the clerk's confirmation: the same 70 % bar below which the core
 * sends a recognised page for review (REVIEW_CONFIDENCE in src/main/core/ingest/inbox.ts).
 */
export const CONFIRM_BELOW = 0.7;

export function needsConfirmation(item: InboxItem, draft: Draft, field: FilingField): boolean {
  const { source } = fieldValue(item, draft, field);
  return source.kind === 'suggested' && source.confidence < CONFIRM_BELOW;
}

export function unconfirmedFields(item: InboxItem, draft: Draft): FilingField[] {
  return FILING_FIELDS.filter((field) => needsConfirmation(item, draft, field));
}

/** The draft with the field's shown suggestion taken as the clerk's own (which also takes the item back from accepted). */
export function confirmSuggestion(item: InboxItem, draft: Draft, field: FilingField): Draft {
  return { ...draft, edits: { ...draft.edits, [field]: fieldValue(item, draft, field).value }, accepted: false };
}

/** Where the field's shown value was read on the page: the box of the suggestion with that value, if it has one. */
export function sourceBoxOf(item: InboxItem, draft: Draft, field: FilingField): SuggestionBox | undefined {
  const value = fieldValue(item, draft, field).value.trim();
  if (value === '') return undefined;
  return item.suggestions.find((suggestion) => suggestion.field === field && suggestion.value === value && suggestion.box)?.box;
}
