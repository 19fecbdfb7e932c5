/**
 * Batch splitting for one stored multi-page file (a PDF or TIFF an office scanner dropped into the hot
 * folder, or a clerk imported): its pages are marked one at a time (a 500-page PDF is never held whole
 * as pixels) and grouped by the scanner batch's rules (batch-split.ts).
 */
import { SlipVaultError } from '../../../shared/errors';
import { loadPdfJs, openPdf } from '../pdf/pdfjs';
import { groupPages, markPage, type BatchPart, type PageMark } from './batch-split';
import type { InspectedFile } from './inspect';
import { forEachPageImage, renderPdfPage, type PdfDocument } from './page-image';

/**
 * Pages are looked at no larger than this (about 170 DPI for A4): a Code 128 or QR code of usual print
 * size still decodes, at half the cost of reading the full 300 DPI scan.
 */
export const SPLIT_RENDER_SIDE = 2000;

/** A page that is neither a separator sheet nor starts a slip. */
const CONTENT: PageMark = { blank: false, slipNo: null };

/** Every page of the file as one part. */
export function wholeFile(file: InspectedFile, slipNo: string | null): BatchPart {
  return { pages: Array.from({ length: file.pageCount }, (_, index) => index), slipNo };
}

/** Whether the page paints any raster image (a scan), by its operator list: no rendering needed. */
async function paintsAnImage(document: PdfDocument, pageIndex: number, imageOps: Set<number>): Promise<boolean> {
  const page = await document.getPage(pageIndex + 1);
  try {
    const { fnArray } = await page.getOperatorList();
    return fnArray.some((fn) => imageOps.has(fn));
  } finally {
    page.cleanup();
  }
}

/**
 * A PDF page without any image is born-digital content (typed text, drawings), never a scanned
 * separator sheet: it is not rendered, which keeps a 500-page generated PDF cheap to import.
 */
async function markPdfPages(file: InspectedFile, slipPatterns: string[] | undefined): Promise<PageMark[]> {
  const { OPS } = await loadPdfJs();
  const imageOps = new Set([
    OPS.paintImageXObject,
    OPS.paintImageXObjectRepeat,
    OPS.paintInlineImageXObject,
    OPS.paintInlineImageXObjectGroup,
    OPS.paintImageMaskXObject,
    OPS.paintImageMaskXObjectGroup,
    OPS.paintImageMaskXObjectRepeat,
    OPS.paintSolidColorImageMask,
  ]);
  const document = await openPdf(file.bytes);
  try {
    const marks: PageMark[] = [];
    for (let index = 0; index < file.pageCount; index += 1) {
      const scanned = await paintsAnImage(document, index, imageOps);
      marks.push(scanned ? await markPage(await renderPdfPage(document, index, SPLIT_RENDER_SIDE), slipPatterns) : CONTENT);
    }
    return marks;
  } finally {
    await document.destroy();
  }
}

async function markImagePages(file: InspectedFile, slipPatterns: string[] | undefined): Promise<PageMark[]> {
  const marks: PageMark[] = [];
  await forEachPageImage(file.bytes, file.mime, file.pageCount, SPLIT_RENDER_SIDE, async (_, image) => {
    marks.push(await markPage(image, slipPatterns));
  });
  return marks;
}

export interface SplitOptions {
  /**
   * The file is a scanner's batch: every blank sheet is a separator and is left out, even when the batch
   * has only one part, and a batch of nothing but blank sheets is refused.
   */
  scanned?: boolean;
}

/**
 * The file's parts. An imported file without at least two parts stays whole (every page, a stray blank
 * one too): its author may have meant that page.
 */
export async function splitFile(file: InspectedFile, slipPatterns?: string[], options: SplitOptions = {}): Promise<BatchPart[]> {
  if (file.pageCount < 2 && !options.scanned) return [wholeFile(file, null)];
  const marks = file.mime === 'application/pdf' ? await markPdfPages(file, slipPatterns) : await markImagePages(file, slipPatterns);
  const parts = groupPages(marks);
  if (options.scanned) {
    if (parts.length === 0)
      throw new SlipVaultError('NOT_FOUND', `All ${file.pageCount} scanned page(s) are blank.`, { pages: file.pageCount }).withMessage('scan.allBlank', {
        pages: file.pageCount,
      });
    return parts;
  }
  return parts.length >= 2 ? parts : [wholeFile(file, parts[0]?.slipNo ?? null)];
}
