/**
 * A page image of a server's archive, for a host whose window works on that server: read through the
 * contract (`blobs:read`) a piece at a time, and served to the page only if its bytes hash to the name
 * asked for — the files are content-addressed, so a server cannot pass off other bytes as a page.
 */
import { createHash } from 'node:crypto';
import { FILE_PIECE_BYTES, type BlobChunk, type CallResult, type Method } from '../../shared/contract';

type Invoke = (method: Method, input: unknown) => Promise<CallResult<Method>>;

/** The file's bytes, or null when the server has no such file, refuses, or sends bytes that are not it. */
export async function readRemoteBlob(invoke: Invoke, sha256: string): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let offset = 0;
  let total = Number.POSITIVE_INFINITY;
  while (offset < total) {
    const result = await invoke('blobs:read', { sha256, offset, length: FILE_PIECE_BYTES });
    if (!result.ok) return null;
    const chunk = result.value as BlobChunk;
    total = chunk.total;
    const bytes = Buffer.from(chunk.base64, 'base64');
    // An empty piece before the end would ask for the same piece forever.
    if (bytes.length === 0 && offset < total) return null;
    parts.push(bytes);
    offset += bytes.length;
  }
  const whole = Buffer.concat(parts);
  return createHash('sha256').update(whole).digest('hex') === sha256 ? whole : null;
}
