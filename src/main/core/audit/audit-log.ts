/**
 * The tamper-evident audit trail. Each event's hash is SHA-256 over the previous event's hash (64 hex
 * characters, UTF-8) followed by the canonical JSON of the event's own fields, so changing, removing or
 * reordering any event breaks every hash after it. Appends run inside the caller's transaction, next to
 * the change they describe.
 */
import { createHash } from 'node:crypto';
import { asc, desc, gt } from 'drizzle-orm';
import type { AuditEvent } from '../../../shared/model';
import type { Connection } from '../db/connection';
import { auditEvents } from '../db/schema';
import { canonicalJson } from './canonical';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

type EventFields = Omit<AuditEvent, 'prevHash' | 'hash'>;

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
  return createHash('sha256').update(prevHash + canonical, 'utf8').digest('hex');
}

export interface ChainProblem {
  seq: number;
  message: string;
  targetType: string | null;
  targetId: string | null;
}

export class AuditLog {
  private readonly db: Connection['db'];

  constructor(
    private readonly connection: Connection,
    private readonly actor: () => string,
    private readonly now: () => string,
  ) {
    this.db = connection.db;
  }

  head(): { seq: number; hash: string } {
    const last = this.db.select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1).get();
    return last ?? { seq: 0, hash: GENESIS_HASH };
  }

  /** Call inside the transaction that makes the change being recorded. */
  append(entry: AuditEntry): AuditEvent {
    const previous = this.head();
    const fields: EventFields = {
      seq: previous.seq + 1,
      at: this.now(),
      actor: this.actor(),
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ?? {},
    };
    const event: AuditEvent = { ...fields, prevHash: previous.hash, hash: hashEvent(previous.hash, fields) };
    this.db
      .insert(auditEvents)
      .values({ ...event, details: canonicalJson(event.details) })
      .run();
    return event;
  }

  list(afterSeq: number, limit: number): AuditEvent[] {
    return this.db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, afterSeq))
      .orderBy(asc(auditEvents.seq))
      .limit(limit)
      .all()
      .map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
  }

  /** Walks the whole chain; every broken link is reported with the event it affects. */
  verify(): ChainProblem[] {
    const problems: ChainProblem[] = [];
    let expectedPrev = GENESIS_HASH;
    let expectedSeq = 1;
    const rows = this.connection.sqlite
      .prepare('SELECT seq, at, actor, action, target_type AS targetType, target_id AS targetId, details, prev_hash AS prevHash, hash FROM audit_events ORDER BY seq')
      .iterate() as IterableIterator<typeof auditEvents.$inferSelect>;
    for (const row of rows) {
      const where = { seq: row.seq, targetType: row.targetType, targetId: row.targetId };
      if (row.seq !== expectedSeq) {
        problems.push({ ...where, message: `audit event ${expectedSeq} is missing (next present is ${row.seq})` });
      }
      if (row.prevHash !== expectedPrev) {
        problems.push({ ...where, message: `audit event ${row.seq} does not link to the event before it` });
      }
      let details: Record<string, unknown>;
      try {
        details = JSON.parse(row.details) as Record<string, unknown>;
      } catch {
        details = { unreadable: row.details };
      }
      const recomputed = hashEvent(row.prevHash, { ...row, details });
      if (recomputed !== row.hash) {
        problems.push({ ...where, message: `audit event ${row.seq} (${row.action}) was altered: its hash does not match its content` });
      }
      expectedPrev = row.hash;
      expectedSeq = row.seq + 1;
    }
    return problems;
  }
}
