/**
 * Reads a CSV file as RFC 4180 writes it (quoted fields may hold commas, quotes doubled, line breaks), in
 * UTF-8 or GB18030 — what Excel and Chinese CRMs save. The encoding is detected when not given: a file that
 * is valid UTF-8 is read as UTF-8, anything else as GB18030 (a superset of GBK and GB2312).
 */
import { SlipVaultError } from '../../../shared/errors';

export type CsvEncoding = 'utf-8' | 'gb18030';

export function decodeCsv(bytes: Uint8Array, encoding?: CsvEncoding): { text: string; encoding: CsvEncoding } {
  const chosen = encoding ?? (isUtf8(bytes) ? 'utf-8' : 'gb18030');
  try {
    const text = new TextDecoder(chosen, { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ''), encoding: chosen };
  } catch {
    throw new SlipVaultError('FILE_UNREADABLE', `The file is not valid ${chosen.toUpperCase()} text; choose the encoding it was saved in.`, {
      encoding: chosen,
    });
  }
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Records of fields; a record's line is where it starts (1-based), so errors can name it. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let at = 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  while (at < text.length) {
    const char = text[at]!;
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') {
        field += '"';
        at += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else {
        if (char === '\n') line += 1;
        field += char;
      }
      at += 1;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[at + 1] === '\n') at += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else field += char;
    at += 1;
  }
  if (quoted)
    throw new SlipVaultError('VALIDATION', `The CSV file has a quoted field opened on line ${recordLine} that is never closed.`, { line: recordLine });
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}
