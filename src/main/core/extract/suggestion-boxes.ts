/**
 * Where on the page each filing suggestion was read: the OCR words that spell it, as one box on one page, so
 * the Inbox can frame it on the slip beside the form (issue 19). The extractors read the document's plain
 * text, which the OCR rebuilt in reading order, while the words keep the order they were recognised in; so a
 * suggestion is looked up among the words by its letters and digits alone — spaces, separators and
 * punctuation dropped, so that "1,280.50" on the page and the suggested 1280.50 spell the same figure.
 */
import type { OcrWord, Suggestion, SuggestionBox } from '../../../shared/model';

export interface RecognisedPage {
  pageId: number;
  words: OcrWord[];
}

/** Shorter needles than this match by chance anywhere on a slip. */
const MIN_NEEDLE = 2;

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** The spellings a currency code has on slips. */
const CURRENCY_SPELLINGS: Record<string, string[]> = { CNY: ['CNY', 'RMB', '人民币'], MYR: ['MYR', 'RM'] };

/** Letters and digits only, upper-cased: what two spellings of one value share. */
function skeleton(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** An ISO date as slips print it: 2026-04-07, 2026年4月7日, 07/04/2026, 7 Apr 2026, Apr 7, 2026. */
function dateSpellings(iso: string): string[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return [iso];
  const [, year, mm, dd] = match as unknown as [string, string, string, string];
  const m = String(Number(mm));
  const d = String(Number(dd));
  const month = MONTH_NAMES[Number(mm) - 1]!;
  return [year + mm + dd, `${year}年${m}月${d}日`, year + m + d, dd + mm + year, d + m + year, d + month + year, month + d + year, dd + mm + year.slice(2)];
}

/** What to look for on the page, most telling first. */
function needles(suggestion: Suggestion): string[] {
  switch (suggestion.field) {
    case 'signedDate':
    case 'validFrom':
    case 'validTo':
      return dateSpellings(suggestion.value);
    case 'currency':
      return CURRENCY_SPELLINGS[suggestion.value] ?? [suggestion.value];
    case 'type':
      // A type is suggested by the keywords it was found by, not by its code; "delivery note" says more than "delivery".
      return suggestion.evidence.split(', ').sort((a, b) => b.length - a.length);
    default:
      return [suggestion.value];
  }
}

/** A page's words as one string of letters and digits, each character knowing its word. */
interface Spelled {
  page: RecognisedPage;
  letters: string;
  owners: number[];
}

function spell(page: RecognisedPage): Spelled {
  let letters = '';
  const owners: number[] = [];
  page.words.forEach((word, index) => {
    const own = skeleton(word.text);
    letters += own;
    for (let i = 0; i < own.length; i++) owners.push(index);
  });
  return { page, letters, owners };
}

/** The box around the words that spell letters [start, end) of the page. */
function boxOf(spelled: Spelled, start: number, end: number): SuggestionBox {
  const words = spelled.page.words.slice(spelled.owners[start]!, spelled.owners[end - 1]! + 1);
  return {
    pageId: spelled.page.pageId,
    bbox: [
      Math.min(...words.map((word) => word.bbox[0])),
      Math.min(...words.map((word) => word.bbox[1])),
      Math.max(...words.map((word) => word.bbox[2])),
      Math.max(...words.map((word) => word.bbox[3])),
    ],
  };
}

/** Where one suggestion was read: its value inside its evidence line first, then anywhere, else the line. */
function locate(suggestion: Suggestion, pages: Spelled[]): SuggestionBox | undefined {
  const line = skeleton(suggestion.evidence);
  const lineAt = line.length >= MIN_NEEDLE ? pages.map((spelled) => spelled.letters.indexOf(line)) : pages.map(() => -1);
  const wanted = needles(suggestion)
    .map(skeleton)
    .filter((needle) => needle.length >= MIN_NEEDLE);
  for (const needle of wanted) {
    for (const [index, spelled] of pages.entries()) {
      const start = lineAt[index]!;
      if (start < 0) continue;
      const at = spelled.letters.slice(start, start + line.length).indexOf(needle);
      if (at >= 0) return boxOf(spelled, start + at, start + at + needle.length);
    }
  }
  for (const needle of wanted) {
    for (const spelled of pages) {
      const at = spelled.letters.indexOf(needle);
      if (at >= 0) return boxOf(spelled, at, at + needle.length);
    }
  }
  const index = lineAt.findIndex((at) => at >= 0);
  return index >= 0 ? boxOf(pages[index]!, lineAt[index]!, lineAt[index]! + line.length) : undefined;
}

/**
 * The suggestions with the box of the words each was read from, where the OCR's words show it. A barcode
 * has no words; a page whose text the clerk rewrote may no longer show the value: those stay without a box.
 */
export function withSourceBoxes(suggestions: Suggestion[], pages: RecognisedPage[]): Suggestion[] {
  const spelled = pages.filter((page) => page.words.length > 0).map(spell);
  if (spelled.length === 0) return suggestions;
  return suggestions.map((suggestion) => {
    if (suggestion.source === 'barcode') return suggestion;
    const box = locate(suggestion, spelled);
    return box ? { ...suggestion, box } : suggestion;
  });
}
