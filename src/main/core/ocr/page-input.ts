/**
 * Turns one page of a stored file into what the recogniser needs: upright, sanely sized grayscale
 * pixels with red seals whitened and dark scanner borders cleared, or
 * for a PDF page with a text layer, that text itself (no OCR). Originals are never modified.
 */
import { SlipVaultError } from '../../../shared/errors';
import type { PageText } from '../../../shared/model';
import { clearDarkBorders, grayPage, type GrayPage } from './gray-page';
import { MAX_PIXELS } from '../ingest/inspect';
import { openPdf } from '../pdf/pdfjs';
import { createCanvas, sharp } from '../native-libraries';
import { colourPixels, whitenSeals } from './seal-suppression';
import type { Sharp } from 'sharp';

/**
 * `boxScale` turns word boxes of the recognised image into pixels of the page as the viewer knows it
 * (the image shrunk only to MAX_OCR_SIDE), so reading at a lower resolution does not move highlights.
 */
export type PageInput = { kind: 'image'; image: GrayPage; boxScale: number } | { kind: 'text'; page: PageText };

/** Longest side handed to tesseract: ~300 DPI for A4; more only costs time. */
export const MAX_OCR_SIDE = 3500;
/**
 * Scans that declare a higher resolution are scaled down to this before OCR. Tesseract scales every
 * text line to a fixed height anyway; on the slips benchmark (200–300 DPI scans) reading at 160 DPI
 * lowered both the error rate and the CPU per page (bench/results/ocr-history.md). Images without a
 * declared resolution, or a lower one, are left as they are.
 */
const OCR_TARGET_DPI = 160;
const PDF_RENDER_DPI = 300;

/** The grayscale page the engines read: red seals whitened (seal-suppression.ts), dark scanner borders cleared. */
async function readablePage(pipeline: Sharp): Promise<GrayPage> {
  const image = await grayPage(pipeline.clone());
  const colour = await colourPixels(pipeline);
  if (colour) whitenSeals(image, colour);
  return clearDarkBorders(image);
}

async function imagePage(bytes: Buffer, page: number): Promise<PageInput> {
  const source = sharp(bytes, { page, limitInputPixels: MAX_PIXELS });
  const { density, width = 0, height = 0, pageHeight } = await source.metadata();
  const scale = density && density > OCR_TARGET_DPI ? OCR_TARGET_DPI / density : 1;
  const longest = Math.max(width, pageHeight ?? height);
  const side = Math.min(MAX_OCR_SIDE, Math.max(1, Math.round(longest * scale)));
  const image = await readablePage(
    source
      .rotate() // EXIF orientation: phones and some scanners store pages sideways with a flag
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true }),
  );
  const boxScale = scale < 1 ? Math.min(MAX_OCR_SIDE, longest) / Math.max(image.width, image.height) : 1;
  return { kind: 'image', image, boxScale };
}

async function pdfPage(bytes: Buffer, pageIndex: number): Promise<PageInput> {
  const document = await openPdf(bytes);
  try {
    const page = await document.getPage(pageIndex + 1);
    const content = await page.getTextContent();
    let text = '';
    for (const item of content.items) {
      if (!('str' in item)) continue;
      text += item.str + (item.hasEOL ? '\n' : '');
    }
    text = text.replace(/[ \t]+\n/g, '\n').trim();
    if (text.replace(/\s/g, '').length > 0) return { kind: 'text', page: { text, words: [], confidence: 100, source: 'pdf-text' } };
    const base = page.getViewport({ scale: 1 });
    const scale = Math.min(PDF_RENDER_DPI / 72, MAX_OCR_SIDE / Math.max(base.width, base.height));
    const viewport = page.getViewport({ scale });
    const width = Math.ceil(viewport.width);
    const height = Math.ceil(viewport.height);
    const canvas = createCanvas(width, height);
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    await page.render({ canvasContext: context as never, canvas: canvas as never, viewport }).promise;
    return { kind: 'image', image: await readablePage(sharp(canvas.toBuffer('image/png'))), boxScale: 1 };
  } finally {
    await document.destroy();
  }
}

export async function pageInput(bytes: Buffer, mime: string, pageIndex: number, filename: string): Promise<PageInput> {
  try {
    return mime === 'application/pdf' ? await pdfPage(bytes, pageIndex) : await imagePage(bytes, pageIndex);
  } catch (error) {
    if (error instanceof SlipVaultError) throw error;
    throw new SlipVaultError('CORRUPT_FILE', `Page ${pageIndex + 1} of ${filename} could not be prepared for OCR: ${(error as Error).message}.`, {
      file: filename,
      page: pageIndex + 1,
    }).withMessage('ocr.pageUnprepared', { page: pageIndex + 1, file: filename });
  }
}
