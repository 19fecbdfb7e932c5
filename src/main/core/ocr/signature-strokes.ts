/**
 * Handwritten signatures out of the page's text: an engine reads a pen scribble as garbage ("je—", "~~",
 * "="), which then sits in the text search indexes and the extractor reads. After the engine's reading,
 * the signed check's own stroke finding (signature/detect.ts) runs on the page as it was read, with the
 * reading's words: printed words read surely are masked, long rules cleared, and the groups of sparse thin
 * strokes that remain are signature regions; those near a signature label (签收人, Signature…) count. A word
 * is left out when most of its box lies in such a region and it was read unsurely or is no word at all
 * (marks only); a signature label read together with the pen after it ("签收人：／）", PP-OCR's one box per
 * line) loses the marks after it. The text is built again from the engine's lines. Letters read surely stay, even over a signature: the handwritten name itself, read
 * legibly, is what the signer suggestion finds. The stroke finding runs only on pages with a signature
 * label and a word that could change.
 */
import type { OcrWord, PageText } from '../../../shared/model';
import { sharp } from '../native-libraries';
import { detectSignedPage, SIGNATURE_LABEL, type RasterWord } from '../signature/detect';
import { ANALYSIS_SIDE, rgbOf } from '../signature/page-raster';
import type { GrayPage } from './gray-page';
import { pageTextOf, type LinedPage } from './reading-order';

/**
 * Words read below this confidence may be a pen's strokes. The garbage read from the slips' scribbles came at
 * 0–25 (tesseract.js) while printed words crossed by a signature region's edge read at 53 and up.
 */
export const UNSURE_WORD = 50;
/** Share of a word's box that must lie in signature regions: a printed label beside a signature only touches one. */
export const MIN_COVER = 0.5;
/**
 * Regions reach this many printed text heights further on every side: a pen stroke thins out at its ends, and
 * the flat tail of a scribble is cleared with the rules before strokes are found, while the engine's word
 * for the scribble spans it all.
 */
const REGION_MARGIN = 1;
/**
 * Only regions this near a signature label count (text heights across, either side, and rows up or down): on
 * receipts, which carry no signature, logos and faint print made stroke groups, and the unsure words in them
 * were real text ("TOTAL", "GST:") as often as garbage. Either side, because a page read turned 180° has its
 * label's right on the left of the page as prepared.
 */
const LABEL_REACH = { across: 18, rows: 3 };

export interface StrokeRegion {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Text with no letter and no digit: "=", "~~", "—" are what a stroke reads as, whatever the engine's confidence. */
const isMarks = (text: string) => !/[\p{L}\p{N}]/u.test(text);

const mayBeStrokes = (word: OcrWord) => word.confidence < UNSURE_WORD || isMarks(word.text);

function overlap([x0, y0, x1, y1]: OcrWord['bbox'], region: StrokeRegion): boolean {
  return x0 < region.x1 && region.x0 < x1 && y0 < region.y1 && region.y0 < y1;
}

function coveredShare([x0, y0, x1, y1]: OcrWord['bbox'], regions: StrokeRegion[]): number {
  const area = Math.max(1, (x1 - x0) * (y1 - y0));
  let covered = 0;
  for (const region of regions) {
    const width = Math.min(x1, region.x1) - Math.max(x0, region.x0);
    const height = Math.min(y1, region.y1) - Math.max(y0, region.y0);
    if (width > 0 && height > 0) covered += width * height;
  }
  return Math.min(1, covered / area);
}

/** The median height of the words read surely: the page's printed text height; 0 without such words. */
function textHeight(words: OcrWord[]): number {
  const heights = words
    .filter((word) => !mayBeStrokes(word))
    .map(({ bbox: [, y0, , y1] }) => y1 - y0)
    .sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)] ?? 0;
}

/**
 * Boxes of the signature labels among `words`: a word that is one ("签收人："), or a word and the next on its
 * row that are one together (tesseract reads "Received by:" as two words).
 */
function labelBoxes(words: OcrWord[]): OcrWord['bbox'][] {
  return words.flatMap((word, index): OcrWord['bbox'][] => {
    if (SIGNATURE_LABEL.test(word.text)) return [word.bbox];
    const next = words[index + 1];
    if (!next || !sameRow(word, next) || !SIGNATURE_LABEL.test(`${word.text} ${next.text}`)) return [];
    const [x0, y0, x1, y1] = word.bbox;
    return [[Math.min(x0, next.bbox[0]), Math.min(y0, next.bbox[1]), Math.max(x1, next.bbox[2]), Math.max(y1, next.bbox[3])]];
  });
}

function sameRow(a: OcrWord, b: OcrWord): boolean {
  const centre = (word: OcrWord) => (word.bbox[1] + word.bbox[3]) / 2;
  return Math.abs(centre(a) - centre(b)) <= (a.bbox[3] - a.bbox[1]) / 2;
}

