/**
 * A second look at the lines that carry the slip's date and total, the way a careful clerk squints at
 * them. A page read as a whole misreads single digits of faint thermal print ("30.37" for 38.37,
 * "12/2018" with the day lost); the same row cut out, enlarged and read as one line (psm 7) often
 * reads right. Only the few rows that matter and read poorly are read again, so the cost stays small:
 * a row with a date or total label or a date-like token, whose figures read with low confidence or do
 * not parse. The more confident reading of each such row replaces it in the page's text and words, so
 * extraction, search and highlighting all see it.
 */
import type { OcrWord, PageText } from '../../../shared/model';
import { findAmounts } from '../extract/amounts';
import { findDates } from '../extract/dates';
import { joinCjkSpacing } from './cjk-text';
import { meanConfidence, toTenth } from './confidence';
import { grayPage, type GrayPage } from './gray-page';
import { sharp } from '../native-libraries';
import { textBand } from './text-band';

export interface LineReader {
  recogniseLine(image: GrayPage): Promise<PageText>;
}

/** Labels of the fields worth a second look: the slip's date and its total. */
const DATE_LABEL = /(DATE|TARIKH|日\s*期)/i;
const AMOUNT_LABEL = /(TOTAL|JUMLAH|AMOUNT|AMT|NETT|DUE|PAYABLE|合\s*计|总\s*计|金\s*额|小\s*写|应\s*付|实\s*付)/i;
/** Labels of the total itself, as opposed to column headings such as "Amount". */
const TOTAL_LABEL = /(TOTAL|JUMLAH|合\s*计|总\s*计)/i;
/** Tills print the date beside the time: a row with a time and no date may hold a misread date. */
const TIME = /(?<!\d)\d{1,2}:\d{2}(?!\d)/;
/** Counts labelled "total" are not money. */
const NOT_AN_AMOUNT = /(QTY|QUANTITY|ITEM|数\s*量|件\s*数)/i;
/** A row's figures read at least this confidently are left as they are. */
const CONFIDENT_FIGURES = 80;
/** At most this many rows per page are read again: the re-read must stay cheap. */
const MAX_ROWS = 3;
/** The row is cut out with this share of its height around it: tesseract wants a margin of paper. */
const PAD_SHARE = 0.25;
/** The cut-out row is enlarged to about this text height in pixels (tesseract reads best around 30–50). */
const TARGET_HEIGHT = 48;
const MAX_SCALE = 3;
/**
 * The cut-out reaches this many row heights beyond the row's first words, within the text column: the
 * first reading may have missed the faintest part of a row entirely ("18 16:46" of "06-04-18 16:46"),
 * and a word that was not seen has no box. Not the whole column: reading a long line costs time.
 */
const REACH = 6;
/** A run of ink lower than this is no row of characters (a rule, specks): the row's word boxes are kept. */
const MIN_BAND = 8;
/** A re-read must beat the first reading by this much confidence: not by noise. */
const MARGIN = 3;

interface Row {
  words: OcrWord[];
  box: [number, number, number, number];
}

const centreY = (word: OcrWord) => (word.bbox[1] + word.bbox[3]) / 2;
const height = (word: OcrWord) => word.bbox[3] - word.bbox[1];

/** Boxes of neighbouring words on a row may overlap a little ("3." and "20" of one smudged figure). */
const MAX_OVERLAP_SHARE = 0.3;

function sideBySide(a: OcrWord, b: OcrWord): boolean {
  const overlap = Math.min(a.bbox[2], b.bbox[2]) - Math.max(a.bbox[0], b.bbox[0]);
  return overlap <= MAX_OVERLAP_SHARE * Math.min(a.bbox[2] - a.bbox[0], b.bbox[2] - b.bbox[0]);
}

