/**
 * Is a page signed? Two independent findings on the page's pixels (docs/signed-check.md):
 *
 * - **Seal**: a compact cluster of seal-red pixels the size of a stamp (公章 rings, RECEIVED boxes); red
 *   printed text is a thin wide band, not a stamp, and is not counted.
 * - **Signature**: ink strokes that are not printed text. Printed text is masked out where OCR read it with
 *   confidence; table rules, underlines and barcode bars (long straight runs) are cleared; what remains is
 *   split into connected components, and a component counts as a stroke when it is larger than a line of
 *   text, thin-stroked and sparse (a pen line wanders through its box, a printed glyph fills it). Strokes
 *   next to a signature label (签字, 签收人, Signature…) weigh double, pen-blue ones too.
 *
 * Everything here is in the analysed raster's pixels; the caller scales regions to the page frame.
 */
import { clearRules, components, heightOf, strokeWidthOf, widthOf, type Component } from './components';
import { inkMasks } from './ink';
import type { RgbRaster } from './page-raster';

export interface RasterWord {
  text: string;
  box: { x0: number; y0: number; x1: number; y1: number };
  confidence: number;
}

export interface RasterRegion {
  kind: 'signature' | 'seal';
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  confidence: number;
}

export interface Detection {
  signature: boolean;
  seal: boolean;
  signed: boolean;
  /** 0–1, how sure the answer `signed` is, whichever way it goes. */
  confidence: number;
  regions: RasterRegion[];
}

/** Stroke evidence (sum of stroke weights) at which a page counts as signed; tuned on generated pairs + half of the slips (bench/signed.ts). */
export const SIGNATURE_EVIDENCE = 4;
/**
 * OCR words at least this confident are printed text, masked out. Tesseract reads printed text at 90+ and
 * handwriting as short garbage ("mn", "Ma") at 0–70, so the bar sits between the two.
 */
const PRINTED_WORD_CONFIDENCE = 75;
/** A "word" taller than this many printed text lines holds more than print (a signature through it): not masked. */
const PRINTED_WORD_HEIGHT = 1.6;
/** Labels that name the place for a signature on Chinese and English slips. */
export const SIGNATURE_LABEL = /签字|签名|签收|签章|签认|经手人|收货人|signature|signed|received\s*by|sign\s*here/i;

/** Median height of printed text: of confident OCR words, or else of the ink components of character size. */
function textHeight(pieces: Component[], words: RasterWord[], longSide: number): number {
  const heights =
    words.length > 0 ? words.map((word) => word.box.y1 - word.box.y0) : pieces.map(heightOf).filter((h) => h >= longSide * 0.006 && h <= longSide * 0.05);
  if (heights.length === 0) return Math.max(8, longSide * 0.012);
  heights.sort((a, b) => a - b);
  return Math.max(6, heights[Math.floor(heights.length / 2)]!);
}

function printedWords(words: RasterWord[]): RasterWord[] {
  const confident = words.filter((word) => word.confidence >= PRINTED_WORD_CONFIDENCE && /[\p{L}\p{N}]/u.test(word.text));
  const heights = confident.map((word) => word.box.y1 - word.box.y0).sort((a, b) => a - b);
  const line = heights[Math.floor(heights.length / 2)] ?? 0;
  return confident.filter((word) => word.box.y1 - word.box.y0 <= PRINTED_WORD_HEIGHT * line);
}

/** Pen-blue ink: most of a component's pixels. */
const isPenBlueStroke = (piece: Component): boolean => piece.marked > piece.pixels * 0.5;

function isStroke(piece: Component, text: number, longSide: number): boolean {
  const width = widthOf(piece);
  const height = heightOf(piece);
  const extent = Math.max(width, height);
  const stroke = strokeWidthOf(piece);
  const fill = piece.pixels / (width * height);
  // Printed glyphs in black fill their box more than a pen line does; a blue scribble may be dense and still be a pen.
  const sparse = fill <= (isPenBlueStroke(piece) ? 0.5 : 0.3);
  return extent >= 1.5 * text && extent <= 0.45 * longSide && Math.min(width, height) >= 3 * stroke && sparse && stroke <= 0.4 * text;
}

/** Where a signature is expected: right of and below each signature label, a few text lines deep. */
function signatureAreas(words: RasterWord[], text: number): RasterWord['box'][] {
  return words
    .filter((word) => SIGNATURE_LABEL.test(word.text))
    .map(({ box }) => ({ x0: box.x0 - text, y0: box.y0 - 2.5 * text, x1: box.x1 + 18 * text, y1: box.y1 + 3 * text }));
}

const overlaps = (a: RasterWord['box'], b: RasterWord['box']): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Boxes that touch or lie within `gap` of each other, merged. */
function mergeBoxes<T extends RasterWord['box']>(boxes: T[], gap: number, join: (a: T, b: T) => T): T[] {
  const merged = [...boxes];
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < merged.length && !changed; i += 1) {
      for (let j = i + 1; j < merged.length; j += 1) {
        const a = merged[i]!;
        const b = merged[j]!;
        if (a.x0 - gap < b.x1 && b.x0 - gap < a.x1 && a.y0 - gap < b.y1 && b.y0 - gap < a.y1) {
          merged[i] = join(a, b);
          merged.splice(j, 1);
          changed = true;
          break;
        }
      }
    }
  }
  return merged;
}

