/**
 * The customer of a page: known customers (and their aliases) matched against the OCR text, tolerating
 * recognition errors — the best window of each line is compared by edit distance, without spaces and case —
 * and the company names the page itself shows (company-names.ts), so a new archive gets a suggestion too.
 */
import type { CustomerRecord } from '../../../shared/model';
import { findCompanyNames } from './company-names';
import type { Candidate } from './dates';
import { levenshtein } from './levenshtein';

const MIN_SIMILARITY = 0.75;

const squeeze = (text: string) => Array.from(text.toUpperCase().replace(/[\s.,，。()（）]/g, ''));

function bestWindowSimilarity(name: string[], line: string[]): number {
  if (name.length === 0 || line.length === 0) return 0;
  let best = 0;
  const width = name.length;
  for (let start = 0; start <= Math.max(0, line.length - width); start += 1) {
    for (const size of [width - 1, width, width + 1]) {
      if (size <= 0) continue;
      const window = line.slice(start, start + size);
      const similarity = 1 - levenshtein(name.join(''), window.join('')) / width;
      if (similarity > best) best = similarity;
    }
  }
  return best;
}

export function matchCustomers(text: string, customers: CustomerRecord[]): Candidate[] {
  const lines = text.split('\n').map((line) => ({ line, chars: squeeze(line) }));
  const results: Candidate[] = [];
  for (const customer of customers) {
    let best: Candidate | null = null;
    for (const name of [customer.name, ...customer.aliases]) {
      const chars = squeeze(name);
      if (chars.length < 2) continue;
      lines.forEach(({ line, chars: lineChars }, index) => {
        const similarity = bestWindowSimilarity(chars, lineChars);
        if (similarity >= MIN_SIMILARITY && (!best || similarity > best.confidence)) {
          best = { value: customer.name, confidence: Math.round(Math.min(0.97, similarity) * 100) / 100, evidence: line.trim(), index };
        }
      });
    }
    if (best) results.push(best);
  }
  return results.sort((a, b) => b.confidence - a.confidence);
}

/** How close a name read off the page must be to a known customer's to be taken as that customer. */
const SAME_CUSTOMER = 0.85;

function knownCustomerNamed(name: string, customers: CustomerRecord[]): string | null {
  const read = squeeze(name).join('');
  let best: { name: string; similarity: number } | null = null;
  for (const customer of customers) {
    for (const known of [customer.name, ...customer.aliases]) {
      const wanted = squeeze(known).join('');
      if (wanted.length === 0) continue;
      const similarity = 1 - levenshtein(read, wanted) / Math.max(read.length, wanted.length);
      if (similarity >= SAME_CUSTOMER && (!best || similarity > best.similarity)) best = { name: customer.name, similarity };
    }
  }
  return best?.name ?? null;
}

/**
 * Known customers found in the text, and the company names the page shows — a name that is a known customer
 * (or one of its aliases) read with a few errors is that customer — best first, one candidate per customer.
 * Two known customers matched equally well are told apart by where the page names them: the one after a
 * customer label (Consignee: …) before one in the letterhead, whose name may merely contain a customer's
 * ("Chengdu Jiahe Supply Chain …" holds "Jiahe Supply Chain …"); only then by reading order.
 */
export function suggestCustomers(text: string, customers: CustomerRecord[]): Candidate[] {
  const byName = new Map<string, Candidate>();
  const placeScore = new Map<string, number>();
  const offer = (candidate: Candidate) => {
    const existing = byName.get(candidate.value);
    if (!existing || existing.confidence < candidate.confidence) byName.set(candidate.value, candidate);
  };
  matchCustomers(text, customers).forEach(offer);
  for (const found of findCompanyNames(text)) {
    const value = knownCustomerNamed(found.value, customers) ?? found.value;
    placeScore.set(value, Math.max(placeScore.get(value) ?? 0, found.confidence));
    offer({ ...found, value });
  }
  const place = (candidate: Candidate) => placeScore.get(candidate.value) ?? 0;
  return [...byName.values()].sort((a, b) => b.confidence - a.confidence || place(b) - place(a) || a.index - b.index);
}
