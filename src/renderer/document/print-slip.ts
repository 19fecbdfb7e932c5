/**
 * Prints a slip exported as PDF (cover page and every page) and nothing else of the window: each PDF page is
 * drawn with pdfjs onto a canvas and goes on a sheet of its own at the end of the body, as print-page.ts does
 * for one page (its print styles hide everything beside the sheets); the sheets go once the dialog is done.
 */
import { openPdfBytes } from './pdf-pages';

/** Canvas pixels per PDF point: 2 draws at 144 dpi, readable on paper without huge canvases. */
const PRINT_SCALE = 2;

export function bytesOfBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

async function sheetsOf(data: Uint8Array): Promise<HTMLDivElement[]> {
  const pdf = await openPdfBytes(data);
  try {
    const sheets: HTMLDivElement[] = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const page = await pdf.getPage(number);
      const viewport = page.getViewport({ scale: PRINT_SCALE });
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(viewport.width);
      canvas.height = Math.ceil(viewport.height);
      await page.render({ canvas, viewport }).promise;
      const picture = new Image();
      picture.src = canvas.toDataURL('image/jpeg', 0.92);
      await picture.decode();
      const sheet = document.createElement('div');
      sheet.className = 'print-sheet slip-print-sheet';
      sheet.append(picture);
      sheets.push(sheet);
      page.cleanup();
    }
    return sheets;
  } finally {
    void pdf.destroy();
  }
}

export async function printSlipPdf(base64: string): Promise<void> {
  const sheets = await sheetsOf(bytesOfBase64(base64));
  document.body.append(...sheets);
  window.addEventListener('afterprint', () => sheets.forEach((sheet) => sheet.remove()), { once: true });
  window.print();
}
