/**
 * Where a query matched inside a document: the snippet with its marks, the pages, and the OCR word boxes
 * to highlight on a page image. Uses the same units as the index (text-units.ts), so what is marked is
 * exactly what matched.
 */
import type { SearchSnippet, WordBox } from '../../../shared/model';
import type { TextTerm } from './query-parser';
import { findOccurrences, textUnits, type TextUnit } from './text-units';

/** One recognised word on a page, as OCR stores it. */
export interface OcrWord {
  pageId: number;
  text: string;
  bbox: WordBox;
}

export interface CompiledTerm {
  term: TextTerm;
  units: TextUnit[];
}

export function compileTerms(terms: TextTerm[]): CompiledTerm[] {
  return terms.map((term) => ({ term, units: textUnits(term.text) })).filter((compiled) => compiled.units.length > 0);
}

/** [start, end) spans in `text` where any of the terms occurs. */
export function matchSpans(text: string, terms: CompiledTerm[]): [number, number][] {
  if (terms.length === 0 || text === '') return [];
  const units = textUnits(text);
  const spans: [number, number][] = [];
  for (const { term, units: wanted } of terms) {
    for (const [first, last] of findOccurrences(units, wanted, term.prefix)) spans.push([units[first]!.start, units[last]!.end]);
  }
  return spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

const CONTEXT = 40;
const CJK_AT_END = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;
const CJK_AT_START = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** A window of `text` around its first span, with every span inside the window marked. */
export function snippetOf(field: SearchSnippet['field'], text: string, spans: [number, number][]): SearchSnippet | null {
  const first = spans[0];
  if (!first) return null;
  const start = Math.max(0, first[0] - CONTEXT);
  const end = Math.min(text.length, Math.max(first[1], start + 2 * CONTEXT) + CONTEXT);
  const lead = start > 0 ? '…' : '';
  const tail = end < text.length ? '…' : '';
  const marks = spans
    .filter(([from, to]) => from >= start && to <= end)
    .map(([from, to]): [number, number] => [from - start + lead.length, to - start + lead.length]);
  return { field, text: `${lead}${text.slice(start, end).replace(/\s+/g, (space) => ' '.repeat(space.length))}${tail}`, marks };
}

/**
 * The boxes of the OCR words that the terms matched. `words` are one page's words in reading order;
 * a term may span several words (a phrase, or a Chinese name OCR split into characters), and every word
 * touched by a match contributes its box.
 */
export function wordBoxesForTerms(terms: CompiledTerm[], words: OcrWord[]): WordBox[] {
  if (terms.length === 0 || words.length === 0) return [];
  // Lay the words out as one text and remember which word each character came from. OCR of Chinese often
  // yields one "word" per character, so CJK next to CJK is joined without a space (one run, as on paper).
  let text = '';
  const ranges: { start: number; end: number; word: OcrWord }[] = [];
  for (const word of words) {
    if (text !== '' && !(CJK_AT_END.test(text) && CJK_AT_START.test(word.text))) text += ' ';
    ranges.push({ start: text.length, end: text.length + word.text.length, word });
    text += word.text;
  }
  const touched = new Set<OcrWord>();
  for (const [start, end] of matchSpans(text, terms)) {
    for (const range of ranges) if (range.start < end && range.end > start) touched.add(range.word);
  }
  return words.filter((word) => touched.has(word)).map((word) => word.bbox);
}