/** Words grouped into printed rows: centres within half the smaller height, boxes side by side. */
export function rowsOf(words: OcrWord[]): Row[] {
  const rows: OcrWord[][] = [];
  for (const word of [...words].sort((a, b) => centreY(a) - centreY(b))) {
    const row = rows.find((candidate) =>
      candidate.every((other) => sideBySide(other, word) && Math.abs(centreY(other) - centreY(word)) <= 0.5 * Math.min(height(other), height(word))),
    );
    if (row) row.push(word);
    else rows.push([word]);
  }
  return rows.map((row) => {
    const sorted = row.sort((a, b) => a.bbox[0] - b.bbox[0]);
    // The row's top and bottom are its words' medians: a box swollen by a ruled line above or a
    // stroke below would pull the neighbouring rows into the cut-out.
    return {
      words: sorted,
      box: [sorted[0]!.bbox[0], median(sorted.map((w) => w.bbox[1])), Math.max(...sorted.map((w) => w.bbox[2])), median(sorted.map((w) => w.bbox[3]))],
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const rowText = (words: OcrWord[]) => joinCjkSpacing(words.map((word) => word.text).join(' '));
/** The fields are figures: how surely a reading read them, whatever it made of the labels and the margins. */
const figureConfidence = (words: OcrWord[]) => meanConfidence(words.filter((word) => /\d/.test(word.text)));

/**
 * How many of the row's fields a reading yields: a date where either reading shows a date label or a
 * time, an amount where either shows a total label. A misread label ("Bate") must not cost a good figure.
 */
function fieldsFound(text: string, labels: string): number {
  const dates = (DATE_LABEL.test(labels) || TIME.test(labels)) && findDates(text).length > 0 ? 1 : 0;
  const amounts = AMOUNT_LABEL.test(labels) && !NOT_AN_AMOUNT.test(labels) && findAmounts(text).totals.length > 0 ? 1 : 0;
  return dates + amounts;
}

/**
 * How badly a row needs a second look (lower is worse), or null when it does not: rows without figures,
 * rows without a field label or a date, and rows whose figures read confidently and parse.
 */
function need(row: Row): number | null {
  const text = rowText(row.words);
  // A total label with no figure at all: the figure was too faint to be seen as text.
  if (!/\d/.test(text)) return TOTAL_LABEL.test(text) && !NOT_AN_AMOUNT.test(text) ? -100 : null;
  const dateLabel = DATE_LABEL.test(text);
  const amountLabel = AMOUNT_LABEL.test(text) && !NOT_AN_AMOUNT.test(text);
  const hasDate = findDates(text).length > 0;
  if (!hasDate && !dateLabel && !amountLabel && !TIME.test(text)) return null;
  const weakest = Math.min(...row.words.filter((word) => /\d/.test(word.text)).map((word) => word.confidence));
  const unparsed = (dateLabel && !hasDate) || (amountLabel && findAmounts(text).totals.length === 0);
  // A row whose label has no figure that parses comes before any merely faint one.
  if (unparsed) return weakest - 100;
  return weakest < CONFIDENT_FIGURES ? weakest : null;
}

interface Area {
  left: number;
  top: number;
  right: number;
  /** Pixels of the cut-out per pixel of the page. */
  scale: number;
}

/** The row cut out of the page with a margin, reaching along the row within the column, its characters enlarged towards TARGET_HEIGHT. */
async function cutOut(image: GrayPage, wordsBox: Row['box'], column: [number, number], figured: boolean): Promise<{ line: GrayPage; area: Area } | null> {
  // The row's own ink, without the rule printed under it that its word boxes reach over (text-band.ts):
  // a cut-out of the row alone reads better, and is enlarged by the height of its characters.
  const band = textBand(image, wordsBox);
  const box: Row['box'] = band && band[1] - band[0] >= MIN_BAND ? [wordsBox[0], band[0], wordsBox[2], band[1]] : wordsBox;
  const rowHeight = Math.max(1, box[3] - box[1]);
  const pad = Math.ceil(rowHeight * PAD_SHARE);
  // A row without a figure reaches across the column: totals are printed flush right, far from their label.
  const reach = figured ? rowHeight * REACH : Infinity;
  const left = Math.round(Math.max(0, column[0] - pad, box[0] - reach));
  const right = Math.round(Math.min(image.width, column[1] + pad, box[2] + reach));
  const top = Math.max(0, box[1] - pad);
  const cutHeight = Math.min(image.height, box[3] + pad) - top;
  if (right - left < 1 || cutHeight < 1) return null;
  const scale = Math.min(MAX_SCALE, Math.max(1, TARGET_HEIGHT / rowHeight));
  const line = await grayPage(
    sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 1 } })
      .extract({ left, top, width: right - left, height: cutHeight })
      .resize({ width: Math.round((right - left) * scale), height: Math.round(cutHeight * scale), kernel: 'lanczos3' }),
  );
  return { line, area: { left, top, right, scale } };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The words of the page the cut-out shows, left to right: the row's own and any other centred within
 * it (the cut-out may reach past the row's words). These are what a second reading would replace.
 */
function wordsShown(page: PageText, row: Row, area: Area): OcrWord[] {
  return page.words
    .filter((word) => {
      const x = (word.bbox[0] + word.bbox[2]) / 2;
      return row.words.includes(word) || (centreY(word) >= row.box[1] && centreY(word) <= row.box[3] && x >= area.left && x <= area.right);
    })
    .sort((a, b) => a.bbox[0] - b.bbox[0]);
}

/** The page with `shown` swapped for `words` in its text and words; null when `shown` is not found together in the text. */
function replaceWords(page: PageText, shown: OcrWord[], words: OcrWord[]): PageText | null {
  // Nothing left to replace: an earlier row's second reading already took these words.
  if (shown.length === 0) return null;
  const match = new RegExp(shown.map((word) => escape(word.text)).join('\\s*')).exec(page.text);
  if (!match) return null;
  const text = page.text.slice(0, match.index) + rowText(words) + page.text.slice(match.index + match[0].length);
  const replaced = new Set(shown);
  const first = page.words.findIndex((word) => replaced.has(word));
  const kept = (word: OcrWord) => !replaced.has(word);
  const allWords = [...page.words.slice(0, first).filter(kept), ...words, ...page.words.slice(first).filter(kept)];
  return { ...page, text, words: allWords, confidence: toTenth(meanConfidence(allWords)) };
}

/**
 * Reads the rows that matter again, enlarged and as single lines, and keeps the more confident reading
 * of each. `image` is the image the page was read from; the page's word boxes must lie on it.
 */
export async function rereadFields(reader: LineReader, image: GrayPage, page: PageText): Promise<PageText> {
  const candidates = rowsOf(page.words)
    .map((row) => ({ row, need: need(row) }))
    .filter((candidate): candidate is { row: Row; need: number } => candidate.need !== null)
    .sort((a, b) => a.need - b.need)
    .slice(0, MAX_ROWS);
  const column: [number, number] = [Math.min(...page.words.map((word) => word.bbox[0])), Math.max(...page.words.map((word) => word.bbox[2]))];
  let result = page;
  for (const { row } of candidates) {
    const cut = await cutOut(image, row.box, column, /\d/.test(rowText(row.words)));
    if (!cut) continue;
    const { line, area } = cut;
    const reading = await reader.recogniseLine(line);
    const shown = wordsShown(result, row, area);
    // A reading that yields the row's date or total beats one that does not; else the more confident wins.
    const first = rowText(shown);
    const labels = `${first}\n${reading.text}`;
    const gained = fieldsFound(reading.text, labels) - fieldsFound(first, labels);
    if (reading.words.length === 0 || gained < 0 || (gained === 0 && figureConfidence(reading.words) <= figureConfidence(shown) + MARGIN)) continue;
    const onPage = reading.words.map((word) => ({
      ...word,
      bbox: word.bbox.map((value, index) => Math.round((index % 2 === 0 ? area.left : area.top) + value / area.scale)) as OcrWord['bbox'],
    }));
    result = replaceWords(result, shown, onPage) ?? result;
  }
  return result;
}
