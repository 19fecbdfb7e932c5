/**
 * Slip numbers: the value after a number label (单号 / 编号 / No. / Invoice No …), or a token that
 * matches a configured pattern. Patterns are per archive; these defaults cover common prefixes.
 */
import type { RE2JS } from 're2js';
import { compileSlipPattern } from '../../../shared/settings';
import type { Candidate } from './dates';

export const DEFAULT_SLIP_PATTERNS = ['\\b[A-Z]{1,5}-?\\d{4}-\\d{2,6}(?:-\\d{2,6})?\\b', '\\b[A-Z]{2,5}\\d{6,14}(?:-\\d{2,6})?\\b'];

const LABELLED =
  /(单\s*号|编\s*号|单据号|订单号|回单号|发票号|SLIP\s*NO|INVOICE\s*NO|RECEIPT\s*NO|DOC(?:UMENT)?\s*NO|BILL\s*NO|NO)\s*[.:：#]*\s*([A-Z0-9][A-Z0-9\-/]{3,30})/gi;

/** OCR reads the letter O of a prefix as a zero ("S0-2026-0417"); prefixes are letters, so it is an O. */
const ZERO_IN_PREFIX = /\b([A-Z]{0,4})0([A-Z]{0,4})(?=-\d)/g;
const restorePrefixLetters = (line: string) =>
  line.replace(ZERO_IN_PREFIX, (token, before: string, after: string) => (before + after ? `${before}O${after}` : token));

/**
 * The patterns RE2 compiles. One stored before patterns ran on RE2 may use JavaScript-only syntax (a
 * lookahead, \u4e00); it is left out here rather than stopping extraction, and Settings shows its problem.
 */
function compilePatterns(patterns: string[]): RE2JS[] {
  return patterns.flatMap((pattern) => {
    try {
      return [compileSlipPattern(pattern)];
    } catch {
      return [];
    }
  });
}

export function findSlipNumbers(text: string, patterns: string[] = DEFAULT_SLIP_PATTERNS): Candidate[] {
  const found = new Map<string, Candidate>();
  const add = (value: string, confidence: number, evidence: string, index: number) => {
    const clean = value.replace(/[-/]+$/, '').toUpperCase();
    if (clean.length < 4 || !/\d/.test(clean)) return;
    const existing = found.get(clean);
    if (existing) existing.confidence = Math.min(0.97, Math.max(existing.confidence, confidence) + 0.05);
    else found.set(clean, { value: clean, confidence, evidence: evidence.trim(), index });
  };
  const compiled = compilePatterns(patterns);
  let offset = 0;
  for (const read of text.split('\n')) {
    const line = restorePrefixLetters(read);
    for (const match of line.matchAll(LABELLED)) {
      add(match[2]!, /^NO$/i.test(match[1]!.trim()) ? 0.6 : 0.8, line, offset + (match.index ?? 0));
    }
    for (const pattern of compiled) {
      const matcher = pattern.matcher(line);
      while (matcher.find()) add(matcher.group() ?? '', 0.7, line, offset + matcher.start());
    }
    offset += read.length + 1;
  }
  return [...found.values()].sort((a, b) => b.confidence - a.confidence || a.index - b.index);
}