/** Whether a word's box runs from the left of `region` into it, on its rows: a printed label read together with the pen beside it. */
function runsInto([x0, y0, x1, y1]: OcrWord['bbox'], region: StrokeRegion): boolean {
  const rows = Math.min(y1, region.y1) - Math.max(y0, region.y0);
  return x0 < region.x0 && region.x0 < x1 && x1 <= region.x1 && rows >= (y1 - y0) / 2;
}

/**
 * The text of a word read from a label and the pen after it, without the marks the pen was read as: everything
 * after its last letter or digit but a colon ending the label ("签收人：／）" → "签收人："). Letters are kept:
 * they may be the signer's name, read legibly.
 */
function withoutTrailingMarks(text: string): string {
  const last = Math.max(...[...text.matchAll(/[\p{L}\p{N}]/gu)].map((match) => match.index));
  if (last < 0) return text;
  const end = /[:：]/.test(text[last + 1] ?? '') ? last + 2 : last + 1;
  return text.slice(0, end);
}

/**
 * What becomes of the words a signature's strokes were read into, by index: '' for a word left out (unsure or
 * marks only, and at least MIN_COVER of it inside a region grown by REGION_MARGIN), its text without the
 * trailing marks for a signature label running into a region. Only regions near a signature label count
 * (LABEL_REACH). Words not in the map stay as read.
 */
export function strokeEdits(words: OcrWord[], regions: StrokeRegion[]): Map<number, string> {
  const height = textHeight(words);
  const labels = labelBoxes(words);
  const nearLabel = (region: StrokeRegion) =>
    labels.some(([x0, y0, x1, y1]) =>
      overlap([x0 - LABEL_REACH.across * height, y0 - LABEL_REACH.rows * height, x1 + LABEL_REACH.across * height, y1 + LABEL_REACH.rows * height], region),
    );
  const signatures = regions.filter(nearLabel);
  const margin = REGION_MARGIN * height;
  const grown = signatures.map(({ x0, y0, x1, y1 }) => ({ x0: x0 - margin, y0: y0 - margin, x1: x1 + margin, y1: y1 + margin }));
  const edits = new Map<number, string>();
  words.forEach((word, index) => {
    if (mayBeStrokes(word) && coveredShare(word.bbox, grown) >= MIN_COVER) edits.set(index, '');
    else if (SIGNATURE_LABEL.test(word.text) && signatures.some((region) => runsInto(word.bbox, region))) {
      const text = withoutTrailingMarks(word.text);
      if (text !== word.text) edits.set(index, text);
    }
  });
  return edits;
}

/**
 * The page with `edits` (strokeEdits) applied: words left out or shortened, their lines' text rebuilt from the
 * words as they now read, the page's text from the lines as the engine built it. The page's confidence stays
 * the engine's, as for the boxes PP-OCR leaves out: it says how well the page as a whole read.
 */
export function withEdits(page: LinedPage, edits: ReadonlyMap<number, string>): PageText {
  const { confidence, source } = page;
  if (edits.size === 0) return { text: page.text, words: page.words, confidence, source };
  const words = page.words.map((word, index) => ({ ...word, text: edits.get(index) ?? word.text }));
  const lines = page.lines.map((line) =>
    line.words.some((index) => edits.has(index))
      ? {
          ...line,
          text: line.words
            .map((index) => words[index]!.text)
            .filter((text) => text !== '')
            .join(' '),
        }
      : line,
  );
  return { text: pageTextOf(lines), words: words.filter((word) => word.text !== ''), confidence, source };
}

/** Signature regions on `image` (the page as the engine read it), in its pixels, found with the reading's words. */
async function signatureRegions(image: GrayPage, words: OcrWord[]): Promise<StrokeRegion[]> {
  // At the signed check's analysis size: strokes stay several pixels wide, and the finding costs a fraction of a reading.
  const side = Math.min(ANALYSIS_SIDE, Math.max(image.width, image.height));
  const raw = sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 1 } });
  const raster = await rgbOf(raw.resize({ width: side, height: side, fit: 'inside' }));
  const scale = raster.width / image.width;
  const rasterWords: RasterWord[] = words.map(({ text, confidence, bbox: [x0, y0, x1, y1] }) => ({
    text,
    confidence,
    box: { x0: x0 * scale, y0: y0 * scale, x1: x1 * scale, y1: y1 * scale },
  }));
  return detectSignedPage(raster, rasterWords)
    .regions.filter((region) => region.kind === 'signature')
    .map((region) => ({ x0: region.x0 / scale, y0: region.y0 / scale, x1: region.x1 / scale, y1: region.y1 / scale }));
}

/** The engine's reading of `image` without the words that are a signature's strokes. */
export async function withoutSignatureStrokes(image: GrayPage, page: LinedPage): Promise<PageText> {
  const editable = (word: OcrWord) => mayBeStrokes(word) || withoutTrailingMarks(word.text) !== word.text;
  if (labelBoxes(page.words).length === 0 || !page.words.some(editable)) return withEdits(page, new Map());
  return withEdits(page, strokeEdits(page.words, await signatureRegions(image, page.words)));
}
