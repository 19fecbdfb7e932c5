/**
 * The tamper-evident audit trail. Each event's hash is SHA-256 over the previous event's hash (64 hex
 * characters, UTF-8) followed by the canonical JSON of the event's own fields, so changing, removing or
 * reordering any event breaks every hash after it. Appends run inside the caller's transaction, next to
 * the change they describe. Heads of the chain are anchored outside the archive (anchoring.ts), so that
 * a chain rewritten as a whole, or cut short, is found too.
 */
import { asc, desc, gt } from 'drizzle-orm';
import type { AuditEvent } from '../../../shared/model';
import type { Connection } from '../db/connection';
import { auditEvents } from '../db/schema';
import { AuditAnchoring } from './anchoring';
import { canonicalJson } from './canonical';
import { GENESIS_HASH, hashEvent, hashStoredEvent, storedEvents, type EventFields } from './chain-hash';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

export interface ChainProblem {
  seq: number;
  message: string;
  targetType: string | null;
  targetId: string | null;
}

export class AuditLog {
  private readonly db: Connection['db'];
  readonly anchoring: AuditAnchoring;

  constructor(
    private readonly connection: Connection,
    private readonly actor: () => string,
    private readonly now: () => string,
  ) {
    this.db = connection.db;
    this.anchoring = new AuditAnchoring(connection, this);
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
    this.anchoring.noteAppend();
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
    for (const row of storedEvents(this.connection)) {
      const where = { seq: row.seq, targetType: row.targetType, targetId: row.targetId };
      if (row.seq !== expectedSeq) {
        problems.push({ ...where, message: `audit event ${expectedSeq} is missing (next present is ${row.seq})` });
      }
      if (row.prevHash !== expectedPrev) {
        problems.push({ ...where, message: `audit event ${row.seq} does not link to the event before it` });
      }
      if (hashStoredEvent(row.prevHash, row) !== row.hash) {
        problems.push({ ...where, message: `audit event ${row.seq} (${row.action}) was altered: its hash does not match its content` });
      }
      expectedPrev = row.hash;
      expectedSeq = row.seq + 1;
    }
    return problems;
  }
}
