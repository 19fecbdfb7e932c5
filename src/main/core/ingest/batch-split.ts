/**
 * Splits a scanned batch into documents. Two kinds of boundary:
 * - a blank separator sheet (white, (almost) no ink): dropped; the pages between sheets form one document;
 * - a page with a barcode / QR code carrying a slip number (by the extractor's slip-number patterns):
 *   it starts a new document and is that document's first page.
 * No boundary: one document. The same rules apply to a scanner's batch and to a multi-page file an
 * office scanner dropped into the hot folder or a clerk imported.
 */
import type { Sharp } from 'sharp';
import { readPixelBarcodes, rgbaPixels, slipNumbersOf, type RgbaPixels } from './barcodes';
import { sharp } from '../native-libraries';

/**
 * A white sheet: bright on average and nearly uniform. On the slips set's image-only PDFs, noisy scans
 * of blank sheets spread 2.1 and 6.5 (grey levels, at 400 px wide), printed pages 12.6 and more…
 */
const BLANK_MIN_MEAN = 200;
const BLANK_MAX_STDEV = 10;
/**
 * …with next to no ink: a few lines of text in a corner of an A4 scan barely move the average and the
 * spread, but they are thousands of dark pixels at this width; dust is a handful. A page wrongly taken
 * for a separator would be left out of every document, so a doubtful page counts as content.
 */
const INK_WIDTH = 1000;
const INK_LEVEL = 128;
const BLANK_MAX_INK = 0.0002;

async function greyPixels({ data, width, height }: RgbaPixels, maxWidth: number): Promise<{ grey: Buffer; width: number; height: number }> {
  // Flattened first: a transparent PDF render or PNG counts by what it shows on white paper.
  const { data: grey, info } = await sharp(data, { raw: { width, height, channels: 4 } })
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize({ width: maxWidth, withoutEnlargement: true })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { grey, width: info.width, height: info.height };
}

async function isBlankPixels(pixels: RgbaPixels): Promise<boolean> {
  const small = await greyPixels(pixels, 400);
  const { channels } = await sharp(small.grey, { raw: { width: small.width, height: small.height, channels: 1 } }).stats();
  const grey = channels[0]!;
  if (grey.mean < BLANK_MIN_MEAN || grey.stdev > BLANK_MAX_STDEV) return false;
  const { grey: detail } = await greyPixels(pixels, INK_WIDTH);
  let ink = 0;
  for (const value of detail) if (value < INK_LEVEL) ink += 1;
  return ink <= detail.length * BLANK_MAX_INK;
}

export async function isBlankPage(image: Buffer | Sharp): Promise<boolean> {
  return isBlankPixels(await rgbaPixels(Buffer.isBuffer(image) ? image : image.clone()));
}

/** What a page means for splitting. */
export interface PageMark {
  blank: boolean;
  /** The slip number a barcode on the page carries, or null. */
  slipNo: string | null;
}

/** The page is decoded once: the blank test and the barcode reader look at the same pixels. */
export async function markPage(image: Buffer | Sharp, slipPatterns?: string[]): Promise<PageMark> {
  const pixels = await rgbaPixels(image);
  if (await isBlankPixels(pixels)) return { blank: true, slipNo: null };
  return { blank: false, slipNo: slipNumbersOf(await readPixelBarcodes(pixels), slipPatterns)[0] ?? null };
}

export interface BatchPart {
  /** Indexes of the part's pages in the batch, in order; separator sheets belong to no part. */
  pages: number[];
  /** The slip number on the barcode that started this part, or null. */
  slipNo: string | null;
}

/** Groups marked pages into parts by the rules above. */
export function groupPages(marks: PageMark[]): BatchPart[] {
  const parts: BatchPart[] = [];
  let current: BatchPart = { pages: [], slipNo: null };
  const close = () => {
    if (current.pages.length > 0) parts.push(current);
    current = { pages: [], slipNo: null };
  };
  marks.forEach((mark, index) => {
    if (mark.blank) {
      close();
      return;
    }
    // A second copy of the same slip's barcode (e.g. on its back side) continues the document.
    if (mark.slipNo && mark.slipNo !== current.slipNo) {
      close();
      current.slipNo = mark.slipNo;
    }
    current.pages.push(index);
  });
  close();
  return parts;
}
