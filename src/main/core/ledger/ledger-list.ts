/**
 * The ledger list: filters, sort and paging done in SQL on the owner's side. Aging filters become ranges of
 * expected_back_date on the day asked about, answered by the outstanding rows' partial indexes; the text
 * filter reads the trigram index ledger_rows_text; a page is chosen from ledger_rows alone and only its rows
 * are joined with their customer and document.
 */
import type { Database } from 'better-sqlite3';
import { onPostgres } from '../db/pg-sync/pg-connection';
import { CUSTODY_STEPS, type LedgerList, type LedgerSortField } from '../../../shared/model';
import type { ledgerFilters } from '../../../shared/ledger-schema';
import type { z } from 'zod';
import { expectedBackRange } from './aging';
import { ROW_COLUMNS, ROW_FROM, toLedgerRow, type StoredRow } from './row-view';
import { inReadSnapshot } from '../db/transaction';
import { LIVE_OUTSTANDING } from './outstanding';

export type LedgerFilters = z.output<typeof ledgerFilters>;

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

/** The trigram index finds texts of three characters or more; shorter ones are compared row by row. */
const TRIGRAM = 3;

/** `text` as one FTS5 phrase (its own syntax quoted away): with the trigram tokenizer, "contains". */
const ftsPhrase = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** The WHERE clause and its parameters for `filters` on `asOf`, for a list sorted by `sortColumn`. */
export function ledgerWhere(filters: LedgerFilters, asOf: string, sortColumn: string, trigramTable = true): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (!filters.includeCancelled) clauses.push('r.cancelled_at IS NULL');
  // Sorted by another column, the aging range is checked inside that column's index (the `+` keeps SQLite
  // from choosing the date index and sorting a whole bucket to show one page of it).
  const due = sortColumn === SORT_COLUMNS.expectedBackDate.column ? 'r.expected_back_date' : '+r.expected_back_date';
  if (filters.overdue) {
    clauses.push(`${LIVE_OUTSTANDING} AND ${due} < ?`);
    params.push(asOf);
  }
  if (filters.bucket) {
    const { from, to } = expectedBackRange(filters.bucket, asOf);
    clauses.push(LIVE_OUTSTANDING);
    if (from !== null) {
      clauses.push(`${due} >= ?`);
      params.push(from);
    }
    if (to !== null) {
      clauses.push(`${due} <= ?`);
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
    // Spelled as literals in the schema's order, so "back but not filed" states ledger_rows_back_idx's WHERE.
    const steps = CUSTODY_STEPS.filter((step) => (typeof filters.custody === 'string' ? filters.custody === step : filters.custody!.includes(step)));
    clauses.push(`r.custody IN (${steps.map((step) => `'${step}'`).join(', ')})`);
  }
  if (filters.exception) {
    clauses.push('r.exception = ?');
    params.push(filters.exception);
  }
  if (filters.text) {
    const pattern = likePattern(filters.text);
    const customerMatches = `r.customer_id IN (SELECT id FROM customers WHERE name LIKE ? ESCAPE '\\')`;
    // PostgreSQL has no FTS5 table: its pg_trgm index (migration 0001) answers the LIKE form, from any length.
    if (trigramTable && Array.from(filters.text).length >= TRIGRAM) {
      clauses.push(`(r.id IN (SELECT rowid FROM ledger_rows_text WHERE ledger_rows_text MATCH ?) OR ${customerMatches})`);
      params.push(ftsPhrase(filters.text), pattern);
    } else {
      clauses.push(`(r.slip_no LIKE ? ESCAPE '\\' OR r.invoice_no LIKE ? ESCAPE '\\' OR ${customerMatches})`);
      params.push(pattern.toUpperCase(), pattern, pattern);
    }
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
  const { column, nullable } = SORT_COLUMNS[options.sort.by];
  const where = ledgerWhere(options.filters, options.asOf, column, !onPostgres(sqlite));
  const direction = options.sort.direction === 'asc' ? 'ASC' : 'DESC';
  // Empty values last either way; rows that tie stay in id order so pages never overlap.
  const order = `ORDER BY ${column} ${direction}${nullable ? ' NULLS LAST' : ''}, r.id ${direction}`;
  const customerJoin = options.sort.by === 'customer' ? 'JOIN customers c ON c.id = r.customer_id' : '';
  const page = `SELECT r.id FROM ledger_rows r ${customerJoin} ${where.sql} ${order} LIMIT ? OFFSET ?`;
  return inReadSnapshot(sqlite, () => {
    const rows = sqlite
      .prepare(`SELECT ${ROW_COLUMNS} FROM (${page}) page CROSS JOIN ${ROW_FROM} WHERE r.id = page.id ${order}`)
      .all(...where.params, options.limit, options.offset) as StoredRow[];
    const total = sqlite
      .prepare(`SELECT count(*) FROM ledger_rows r ${where.sql}`)
      .pluck()
      .get(...where.params) as number;
    return { items: rows.map((row) => toLedgerRow(row, options.asOf)), total, limit: options.limit, offset: options.offset, asOf: options.asOf };
  });
}
