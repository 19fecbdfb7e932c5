/**
 * Splits a scanned batch into documents. Two kinds of boundary:
 * - a blank separator sheet (white, (almost) no ink): dropped; the pages between sheets form one document;
 * - a page with a barcode / QR code carrying a slip number (by the extractor's slip-number patterns):
 *   it starts a new document and is that document's first page.
 * No boundary: one document.
 */
import sharp from 'sharp';
import { readPageBarcodes, slipNumbersOf } from './barcodes';

/** A white sheet: bright on average and nearly uniform (scanner noise stays well under this). */
const BLANK_MIN_MEAN = 200;
const BLANK_MAX_STDEV = 6;

export async function isBlankPage(image: Buffer): Promise<boolean> {
  const { channels } = await sharp(image).greyscale().resize({ width: 400, withoutEnlargement: true }).stats();
  const grey = channels[0]!;
  return grey.mean >= BLANK_MIN_MEAN && grey.stdev <= BLANK_MAX_STDEV;
}

export interface BatchDocument {
  pages: Buffer[];
  /** The slip number on the barcode that started this document, or null. */
  slipNo: string | null;
}

export async function splitBatch(pages: Buffer[], slipPatterns?: string[]): Promise<BatchDocument[]> {
  const documents: BatchDocument[] = [];
  let current: BatchDocument = { pages: [], slipNo: null };
  const close = () => {
    if (current.pages.length > 0) documents.push(current);
    current = { pages: [], slipNo: null };
  };
  for (const page of pages) {
    if (await isBlankPage(page)) {
      close();
      continue;
    }
    const slipNo = slipNumbersOf(await readPageBarcodes(page), slipPatterns)[0];
    // A second copy of the same slip's barcode (e.g. on its back side) continues the document.
    if (slipNo && slipNo !== current.slipNo) {
      close();
      current.slipNo = slipNo;
    }
    current.pages.push(page);
  }
  close();
  return documents;
}
