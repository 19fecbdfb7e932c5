/**
 * Thumbnails for lists and page strips: one small JPEG per page, derived at import and stored as a blob
 * beside the untouched original. JPEG because every page-blob route already recognises it.
 */
import { SlipVaultError } from '../../../shared/errors';
import type { InspectedFile } from './inspect';
import { forEachPageImage } from './page-image';

export const THUMBNAIL_WIDTH = 320;
/** PDF pages are rendered at twice the thumbnail size and scaled down: sharper than rendering at 320 px. */
const PDF_RENDER_SIDE = THUMBNAIL_WIDTH * 2;

export async function pageThumbnails(file: InspectedFile, store: (jpeg: Buffer) => string): Promise<string[]> {
  const hashes: string[] = [];
  let current = 0;
  try {
    await forEachPageImage(file.bytes, file.mime, file.pageCount, PDF_RENDER_SIDE, async (pageIndex, image) => {
      current = pageIndex;
      const jpeg = await image
        .flatten({ background: '#ffffff' })
        .resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true })
        .jpeg({ quality: 70, mozjpeg: true })
        .toBuffer();
      hashes.push(store(jpeg));
    });
  } catch (error) {
    if (error instanceof SlipVaultError) throw error;
    throw new SlipVaultError('CORRUPT_FILE', `Page ${current + 1} of ${file.filename} cannot be rendered: ${(error as Error).message}.`, {
      file: file.path,
      page: current + 1,
    }).withMessage('files.pageUnrenderable', { page: current + 1, file: file.filename });
  }
  return hashes;
}
