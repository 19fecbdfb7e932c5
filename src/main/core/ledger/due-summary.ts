/**
 * The due screen's numbers on one day: the caller's chases due today, outstanding slips by aging bucket,
 * overdue by customer and by owner, slips back but not filed, unexpected slips, and the archive's own
 * backlog (old inbox items, OCR review, backup age). The aging is one grouped scan of the outstanding rows
 * (bucket × customer × owner × currency), folded here, so the screen costs one pass however many rows.
 */
import type { Database } from 'better-sqlite3';
import { AGING_BUCKETS, OUTSTANDING_STEPS, type AgingBucket, type AmountsByCurrency, type DueSummary, type OverdueGroup } from '../../../shared/model';
import { fromMinorUnits } from '../documents/amount';
import { expectedBackRange } from './aging';
import { addDays, daysBetween } from './days';
import { ROW_COLUMNS, ROW_FROM, toLedgerRow, type StoredRow } from './row-view';

const OUTSTANDING = `r.custody IN (${OUTSTANDING_STEPS.map((step) => `'${step}'`).join(', ')})`;

/**
 * The bucket of each row as SQL comparing expected_back_date with the buckets' first dates on `asOf`
 * (aging.ts expectedBackRange): text comparisons the covering index answers, nothing computed per row.
 */
function bucketSql(asOf: string): { sql: string; params: string[] } {
  const later = AGING_BUCKETS.filter((bucket) => bucket !== '90+');
  const params = later.map((bucket) => expectedBackRange(bucket, asOf).from!);
  const cases = later.map((bucket) => `WHEN r.expected_back_date >= ? THEN '${bucket}'`).join(' ');
  return { sql: `CASE ${cases} ELSE '90+' END`, params };
}

export interface DueContext {
  asOf: string;
  user: string;
  inboxOlderThanDays: number;
  backupOlderThanDays: number;
  /** From the backup schedule's status. */
  lastVerifiedAt: string | null;
  verifiedOverdue: boolean;
  ocrReviewBacklog: number;
  unreadNotifications: number;
}

type Sums = Map<string, number>;

function addTo(sums: Sums, currency: string | null, minor: number | null): void {
  if (minor === null) return;
  const key = currency ?? 'CNY';
  sums.set(key, (sums.get(key) ?? 0) + minor);
}

function amountsOf(sums: Sums): AmountsByCurrency {
  return Object.fromEntries([...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => [currency, fromMinorUnits(minor)]));
}

class Groups {
  private readonly groups = new Map<string | null, { count: number; sums: Sums }>();

  add(key: string | null, count: number, currency: string | null, minor: number | null): void {
    const group = this.groups.get(key) ?? { count: 0, sums: new Map() };
    group.count += count;
    addTo(group.sums, currency, minor);
    this.groups.set(key, group);
  }

  count(key: string | null): number {
    return this.groups.get(key)?.count ?? 0;
  }

  /** Largest first: by count, then by key. */
  list(): OverdueGroup[] {
    return [...this.groups.entries()]
      .map(([key, group]) => ({ key, count: group.count, amounts: amountsOf(group.sums) }))
      .sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)));
  }
}

export function dueSummary(sqlite: Database, context: DueContext): DueSummary {
  const { asOf } = context;
  const bucket = bucketSql(asOf);
  const grouped = sqlite
    .prepare(
      `SELECT g.bucket, c.name AS customer, g.owner, g.currency, count(*) AS n, sum(g.amount_minor) AS minor FROM (
         SELECT ${bucket.sql} AS bucket, r.customer_id, r.owner, r.currency, r.amount_minor
           FROM ledger_rows r WHERE r.cancelled_at IS NULL AND ${OUTSTANDING}
       ) g JOIN customers c ON c.id = g.customer_id
       GROUP BY g.bucket, g.customer_id, g.owner, g.currency`,
    )
    .all(...bucket.params) as { bucket: AgingBucket; customer: string; owner: string | null; currency: string | null; n: number; minor: number | null }[];
  const buckets = new Groups();
  const byCustomer = new Groups();
  const byOwner = new Groups();
  for (const group of grouped) {
    buckets.add(group.bucket, group.n, group.currency, group.minor);
    if (group.bucket === 'not_due') continue;
    byCustomer.add(group.customer, group.n, group.currency, group.minor);
    byOwner.add(group.owner, group.n, group.currency, group.minor);
  }
  const bucketList = buckets.list();
  const myDueToday = sqlite
    .prepare(
      `SELECT ${ROW_COLUMNS} FROM ${ROW_FROM} WHERE r.owner = ? AND r.expected_back_date = ? AND r.cancelled_at IS NULL AND ${OUTSTANDING} ORDER BY r.slip_no`,
    )
    .all(context.user, asOf) as StoredRow[];
  const myOverdue = sqlite
    .prepare(`SELECT count(*) FROM ledger_rows r WHERE r.owner = ? AND r.expected_back_date < ? AND r.cancelled_at IS NULL AND ${OUTSTANDING}`)
    .pluck()
    .get(context.user, asOf) as number;
  const backNotFiled = sqlite
    .prepare(`SELECT count(*) FROM ledger_rows WHERE custody IN ('back_at_branch', 'at_office') AND cancelled_at IS NULL`)
    .pluck()
    .get() as number;
  const unexpected = sqlite
    .prepare(
      `SELECT count(*) FROM documents d WHERE d.status = 'filed' AND d.slip_no IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM ledger_rows r WHERE r.document_id = d.id AND r.document_id IS NOT NULL AND r.cancelled_at IS NULL)`,
    )
    .pluck()
    .get() as number;
  // Imported before the start of the day N days ago (created_at is an ISO timestamp, compared as text).
  const inboxCount = sqlite
    .prepare(`SELECT count(*) FROM documents WHERE status = 'inbox' AND created_at < ?`)
    .pluck()
    .get(addDays(asOf, -context.inboxOlderThanDays)) as number;
  const lastVerifiedDay = context.lastVerifiedAt?.slice(0, 10) ?? null;
  return {
    asOf,
    user: context.user,
    myDueToday: myDueToday.map((row) => toLedgerRow(row, asOf)),
    myOverdue,
    buckets: AGING_BUCKETS.map((bucket) => {
      const found = bucketList.find((group) => group.key === bucket);
      return { bucket, count: found?.count ?? 0, amounts: found?.amounts ?? {} };
    }),
    overdueByCustomer: byCustomer.list(),
    overdueByOwner: byOwner.list(),
    backNotFiled,
    unexpected,
    inbox: { olderThanDays: context.inboxOlderThanDays, count: inboxCount },
    ocrReviewBacklog: context.ocrReviewBacklog,
    backup: {
      olderThanDays: context.backupOlderThanDays,
      lastVerifiedAt: context.lastVerifiedAt,
      neverVerified: context.lastVerifiedAt === null,
      stale: lastVerifiedDay === null || context.verifiedOverdue || daysBetween(lastVerifiedDay, asOf) > context.backupOlderThanDays,
    },
    unreadNotifications: context.unreadNotifications,
  };
}
