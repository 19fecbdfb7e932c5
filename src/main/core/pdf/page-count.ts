import { basename } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import { openPdf } from './pdfjs';

export async function countPdfPages(path: string, bytes: Uint8Array): Promise<number> {
  const name = basename(path);
  let pages: number;
  try {
    const document = await openPdf(bytes);
    pages = document.numPages;
    await document.destroy();
  } catch (error) {
    const kind = (error as { name?: string }).name;
    if (kind === 'PasswordException') {
      throw new SlipVaultError('UNSUPPORTED_FILE', `${name} is a password-protected PDF. Remove the password and import it again.`, { file: path }).withMessage(
        'files.pdfPassword',
        { file: name },
      );
    }
    throw new SlipVaultError('CORRUPT_FILE', `${name} is not a readable PDF: ${(error as Error).message.replace(/\.+$/, '')}.`, { file: path }).withMessage(
      'files.pdfUnreadable',
      { file: name },
    );
  }
  if (pages < 1) throw new SlipVaultError('CORRUPT_FILE', `${name} is a PDF with no pages.`, { file: path }).withMessage('files.pdfEmpty', { file: name });
  return pages;
}
