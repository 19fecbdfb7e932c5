/**
 * Reads a spreadsheet export (an ERP's slips for the ledger, a CRM's customers) into a header row and records with their line numbers: CSV in UTF-8 (with or without
 * BOM) or GB18030/GBK (what Excel in China writes), or the first (or a named) sheet of an XLSX workbook.
 * Each kind of bad file gets its own message: empty, not an XLSX, an old .xls, a password-protected
 * workbook, text that is not in the encoding it is read with, text already mangled before export.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { SlipVaultError } from '../../../shared/errors';
import type { LedgerEncoding } from '../../../shared/model';
import { toStorageError } from '../fs-errors';
import { loadExcelJs } from '../lazy/exceljs';
import { sha256 } from '../store/blobs';

/** One cell as read: XLSX keeps numbers, dates and booleans typed; CSV cells are text. */
export type Cell = string | number | boolean | Date | null;

/** A cell as text: a date cell as its calendar day, everything NFKC-normalized (full-width digits) and trimmed. */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).normalize('NFKC').trim();
}

export interface SourceRecord {
  line: number;
  cells: Cell[];
}

export interface Table {
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'gb18030';
  headers: string[];
  records: SourceRecord[];
  /** Of the file's bytes, so an audit event can name exactly what was imported. */
  sha256: string;
}

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** Compound File Binary (OLE2): old .xls files, and the container Office wraps an encrypted workbook in. */
const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** What GBK bytes read as UTF-8 (or the reverse) typically turn into, when a file was mangled before export. */
const MOJIBAKE = /\uFFFD|锟斤拷|烫烫烫|â€/;

/** `key`: the message the UI shows (`tables.…`, with the file's name), `message` the English the CLI prints. */
function fileError(
  code: 'CORRUPT_FILE' | 'UNSUPPORTED_FILE' | 'VALIDATION',
  file: string,
  message: string,
  key: string,
  details: Record<string, unknown> = {},
) {
  return new SlipVaultError(code, message, { file, ...details }).withMessage(key, { file });
}

function decode(bytes: Buffer, encoding: LedgerEncoding, file: string): { text: string; encoding: 'utf-8' | 'gb18030' } {
  const hasBom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const body = hasBom ? bytes.subarray(3) : bytes;
  const tryDecode = (label: 'utf-8' | 'gb18030') => {
    try {
      return new TextDecoder(label, { fatal: true }).decode(body);
    } catch {
      return null;
    }
  };
  const asUtf8 = tryDecode('utf-8');
  let chosen: { text: string; encoding: 'utf-8' | 'gb18030' };
  if (encoding === 'gb18030') {
    // Valid UTF-8 with non-ASCII text read as GB18030 turns into mojibake (华南 → 鍗庡崡): refuse rather than store it.
    if (hasBom || (asUtf8 !== null && /[^\p{ASCII}]/u.test(asUtf8))) {
      throw fileError('VALIDATION', file, `${file} is UTF-8, not GB18030: read it with the encoding utf-8 (or auto).`, 'tables.utf8NotGb', {
        encoding: 'utf-8',
      });
    }
    const text = tryDecode('gb18030');
    if (text === null) throw fileError('VALIDATION', file, `${file} is not valid GB18030/GBK text.`, 'tables.notGb', { encoding });
    chosen = { text, encoding: 'gb18030' };
  } else if (asUtf8 !== null) {
    chosen = { text: asUtf8, encoding: 'utf-8' };
  } else if (encoding === 'utf-8' || hasBom) {
    throw fileError(
      'VALIDATION',
      file,
      `${file} is not valid UTF-8 text; if Excel saved it in China it is probably GB18030/GBK (encoding gb18030).`,
      'tables.notUtf8',
      {
        encoding: 'utf-8',
      },
    );
  } else {
    const text = tryDecode('gb18030');
    if (text === null)
      throw fileError('VALIDATION', file, `${file} is neither UTF-8 nor GB18030/GBK text; export it again as CSV UTF-8.`, 'tables.unknownEncoding', {
        encoding,
      });
    chosen = { text, encoding: 'gb18030' };
  }
  const mangled = MOJIBAKE.exec(chosen.text);
  if (mangled) {
    throw fileError(
      'VALIDATION',
      file,
      `${file} contains garbled text ("${mangled[0]}") read as ${chosen.encoding}: it was saved in another encoding, or damaged before export.`,
      'tables.garbled',
      {
        encoding: chosen.encoding,
      },
    );
  }
  return chosen;
}

