/**
 * CSV as RFC 4180 writes it: records end in CRLF; a field holding a comma, a double quote, CR or LF is put in
 * double quotes, with each double quote inside doubled. Files start with a UTF-8 byte order mark, without
 * which Excel reads UTF-8 as the local code page and shows Chinese as mojibake.
 */
export const CSV_BOM = '\uFEFF';

/**
 * Spreadsheet programs run a cell that starts with one of these as a formula (=HYPERLINK(…) in a user name
 * would be a live link); a leading apostrophe makes them show it as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
