/**
 * Decides whether a file can enter the archive and how many pages it has. The type comes from the
 * file's first bytes, not its name; images are fully decoded so a truncated scan is refused at the door
 * rather than discovered when someone needs it.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import { countPdfPages } from '../pdf/page-count';
import { sharp } from '../native-libraries';

export const SUPPORTED_MIME = ['image/jpeg', 'image/png', 'image/tiff', 'application/pdf'] as const;
export type SupportedMime = (typeof SUPPORTED_MIME)[number];

export interface InspectedFile {
  path: string;
  filename: string;
  bytes: Buffer;
  mime: SupportedMime;
  pageCount: number;
}

/** sharp's default pixel limit; larger images are decompression bombs, not receipts. */
export const MAX_PIXELS = 268_402_689;

const EXTENSION_MIME: Record<string, SupportedMime> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.pdf': 'application/pdf',
};

const FOREIGN_SIGNATURES: { test: (head: Buffer) => boolean; name: string }[] = [
  { test: (head) => head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1')), name: 'a ZIP container (e.g. a Word or Excel file)' },
  { test: (head) => head.subarray(0, 8).equals(Buffer.from('d0cf11e0a1b11ae1', 'hex')), name: 'an old Office document' },
  { test: (head) => head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP', name: 'a WebP image' },
  { test: (head) => head.subarray(4, 8).toString('latin1') === 'ftyp', name: 'a HEIC/MP4 file' },
  { test: (head) => head.subarray(0, 3).toString('latin1') === 'GIF', name: 'a GIF image' },
  { test: (head) => head.subarray(0, 2).toString('latin1') === 'BM', name: 'a BMP image' },
];

export function sniffMime(head: Buffer): SupportedMime | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'))) return 'image/png';
  const tiffMagic = head.subarray(0, 4).toString('hex');
  if (tiffMagic === '49492a00' || tiffMagic === '4d4d002a') return 'image/tiff';
  if (head.subarray(0, 1024).includes('%PDF-')) return 'application/pdf';
  return null;
}

const SUPPORTED_LIST = 'JPG, PNG, TIFF and PDF';

async function readCandidate(path: string): Promise<Buffer> {
  const name = basename(path);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new SlipVaultError('FILE_NOT_FOUND', `${path} does not exist.`, { file: path }).withMessage('files.missing', { file: path });
    throw new SlipVaultError('FILE_UNREADABLE', `${path} cannot be read (${code ?? 'unknown error'}).`, { file: path }).withMessage('files.unreadable', {
      file: path,
    });
  }
  if (info.isDirectory()) {
    throw new SlipVaultError('UNSUPPORTED_FILE', `${path} is a folder, not a file. Import the files inside it.`, { file: path }).withMessage('files.isFolder', {
      file: path,
    });
  }
  if (!info.isFile())
    throw new SlipVaultError('UNSUPPORTED_FILE', `${path} is not a regular file.`, { file: path }).withMessage('files.notRegular', { file: path });
  if (info.size === 0) throw new SlipVaultError('CORRUPT_FILE', `${name} is empty (0 bytes).`, { file: path }).withMessage('files.empty', { file: name });
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SlipVaultError('FILE_UNREADABLE', `${path} cannot be read (${code ?? 'unknown error'}).`, { file: path }).withMessage('files.unreadable', {
      file: path,
    });
  }
}

function refuseUnknownType(path: string, head: Buffer): never {
  const name = basename(path);
  const foreign = FOREIGN_SIGNATURES.find((signature) => signature.test(head));
  const what = foreign ? `it is ${foreign.name}` : `its type (${extname(name) || 'no extension'}) is not recognised`;
  throw new SlipVaultError('UNSUPPORTED_FILE', `${name} cannot be imported: ${what}. SlipVault imports ${SUPPORTED_LIST}.`, { file: path }).withMessage(
    'files.unsupported',
    { file: name },
  );
}

async function countImagePages(path: string, bytes: Buffer, mime: SupportedMime): Promise<number> {
  const name = basename(path);
  let pages: number;
  try {
    const metadata = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata();
    pages = mime === 'image/tiff' ? (metadata.pages ?? 1) : 1;
    for (let page = 0; page < pages; page += 1) {
      // A full decode with failOn 'warning' is what catches truncated and damaged scans.
      await sharp(bytes, { page, failOn: 'warning', limitInputPixels: MAX_PIXELS }).raw().toBuffer();
    }
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0] ?? 'unreadable image data';
    if (/pixel limit/i.test(reason)) {
      throw new SlipVaultError('CORRUPT_FILE', `${name} is too large to be a scanned page (more than ${MAX_PIXELS.toLocaleString('en')} pixels).`, {
        file: path,
      }).withMessage('files.tooLarge', { file: name });
    }
    throw new SlipVaultError('CORRUPT_FILE', `${name} is damaged or incomplete and cannot be read as ${mime.replace('image/', '').toUpperCase()}: ${reason}.`, {
      file: path,
    }).withMessage('files.damaged', { file: name });
  }
  return pages;
}

export async function inspectFile(path: string): Promise<InspectedFile> {
  const bytes = await readCandidate(path);
  const filename = basename(path);
  const sniffed = sniffMime(bytes.subarray(0, 1024));
  const claimed = EXTENSION_MIME[extname(filename).toLowerCase()];
  if (sniffed === null) {
    if (claimed) {
      throw new SlipVaultError('CORRUPT_FILE', `${filename} is named like a ${claimed.split('/')[1]?.toUpperCase()} file but its content is not one.`, {
        file: path,
      }).withMessage('files.misnamed', { file: filename });
    }
    refuseUnknownType(path, bytes);
  }
  const pageCount = sniffed === 'application/pdf' ? await countPdfPages(path, bytes) : await countImagePages(path, bytes, sniffed);
  return { path, filename, bytes, mime: sniffed, pageCount };
}
