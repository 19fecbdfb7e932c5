/**
 * The search query language (README "Search"): words, "exact phrases", -exclude, prefix*, fields
 * (customer: type: tag: status: slip: signer:), ranges date:A..B and amount:>N, and sort:. The parser never
 * builds SQL: it returns plain data, and a malformed query is a VALIDATION error that quotes the bad part
 * and gives its position.
 */
import { SlipVaultError } from '../../../shared/errors';
import { DOCUMENT_STATUSES, type DocumentStatus } from '../../../shared/model';

export const TEXT_FIELDS = ['customer', 'tag', 'slip', 'signer'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export const SORTS = ['relevance', 'date', 'date-asc'] as const;
export type SearchSort = (typeof SORTS)[number];

/** Filters on the records of issue 18 (core/records.ts): where the paper is, and the authorization check. */
export const RECORD_FIELDS = ['auth', 'location'] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];
const AUTH_VALUES = ['green', 'amber', 'red', 'draft', 'active', 'expiring', 'expired', 'revoked', 'superseded'] as const;

const KNOWN_FIELDS = [...TEXT_FIELDS, 'type', 'status', 'date', 'amount', 'sort', ...RECORD_FIELDS] as const;

export interface TextTerm {
  text: string;
  prefix: boolean;
  negated: boolean;
  /** Limits the term to one field; absent = any indexed text. */
  field?: TextField;
}

export interface DateRange {
  /** Inclusive YYYY-MM-DD bounds; either may be absent. */
  from?: string;
  to?: string;
}

export interface AmountCondition {
  op: '>' | '>=' | '<' | '<=' | '=';
  /** In minor units (cents / fen). */
  minor: number;
}

export interface ParsedQuery {
  terms: TextTerm[];
  types: { code: string; negated: boolean }[];
  statuses: { status: DocumentStatus; negated: boolean }[];
  dates: DateRange[];
  amounts: AmountCondition[];
  records: { field: RecordField; value: string; negated: boolean }[];
  /**
   * Bare words written as an amount (12089.63, 12,089.63, 12089.6): a document matches when its amount is
   * that value or its text holds the word, so a clerk can type what the slip says without `amount:`.
   */
  plainAmounts: PlainAmount[];
  sort?: SearchSort;
}

export interface PlainAmount {
  text: string;
  /** In minor units (cents / fen). */
  minor: number;
}

export const MAX_QUERY_LENGTH = 1000;
const MAX_TERMS = 32;

function fail(query: string, start: number, end: number, problem: string): never {
  const bad = query.slice(start, end);
  throw new SlipVaultError('VALIDATION', `Search query problem at character ${start + 1} ("${bad}"): ${problem}`, {
    query,
    start,
    end,
  }).withMessage('search.syntax', { position: start + 1, text: bad });
}

interface RawToken {
  negated: boolean;
  field?: string;
  value: string;
  quoted: boolean;
  start: number;
  end: number;
}

const isSpace = (char: string) => /\s/u.test(char);

function tokenize(query: string): RawToken[] {
  const tokens: RawToken[] = [];
  let at = 0;
  while (at < query.length) {
    if (isSpace(query[at]!)) {
      at += 1;
      continue;
    }
    const start = at;
    let negated = false;
    if (query[at] === '-' && at + 1 < query.length && !isSpace(query[at + 1]!)) {
      negated = true;
      at += 1;
    }
    let field: string | undefined;
    const fieldMatch = /^([A-Za-z]+):/.exec(query.slice(at));
    if (fieldMatch) {
      field = fieldMatch[1]!.toLowerCase();
      at += fieldMatch[0].length;
    }
    if (query[at] === '"') {
      const close = query.indexOf('"', at + 1);
      if (close < 0) fail(query, at, query.length, 'this quote is never closed; end the phrase with another ".');
      let end = close + 1;
      const value = query.slice(at + 1, close);
      // A star right after the closing quote makes the phrase's last word a prefix.
      const star = query[end] === '*';
      if (star) end += 1;
      if (end < query.length && !isSpace(query[end]!)) fail(query, start, end + 1, 'put a space after the closing quote.');
      tokens.push({ negated, ...(field ? { field } : {}), value: star ? `${value}*` : value, quoted: true, start, end });
      at = end;
      continue;
    }
    let end = at;
    while (end < query.length && !isSpace(query[end]!)) end += 1;
    const value = query.slice(at, end);
    if (field !== undefined && value === '') fail(query, start, end, `${field}: needs a value right after the colon, e.g. ${field}:value.`);
    tokens.push({ negated, ...(field ? { field } : {}), value, quoted: false, start, end });
    at = end;
  }
  return tokens;
}