interface WeightedBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  weight: number;
}

const joinWeighted = (a: WeightedBox, b: WeightedBox): WeightedBox => ({
  x0: Math.min(a.x0, b.x0),
  y0: Math.min(a.y0, b.y0),
  x1: Math.max(a.x1, b.x1),
  y1: Math.max(a.y1, b.y1),
  weight: a.weight + b.weight,
});

/** Stamp-sized clusters of seal-red pixels (also what OCR whitens before reading, ocr/seal-suppression.ts). */
export function findSeals(red: Uint8Array, width: number, height: number): RasterRegion[] {
  const shortSide = Math.min(width, height);
  const cell = Math.max(4, Math.round(shortSide / 120));
  const columns = Math.ceil(width / cell);
  const rows = Math.ceil(height / cell);
  const counts = new Uint32Array(columns * rows);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) if (red[y * width + x]) counts[Math.floor(y / cell) * columns + Math.floor(x / cell)]! += 1;
  }
  // A cell is red when a few percent of it is; neighbouring cells join, so a ring of strokes is one cluster.
  const cells = new Uint8Array(columns * rows);
  for (let i = 0; i < counts.length; i += 1) {
    if (counts[i]! < cell * cell * 0.03) continue;
    const column = i % columns;
    const row = (i - column) / columns;
    for (let dy = -1; dy <= 1; dy += 1) {
      for (let dx = -1; dx <= 1; dx += 1) {
        const r = row + dy;
        const c = column + dx;
        if (r >= 0 && r < rows && c >= 0 && c < columns) cells[r * columns + c] = 1;
      }
    }
  }
  const seals: RasterRegion[] = [];
  for (const cluster of components(cells, columns, rows)) {
    const box = {
      x0: (cluster.x0 + 1) * cell,
      y0: (cluster.y0 + 1) * cell,
      x1: Math.min(width, (cluster.x1 - 1) * cell),
      y1: Math.min(height, (cluster.y1 - 1) * cell),
    };
    const w = box.x1 - box.x0;
    const h = box.y1 - box.y0;
    if (w <= 0 || h <= 0) continue;
    let redPixels = 0;
    for (let y = box.y0; y < box.y1; y += 1) for (let x = box.x0; x < box.x1; x += 1) redPixels += red[y * width + x]!;
    const small = Math.min(w, h);
    const large = Math.max(w, h);
    // A stamp is at least ~1.5 cm across on a slip and not a thin band; its ink covers a fair part of its box.
    if (small < shortSide * 0.08 || large > shortSide * 0.9 || large / small > 3 || redPixels / (w * h) < 0.04) continue;
    const confidence = Math.min(0.99, 0.6 + (small / shortSide) * 1.5 + Math.min(0.2, redPixels / (w * h)));
    seals.push({ kind: 'seal', ...box, confidence });
  }
  return seals;
}

export function detectSignedPage(raster: RgbRaster, words: RasterWord[] = []): Detection {
  const { width, height } = raster;
  const longSide = Math.max(width, height);
  const masks = inkMasks(raster);
  const seals = findSeals(masks.red, width, height);

  const ink = masks.ink;
  clearRules(ink, width, height, Math.round(longSide * 0.035));
  const printed = printedWords(words);
  for (const { box } of printed) {
    for (let y = Math.max(0, Math.floor(box.y0)); y < Math.min(height, Math.ceil(box.y1)); y += 1) {
      ink.fill(0, y * width + Math.max(0, Math.floor(box.x0)), y * width + Math.min(width, Math.ceil(box.x1)));
    }
  }
  const pieces = components(ink, width, height, masks.blue, 12);
  const text = textHeight(pieces, printed, longSide);
  const areas = signatureAreas(words, text);

  const strokes: WeightedBox[] = [];
  for (const piece of pieces) {
    if (!isStroke(piece, text, longSide)) continue;
    const box = { x0: piece.x0, y0: piece.y0, x1: piece.x1, y1: piece.y1 };
    const nearLabel = areas.some((area) => overlaps(area, box));
    const weight = Math.min(8, Math.max(widthOf(piece), heightOf(piece)) / text) * (nearLabel ? 2 : 1) * (isPenBlueStroke(piece) ? 2 : 1);
    strokes.push({ ...box, weight });
  }
  const groups = mergeBoxes(strokes, text * 1.5, joinWeighted).sort((a, b) => b.weight - a.weight);
  const evidence = groups[0]?.weight ?? 0;
  const signature = evidence >= SIGNATURE_EVIDENCE;
  const signatureRegions: RasterRegion[] = groups
    .filter((group) => group.weight >= SIGNATURE_EVIDENCE)
    .map(({ weight, ...box }) => ({ kind: 'signature', ...box, confidence: Math.min(0.99, 0.5 + weight / (4 * SIGNATURE_EVIDENCE)) }));

  const seal = seals.length > 0;
  const signed = signature || seal;
  const strongest = Math.max(0, ...seals.map((region) => region.confidence), ...signatureRegions.map((region) => region.confidence));
  // Unsigned: surer the further the best stroke group falls short of the threshold.
  const confidence = signed ? strongest : Math.min(0.99, 0.5 + 0.5 * (1 - evidence / SIGNATURE_EVIDENCE));
  return { signature, seal, signed, confidence: Math.round(confidence * 100) / 100, regions: [...seals, ...signatureRegions] };
}