/** The separator of the header line: ERP exports use commas, semicolons or tabs. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((delimiter) => [delimiter, header.split(delimiter).length - 1] as const);
  return counts.reduce((best, candidate) => (candidate[1] > best[1] ? candidate : best))[0];
}

function readCsv(bytes: Buffer, encoding: LedgerEncoding, file: string): Omit<Table, 'sha256'> {
  const decoded = decode(bytes, encoding, file);
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(decoded.text, {
      delimiter: delimiterOf(decoded.text),
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    throw fileError('CORRUPT_FILE', file, `${file} is not a readable CSV file: ${(error as Error).message}`, 'tables.badCsv');
  }
  const [header, ...rows] = parsed;
  if (!header) throw fileError('VALIDATION', file, `${file} has no rows.`, 'tables.noRows');
  // A record spanning lines (a quoted line break) is numbered by the line it starts on.
  const firstLine = ({ record, info }: (typeof parsed)[number]) => info.lines - record.reduce((sum, value) => sum + (value.match(/\r?\n/g)?.length ?? 0), 0);
  return {
    format: 'csv',
    encoding: decoded.encoding,
    headers: header.record.map((name) => name.normalize('NFKC').trim()),
    records: rows.map((row) => ({ line: firstLine(row), cells: row.record })),
  };
}

function cellOf(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellOf(value.result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return null;
  return null;
}

async function readXlsx(bytes: Buffer, file: string, sheetName: string | undefined): Promise<Omit<Table, 'sha256'>> {
  const workbook = new (await loadExcelJs()).Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw fileError('CORRUPT_FILE', file, `${file} is not a readable XLSX workbook: ${(error as Error).message}`, 'tables.badXlsx');
  }
  const sheet = sheetName ? workbook.getWorksheet(sheetName) : workbook.worksheets[0];
  if (!sheet) {
    const names = workbook.worksheets.map((candidate) => candidate.name);
    throw fileError(
      'VALIDATION',
      file,
      sheetName ? `${file} has no sheet "${sheetName}" (it has ${names.join(', ')}).` : `${file} has no worksheet.`,
      'tables.noSheet',
      {
        sheets: names,
      },
    );
  }
  let headers: string[] | null = null;
  const records: SourceRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[];
    // ExcelJS numbers columns from 1: index 0 of values is always empty.
    const cells = values.slice(1).map(cellOf);
    if (cells.every((cell) => cell === null || String(cell).trim() === '')) return;
    if (headers === null) headers = cells.map((cell) => (cell === null ? '' : String(cell).normalize('NFKC').trim()));
    else records.push({ line: rowNumber, cells });
  });
  if (headers === null) throw fileError('VALIDATION', file, `${file} has no rows on the sheet ${sheet.name}.`, 'tables.sheetEmpty');
  return { format: 'xlsx', encoding: 'utf-8', headers, records };
}

/** Office's encrypted package: an OLE container holding the stream "EncryptedPackage". */
function isEncryptedOffice(bytes: Buffer): boolean {
  return bytes.includes(Buffer.from('EncryptedPackage', 'utf16le'));
}

export async function readTable(path: string, options: { encoding: LedgerEncoding; sheet?: string | undefined }): Promise<Table> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new SlipVaultError('FILE_NOT_FOUND', `${path} does not exist.`, { file: path }).withMessage('files.missing', { file: path });
    if (code === 'EISDIR')
      throw new SlipVaultError('VALIDATION', `${path} is a folder; choose a CSV or XLSX file.`, { file: path }).withMessage('tables.isFolder', { file: path });
    throw toStorageError(error, `Could not read ${path}`);
  }
  const extension = extname(path).toLowerCase();
  const body = bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
  if (body.toString('latin1').trim() === '') throw fileError('VALIDATION', path, `${path} is empty.`, 'tables.empty');
  if (bytes.subarray(0, 8).equals(OLE_SIGNATURE)) {
    if (isEncryptedOffice(bytes)) {
      throw fileError(
        'UNSUPPORTED_FILE',
        path,
        `${path} is a password-protected workbook: open it in Excel, remove the password (File → Info → Protect Workbook) and save it again.`,
        'tables.encrypted',
        {
          reason: 'encrypted',
        },
      );
    }
    throw fileError('UNSUPPORTED_FILE', path, `${path} is an old Excel 97–2003 (.xls) workbook: save it as .xlsx or export it as CSV.`, 'tables.xls', {
      reason: 'xls',
    });
  }
  if (bytes.subarray(0, 4).equals(ZIP_SIGNATURE)) return { ...(await readXlsx(bytes, path, options.sheet)), sha256: sha256(bytes) };
  if (extension === '.xlsx' || extension === '.xlsm') {
    throw fileError('UNSUPPORTED_FILE', path, `${path} is not an XLSX workbook (an .xlsx file is a ZIP package; this one is not).`, 'tables.notXlsx', {
      reason: 'not-xlsx',
    });
  }
  if (bytes.subarray(0, 1024).includes(0))
    throw fileError('UNSUPPORTED_FILE', path, `${path} is neither a CSV text file nor an XLSX workbook.`, 'tables.notATable');
  return { ...readCsv(bytes, options.encoding, path), sha256: sha256(bytes) };
}
