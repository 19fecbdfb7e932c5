/**
 * PDF pages in the renderer with pdfjs-dist. Parsing and image decoding run in pdfjs's worker (bundled next
 * to the UI by scripts/build.mjs, never a CDN), so a heavy PDF does not block typing; only the final
 * drawing onto a canvas happens here. Fonts, CJK cmaps and the JBIG2/JPEG2000 wasm come from the same
 * local folder. The bytes are fetched from the page URL the platform gives (same origin in the preview,
 * slipvault-page: in Electron; both allowed by connect-src).
 */
import type { PDFDocumentProxy, PDFPageProxy, RenderTask } from 'pdfjs-dist';
import type { Size } from './viewer-geometry';

type PdfJs = typeof import('pdfjs-dist');

const assetUrl = (path: string) => new URL(path, document.baseURI).href;

let library: Promise<PdfJs> | undefined;

function loadPdfJs(): Promise<PdfJs> {
  library ??= import('pdfjs-dist').then((pdfjs) => {
    pdfjs.GlobalWorkerOptions.workerSrc = assetUrl('pdfjs/pdf.worker.min.mjs');
    return pdfjs;
  });
  return library;
}

/** A few open documents are kept: paging through one PDF must not parse it again for every page. */
const KEEP_OPEN = 4;
const open = new Map<string, Promise<PDFDocumentProxy>>();

async function load(url: string): Promise<PDFDocumentProxy> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The PDF could not be loaded (${response.status}).`);
  return openPdfBytes(new Uint8Array(await response.arrayBuffer()));
}

/** A PDF the page already holds (a slip exported for printing), not cached. */
export async function openPdfBytes(data: Uint8Array): Promise<PDFDocumentProxy> {
  const pdfjs = await loadPdfJs();
  return pdfjs.getDocument({
    data,
    isEvalSupported: false,
    enableXfa: false,
    cMapUrl: assetUrl('pdfjs/cmaps/'),
    cMapPacked: true,
    standardFontDataUrl: assetUrl('pdfjs/standard_fonts/'),
    wasmUrl: assetUrl('pdfjs/wasm/'),
    iccUrl: assetUrl('pdfjs/iccs/'),
  }).promise;
}

export function openPdf(url: string): Promise<PDFDocumentProxy> {
  const cached = open.get(url);
  if (cached) {
    open.delete(url);
    open.set(url, cached); // most recently used last
    return cached;
  }
  const loading = load(url);
  loading.catch(() => open.delete(url));
  open.set(url, loading);
  while (open.size > KEEP_OPEN) {
    const [oldest, document] = open.entries().next().value!;
    open.delete(oldest);
    void document.then((pdf) => pdf.destroy()).catch(() => undefined);
  }
  return loading;
}

export async function pdfPage(url: string, sourcePage: number): Promise<PDFPageProxy> {
  const pdf = await openPdf(url);
  return pdf.getPage(sourcePage + 1);
}

/** A page's size in PDF points (1/72 inch), unrotated. */
export function pointSize(page: PDFPageProxy): Size {
  const viewport = page.getViewport({ scale: 1, rotation: 0 });
  return { width: viewport.width, height: viewport.height };
}

/** Canvases larger than this are drawn at a lower resolution (and scaled up by CSS). */
const MAX_CANVAS_PIXELS = 16_000_000;

/**
 * Draws the page unrotated at `cssPerPoint` CSS pixels per point, sharp on the screen's pixel ratio.
 * Returns the running task so a newer zoom can cancel it.
 */
export function drawPage(page: PDFPageProxy, canvas: HTMLCanvasElement, cssPerPoint: number): RenderTask {
  const css = page.getViewport({ scale: cssPerPoint, rotation: 0 });
  let ratio = window.devicePixelRatio || 1;
  const pixels = css.width * css.height * ratio * ratio;
  if (pixels > MAX_CANVAS_PIXELS) ratio *= Math.sqrt(MAX_CANVAS_PIXELS / pixels);
  const viewport = page.getViewport({ scale: cssPerPoint * ratio, rotation: 0 });
  canvas.width = Math.max(1, Math.floor(viewport.width));
  canvas.height = Math.max(1, Math.floor(viewport.height));
  canvas.style.width = `${css.width}px`;
  canvas.style.height = `${css.height}px`;
  return page.render({ canvas, viewport });
}
