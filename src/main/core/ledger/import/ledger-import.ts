/**
 * Importing an ERP export into the ledger. Every row is checked first and every bad row listed with its line
 * and reason; then, in one transaction, each good row creates the live row with its slip number or updates
 * it (re-importing the same export never duplicates), under one `ledger.import` audit event that each row's
 * history entry points to. A file with a bad row imports nothing unless the good rows were asked for.
 */
import { createHash } from 'node:crypto';
import { SlipVaultError } from '../../../../shared/errors';
import type {
  LedgerEncoding,
  LedgerImportField,
  LedgerImportPreview,
  LedgerImportResult,
  LedgerImportValues,
  LedgerMappingColumns,
  LedgerPreviewRow,
  LedgerRowProblem,
} from '../../../../shared/model';
import { daysBetween } from '../days';
import type { Ledger } from '../ledger';
import { changesBetween, nextState, stateOf, type FieldChanges, type RowInput, type RowState } from '../row-state';
import { ROW_COLUMNS, ROW_FROM, type StoredRow } from '../row-view';
import { slipKey } from '../slip-key';
import { cellText, readTable, type Cell, type Table } from '../../tables/read-table';
import { parseAmount, parseCurrency, parseCustody, parseDay, parseException, type Parsed } from './cell-values';
import { guessColumns, missingColumns, type LedgerMappings } from './column-mapping';

export interface ImportSource {
  path: string;
  encoding: LedgerEncoding;
  mappingName?: string | undefined;
  columns?: LedgerMappingColumns | undefined;
  sheet?: string | undefined;
}

interface CheckedRow {
  line: number;
  values: LedgerImportValues | null;
  /** Fields whose column is mapped: an empty cell there clears the field, an unmapped field is left alone. */
  mapped: Set<LedgerImportField>;
  problems: LedgerRowProblem[];
}

const MAX_LENGTH: Partial<Record<LedgerImportField, number>> = { slipNo: 100, customer: 200, invoiceNo: 100, exceptionReason: 500 };

function checkRow(line: number, cells: Cell[], positions: Map<LedgerImportField, number>, activeOwner: (name: string) => string | null): CheckedRow {
  const problems: LedgerRowProblem[] = [];
  const cell = (field: LedgerImportField): Cell => {
    const index = positions.get(field);
    return index === undefined ? null : (cells[index] ?? null);
  };
  const text = (field: LedgerImportField) => cellText(cell(field));
  const rawSlip = text('slipNo');
  const slipNo = rawSlip ? slipKey(rawSlip) : null;
  const problem = (field: LedgerImportField, code: LedgerRowProblem['problem'], reason: string) =>
    problems.push({ line, slipNo, field, problem: code, reason });
  const take = <T>(field: LedgerImportField, parsed: Parsed<T>): T | null => {
    if (parsed.ok) return parsed.value;
    problem(field, parsed.problem, parsed.reason);
    return null;
  };
  for (const field of ['slipNo', 'customer', 'issueDate'] as const) if (text(field) === '') problem(field, 'missing-value', `${field} is empty`);
  for (const [field, max] of Object.entries(MAX_LENGTH) as [LedgerImportField, number][]) {
    if (Array.from(text(field)).length > max) problem(field, 'too-long', `${field} is longer than ${max} characters`);
  }
  const issueDate = text('issueDate') === '' ? null : take('issueDate', parseDay(cell('issueDate'), 'issue date'));
  const expectedBackDate = text('expectedBackDate') === '' ? null : take('expectedBackDate', parseDay(cell('expectedBackDate'), 'expected-back date'));
  if (issueDate && expectedBackDate && daysBetween(issueDate, expectedBackDate) < 0) {
    problem('expectedBackDate', 'bad-date', `expected-back date ${expectedBackDate} is before the issue date ${issueDate}`);
  }
  const amount = text('amount') === '' ? null : take('amount', parseAmount(cell('amount')));
  const currency = text('currency') === '' ? (amount?.currency ?? null) : take('currency', parseCurrency(cell('currency')));
  let owner: string | null = null;
  if (text('owner') !== '') {
    owner = activeOwner(text('owner'));
    if (owner === null) problem('owner', 'unknown-owner', `owner "${text('owner')}" is not an active user of this archive`);
  }
  const custody = text('custody') === '' ? null : take('custody', parseCustody(cell('custody')));
  const exception = text('exception') === '' ? null : take('exception', parseException(cell('exception')));
  const mapped = new Set(positions.keys());
  if (problems.length > 0) return { line, values: null, mapped, problems };
  return {
    line,
    mapped,
    problems,
    values: {
      slipNo: slipNo!,
      customer: text('customer'),
      issueDate: issueDate!,
      expectedBackDate,
      amount: amount?.amount ?? null,
      currency,
      invoiceNo: text('invoiceNo') || null,
      owner,
      custody,
      exception,
      exceptionReason: exception ? text('exceptionReason') || null : null,
    },
  };
}

