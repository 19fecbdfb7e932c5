/**
 * Matches known customers (and their aliases) against OCR text, tolerating recognition errors: the
 * best window of each line is compared by edit distance. Names are compared without spaces and case.
 */
import type { CustomerRecord } from '../../../shared/model';
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
