/**
 * Finds the slip's total: amounts on a line labelled 合计 / 总计 / TOTAL / AMOUNT DUE … rank first,
 * sub-totals, tax, change and cash tendered rank low; with no label the largest amount is likeliest.
 * The amount in capital numerals (大写金额), where a slip has one, settles it.
 * The currency comes from symbols and codes near the amounts (¥ / CNY / RMB / 元 / RM / $).
 */
import { findCapitalAmounts } from './capital-amount';
import type { Candidate } from './dates';
import { holdsTax, includedTax, taxSummaryGross, type IncludedTax } from './tax-summary';

// A decimal comma ("101,00") is how many tills print, and how OCR often reads a faint point. OCR also
// splits a figure after its point ("¥24,390. 11"): joined only when a currency or thousands grouping
// shows it is money. A figure followed by ".dd" is part of a date (2025.12.27) or a version, not money.
const AMOUNT = /(?<![\d.,])(?:([¥￥$]|RM|CNY|RMB|MYR|USD|SGD|S\$)\s*)?(\d{1,3}(?:[,，] ?\d{3})+(?=[.．·])|\d+)[.．·,]( ?)(\d{2})(?![\d%]|[.．]\d)(\s*元)?/gi;
/** A figure split after its point is money only when a currency or thousands grouping shows it is. */
const isMoney = (match: RegExpMatchArray) => match[3] === '' || match[1] !== undefined || /[,，]/.test(match[2]!);
/**
 * Thermal print fades first in its smallest marks: the point of a total's figure goes unread ("TOTAL 39 00").
 * At the end of a line labelled as the total, with no other figure on it, a number and two digits after a
 * space are read as that amount, a little less surely than a figure whose point was seen.
 */