/** Every occurrence of a slip number the file has more than once is a bad row: which one is right is not ours to guess. */
function markDuplicates(rows: CheckedRow[]): void {
  const lines = new Map<string, number[]>();
  for (const row of rows) {
    const slip = row.values?.slipNo ?? row.problems[0]?.slipNo;
    if (slip) lines.set(slip, [...(lines.get(slip) ?? []), row.line]);
  }
  for (const row of rows) {
    const slip = row.values?.slipNo ?? row.problems[0]?.slipNo;
    const seen = slip ? lines.get(slip)! : [];
    if (seen.length < 2) continue;
    row.problems.push({
      line: row.line,
      slipNo: slip!,
      field: 'slipNo',
      problem: 'duplicate-slip',
      reason: `slip number ${slip} is in the file more than once (lines ${seen.join(', ')})`,
    });
    row.values = null;
  }
}

/** What the import does with a good row: the input it applies to the live row with its slip number, if any. */
interface Plan {
  row: CheckedRow;
  stored: StoredRow | undefined;
  before: RowState | null;
  after: RowState;
  changes: FieldChanges;
}

export class LedgerImporter {
  constructor(
    private readonly ledger: Ledger,
    private readonly mappings: LedgerMappings,
  ) {}

  private columnsFor(source: ImportSource, table: Table): LedgerMappingColumns {
    if (source.columns) return source.columns;
    if (source.mappingName) return this.mappings.get(source.mappingName).columns;
    return guessColumns(table.headers);
  }

  private check(table: Table, columns: LedgerMappingColumns): CheckedRow[] {
    const positions = new Map<LedgerImportField, number>();
    for (const [field, header] of Object.entries(columns) as [LedgerImportField, string][]) positions.set(field, table.headers.indexOf(header));
    const owners = new Map<string, string | null>();
    const activeOwner = (name: string) => {
      if (!owners.has(name)) {
        owners.set(
          name,
          (this.ledger.prepare('SELECT username FROM users WHERE lower(username) = lower(?) AND disabled = FALSE').pluck().get(name) as string) ?? null,
        );
      }
      return owners.get(name)!;
    };
    const rows = table.records.map((record) => checkRow(record.line, record.cells, positions, activeOwner));
    markDuplicates(rows);
    return rows;
  }

  private plan(row: CheckedRow, today: string): Plan {
    const values = row.values!;
    const stored = this.ledger.prepare(`SELECT ${ROW_COLUMNS} FROM ${ROW_FROM} WHERE r.slip_no = ? AND r.cancelled_at IS NULL`).get(values.slipNo) as
      StoredRow | undefined;
    const input: RowInput = { customer: values.customer, issueDate: values.issueDate };
    const give = <K extends keyof RowInput>(field: K & LedgerImportField, value: RowInput[K] | null) => {
      if (row.mapped.has(field) && (value !== null || !['expectedBackDate', 'custody'].includes(field))) input[field] = value as RowInput[K];
    };
    give('expectedBackDate', values.expectedBackDate);
    give('amount', values.amount);
    give('currency', values.currency);
    give('invoiceNo', values.invoiceNo);
    give('owner', values.owner);
    // A linked row's custody follows its document, whatever the export says.
    if (!stored?.document_id) give('custody', values.custody);
    give('exception', values.exception);
    give('exceptionReason', values.exceptionReason);
    const before = stored ? stateOf(stored) : null;
    const after = nextState(before, input, (customer) => this.ledger.deadlineDays(customer), today);
    return { row, stored, before, after, changes: changesBetween(before, after) };
  }

