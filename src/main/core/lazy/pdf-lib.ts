/**
 * pdf-lib, loaded when a PDF is first made: its ~300 files cost every CLI command ~0.1 s of CPU at start-up,
 * and more reading them from a cold disk, though only the PDF exports use it.
 */
export type PdfLib = typeof import('pdf-lib');

export function loadPdfLib(): Promise<PdfLib> {
  return import('pdf-lib');
}
