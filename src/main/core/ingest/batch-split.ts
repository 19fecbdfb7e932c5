/**
 * Splits a scanned batch into documents on blank separator sheets: a white page with (almost) no ink.
 * Separator pages are dropped; pages between them form one document. No separator: one document.
 */
import sharp from 'sharp';

/** A white sheet: bright on average and nearly uniform (scanner noise stays well under this). */
const BLANK_MIN_MEAN = 200;
const BLANK_MAX_STDEV = 6;

export async function isBlankPage(image: Buffer): Promise<boolean> {
  const { channels } = await sharp(image).greyscale().resize({ width: 400, withoutEnlargement: true }).stats();
  const grey = channels[0]!;
  return grey.mean >= BLANK_MIN_MEAN && grey.stdev <= BLANK_MAX_STDEV;
}

export async function splitOnBlankPages(pages: Buffer[]): Promise<Buffer[][]> {
  const documents: Buffer[][] = [];
  let current: Buffer[] = [];
  for (const page of pages) {
    if (await isBlankPage(page)) {
      if (current.length > 0) documents.push(current);
      current = [];
    } else {
      current.push(page);
    }
  }
  if (current.length > 0) documents.push(current);
  return documents;
}
