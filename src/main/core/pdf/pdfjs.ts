/**
 * Loads pdfjs-dist's Node build lazily (it is an ES module and large). Documents are opened from bytes
 * with every network-capable feature off: the archive is offline (DESIGN rule 6).
 */
type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let loading: Promise<PdfJs> | undefined;

export function loadPdfJs(): Promise<PdfJs> {
  loading ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return loading;
}

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
  }).promise;
}
