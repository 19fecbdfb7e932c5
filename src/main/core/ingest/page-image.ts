/**
 * Pages of a stored file as image pipelines, at most `maxSide` pixels on their longest side: image
 * frames upright (EXIF applied), PDF pages rendered with pdfjs onto a white @napi-rs/canvas (text-layer
 * pages too: a thumbnail or a barcode needs the picture, not the text). The original bytes are only read.
 */
import type { Sharp } from 'sharp';
import { openPdf } from '../pdf/pdfjs';
import { MAX_PIXELS } from './inspect';
import { createCanvas, sharp } from '../native-libraries';

export type PdfDocument = Awaited<ReturnType<typeof openPdf>>;

export async function renderPdfPage(document: PdfDocument, pageIndex: number, maxSide: number): Promise<Sharp> {
  const page = await document.getPage(pageIndex + 1);
  try {
    const base = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: maxSide / Math.max(base.width, base.height) });
    const width = Math.max(1, Math.round(viewport.width));
    const height = Math.max(1, Math.round(viewport.height));
    const canvas = createCanvas(width, height);
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    await page.render({ canvasContext: context as never, canvas: canvas as never, viewport }).promise;
    // Copied out as raw pixels: the pipeline holds no pdfjs or canvas state once the page is cleaned up.
    const pixels = context.getImageData(0, 0, width, height).data;
    return sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width, height, channels: 4 } });
  } finally {
    page.cleanup();
  }
}

function imageFrame(bytes: Buffer, pageIndex: number, maxSide: number): Sharp {
  return sharp(bytes, { page: pageIndex, limitInputPixels: MAX_PIXELS })
    .rotate()
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
}

/** One page. */
export async function pageImage(bytes: Buffer, mime: string, pageIndex: number, maxSide: number): Promise<Sharp> {
  if (mime !== 'application/pdf') return imageFrame(bytes, pageIndex, maxSide);
  const document = await openPdf(bytes);
  try {
    return await renderPdfPage(document, pageIndex, maxSide);
  } finally {
    await document.destroy();
  }
}

/** Every page in order, one at a time (a 500-page PDF is opened once and never held whole as pixels). */
export async function forEachPageImage(
  bytes: Buffer,
  mime: string,
  pageCount: number,
  maxSide: number,
  visit: (pageIndex: number, image: Sharp) => Promise<void>,
): Promise<void> {
  if (mime !== 'application/pdf') {
    for (let index = 0; index < pageCount; index += 1) await visit(index, imageFrame(bytes, index, maxSide));
    return;
  }
  const document = await openPdf(bytes);
  try {
    for (let index = 0; index < pageCount; index += 1) await visit(index, await renderPdfPage(document, index, maxSide));
  } finally {
    await document.destroy();
  }
}
