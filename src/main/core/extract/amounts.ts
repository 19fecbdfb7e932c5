/**
 * Finds the slip's total: amounts on a line labelled 合计 / 总计 / TOTAL / AMOUNT DUE … rank first,
 * sub-totals, tax, change and cash tendered rank low; with no label the largest amount is likeliest.
 * The currency comes from symbols and codes near the amounts (¥ / CNY / RMB / 元 / RM / $).
 */
import type { Candidate } from './dates';

const AMOUNT = /(?<![\d.,])(?:([¥￥$]|RM|CNY|RMB|MYR|USD|SGD|S\$)\s*)?(\d{1,3}(?:[,，]\d{3})+|\d+)[.．·](\d{2})(?![\d%])(\s*元)?/gi;
const TOTAL_LABEL = /(合\s*计|总\s*计|总\s*额|总\s*金\s*额|应\s*付|实\s*付|小\s*写|GRAND\s*TOTAL|TOTAL|AMOUNT\s*DUE|NETT?\s*(AMOUNT|TOTAL)?|AMOUNT\s*PAYABLE|COD\s*AMOUNT|代收货款)/i;
const WEAK_LABEL = /(SUB\s*-?\s*TOTAL|小\s*计|TOTAL\s*(QTY|QUANTITY|ITEMS?)|数\s*量|GST|SST|TAX|税|ROUND|CHANGE|找\s*零|CASH|TENDER|PAID|DISCOUNT|折扣|单价|PRICE|QTY|不超过)/i;

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
  lines.forEach((line, lineIndex) => {
    const labelled = TOTAL_LABEL.test(line);
    const weak = WEAK_LABEL.test(line) && !/(GRAND\s*TOTAL|TOTAL\s*AMOUNT|合\s*计\s*金\s*额|总\s*计)/i.test(line);
    const previous = lines[lineIndex - 1] ?? '';
    const labelAbove = !labelled && TOTAL_LABEL.test(previous) && !AMOUNT.test(previous);
    AMOUNT.lastIndex = 0;
    const matches = [...line.matchAll(AMOUNT)];
    matches.forEach((match, position) => {
      const value = `${match[2]!.replace(/[,，]/g, '')}.${match[3]}`;
      const number = Number(value);
      largest = Math.max(largest, number);
      let confidence = 0.3;
      if (labelled && !weak) confidence = 0.8 + (position === matches.length - 1 ? 0.1 : 0);
      else if (labelled && weak) confidence = 0.4;
      else if (labelAbove) confidence = 0.6;
      else if (weak) confidence = 0.15;
      const currency = currencyCode(match[1], match[4]);
      if (currency) confidence += 0.03;
      const candidate = { value, confidence: Math.min(0.97, confidence), evidence: line.trim(), index: offset + (match.index ?? 0) };
      seen.push({ value, number, candidate });
      if (currency) {
        const known = currencies.get(currency);
        if (known) known.confidence = Math.min(0.95, known.confidence + 0.1);
        else currencies.set(currency, { value: currency, confidence: 0.6, evidence: line.trim(), index: candidate.index });
      }
    });
    offset += line.length + 1;
  });
  for (const { value, number, candidate } of seen) {
    // Unlabelled: the biggest figure on a slip is usually its total.
    if (candidate.confidence <= 0.3 && number === largest) candidate.confidence = 0.5;
    const existing = totals.get(value);
    if (existing) existing.confidence = Math.min(0.97, Math.max(existing.confidence, candidate.confidence) + 0.04);
    else totals.set(value, candidate);
  }
  const words = /人民币|RMB|CNY|元/.test(text) ? 'CNY' : /\bRM\s?\d|\bMYR\b/.test(text) ? 'MYR' : null;
  if (words && !currencies.has(words)) currencies.set(words, { value: words, confidence: 0.5, evidence: words, index: 0 });
  return {
    // Among equally likely totals the later one wins: grand totals come after sub-totals.
    totals: [...totals.values()].sort((a, b) => b.confidence - a.confidence || b.index - a.index),
    currencies: [...currencies.values()].sort((a, b) => b.confidence - a.confidence),
  };
}
