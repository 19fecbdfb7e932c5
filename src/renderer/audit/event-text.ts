/**
 * An audit event in words: its action as a phrase (never the code), and a short line of what its details
 * say. Actions this version does not know (written by a newer one) fall back to their code.
 */
import type { TFunction } from 'i18next';
import type { AuditEvent } from '../../shared/model';
import { UNAUDITED_READ_ACTIONS } from '../../shared/unaudited-reads';

/** Every action this version writes or has written, in the order the action filter lists them. */
export const KNOWN_ACTIONS = [
  'document.read',
  'page.view',
  'page.download',
  'document.print',
  'document.export',
  'proof.export',
  'document.import',
  'document.edit',
  'document.void',
  'document.unvoid',
  'document.restore',
  'document.page.rotate',
  'document.page.remove',
  'document.page.reorder',
  'document.page.add',
  'document.page.text',
  'document.ocr',
  'search.query',
  'search.saved.create',
  'search.saved.update',
  'search.saved.remove',
  'settings.update',
  'document-type.create',
  'document-type.update',
  'archive.init',
  'archive.check',
  'backup.last_backup',
  'backup.last_verified',
  'backup.last_verified_restore',
  'backup.index_key',
  'backup.prune',
  'backup.schedule_problem',
  'backup.schedule_passphrase',
  'audit.export',
  'user.setup',
  'user.login',
  'user.login-refused',
  'user.logout',
  'user.create',
  'user.update',
  'user.disable',
  'user.enable',
  'user.reset-password',
  'user.change-password',
  'user.change-password-refused',
  'call.refused',
  'call.forbidden',
  // Retention, holds and disposal (docs/retention.md)
  'document.retention.extend',
  'document.dispose',
  'retention.schedule',
  'hold.add',
  'hold.lift',
  'disposal.request',
  'disposal.approve',
  'disposal.reject',
  // issue 18: customers, signers, authorizations, paper locations
  'document.customer.rename',
  'document.customer.merge',
  'document.location',
  'customer.create',
  'customer.update',
  'customer.merge',
  'customer.import',
  'customer.mapping.save',
  'signer.create',
  'signer.update',
  'authorization.create',
  'authorization.update',
  'authorization.revoke',
  'authorization.supersede',
  'location.create',
  'location.update',
  // Overrides of the filing rules and the signed check (docs/filing-rules.md, docs/signed-check.md).
  'document.filing-override',
  'document.signed-override',
  // Inbox filing drafts (docs/inbox-drafts.md): only an explicit discard is recorded.
  'document.draft.discard',
  // The slip ledger (docs/ledger.md): each row change, imports, reminders.
  'ledger.create',
  'ledger.update',
  'ledger.cancel',
  'ledger.link',
  'ledger.match',
  'ledger.unlink',
  'ledger.import',
  'ledger.mapping.save',
  'ledger.match.failed',
  'ledger.remind',
  // Reads that older versions recorded on every screen refresh.
  ...UNAUDITED_READ_ACTIONS,
] as const;

/** Families offered by the action filter: "document.*" is every action whose code starts with "document.". */
export const ACTION_FAMILIES = ['document', 'page', 'search', 'backup', 'settings', 'archive', 'user', 'call'] as const;

const actionKey = (action: string) => `audit.actions.${action.replace(/[.-]/g, '_')}`;

export function actionText(t: TFunction, action: string): string {
  return t(actionKey(action), { defaultValue: action });
}

const MAX_DETAILS = 160;

function shortValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(shortValue).join(', ');
  return JSON.stringify(value);
}

/** A changed field's name: a document field, else a ledger field, else as stored. */
const fieldName = (t: TFunction, field: string) => t(`doc.fields.${field}`, { defaultValue: t(`ledgerUi.fields.${field}`, { defaultValue: field }) });

/** Details shown at a glance under their label, with a value that is a code shown as its label too. */
const LABELLED_DETAILS: Record<string, string | null> = { role: 'roles', username: null, path: null };

/**
 * The details worth reading at a glance, each in words; the rest (ids, hashes, raw JSON) stays in the row's
 * tooltip and the CSV, where the full record belongs.
 */
export function detailsText(t: TFunction, event: AuditEvent): string {
  const details = event.details;
  const parts: string[] = [];
  if (typeof details.page === 'number') parts.push(t('audit.detail.page', { page: details.page }));
  else if (typeof details.pages === 'number') parts.push(t('audit.detail.pages', { count: details.pages }));
  const changed = details.fields ?? details.changes;
  if (changed && typeof changed === 'object') {
    parts.push(
      t('audit.detail.fields', {
        fields: Object.keys(changed)
          .map((field) => fieldName(t, field))
          .join(t('fieldIssue.fieldSeparator')),
      }),
    );
  }
  if (typeof details.file === 'string') parts.push(details.file);
  if (typeof details.characters === 'number') parts.push(t('audit.detail.characters', { count: details.characters }));
  if (typeof details.query === 'string') parts.push(t('audit.detail.query', { query: details.query }));
  if (typeof details.rows === 'number') parts.push(t('audit.detail.rows', { count: details.rows }));
  if (typeof details.reason === 'string') parts.push(t('audit.detail.reason', { reason: details.reason }));
  if (typeof details.version === 'number') parts.push(t('audit.detail.version', { version: details.version }));
  for (const [key, valuePrefix] of Object.entries(LABELLED_DETAILS)) {
    const value = details[key];
    if (value === undefined || value === null) continue;
    const shown = valuePrefix === null ? shortValue(value) : t(`${valuePrefix}.${String(value)}`, { defaultValue: shortValue(value) });
    parts.push(t(`audit.detailKeys.${key}`, { value: shown }));
  }
  const text = parts.join(' · ');
  return text.length > MAX_DETAILS ? `${text.slice(0, MAX_DETAILS - 1)}…` : text;
}
