/**
 * The due screen's numbers on one day: the caller's chases due today, outstanding slips by aging bucket,
 * overdue by customer and by owner, slips back but not filed, unexpected slips, and the archive's own
 * backlog (old inbox items, OCR review, backup age). The aging adds up running totals of the outstanding rows
 * (per customer × owner × currency, and per currency × expected-back date, kept by triggers: migration
 * ledger_due_totals) and reads only the rows not yet due, so its cost follows the number of customers and
 * days, not of rows.
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

/** One row of the running totals (migration ledger_due_totals): '' stands for no owner or no currency. */
interface Totals {
  rows: number;
  amountMinor: number;
  amounts: number;
}

const orNull = (key: string) => (key === '' ? null : key);

/** The sum of `amounts` rows' amounts, or null when none of the rows has an amount. */
const sumOf = (totals: { amountMinor: number; amounts: number }) => (totals.amounts > 0 ? totals.amountMinor : null);

/**
 * Outstanding rows per customer × owner × currency: all of them from the running totals, those not yet due
 * (expected back on `asOf` or later, the few that the due index's range holds) read and subtracted.
 */
function outstandingGroups(sqlite: Database, asOf: string): Group[] {
  const totals = sqlite
    .prepare(
      `SELECT t.customer_id AS customerId, c.name AS customer, t.owner, t.currency, t.rows, t.amount_minor AS amountMinor, t.amounts
         FROM ledger_outstanding_groups t JOIN customers c ON c.id = t.customer_id WHERE t.rows > 0`,
    )
    .all() as (Totals & { customerId: number; customer: string; owner: string; currency: string })[];
  const notDue = sqlite
    .prepare(
      `SELECT r.customer_id AS customerId, coalesce(r.owner, '') AS owner, coalesce(r.currency, '') AS currency,
              count(*) AS rows, coalesce(sum(r.amount_minor), 0) AS amountMinor, count(r.amount_minor) AS amounts
         FROM ledger_rows r INDEXED BY ledger_rows_outstanding_by_date_idx WHERE ${LIVE_OUTSTANDING} AND r.expected_back_date >= ?
        GROUP BY r.customer_id, coalesce(r.owner, ''), coalesce(r.currency, '')`,
    )
    .all(asOf) as (Totals & { customerId: number; owner: string; currency: string })[];
  const notDueOf = new Map(notDue.map((part) => [`${part.customerId}\u0000${part.owner}\u0000${part.currency}`, part]));
  return totals.map((total) => {
    const part = notDueOf.get(`${total.customerId}\u0000${total.owner}\u0000${total.currency}`) ?? { rows: 0, amountMinor: 0, amounts: 0 };
    return {
      customer: total.customer,
      owner: orNull(total.owner),
      currency: orNull(total.currency),
      n: total.rows,
      overdue: total.rows - part.rows,
      overdueMinor: sumOf({ amountMinor: total.amountMinor - part.amountMinor, amounts: total.amounts - part.amounts }),
      notDueMinor: sumOf(part),
    };
  });
}

export function dueSummary(sqlite: Database, context: DueContext): DueSummary {
  const { asOf } = context;
  const groups = outstandingGroups(sqlite, asOf);
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
  // The overdue buckets: a range of the per-day totals, per currency.
  const inRange = sqlite.prepare(
    `SELECT currency, sum(rows) AS rows, sum(amount_minor) AS amountMinor, sum(amounts) AS amounts FROM ledger_outstanding_days
      WHERE expected_back_date >= ? AND expected_back_date <= ? AND rows > 0 GROUP BY currency`,
  );
  for (const bucket of AGING_BUCKETS.filter((name) => name !== 'not_due')) {
    const { from, to } = expectedBackRange(bucket, asOf);
    for (const found of inRange.all(from ?? '', to) as (Totals & { currency: string })[]) {
      buckets.add(bucket, found.rows, orNull(found.currency), sumOf(found));
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
