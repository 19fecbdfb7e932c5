/**
 * The ledger list: filters, sort and paging done in SQL on the owner's side. Aging filters become ranges of
 * expected_back_date on the day asked about, so they use the (custody, expected_back_date) index.
 */
import type { Database } from 'better-sqlite3';
import { OUTSTANDING_STEPS, type LedgerList, type LedgerSortField } from '../../../shared/model';
import type { ledgerFilters } from '../../../shared/ledger-schema';
import type { z } from 'zod';
import { expectedBackRange } from './aging';
import { ROW_COLUMNS, ROW_FROM, toLedgerRow, type StoredRow } from './row-view';
import { inReadSnapshot } from '../db/transaction';

export type LedgerFilters = z.output<typeof ledgerFilters>;

const OUTSTANDING = `r.custody IN (${OUTSTANDING_STEPS.map((step) => `'${step}'`).join(', ')})`;

/** Sort columns; `nullable` ones put empty values last, the others can follow an index's order. */
const SORT_COLUMNS: Record<LedgerSortField, { column: string; nullable: boolean }> = {
  expectedBackDate: { column: 'r.expected_back_date', nullable: false },
  issueDate: { column: 'r.issue_date', nullable: false },
  slipNo: { column: 'r.slip_no', nullable: false },
  customer: { column: 'c.name', nullable: false },
  amount: { column: 'r.amount_minor', nullable: true },
  owner: { column: 'r.owner', nullable: true },
  updatedAt: { column: 'r.updated_at', nullable: false },
};

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/** The WHERE clause and its parameters for `filters` on `asOf`. */
export function ledgerWhere(filters: LedgerFilters, asOf: string): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (!filters.includeCancelled) clauses.push('r.cancelled_at IS NULL');
  if (filters.overdue) {
    clauses.push(`${OUTSTANDING} AND r.expected_back_date < ?`);
    params.push(asOf);
  }
  if (filters.bucket) {
    const { from, to } = expectedBackRange(filters.bucket, asOf);
    clauses.push(OUTSTANDING);
    if (from !== null) {
      clauses.push('r.expected_back_date >= ?');
      params.push(from);
    }
    if (to !== null) {
      clauses.push('r.expected_back_date <= ?');
      params.push(to);
    }
  }
  if (filters.customer) {
    clauses.push('r.customer_id = (SELECT id FROM customers WHERE name = ?)');
    params.push(filters.customer);
  }
  if (filters.owner) {
    clauses.push('r.owner = ?');
    params.push(filters.owner);
  }
  if (filters.custody) {
    clauses.push('r.custody = ?');
    params.push(filters.custody);
  }
  if (filters.exception) {
    clauses.push('r.exception = ?');
    params.push(filters.exception);
  }
  if (filters.text) {
    clauses.push(`(r.slip_no LIKE ? ESCAPE '\\' OR r.invoice_no LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\')`);
    const pattern = likePattern(filters.text);
    params.push(pattern.toUpperCase(), pattern, pattern);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export interface ListOptions {
  filters: LedgerFilters;
  asOf: string;
  limit: number;
  offset: number;
  sort: { by: LedgerSortField; direction: 'asc' | 'desc' };
}

export function listLedger(sqlite: Database, options: ListOptions): LedgerList {
  const where = ledgerWhere(options.filters, options.asOf);
  const { column, nullable } = SORT_COLUMNS[options.sort.by];
  const direction = options.sort.direction === 'asc' ? 'ASC' : 'DESC';
  // Empty values last either way; rows that tie stay in id order so pages never overlap.
  const order = `ORDER BY ${nullable ? `${column} IS NULL, ` : ''}${column} ${direction}, r.id ${direction}`;
  // The total needs the customer only to match text against its name.
  const countFrom = options.filters.text ? 'ledger_rows r JOIN customers c ON c.id = r.customer_id' : 'ledger_rows r';
  return inReadSnapshot(sqlite, () => {
    const rows = sqlite
      .prepare(`SELECT ${ROW_COLUMNS} FROM ${ROW_FROM} ${where.sql} ${order} LIMIT ? OFFSET ?`)
      .all(...where.params, options.limit, options.offset) as StoredRow[];
    const total = sqlite
      .prepare(`SELECT count(*) FROM ${countFrom} ${where.sql}`)
      .pluck()
      .get(...where.params) as number;
    return { items: rows.map((row) => toLedgerRow(row, options.asOf)), total, limit: options.limit, offset: options.offset, asOf: options.asOf };
  });
}
