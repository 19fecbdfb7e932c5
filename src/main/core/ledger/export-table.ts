/**
 * Any ledger list or report as a file: CSV (RFC 4180, UTF-8 with a byte order mark so Excel reads Chinese)
 * or XLSX (dates as date cells, amounts as numbers). Column headers are the contract's field names, which
 * docs/ledger.md explains; the same names an import maps, so an export can be edited and imported again.
 */
import type { ExportedFile, LedgerReport, LedgerRow, ReturnRateLine } from '../../../shared/model';
import { CSV_BOM, csvRecord } from '../audit/csv';
import { loadExcelJs } from '../lazy/exceljs';

type Value = string | number | null;
export interface ExportTable {
  name: string;
  columns: string[];
  /** Which columns hold calendar days and which amounts, for XLSX cell types. */
  dateColumns: string[];
  numberColumns: string[];
  rows: Value[][];
}

const ROW_COLUMNS = [
  'slipNo',
  'customer',
  'issueDate',
  'expectedBackDate',
  'daysOverdue',
  'bucket',
  'amount',
  'currency',
  'invoiceNo',
  'owner',
  'custody',
  'returnedOn',
  'archiveNo',
  'exception',
  'exceptionReason',
] as const satisfies readonly (keyof LedgerRow)[];

export function rowsTable(name: string, rows: LedgerRow[]): ExportTable {
  return {
    name,
    columns: [...ROW_COLUMNS],
    dateColumns: ['issueDate', 'expectedBackDate', 'returnedOn'],
    numberColumns: ['amount', 'daysOverdue'],
    rows: rows.map((row) => ROW_COLUMNS.map((column) => row[column])),
  };
}

const RATE_COLUMNS = ['key', 'issued', 'returned', 'rate', 'medianDaysToReturn'] as const satisfies readonly (keyof ReturnRateLine)[];

export function reportTable(report: LedgerReport): ExportTable {
  if ('rows' in report) return rowsTable(report.kind, report.rows);
  return {
    name: report.kind,
    columns: [...RATE_COLUMNS],
    dateColumns: [],
    numberColumns: ['issued', 'returned', 'rate', 'medianDaysToReturn'],
    rows: report.lines.map((line) => RATE_COLUMNS.map((column) => line[column])),
  };
}

function toCsv(table: ExportTable): string {
  return CSV_BOM + csvRecord(table.columns) + table.rows.map((row) => csvRecord(row.map((value) => (value === null ? '' : String(value))))).join('');
}

async function toXlsx(table: ExportTable): Promise<Buffer> {
  const workbook = new (await loadExcelJs()).Workbook();
  workbook.creator = 'SlipVault';
  const sheet = workbook.addWorksheet(table.name.slice(0, 31));
  sheet.columns = table.columns.map((column) => ({
    header: column,
    key: column,
    width: Math.max(12, column.length + 2),
    ...(table.dateColumns.includes(column) ? { style: { numFmt: 'yyyy-mm-dd' } } : {}),
  }));
  for (const row of table.rows) {
    sheet.addRow(
      row.map((value, index) => {
        const column = table.columns[index]!;
        if (value === null) return null;
        if (table.dateColumns.includes(column)) return new Date(`${String(value)}T00:00:00Z`);
        if (table.numberColumns.includes(column)) return Number(value);
        return value;
      }),
    );
  }
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function exportTable(table: ExportTable, format: 'csv' | 'xlsx', asOf: string): Promise<ExportedFile> {
  const filename = `ledger-${table.name}-${asOf}.${format}`;
  if (format === 'csv') {
    return { filename, mime: 'text/csv; charset=utf-8', base64: Buffer.from(toCsv(table), 'utf8').toString('base64'), rows: table.rows.length };
  }
  return {
    filename,
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: (await toXlsx(table)).toString('base64'),
    rows: table.rows.length,
  };
}
