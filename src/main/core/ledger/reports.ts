/**
 * Reconciliation: slips invoiced but not back, back without an invoice number, partial returns, and the
 * return rate with the median days from issue to return per customer and per month of issue.
 */
import type { Database } from 'better-sqlite3';
import type { LedgerReport, LedgerReportKind, ReturnRateLine } from '../../../shared/model';
import { daysBetween } from './days';
import { OUTSTANDING } from './outstanding';
import { ROW_COLUMNS, ROW_FROM, toLedgerRow, type StoredRow } from './row-view';

const ROW_REPORTS: Record<'invoiced-not-back' | 'back-no-invoice' | 'partial', string> = {
  'invoiced-not-back': `r.invoice_no IS NOT NULL AND ${OUTSTANDING}`,
  'back-no-invoice': `r.invoice_no IS NULL AND NOT ${OUTSTANDING}`,
  partial: `r.exception = 'partial'`,
};

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function returnRates(sqlite: Database, by: 'customer' | 'month'): ReturnRateLine[] {
  const key = by === 'customer' ? 'c.name' : 'substr(r.issue_date, 1, 7)';
  const rows = sqlite
    .prepare(`SELECT ${key} AS key, r.issue_date, r.returned_on FROM ledger_rows r JOIN customers c ON c.id = r.customer_id WHERE r.cancelled_at IS NULL`)
    .all() as { key: string; issue_date: string; returned_on: string | null }[];
  const groups = new Map<string, { issued: number; days: number[] }>();
  for (const row of rows) {
    const group = groups.get(row.key) ?? { issued: 0, days: [] };
    group.issued += 1;
    if (row.returned_on !== null) group.days.push(daysBetween(row.issue_date, row.returned_on));
    groups.set(row.key, group);
  }
  return [...groups.entries()]
    .map(([lineKey, group]) => ({
      key: lineKey,
      issued: group.issued,
      returned: group.days.length,
      rate: group.days.length / group.issued,
      medianDaysToReturn: median(group.days),
    }))
    .sort((a, b) => (by === 'month' ? a.key.localeCompare(b.key) : a.rate - b.rate || a.key.localeCompare(b.key)));
}

export function ledgerReport(sqlite: Database, kind: LedgerReportKind, asOf: string): LedgerReport {
  if (kind === 'return-rate-by-customer' || kind === 'return-rate-by-month') {
    return { kind, asOf, lines: returnRates(sqlite, kind === 'return-rate-by-customer' ? 'customer' : 'month') };
  }
  const rows = sqlite
    .prepare(`SELECT ${ROW_COLUMNS} FROM ${ROW_FROM} WHERE r.cancelled_at IS NULL AND ${ROW_REPORTS[kind]} ORDER BY r.expected_back_date, r.id`)
    .all() as StoredRow[];
  return { kind, asOf, rows: rows.map((row) => toLedgerRow(row, asOf)) };
}