const LOST_POINT = /(?<![\d.,])(\d{1,6}) (\d{2})\s*$/;
const LOST_POINT_PENALTY = 0.1;
/** Money handed over, and money handed back: tendered − change is the total actually paid. */
const TENDERED = /(CASH|TENDER|RECEIVED|PAID|PAYMENT|现\s*金|实\s*收)/i;
const CHANGE = /(CHANGE|找\s*零)/i;
/** The floor of every suggestion's confidence, as the date extractor's. */
const MIN_CONFIDENCE = 0.05;
/** Cash totals are rounded to 5 cents (sen) and printed after the exact total. */
const MAX_ROUNDING = 0.04;
/** How likely an amount on this line is the slip's total, judged by the line's label; null: no label. */
const LINE_LABELS: { pattern: RegExp; weight: number }[] = [
  // Amounts that are not the total even though the line says "total".
  {
    pattern:
      /(EXCL|0%\s*SUPPL|6%\s*SUPPL|TOTAL\s*(GST|TAX)(?!\s*INCL)|TOTAL\s*(QTY|QUANTITY|ITEMS?|DISC|SAVING)|INCLUDED\s*IN\s*TOTAL|TOTAL\s*INCLUDES|(GST|SST|TAX)\s*TOTAL|不超过|数\s*量)/i,
    weight: 0.25,
  },
  // The amount to pay, however the till words it; tills abbreviate AMOUNT to AMT ("NET AMT", "TOTAL AMT").
  {
    pattern:
      /(GRAND\s*TOTAL|TOTAL\s*(AMOUNT|AMT|PAYABLE|DUE|ROUNDED|SALES\s*\(?INCL|\(?\s*INCL|\(?\s*GST\s*INCL)|(AMOUNT|AMT)\s*(DUE|PAYABLE)|NETT?\s*(AMOUNT|AMT|TOTAL)|合\s*计\s*金\s*额|总\s*计|总\s*金\s*额|应\s*付|实\s*付|小\s*写|代收货款|COD\s*AMOUNT)/i,
    weight: 0.92,
  },
  { pattern: /(SUB\s*-?\s*TOTAL|小\s*计)/i, weight: 0.45 },
  { pattern: /(合\s*计|总\s*额|\bTOTAL\b|\bJUMLAH\b)/i, weight: 0.85 },
  { pattern: /(CASH|PAYMENT|CREDIT|TENDER|VISA|MASTER|PAID|现\s*金)/i, weight: 0.3 },
  { pattern: /(CHANGE|找\s*零|ROUND|DISC|折\s*扣|GST|SST|TAX|税|单\s*价|PRICE|TIME|时\s*间)/i, weight: 0.12 },
];

function labelWeight(line: string): number | null {
  for (const { pattern, weight } of LINE_LABELS) if (pattern.test(line)) return weight;
  return null;
}

/**
 * How sure a currency marker is of its currency. Codes and 元 name one currency. ¥ / ￥ mean yuan or yen, but
 * yen has no minor unit, so a ¥ figure with two decimals (the only kind AMOUNT finds) is yuan; $ is shared by
 * the dollars of many countries.
 */
function markerConfidence(symbol: string | undefined): number {
  return symbol === '$' ? 0.6 : 0.75;
}

/** A line that names the currency outright ("币种：人民币", "Currency: CNY") settles it. */
const CURRENCY_LABEL = /(?:币\s*种|币\s*别|货\s*币|\bCURRENCY\b)[^\n]{0,16}?(人民币|RMB|CNY|美元|USD|MYR|SGD)/i;
const LABELLED_CURRENCY: Record<string, string> = { 人民币: 'CNY', RMB: 'CNY', CNY: 'CNY', 美元: 'USD', USD: 'USD', MYR: 'MYR', SGD: 'SGD' };
const LABELLED_CONFIDENCE = 0.9;

function currencyCode(symbol: string | undefined, tail: string | undefined): string | null {
  if (tail) return 'CNY';
  if (!symbol) return null;
  const upper = symbol.toUpperCase();
  if (upper === '¥' || upper === '￥' || upper === 'CNY' || upper === 'RMB') return 'CNY';
  if (upper === 'RM' || upper === 'MYR') return 'MYR';
  if (upper === 'S$' || upper === 'SGD') return 'SGD';
  if (upper === '$' || upper === 'USD') return 'USD';
  return null;
}

const cents = (value: number) => Math.round(value * 100);

/** The confidence of a total two independent figures agree on. */
const CONFIRMED = 0.93;

function confirm(candidate: Candidate): void {
  candidate.confidence = Math.max(candidate.confidence, CONFIRMED);
}

/** The confidence of a total three figures agree on: cash, change and the tax it includes. */
const PAID_WITH_TAX = 0.96;

/**
 * Two checks that need no label at all, so they survive a misread "TOTAL" figure: an amount equal to
 * cash tendered minus change given is what was paid; an amount up to 4 cents from a labelled total,
 * a multiple of 5 cents and printed after it, is that total rounded for cash payment.
 * With no change given the cash is the exact total, but it is one figure alone: it confirms the total
 * only where the same amount is printed elsewhere too (an item line, the tax summary's total).
 * Cash minus change printed nowhere is the total when the tax the receipt says the total includes
 * ("GST @6% included in total 1.43") is that amount's tax: the total's own figure was misread. Without
 * that third figure a difference is left alone: the cash is as likely misread as the total, and cash
 * rounding (21.43 paid as 21.45) is no misreading at all.
 */
function confirmByArithmetic(
  totals: Map<string, Candidate>,
  tendered: number[],
  change: number[],
  timesPrinted: Map<string, number>,
  tax: (IncludedTax & { index: number }) | null,
): void {
  for (const paid of tendered) {
    for (const back of change) {
      if (back < 0 || back >= paid) continue;
      const value = ((cents(paid) - cents(back)) / 100).toFixed(2);
      const candidate = totals.get(value);
      if (candidate && (back > 0 || (timesPrinted.get(value) ?? 0) > 1)) confirm(candidate);
      else if (!candidate && back > 0 && tax && holdsTax(cents(Number(value)), tax)) {
        totals.set(value, { value, confidence: PAID_WITH_TAX, evidence: tax.line, index: tax.index });
      }
    }
  }
  const labelled = [...totals.values()].filter((candidate) => candidate.confidence >= 0.8);
  for (const total of labelled) {
    for (const rounded of totals.values()) {
      const difference = Math.abs(cents(Number(rounded.value)) - cents(Number(total.value)));
      if (rounded.index > total.index && difference > 0 && difference <= cents(MAX_ROUNDING) && cents(Number(rounded.value)) % 5 === 0) {
        rounded.confidence = Math.max(rounded.confidence, Math.min(0.97, total.confidence + 0.02));
      }
    }
  }
}

/** The amount in capital numerals (大写) is the total: the figure equal to it ranks first, or it is added. */
function confirmByCapitalAmount(text: string, totals: Map<string, Candidate>): void {
  for (const { value, index } of findCapitalAmounts(text)) {
    const figure = totals.get(value);
    if (figure) figure.confidence = Math.max(figure.confidence, 0.96);
    else {
      const lineStart = text.lastIndexOf('\n', index) + 1;
      const lineEnd = text.indexOf('\n', index);
      totals.set(value, { value, confidence: 0.9, evidence: text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).trim(), index });
    }
  }
}

export interface AmountCandidates {
  totals: Candidate[];
  currencies: Candidate[];
}

export function findAmounts(text: string): AmountCandidates {
  const lines = text.split('\n');
  const totals = new Map<string, Candidate>();
  const currencies = new Map<string, Candidate>();
  let largest = 0;
  let offset = 0;
  const seen: { value: string; number: number; candidate: Candidate }[] = [];
  const tendered: number[] = [];
  const change: number[] = [];
  const unlabelled = new Set<Candidate>();
  lines.forEach((line, lineIndex) => {
    const weight = labelWeight(line);
    const previous = lines[lineIndex - 1] ?? '';
    const previousWeight = labelWeight(previous);
    const pointLost = weight !== null && weight > 0.5 && ![...line.matchAll(AMOUNT)].some(isMoney) && LOST_POINT.test(line);
    const readable = pointLost ? line.replace(LOST_POINT, '$1.$2') : line;
    const matches = [...readable.matchAll(AMOUNT)].filter(isMoney);
    // A label alone on its line ("合计" above the figure) labels the next line.
    const inherited = weight === null && previousWeight !== null && [...previous.matchAll(AMOUNT)].length === 0 ? previousWeight - 0.1 : null;
    matches.forEach((match, position) => {
      const value = `${match[2]!.replace(/[,， ]/g, '')}.${match[4]}`;
      const number = Number(value);
      largest = Math.max(largest, number);
      let confidence = (weight ?? inherited ?? 0.3) - (pointLost ? LOST_POINT_PENALTY : 0);
      // The figure at the end of a labelled line is the labelled one; earlier ones are quantities, rates.
      if (weight !== null && weight > 0.5 && position < matches.length - 1) confidence -= 0.3;
      // A "Total" row with several figures is a tax summary (net, tax), not the amount paid.
      else if (weight !== null && weight > 0.5 && matches.length > 1) confidence -= 0.1;
      if (TENDERED.test(line) && weight !== null && weight < 0.5) tendered.push(number);
      if (CHANGE.test(line)) change.push(number);
      const currency = currencyCode(match[1], match[5]);
      if (currency) confidence += 0.03;
      // A zero figure is an empty row (rounding 0.00, discount 0.00) or a misread one, never the amount paid.
      if (number === 0) confidence = MIN_CONFIDENCE;
      const candidate = { value, confidence: Math.min(0.97, confidence), evidence: line.trim(), index: offset + (match.index ?? 0) };
      if (weight === null && inherited === null) unlabelled.add(candidate);
      seen.push({ value, number, candidate });
      if (currency) {
        const known = currencies.get(currency);
        if (known) known.confidence = Math.min(0.95, known.confidence + 0.1);
        else currencies.set(currency, { value: currency, confidence: markerConfidence(match[1]), evidence: line.trim(), index: candidate.index });
      }
    });
    offset += line.length + 1;
  });
  for (const { value, number, candidate } of seen) {
    // Unlabelled: the biggest figure on a slip is usually its total.
    if (unlabelled.has(candidate) && number === largest) candidate.confidence = 0.5;
    const existing = totals.get(value);
    if (existing) {
      // A total printed twice (total, then amount paid) is likelier the total; a small figure repeated is not.
      const both = Math.min(existing.confidence, candidate.confidence) > 0.5;
      existing.confidence = Math.min(0.97, Math.max(existing.confidence, candidate.confidence) + (both ? 0.04 : 0));
    } else totals.set(value, candidate);
  }
  // The tax summary restates the total as net + tax: the figure equal to that sum is the total.
  const gross = taxSummaryGross(lines);
  const restated = gross === null ? undefined : totals.get((gross / 100).toFixed(2));
  if (restated) confirm(restated);
  const timesPrinted = new Map<string, number>();
  for (const { value } of seen) timesPrinted.set(value, (timesPrinted.get(value) ?? 0) + 1);
  const tax = includedTax(lines);
  confirmByArithmetic(totals, tendered, change, timesPrinted, tax && { ...tax, index: text.indexOf(tax.line) });
  confirmByCapitalAmount(text, totals);
  const labelled = CURRENCY_LABEL.exec(text);
  if (labelled) {
    const code = LABELLED_CURRENCY[labelled[1]!.toUpperCase()]!;
    const known = currencies.get(code);
    if (known) known.confidence = Math.max(known.confidence, LABELLED_CONFIDENCE);
    else currencies.set(code, { value: code, confidence: LABELLED_CONFIDENCE, evidence: labelled[0], index: labelled.index });
  }
  const words = /人民币|RMB|CNY|元/.test(text) ? 'CNY' : /\bRM\s?\d|\bMYR\b/.test(text) ? 'MYR' : null;
  if (words && !currencies.has(words)) currencies.set(words, { value: words, confidence: 0.5, evidence: words, index: 0 });
  return {
    // Among equally likely totals the later one wins: grand totals come after sub-totals.
    totals: [...totals.values()].sort((a, b) => b.confidence - a.confidence || b.index - a.index),
    currencies: [...currencies.values()].sort((a, b) => b.confidence - a.confidence),
  };
}
