/**
 * Page text in reading order: printed rows top to bottom, the pieces of one row left to right.
 * Tesseract's single-column layout (psm 4) emits text block by block, and on till receipts it put whole
 * blocks out of order (a block of items after the totals below it) and split a label from its amount on
 * the same row ("Total RM" … "7,838.80" many lines apart). Rebuilding rows from the recognised lines'
 * boxes fixes both without recognising anything again.
 */
import type { PageText } from '../../../shared/model';
import { joinCjkSpacing } from './cjk-text';

export interface RecognisedLine {
  text: string;
  /** x0, y0, x1, y1 in page pixels. */
  bbox: [number, number, number, number];
  /** The baseline's two ends, x0, y0, x1, y1: its slope is the page's skew. */
  baseline: [number, number, number, number];
}

/** A line as an engine read it, with the indices of its words in the reading's `words`. */
export interface ReadLine extends RecognisedLine {
  words: number[];
}

/**
 * An engine's reading of a page: its text, words and confidence, plus the lines the text was built from,
 * so that a later step that leaves words out can build the text again the same way (signature-strokes.ts).
 */
export interface LinedPage extends PageText {
  lines: ReadLine[];
}

/** Two pieces share a row when their centres (skew removed) lie within this share of the lower one's height. */
const SAME_ROW_DISTANCE = 0.5;
/** Baselines shorter than this many pixels say little about the skew. */
const MIN_BASELINE_LENGTH = 100;

/** The page's skew as the median baseline slope of its longer lines; 0 when there are none. */
function pageSlope(lines: RecognisedLine[]): number {
  const slopes = lines
    .map(({ baseline: [x0, y0, x1, y1] }) => (x1 - x0 >= MIN_BASELINE_LENGTH ? (y1 - y0) / (x1 - x0) : null))
    .filter((slope): slope is number => slope !== null)
    .sort((a, b) => a - b);
  return slopes.length === 0 ? 0 : slopes[Math.floor(slopes.length / 2)]!;
}

interface Piece {
  text: string;
  left: number;
  right: number;
  /** Vertical centre with the skew taken out, so pieces of one skewed row line up. */
  centre: number;
  height: number;
}

export function readingOrderText(lines: RecognisedLine[]): string {
  const slope = pageSlope(lines);
  const pieces: Piece[] = lines.map(({ text, bbox: [x0, y0, x1, y1] }) => ({
    text: text.trim(),
    left: x0,
    right: x1,
    centre: (y0 + y1) / 2 - (slope * (x0 + x1)) / 2,
    // A skewed line's box is taller than its text by the drift along its width.
    height: Math.max(1, y1 - y0 - Math.abs(slope) * (x1 - x0)),
  }));
  pieces.sort((a, b) => a.centre - b.centre);
  const rows: Piece[][] = [];
  for (const piece of pieces) {
    const row = rows.find((candidate) =>
      candidate.every(
        (other) =>
          (other.right <= piece.left || piece.right <= other.left) &&
          Math.abs(other.centre - piece.centre) <= SAME_ROW_DISTANCE * Math.min(other.height, piece.height),
      ),
    );
    if (row) row.push(piece);
    else rows.push([piece]);
  }
  return rows
    .map((row) =>
      row
        .sort((a, b) => a.left - b.left)
        .map((piece) => piece.text)
        .filter((text) => text !== '')
        .join(' '),
    )
    .filter((text) => text !== '')
    .join('\n');
}

/** A page's text from its engine's lines: rows in reading order, CJK spacing joined. */
export function pageTextOf(lines: RecognisedLine[]): string {
  return joinCjkSpacing(readingOrderText(lines)).trim();
}
