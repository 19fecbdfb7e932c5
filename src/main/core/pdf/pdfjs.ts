/**
 * Loads pdfjs-dist's Node build lazily (it is an ES module and large). Documents are opened from bytes
 * with every network-capable feature off: the archive is offline (docs/architecture.md, "Offline always").
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let loading: Promise<PdfJs> | undefined;

export function loadPdfJs(): Promise<PdfJs> {
  loading ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return loading;
}

const requireFromHere = createRequire(import.meta.url);
/** pdfjs-dist's own files, read by path: CJK cmaps, standard fonts, the JBIG2/JPEG2000 wasm — never a CDN. */
export const PDFJS_DATA_FOLDERS = { cMapUrl: 'cmaps', standardFontDataUrl: 'standard_fonts', wasmUrl: 'wasm' } as const;
export const pdfjsDataFolder = (folder: string) => join(dirname(requireFromHere.resolve('pdfjs-dist/package.json')), folder) + '/';

export async function openPdf(bytes: Uint8Array) {
  const pdfjs = await loadPdfJs();
  // pdfjs takes ownership of (detaches) the buffer it is given, so it gets a copy.
  return pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    disableAutoFetch: true,
    disableStream: true,
    verbosity: 0,
    cMapUrl: pdfjsDataFolder(PDFJS_DATA_FOLDERS.cMapUrl),
    cMapPacked: true,
    standardFontDataUrl: pdfjsDataFolder(PDFJS_DATA_FOLDERS.standardFontDataUrl),
    wasmUrl: pdfjsDataFolder(PDFJS_DATA_FOLDERS.wasmUrl),
  }).promise;
}
