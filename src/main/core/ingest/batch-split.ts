/**
 * Splits a scanned batch into documents. Two kinds of boundary:
 * - a blank separator sheet (white, (almost) no ink): dropped; the pages between sheets form one document;
 * - a page with a barcode / QR code carrying a slip number (by the extractor's slip-number patterns):
 *   it starts a new document and is that document's first page.
 * No boundary: one document. The same rules apply to a scanner's batch and to a multi-page file an
 * office scanner dropped into the hot folder or a clerk imported.
 */
import sharp, { type Sharp } from 'sharp';
import { readPixelBarcodes, rgbaPixels, slipNumbersOf, type RgbaPixels } from './barcodes';

/** A white sheet: bright on average and nearly uniform (scanner noise stays well under this). */
const BLANK_MIN_MEAN = 200;
const BLANK_MAX_STDEV = 6;

async function isBlankPixels({ data, width, height }: RgbaPixels): Promise<boolean> {
  const { channels } = await sharp(data, { raw: { width, height, channels: 4 } })
    .greyscale()
    .resize({ width: 400, withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true })
    .then(({ data: grey, info }) => sharp(grey, { raw: { width: info.width, height: info.height, channels: info.channels } }).stats());
  const grey = channels[0]!;
  return grey.mean >= BLANK_MIN_MEAN && grey.stdev <= BLANK_MAX_STDEV;
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

export interface MarkOptions {
  slipPatterns?: string[] | undefined;
  /** The quicker barcode read (see readPixelBarcodes), for files of hundreds of pages. */
  quick?: boolean;
}

/** The page is decoded once: the blank test and the barcode reader look at the same pixels. */
export async function markPage(image: Buffer | Sharp, options: MarkOptions = {}): Promise<PageMark> {
  const pixels = await rgbaPixels(image);
  if (await isBlankPixels(pixels)) return { blank: true, slipNo: null };
  const barcodes = await readPixelBarcodes(pixels, !options.quick);
  return { blank: false, slipNo: slipNumbersOf(barcodes, options.slipPatterns)[0] ?? null };
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

export interface BatchDocument {
  pages: Buffer[];
  /** The slip number on the barcode that started this document, or null. */
  slipNo: string | null;
}

export async function splitBatch(pages: Buffer[], slipPatterns?: string[]): Promise<BatchDocument[]> {
  const marks: PageMark[] = [];
  for (const page of pages) marks.push(await markPage(page, { slipPatterns }));
  return groupPages(marks).map((part) => ({ pages: part.pages.map((index) => pages[index]!), slipNo: part.slipNo }));
}
