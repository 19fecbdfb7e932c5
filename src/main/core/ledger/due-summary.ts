/**
 * The due screen's numbers on one day: the caller's chases due today, outstanding slips by aging bucket,
 * overdue by customer and by owner, slips back but not filed, unexpected slips, and the archive's own
 * backlog (old inbox items, OCR review, backup age). The aging reads the outstanding rows' indexes in their
 * own order: the rows grouped by customer × owner × currency, all and overdue (folded here by bucket, customer
 * and owner), and each overdue bucket as a date range per currency, so nothing is sorted however many rows
 * there are.
 */
import type { Database } from 'better-sqlite3';
import { AGING_BUCKETS, type AmountsByCurrency, type DueSummary, type OverdueGroup } from '../../../shared/model';
import { fromMinorUnits } from '../documents/amount';
import { expectedBackRange } from './aging';
import { addDays, daysBetween } from './days';
import { LIVE_OUTSTANDING } from './outstanding';
import { ROW_COLUMNS, ROW_FROM, toLedgerRow, type StoredRow } from './row-view';

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
  /** Counted by the authorization records, which this module does not read. */
  authorizationsEnding: DueSummary['authorizationsEnding'];
}

type Sums = Map<string, number>;

/** Outstanding rows of one customer, owner and currency: all of them, and those overdue. */
interface Group {
  customer: string;
  owner: string | null;
  currency: string | null;
  n: number;
  overdue: number;
  overdueMinor: number | null;
  notDueMinor: number | null;
}

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
  // Each query walks one of the outstanding rows' indexes in its own order, so nothing is sorted (INDEXED BY:
  // without statistics SQLite would prefer a date range and sort every row into its groups).
  const groups = sqlite
    .prepare(
      `SELECT c.name AS customer, g.owner, g.currency, g.n, g.overdue, g.overdueMinor, g.notDueMinor FROM (
         SELECT r.customer_id, r.owner, r.currency, count(*) AS n, count(*) FILTER (WHERE r.expected_back_date < @asOf) AS overdue,
                sum(r.amount_minor) FILTER (WHERE r.expected_back_date < @asOf) AS overdueMinor,
                sum(r.amount_minor) FILTER (WHERE r.expected_back_date >= @asOf) AS notDueMinor
           FROM ledger_rows r INDEXED BY ledger_rows_outstanding_groups_idx WHERE ${LIVE_OUTSTANDING}
          GROUP BY r.customer_id, r.owner, r.currency
       ) g JOIN customers c ON c.id = g.customer_id`,
    )
    .all({ asOf }) as Group[];
  const buckets = new Groups();
  const byCustomer = new Groups();
  const byOwner = new Groups();
  for (const group of groups) {
    const notDue = group.n - group.overdue;
    if (notDue > 0) buckets.add('not_due', notDue, group.currency, group.notDueMinor);
    if (group.overdue === 0) continue;
    byCustomer.add(group.customer, group.overdue, group.currency, group.overdueMinor);
    byOwner.add(group.owner, group.overdue, group.currency, group.overdueMinor);
  }
  // The overdue buckets: one index range per currency and bucket.
  const inRange = sqlite.prepare(
    `SELECT count(*) AS n, sum(r.amount_minor) AS minor FROM ledger_rows r INDEXED BY ledger_rows_outstanding_currency_idx
        WHERE ${LIVE_OUTSTANDING} AND r.currency IS ? AND r.expected_back_date >= ? AND r.expected_back_date <= ?`,
  );
  const currencies = new Set(groups.map((group) => group.currency));
  for (const bucket of AGING_BUCKETS.filter((name) => name !== 'not_due')) {
    const { from, to } = expectedBackRange(bucket, asOf);
    for (const currency of currencies) {
      const found = inRange.get(currency, from ?? '', to) as { n: number; minor: number | null };
      if (found.n > 0) buckets.add(bucket, found.n, currency, found.minor);
    }
  }
  const bucketList = buckets.list();
  const myDueToday = sqlite
    .prepare(`SELECT ${ROW_COLUMNS} FROM ${ROW_FROM} WHERE r.owner = ? AND r.expected_back_date = ? AND ${LIVE_OUTSTANDING} ORDER BY r.slip_no`)
    .all(context.user, asOf) as StoredRow[];
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
    myOverdue: byOwner.count(context.user),
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
    authorizationsEnding: context.authorizationsEnding,
  };
}
