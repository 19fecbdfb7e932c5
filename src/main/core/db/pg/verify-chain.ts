/**
 * Recomputes the audit chain stored in a PostgreSQL archive (chain-hash.ts's rule, the one SQLite's `check`
 * applies), in batches so a long chain is never held in memory at once.
 */
import type pg from 'pg';
import { GENESIS_HASH, hashStoredEvent, type StoredEvent } from '../../audit/chain-hash';

const BATCH = 5000;

export interface PgChainReport {
  events: number;
  head: string;
  /** The first event that does not follow from the ones before it, if any. */
  firstBroken: { seq: number; message: string } | null;
}

export async function verifyPgAuditChain(client: pg.ClientBase): Promise<PgChainReport> {
  let previous = GENESIS_HASH;
  let expectedSeq = 1;
  let events = 0;
  for (;;) {
    const batch = await client.query<StoredEvent>(
      `SELECT seq, at, actor, action, target_type AS "targetType", target_id AS "targetId", details, prev_hash AS "prevHash", hash
       FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT ${BATCH}`,
      [expectedSeq],
    );
    for (const row of batch.rows) {
      if (row.seq !== expectedSeq) return { events, head: previous, firstBroken: { seq: expectedSeq, message: `event ${expectedSeq} is missing` } };
      if (row.prevHash !== previous)
        return { events, head: previous, firstBroken: { seq: row.seq, message: `event ${row.seq} does not follow event ${row.seq - 1}` } };
      if (hashStoredEvent(previous, row) !== row.hash)
        return { events, head: previous, firstBroken: { seq: row.seq, message: `event ${row.seq} was changed` } };
      previous = row.hash;
      expectedSeq += 1;
      events += 1;
    }
    if (batch.rows.length < BATCH) return { events, head: previous, firstBroken: null };
  }
}
