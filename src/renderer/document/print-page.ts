/**
 * Prints one page and nothing else of the window: the page's picture goes on a sheet of its own at the end
 * of the body, print styles (viewer.css) hide everything beside it, and the sheet is removed once the print
 * dialog is done. An image page is printed from its file; a PDF page from the viewer's canvas, as drawn.
 */
export function pictureOfShownPage(kind: 'image' | 'pdf', url: string, viewport: ParentNode | null): string | null {
  if (kind === 'image') return url;
  const canvas = viewport?.querySelector<HTMLCanvasElement>('canvas.page-surface');
  return canvas && canvas.width > 0 ? canvas.toDataURL('image/png') : null;
}

export async function printPicture(src: string, rotation: number): Promise<void> {
  const sheet = document.createElement('div');
  sheet.className = `print-sheet${rotation % 180 === 0 ? '' : ' print-sheet-sideways'}`;
  const picture = new Image();
  picture.src = src;
  picture.style.transform = `rotate(${rotation}deg)`;
  await picture.decode();
  sheet.append(picture);
  document.body.append(sheet);
  window.addEventListener('afterprint', () => sheet.remove(), { once: true });
  window.print();
}