  private actionOf(plan: Plan): LedgerPreviewRow['action'] {
    if (!plan.stored) return 'create';
    return Object.keys(plan.changes).length > 0 ? 'update' : 'unchanged';
  }

  async preview(source: ImportSource, rows: number, today: string): Promise<LedgerImportPreview> {
    const table = await readTable(source.path, source);
    const columns = this.columnsFor(source, table);
    const missing = missingColumns(columns, table.headers);
    const checked = missing.length > 0 ? [] : this.check(table, columns);
    const problems = checked.flatMap((row) => row.problems);
    return {
      format: table.format,
      encoding: table.encoding,
      headers: table.headers,
      columns,
      missingColumns: missing,
      totalRows: table.records.length,
      goodRows: checked.filter((row) => row.values !== null).length,
      rows: checked.slice(0, rows).map((row) => ({
        line: row.line,
        values: row.values,
        action: row.values ? this.actionOf(this.plan(row, today)) : 'refused',
        problems: row.problems,
      })),
      problems,
    };
  }

  async import(source: ImportSource, goodRows: boolean, today: string): Promise<LedgerImportResult> {
    const table = await readTable(source.path, source);
    const columns = this.columnsFor(source, table);
    const missing = missingColumns(columns, table.headers);
    if (missing.length > 0) {
      const named = missing.map((field) => (columns[field] ? `${field} (column "${columns[field]}")` : field));
      throw new SlipVaultError('VALIDATION', `${source.path} has no column for ${named.join(', ')}; map it and import again. Nothing was imported.`, {
        missingColumns: missing,
        headers: table.headers,
      }).withMessage('ledger.columnsMissing', { columns: named.join(', ') });
    }
    const checked = this.check(table, columns);
    const problems = checked.flatMap((row) => row.problems);
    if (problems.length > 0 && !goodRows) {
      const shown = problems.slice(0, 5).map((problem) => `line ${problem.line}: ${problem.reason}`);
      const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
      const badRows = new Set(problems.map((problem) => problem.line)).size;
      throw new SlipVaultError(
        'VALIDATION',
        `${badRows} of ${checked.length} rows of ${source.path} cannot be imported, so nothing was imported: ${shown.join('; ')}${more}.`,
        { problems, totalRows: checked.length },
      ).withMessage('ledger.badRows', { rows: badRows, total: checked.length });
    }
    return this.ledger.transaction(() => {
      const plans = checked.filter((row) => row.values !== null).map((row) => this.plan(row, today));
      const writes = plans.filter((plan) => Object.keys(plan.changes).length > 0);
      const created = writes.filter((plan) => !plan.stored).length;
      const result: LedgerImportResult = {
        format: table.format,
        encoding: table.encoding,
        totalRows: checked.length,
        created,
        updated: writes.length - created,
        unchanged: plans.length - writes.length,
        skipped: problems,
        auditSeq: null,
      };
      if (writes.length === 0) return result;
      const changesDigest = createHash('sha256')
        .update(JSON.stringify(writes.map((plan) => [plan.row.values!.slipNo, plan.changes])))
        .digest('hex');
      const event = this.ledger.deps.audit.append({
        action: 'ledger.import',
        targetType: 'ledger-import',
        targetId: source.path,
        details: {
          format: table.format,
          encoding: table.encoding,
          columns,
          totalRows: result.totalRows,
          created: result.created,
          updated: result.updated,
          unchanged: result.unchanged,
          skippedLines: problems.map((problem) => problem.line),
          changesSha256: changesDigest,
        },
      });
      for (const plan of writes) {
        const id = this.ledger.writeState(plan.stored?.id ?? null, plan.row.values!.slipNo, plan.after);
        this.ledger.writeHistory(id, 'import', plan.changes, `line ${plan.row.line} of ${source.path}`, event.seq);
      }
      return { ...result, auditSeq: event.seq };
    });
  }
}
