/**
 * What the core says, in the user's language. The core sends a message key with parameters next to its
 * English sentence (src/shared/messages.ts); this renders `core.<key>` from them, words each refused field of
 * a VALIDATION, and falls back to the error code's heading with the core's English only for a key this
 * build does not know (a newer core, an owner process from another build).
 */
import type { TFunction } from 'i18next';
import { isErrorPayload, type ErrorPayload } from '../../shared/errors';
import type { CoreMessage, FieldIssue, MessageParams } from '../../shared/messages';

/** Parameters that are codes (a status, a role, a field name) are shown as their label. */
const LABELLED_PARAMS: Record<string, string> = {
  status: 'status',
  from: 'status',
  to: 'status',
  role: 'roles',
  field: 'doc.fields',
  kind: 'locations.kinds',
  cause: 'serverUnreachableCauses',
};

/** `fields`: a list of field names, as the core joins them ("customer, signedDate"). */
function fieldList(t: TFunction, value: string | number): string {
  const fields = String(value).split(', ');
  return fields.map((field) => (knows(t, `doc.fields.${field}`) ? t(`doc.fields.${field}`) : field)).join(t('fieldIssue.fieldSeparator'));
}

function labelledParams(t: TFunction, params: MessageParams): MessageParams {
  const out: MessageParams = {};
  for (const [name, value] of Object.entries(params)) {
    if (name === 'fields') {
      out[name] = fieldList(t, value);
      continue;
    }
    const prefix = LABELLED_PARAMS[name];
    const key = prefix === undefined ? null : `${prefix}.${String(value)}`;
    out[name] = key !== null && t(key, { defaultValue: '' }) !== '' ? t(key) : value;
  }
  return out;
}

function knows(t: TFunction, key: string): boolean {
  return t(key, { defaultValue: '' }) !== '';
}

/** Who did something: a user's name as it is; the archive's own background work by name, not as `system`. */
export function actorName(t: TFunction, actor: string): string {
  return actor === 'system' ? t('audit.systemActor') : actor;
}

/** A long job by its name in the interface language ("文字识别", not "ocr"). */
export function jobName(t: TFunction, phase: string): string {
  return knows(t, `jobs.phase.${phase}`) ? t(`jobs.phase.${phase}`) : t('jobs.unknownPhase');
}

/** A core message (a duplicate hint, a schedule problem): translated by key, or its English as sent. */
export function coreMessageText(t: TFunction, message: CoreMessage): string {
  const key = `core.${message.key}`;
  return knows(t, key) ? t(key, labelledParams(t, message.params)) : message.text;
}

/** The field a path names: `changes.amount` → `amount`, `tags.2` → `tags`. */
function fieldOf(path: string): string {
  return (
    path
      .split('.')
      .filter((part) => !/^\d+$/.test(part))
      .pop() ?? ''
  );
}

/** What is wrong with one field, as shown under it: the field's own hint where it has one, else by issue kind. */
export function fieldIssueWhat(t: TFunction, issue: FieldIssue): string {
  const hint = `fieldIssue.hint.${fieldOf(issue.field)}`;
  if (knows(t, hint) && issue.issue !== 'unrecognized_keys') return t(hint);
  const kind = `fieldIssue.${issue.issue}`;
  return issue.limit === undefined ? t(knows(t, kind) ? kind : 'fieldIssue.invalid') : t(`${kind}Limit`, { limit: issue.limit });
}

/** One refused field with its name: "金额：须为非负数，最多两位小数，如 1234.50". */
export function fieldIssueText(t: TFunction, issue: FieldIssue): string {
  const field = fieldOf(issue.field);
  if (field === '') return fieldIssueWhat(t, issue);
  const label = knows(t, `doc.fields.${field}`) ? t(`doc.fields.${field}`) : issue.field;
  return t('fieldIssue.line', { field: label, what: fieldIssueWhat(t, issue) });
}

/** Per-field issues as the words shown under each field. */
export function fieldIssueWords<F extends string>(t: TFunction, issues: Partial<Record<F, FieldIssue>>): Partial<Record<F, string>> {
  const words: Partial<Record<F, string>> = {};
  for (const [field, issue] of Object.entries(issues) as [F, FieldIssue][]) words[field] = fieldIssueWhat(t, issue);
  return words;
}

function payloadText(t: TFunction, error: ErrorPayload): string {
  const key = error.messageKey === undefined ? null : `core.${error.messageKey}`;
  if (key === null || !knows(t, key)) return t(`errors.${error.code}`, { message: error.message });
  const sentence = t(key, labelledParams(t, error.params ?? {}));
  if (!error.issues || error.issues.length === 0) return sentence;
  return `${sentence}${error.issues.map((issue) => fieldIssueText(t, issue)).join(t('fieldIssue.separator'))}`;
}

/** An error as the user reads it. */
export function coreErrorText(t: TFunction, error: unknown): string {
  if (isErrorPayload(error)) return payloadText(t, error);
  if (error instanceof Error) return error.message;
  return String(error);
}
