/**
 * `blobs:read`: part of a stored file by its hash. A window working on a server shows page images its host
 * cannot read from a disk of its own, so the host asks for them through the contract, a piece at a time
 * (FILE_PIECE_BYTES, base64 in one frame).
 */
import { open } from 'node:fs/promises';
import type { BlobChunk } from '../../../shared/contract';
import { SlipVaultError } from '../../../shared/errors';
import type { BlobStore } from './blobs';

export async function readBlobChunk(blobs: BlobStore, sha256: string, offset: number, length: number): Promise<BlobChunk> {
  if (!blobs.has(sha256)) {
    // A disposed document's files are gone on purpose; either way there is nothing to show.
    throw new SlipVaultError('NOT_FOUND', `This archive holds no file ${sha256}.`, { sha256 }).withMessage('blobs.notFound', { sha256 });
  }
  const handle = await open(blobs.pathOf(sha256), 'r');
  try {
    const total = (await handle.stat()).size;
    if (offset > total) {
      throw new SlipVaultError('VALIDATION', `The file ${sha256} has ${total} bytes; offset ${offset} is past its end.`, { sha256, offset, total }).withMessage(
        'blobs.offsetPastEnd',
        { sha256, offset, total },
      );
    }
    const buffer = Buffer.alloc(Math.min(length, total - offset));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    return { total, base64: buffer.subarray(0, bytesRead).toString('base64') };
  } finally {
    await handle.close();
  }
}
