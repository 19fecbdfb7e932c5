/** How the viewer shows a page: as an image the browser decodes, as a PDF page pdfjs draws, or not at all (TIFF). */
import type { DocumentDetail, PageSnapshot } from '../../shared/model';
import type { PageKind } from './PageViewer';

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/bmp']);

export function pageKind(detail: Pick<DocumentDetail, 'files'>, page: Pick<PageSnapshot, 'blobHash'>): PageKind {
  const mime = detail.files.find((file) => file.blobHash === page.blobHash)?.mime ?? '';
  return mime === 'application/pdf' ? 'pdf' : IMAGE_TYPES.has(mime) ? 'image' : 'none';
}
