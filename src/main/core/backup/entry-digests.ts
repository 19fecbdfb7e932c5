/**
 * SHA-256 of each file in a set's tar stream as the plaintext passes: on the decryption thread for a
 * restore (decrypt-loop.ts), so the hashing runs beside the copying and writing, and on the calling thread
 * for a verify (read.ts). The calling thread parses the same bytes and takes one digest per file it ends.
 */
import { createHash } from 'node:crypto';
import { TarReader } from './tar';

export class EntryDigests {
  private finished: string[] = [];
  private unreadable = false;
  private readonly tar = new TarReader(() => {
    const hash = createHash('sha256');
    return {
      data: (chunk) => hash.update(chunk),
      end: () => this.finished.push(hash.digest('hex')),
    };
  });

  /** Parses and hashes the next plaintext; a stream the parser refuses gets no more digests (the caller's parser refuses it too). */
  push(plain: Buffer): void {
    if (this.unreadable) return;
    try {
      this.tar.push(plain);
    } catch {
      this.unreadable = true;
    }
  }

  /** The digests (hex) of the files that ended since the last call, in stream order. */
  take(): string[] {
    const taken = this.finished;
    this.finished = [];
    return taken;
  }
}
