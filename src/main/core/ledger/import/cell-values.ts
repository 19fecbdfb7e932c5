/**
 * Cell values of an ERP export as the ledger stores them: dates (Excel date cells and serial numbers,
 * 2026-03-05, 2026/3/5, 2026.3.5, 20260305, 2026年3月5日), amounts (thousands separators, ¥ / RMB, full-width
 * digits), currencies (ISO codes and their Chinese names), custody steps and exceptions (codes or Chinese).
 * Each parser returns a value or a problem naming the cell's text.
 */
import { CUSTODY_STEPS, LEDGER_EXCEPTIONS, type CustodyStep, type LedgerException, type LedgerRowProblemCode } from '../../../../shared/model';
import { cellText, type Cell } from '../../tables/read-table';
import { formatDay, isCalendarDay } from '../days';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: LedgerRowProblemCode; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(problem: LedgerRowProblemCode, reason: string): Parsed<T> => ({ ok: false, problem, reason });

/** Days from Excel's day 0 (1899-12-30, which absorbs Lotus's 1900 leap-year bug) to 1970-01-01. */
const EXCEL_EPOCH_OFFSET = 25_569;
/** Serial numbers of 1954-10-05 … 2173-10-14: a bare number outside is not taken for a date. */
const SERIAL_RANGE = [20_000, 100_000] as const;

const DATE_TEXTS = [
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];

export function parseDay(cell: Cell, what: string): Parsed<string> {
  if (cell instanceof Date) {
    // Excel date cells carry no zone; the reader hands them over as UTC midnight of the day shown.
    if (Number.isNaN(cell.getTime())) return bad('bad-date', `${what} is not a date`);
    return ok(formatDay(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate()));
  }
  if (typeof cell === 'number') {
    if (!Number.isInteger(cell) || cell < SERIAL_RANGE[0] || cell > SERIAL_RANGE[1]) return bad('bad-date', `${what} ${cell} is not a date`);
    return ok(new Date((cell - EXCEL_EPOCH_OFFSET) * 86_400_000).toISOString().slice(0, 10));
  }
  const text = cellText(cell);
  if (/^\d{5}$/.test(text)) return parseDay(Number(text), what);
  for (const pattern of DATE_TEXTS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (!isCalendarDay(year, month, day)) return bad('bad-date', `${what} "${text}" is not a real calendar day`);
    return ok(formatDay(year, month, day));
  }
  return bad('bad-date', `${what} "${text}" is not a date (write 2026-03-05, 2026/3/5 or 2026年3月5日)`);
}

const CURRENCY_MARKS: [RegExp, string][] = [
  [/^(¥|￥|RMB|CNY|人民币|元)|(元|RMB|CNY)$/i, 'CNY'],
  [/^(US\$|\$|USD)|(USD|美元)$/i, 'USD'],
  [/^(HK\$|HKD)|(HKD|港币|港元)$/i, 'HKD'],
  [/^(€|EUR)|(EUR|欧元)$/i, 'EUR'],
];

/** An amount as decimal text with two places, and the currency its symbol implies, if any. */
export function parseAmount(cell: Cell): Parsed<{ amount: string; currency: string | null }> {
  let currency: string | null = null;
  let text = typeof cell === 'number' ? String(cell) : cellText(cell);
  for (const [mark, code] of CURRENCY_MARKS) {
    if (mark.test(text)) {
      currency = code;
      text = text.replace(mark, '').trim();
      break;
    }
  }
  text = text.replace(/[,\s]/g, '');
  const negative = /^-/.test(text) || /^\(.*\)$/.test(text);
  const digits = text.replace(/^-|^\(|\)$/g, '');
  if (!/^\d+(\.\d+)?$/.test(digits)) return bad('bad-amount', `amount "${cellText(cell)}" is not a number`);
  if (negative && Number(digits) !== 0) return bad('negative-amount', `amount ${cellText(cell)} is negative; a slip's amount is never below 0`);
  const [whole = '0', fraction = ''] = digits.split('.');
  if (fraction.replace(/0+$/, '').length > 2) return bad('bad-amount', `amount ${cellText(cell)} has more than 2 decimals`);
  if (whole.replace(/^0+(?=\d)/, '').length > 13) return bad('bad-amount', `amount ${cellText(cell)} is too large`);
  return ok({ amount: `${whole.replace(/^0+(?=\d)/, '')}.${fraction.slice(0, 2).padEnd(2, '0')}`, currency });
}

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const CURRENCY_NAMES: Record<string, string> = { 人民币: 'CNY', RMB: 'CNY', 元: 'CNY', 美元: 'USD', 港币: 'HKD', 港元: 'HKD', 欧元: 'EUR', 日元: 'JPY' };

export function parseCurrency(cell: Cell): Parsed<string> {
  const text = cellText(cell).toUpperCase();
  const code = CURRENCY_NAMES[text] ?? text;
  if (!/^[A-Z]{3}$/.test(code) || !KNOWN_CURRENCIES.has(code)) return bad('unknown-currency', `currency "${cellText(cell)}" is not a known currency code`);
  return ok(code);
}

const CUSTODY_NAMES: Record<string, CustodyStep> = {
  已发出: 'sent',
  已发货: 'sent',
  未签收: 'sent',
  客户已签收: 'signed_at_customer',
  已签收: 'signed_at_customer',
  已回分部: 'back_at_branch',
  已回网点: 'back_at_branch',
  已回公司: 'at_office',
  已收回: 'at_office',
  已归档: 'filed',
};

export function parseCustody(cell: Cell): Parsed<CustodyStep> {
  const text = cellText(cell);
  const code = text.toLowerCase().replace(/[\s-]+/g, '_');
  if ((CUSTODY_STEPS as readonly string[]).includes(code)) return ok(code as CustodyStep);
  const named = CUSTODY_NAMES[text];
  return named ? ok(named) : bad('unknown-custody', `custody "${text}" is not one of ${CUSTODY_STEPS.join(', ')}`);
}

const EXCEPTION_NAMES: Record<string, LedgerException> = {
  丢失: 'lost',
  遗失: 'lost',
  争议: 'disputed',
  有争议: 'disputed',
  拒签: 'refused',
  部分: 'partial',
  部分签收: 'partial',
  签章问题: 'signature_problem',
  签名问题: 'signature_problem',
};

export function parseException(cell: Cell): Parsed<LedgerException> {
  const text = cellText(cell);
  const code = text.toLowerCase().replace(/[\s-]+/g, '_');
  if ((LEDGER_EXCEPTIONS as readonly string[]).includes(code)) return ok(code as LedgerException);
  const named = EXCEPTION_NAMES[text];
  return named ? ok(named) : bad('unknown-exception', `exception "${text}" is not one of ${LEDGER_EXCEPTIONS.join(', ')}`);
}
