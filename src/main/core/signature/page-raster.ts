/**
 * A page as RGB pixels for the signed check, small enough to analyse quickly, plus the scale back to the
 * frame of the page's OCR word boxes (the page as the viewer knows it: shrunk only to MAX_OCR_SIDE; a PDF
 * page as OCR rendered it), so regions and word boxes line up.
 */
import { MAX_OCR_SIDE } from '../ocr/page-input';
import { openPdf } from '../pdf/pdfjs';
import { pageImage } from '../ingest/page-image';
import { MAX_PIXELS } from '../ingest/inspect';
import { sharp } from '../native-libraries';

/** Longest side analysed: a signature stroke stays several pixels wide, a page takes well under a second. */
export const ANALYSIS_SIDE = 1400;
/** OCR renders image-only PDF pages at this resolution (ocr/page-input.ts). */
const PDF_OCR_DPI = 300;

export interface RgbRaster {
  /** 3 bytes per pixel, row by row. */
  pixels: Buffer;
  width: number;
  height: number;
}

export interface PageRaster extends RgbRaster {
  /** Multiply a raster coordinate by this to get the word-box frame's. */
  toFrame: number;
  frame: { width: number; height: number };
}

async function frameSide(bytes: Buffer, mime: string, pageIndex: number): Promise<number> {
  if (mime === 'application/pdf') {
    const document = await openPdf(bytes);
    try {
      const viewport = (await document.getPage(pageIndex + 1)).getViewport({ scale: 1 });
      return Math.min(MAX_OCR_SIDE, Math.ceil((Math.max(viewport.width, viewport.height) * PDF_OCR_DPI) / 72));
    } finally {
      await document.destroy();
    }
  }
  const { width = 0, height = 0, pageHeight } = await sharp(bytes, { page: pageIndex, limitInputPixels: MAX_PIXELS }).metadata();
  return Math.min(MAX_OCR_SIDE, Math.max(width, pageHeight ?? height));
}

/** RGB pixels of any image pipeline's output (alpha flattened onto white). */
export async function rgbOf(image: ReturnType<typeof sharp>): Promise<RgbRaster> {
  const { data, info } = await image.flatten({ background: '#ffffff' }).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height };
}

export async function pageRaster(bytes: Buffer, mime: string, pageIndex: number): Promise<PageRaster> {
  const raster = await rgbOf(await pageImage(bytes, mime, pageIndex, ANALYSIS_SIDE));
  const side = await frameSide(bytes, mime, pageIndex);
  const toFrame = side / Math.max(raster.width, raster.height);
  return { ...raster, toFrame, frame: { width: Math.round(raster.width * toFrame), height: Math.round(raster.height * toFrame) } };
}