const DATE_PART = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A date, month or year as its first or last day. */
function dateBound(query: string, token: RawToken, text: string, end: 'first' | 'last'): string {
  const match = DATE_PART.exec(text);
  if (!match) fail(query, token.start, token.end, `"${text}" is not a date; write YYYY-MM-DD, YYYY-MM or YYYY, e.g. date:2026-01-01..2026-03-31.`);
  const year = Number(match[1]);
  const month = match[2] === undefined ? undefined : Number(match[2]);
  const day = match[3] === undefined ? undefined : Number(match[3]);
  if (month !== undefined && (month < 1 || month > 12)) fail(query, token.start, token.end, `${text} has no month ${match[2]}.`);
  if (month !== undefined && day !== undefined && (day < 1 || day > daysInMonth(year, month))) {
    fail(query, token.start, token.end, `${text} is not a real calendar date.`);
  }
  const m = month ?? (end === 'first' ? 1 : 12);
  const d = day ?? (end === 'first' ? 1 : daysInMonth(year, m));
  return `${match[1]}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function parseDate(query: string, token: RawToken): DateRange {
  const parts = token.value.split('..');
  if (parts.length > 2) fail(query, token.start, token.end, 'a date range has one "..", e.g. date:2026-01-01..2026-03-31.');
  if (parts.length === 1) return { from: dateBound(query, token, parts[0]!, 'first'), to: dateBound(query, token, parts[0]!, 'last') };
  const [from, to] = parts as [string, string];
  if (from === '' && to === '') fail(query, token.start, token.end, 'give at least one end of the date range.');
  const range: DateRange = {};
  if (from !== '') range.from = dateBound(query, token, from, 'first');
  if (to !== '') range.to = dateBound(query, token, to, 'last');
  if (range.from && range.to && range.from > range.to) fail(query, token.start, token.end, `the range starts after it ends (${range.from} > ${range.to}).`);
  return range;
}

const AMOUNT = /^\d{1,13}(?:\.\d{1,2})?$/;
/**
 * What reads as an amount without `amount:`: decimals, or thousands separators. A bare whole number is left
 * as a word, because slip numbers, years and postcodes are whole numbers too.
 */
const PLAIN_AMOUNT = /^(?:\d{1,13}\.\d{1,2}|\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?)$/;

function toMinor(query: string, token: RawToken, text: string): number {
  const plain = text.replace(/,/g, '');
  if (!AMOUNT.test(plain))
    fail(query, token.start, token.end, `"${text}" is not an amount; write a number with at most 2 decimals, e.g. amount:>1000 or amount:100..250.50.`);
  const [whole, fraction = ''] = plain.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

function parseAmount(query: string, token: RawToken): AmountCondition[] {
  const range = token.value.split('..');
  if (range.length === 2) {
    const conditions: AmountCondition[] = [];
    if (range[0] !== '') conditions.push({ op: '>=', minor: toMinor(query, token, range[0]!) });
    if (range[1] !== '') conditions.push({ op: '<=', minor: toMinor(query, token, range[1]!) });
    if (conditions.length === 0) fail(query, token.start, token.end, 'give at least one end of the amount range.');
    return conditions;
  }
  const match = /^(>=|<=|>|<|=)?(.*)$/.exec(token.value)!;
  return [{ op: (match[1] ?? '=') as AmountCondition['op'], minor: toMinor(query, token, match[2]!) }];
}

export function parseQuery(query: string): ParsedQuery {
  if (query.length > MAX_QUERY_LENGTH) fail(query, MAX_QUERY_LENGTH, query.length, `a query can be at most ${MAX_QUERY_LENGTH} characters long.`);
  const parsed: ParsedQuery = { terms: [], types: [], statuses: [], dates: [], amounts: [], records: [], plainAmounts: [] };
  for (const token of tokenize(query)) {
    const { field, negated } = token;
    if (field === undefined || (TEXT_FIELDS as readonly string[]).includes(field)) {
      const prefix = token.value.endsWith('*');
      const text = prefix ? token.value.replace(/\*+$/, '') : token.value;
      if (text.includes('*')) fail(query, token.start, token.end, 'a * only makes a prefix at the end of a word, e.g. SO-2026-04*.');
      if (text.trim() === '') {
        if (token.quoted || prefix) fail(query, token.start, token.end, 'there is nothing to search for here.');
        continue;
      }
      if (field === undefined && !negated && !prefix && !token.quoted && PLAIN_AMOUNT.test(text)) {
        parsed.plainAmounts.push({ text, minor: toMinor(query, token, text) });
        continue;
      }
      parsed.terms.push({ text, prefix, negated, ...(field ? { field: field as TextField } : {}) });
      if (parsed.terms.length > MAX_TERMS) fail(query, token.start, token.end, `a query can have at most ${MAX_TERMS} words and phrases.`);
      continue;
    }
    if (!(KNOWN_FIELDS as readonly string[]).includes(field)) {
      fail(
        query,
        token.start,
        token.end,
        `there is no field "${field}:". Fields: ${KNOWN_FIELDS.map((known) => `${known}:`).join(' ')}. To search for the text itself, put it in quotes.`,
      );
    }
    if (field === 'type') {
      parsed.types.push({ code: token.value.toLowerCase(), negated });
    } else if (field === 'status') {
      const status = token.value.toLowerCase();
      if (!(DOCUMENT_STATUSES as readonly string[]).includes(status)) {
        fail(query, token.start, token.end, `status is one of ${DOCUMENT_STATUSES.join(', ')}.`);
      }
      parsed.statuses.push({ status: status as DocumentStatus, negated });
    } else if (field === 'auth') {
      const value = token.value.toLowerCase();
      if (!(AUTH_VALUES as readonly string[]).includes(value)) fail(query, token.start, token.end, `auth: is one of ${AUTH_VALUES.join(', ')}.`);
      parsed.records.push({ field, value, negated });
    } else if (field === 'location') {
      parsed.records.push({ field, value: token.value, negated });
    } else {
      if (negated) fail(query, token.start, token.end, `${field}: cannot be excluded with "-".`);
      if (field === 'date') parsed.dates.push(parseDate(query, token));
      else if (field === 'amount') parsed.amounts.push(...parseAmount(query, token));
      else {
        const sort = token.value.toLowerCase();
        if (!(SORTS as readonly string[]).includes(sort)) fail(query, token.start, token.end, `sort is one of ${SORTS.join(', ')}.`);
        parsed.sort = sort as SearchSort;
      }
    }
  }
  return parsed;
}
