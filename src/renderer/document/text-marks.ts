/**
 * Marks in a page's OCR text: where the searched terms occur, and which words the OCR was unsure of. Pure
 * functions over strings; the panel renders the segments as text (never as HTML).
 */
import type { OcrWord, SearchSnippet } from '../../shared/model';

/** [start, end) offsets into a string. */
export type Range = [number, number];

export interface TextSegment {
  text: string;
  start: number;
  hit: boolean;
  low: boolean;
}

/** Words below this OCR confidence (0–100) are shown for review. */
export const LOW_CONFIDENCE = 60;

/**
 * The words to highlight for a search: the query's plain words and phrases (field filters, exclusions
 * and the OR keyword dropped, a trailing prefix `*` removed) plus whatever the engine marked in its snippet.
 */
export function searchTerms(query: string, snippet?: SearchSnippet | null): string[] {
  const terms = new Set<string>();
  for (const match of query.matchAll(/(-?)(?:"([^"]*)"|(\S+))/g)) {
    if (match[1]) continue;
    const phrase = match[2];
    const word = match[3];
    const term = phrase !== undefined ? phrase.trim() : word !== undefined && !word.includes(':') && word !== 'OR' ? word.replace(/\*+$/, '') : '';
    if (term) terms.add(term);
  }
  for (const [start, end] of snippet?.marks ?? []) {
    const marked = snippet!.text.slice(start, end).trim();
    if (marked) terms.add(marked);
  }
  return [...terms];
}

/** Sorted, merged ranges: overlapping or touching ranges become one. */
export function mergeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Range[] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Every occurrence of every term, case-insensitively. */
export function termRanges(text: string, terms: string[]): Range[] {
  const haystack = text.toLocaleLowerCase();
  const ranges: Range[] = [];
  for (const term of terms) {
    const needle = term.toLocaleLowerCase();
    // Lower-casing can change a string's length (rare letters); such a term is matched only when it doesn't.
    if (!needle || needle.length !== term.length || haystack.length !== text.length) continue;
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) {
      ranges.push([at, at + needle.length]);
    }
  }
  return mergeRanges(ranges);
}

/**
 * Where the OCR's low-confidence words sit in the text. Words are found in reading order, each after the
 * previous one, so a repeated word is marked where it was read; a word the clerk has since corrected away
 * is simply not found.
 */
export function lowConfidenceRanges(text: string, words: OcrWord[], threshold = LOW_CONFIDENCE): Range[] {
  const ranges: Range[] = [];
  let cursor = 0;
  for (const word of words) {
    const token = word.text.trim();
    if (!token) continue;
    const at = text.indexOf(token, cursor);
    if (at < 0) continue;
    cursor = at + token.length;
    if (word.confidence < threshold) ranges.push([at, cursor]);
  }
  return mergeRanges(ranges);
}

/** The text cut at every range boundary, each piece flagged as a search hit and/or a low-confidence word. */
export function textSegments(text: string, hits: Range[], low: Range[]): TextSegment[] {
  const cuts = new Set<number>([0, text.length]);
  for (const [start, end] of [...hits, ...low]) {
    cuts.add(Math.max(0, Math.min(text.length, start)));
    cuts.add(Math.max(0, Math.min(text.length, end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const inside = (ranges: Range[], at: number) => ranges.some(([start, end]) => at >= start && at < end);
  const segments: TextSegment[] = [];
  for (let index = 0; index + 1 < points.length; index++) {
    const start = points[index]!;
    const end = points[index + 1]!;
    const piece = { text: text.slice(start, end), start, hit: inside(hits, start), low: inside(low, start) };
    const last = segments[segments.length - 1];
    if (last && last.hit === piece.hit && last.low === piece.low) last.text += piece.text;
    else segments.push(piece);
  }
  return segments;
}
