/**
 * The hash chain of the audit trail: each event's hash is SHA-256 over the previous event's hash (64 hex
 * characters, UTF-8) followed by the canonical JSON of the event's own fields.
 */
import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../../shared/model';
import type { Connection } from '../db/connection';
import type { auditEvents } from '../db/schema';
import { canonicalJson } from './canonical';

export const GENESIS_HASH = '0'.repeat(64);

export type EventFields = Omit<AuditEvent, 'prevHash' | 'hash'>;

export function hashEvent(prevHash: string, event: EventFields): string {
  const canonical = canonicalJson({
    seq: event.seq,
    at: event.at,
    actor: event.actor,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    details: event.details,
  });
  return createHash('sha256')
    .update(prevHash + canonical, 'utf8')
    .digest('hex');
}

export type StoredEvent = typeof auditEvents.$inferSelect;

/** Every stored event in seq order, as the table holds it (details still the stored JSON text). */
export function storedEvents(connection: Connection): IterableIterator<StoredEvent> {
  return connection.sqlite
    .prepare(
      'SELECT seq, at, actor, action, target_type AS targetType, target_id AS targetId, details, prev_hash AS prevHash, hash FROM audit_events ORDER BY seq',
    )
    .iterate() as IterableIterator<StoredEvent>;
}

/** The hash a stored event must have after `prevHash`; unreadable details are hashed as found. */
export function hashStoredEvent(prevHash: string, row: StoredEvent): string {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(row.details) as Record<string, unknown>;
  } catch {
    details = { unreadable: row.details };
  }
  return hashEvent(prevHash, { ...row, details });
}
