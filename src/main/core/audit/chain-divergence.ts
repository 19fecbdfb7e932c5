/**
 * Compares the live audit chain with heads recorded outside it (anchors, backup catalogs). The chain is
 * recomputed from the events' content from the genesis hash on, never taken from the stored hashes, so a
 * chain whose hashes were all recomputed after a change still differs from every head recorded before it.
 */
import type { Connection } from '../db/connection';
import { GENESIS_HASH, hashStoredEvent, storedEvents } from './chain-hash';
import { DIGEST_CHARS, type ChainHead } from './signed-head';

export interface RecordedHead extends ChainHead {
  /** Where the head was recorded, as a message names it: "the anchor of 2026-03-05T10:00:00Z (close)". */
  source: string;
  /** With `digests` (see Anchor): the events after `from` up to `seq`, each by its hash's first 8 hex digits. */
  from?: number;
  digests?: string;
}

export type DivergenceKind =
  /** The event at `seq` hashes differently from what a head recorded for that position. */
  | 'changed'
  /** The chain has no event `seq`, though a head recorded the chain beyond it. */
  | 'missing'
  /** The chain ends before `seq`, which a head recorded. */
  | 'truncated'
  /** A head without per-event digests no longer matches: the first difference lies after `matchedUpTo`. */
  | 'head-differs';

export interface Divergence {
  kind: DivergenceKind;
  /** The first position that differs ('head-differs': the head's seq). */
  seq: number;
  /** The live chain matches every recorded value up to here. */
  matchedUpTo: number;
  /** The head that shows it. */
  head: RecordedHead;
  /** The live event at `seq`, when there is one. */
  event: { action: string; targetType: string | null; targetId: string | null; storedHashAsRecorded: boolean } | null;
  /** The last seq of the live chain. */
  liveEnd: number;
  /** How many of the recorded heads the live chain no longer reaches with the same hash. */
  headsNotMatched: number;
  headsTotal: number;
}

/** The first point where the live chain leaves what `heads` recorded, or null when it matches them all. */
export function chainDivergence(connection: Connection, heads: RecordedHead[]): Divergence | null {
  if (heads.length === 0) return null;
  const byFrom = heads.filter((head) => head.digests !== undefined && head.from !== undefined).sort((a, b) => a.from! - b.from!);
  const atSeq = new Map<number, RecordedHead[]>();
  for (const head of heads) atSeq.set(head.seq, [...(atSeq.get(head.seq) ?? []), head]);
  const highest = heads.reduce((top, head) => (head.seq > top.seq ? head : top));
  const notMatched = new Set<RecordedHead>();

  let first: Omit<Divergence, 'liveEnd' | 'headsNotMatched' | 'headsTotal'> | null = null;
  let matchedUpTo = 0;
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let next = 0;
  let covering: RecordedHead[] = [];
  for (const row of storedEvents(connection)) {
    if (!first && row.seq > expectedSeq && highest.seq >= expectedSeq) {
      first = { kind: 'missing', seq: expectedSeq, matchedUpTo, head: highest, event: null };
    }
    const hash = hashStoredEvent(prev, row);
    const event = (storedHashAsRecorded: boolean) => ({ action: row.action, targetType: row.targetType, targetId: row.targetId, storedHashAsRecorded });

    while (next < byFrom.length && byFrom[next]!.from! < row.seq) covering.push(byFrom[next++]!);
    covering = covering.filter((head) => head.seq >= row.seq);
    let confirmed = false;
    for (const head of covering) {
      const start = (row.seq - head.from! - 1) * DIGEST_CHARS;
      const recorded = head.digests!.slice(start, start + DIGEST_CHARS);
      if (hash.startsWith(recorded)) confirmed = true;
      else if (!first) first = { kind: 'changed', seq: row.seq, matchedUpTo, head, event: event(row.hash.startsWith(recorded)) };
    }
    for (const head of atSeq.get(row.seq) ?? []) {
      if (hash === head.hash) {
        confirmed = true;
        continue;
      }
      notMatched.add(head);
      if (!first) {
        first =
          head.digests === undefined
            ? { kind: 'head-differs', seq: row.seq, matchedUpTo, head, event: event(row.hash === head.hash) }
            : { kind: 'changed', seq: row.seq, matchedUpTo, head, event: event(row.hash === head.hash) };
      }
    }
    if (confirmed && !first) matchedUpTo = row.seq;
    prev = hash;
    expectedSeq = row.seq + 1;
  }
  const liveEnd = expectedSeq - 1;
  for (const head of heads) if (head.seq > liveEnd) notMatched.add(head);
  if (!first && highest.seq > liveEnd) first = { kind: 'truncated', seq: liveEnd + 1, matchedUpTo, head: highest, event: null };
  return first && { ...first, liveEnd, headsNotMatched: notMatched.size, headsTotal: heads.length };
}

const count = (n: number) => n.toLocaleString('en-US');

/** One sentence for `check` and `verify-backup`. */
export function describeDivergence(divergence: Divergence): string {
  const { kind, seq, head, event, liveEnd, matchedUpTo } = divergence;
  const what = event ? ` (${event.action}${event.targetId ? `, ${event.targetId}` : ''})` : '';
  const tally = divergence.headsTotal > 1 ? ` (${count(divergence.headsNotMatched)} of ${count(divergence.headsTotal)} recorded heads no longer match)` : '';
  switch (kind) {
    case 'changed':
      return event?.storedHashAsRecorded
        ? `audit event ${count(seq)}${what} was changed after ${head.source} recorded it: its content no longer matches its recorded hash${tally}`
        : `audit event ${count(seq)}${what} is not the event ${head.source} recorded at that position: it was changed, inserted or moved and the hashes after it recomputed${tally}`;
    case 'missing':
      return `audit event ${count(seq)} is missing, but ${head.source} records the chain up to ${count(head.seq)}${tally}`;
    case 'truncated':
      return `the audit chain ends at ${count(liveEnd)}, but ${head.source} records ${count(head.seq)}: the newest ${head.seq - liveEnd === 1 ? 'event was' : `${count(head.seq - liveEnd)} events were`} removed${tally}`;
    case 'head-differs':
      return `the audit chain up to ${count(seq)} no longer hashes to the head ${head.source} recorded; it matches what was recorded up to ${count(matchedUpTo)}, so the first change lies in events ${count(matchedUpTo + 1)}–${count(seq)}${tally}`;
  }
}
