/**
 * Content-addressed, immutable blob store: `blobs/ab/cdef…` named by SHA-256. A blob is written to a
 * temporary file, fsynced, renamed into place and its directory fsynced, so a crash leaves either the whole
 * blob or nothing under its name. An existing blob is never overwritten.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import { toStorageError } from '../fs-errors';

const HASH_PATTERN = /^[0-9a-f]{64}$/;

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function isBlobHash(value: unknown): value is string {
  return typeof value === 'string' && HASH_PATTERN.test(value);
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class BlobStore {
  readonly root: string;
  private readonly tmpDir: string;

  constructor(archiveDir: string) {
    this.root = join(archiveDir, 'blobs');
    this.tmpDir = join(archiveDir, 'tmp');
  }

  /** Creates the folders; removes temporary files a crashed writer left behind. */
  prepare(): void {
    mkdirSync(this.root, { recursive: true });
    mkdirSync(this.tmpDir, { recursive: true });
    for (const leftover of readdirSync(this.tmpDir)) {
      if (leftover.startsWith('blob-')) rmSync(join(this.tmpDir, leftover), { force: true });
    }
  }

  pathOf(hash: string): string {
    if (!isBlobHash(hash)) throw new SlipVaultError('NOT_FOUND', `"${String(hash)}" is not a blob hash.`).withMessage('storage.notABlob');
    return join(this.root, hash.slice(0, 2), hash.slice(2));
  }

  has(hash: string): boolean {
    if (!isBlobHash(hash)) return false;
    try {
      return statSync(this.pathOf(hash)).isFile();
    } catch {
      return false;
    }
  }

  /** Stores the bytes and returns their hash; storing bytes that are already present is a no-op. */
  put(data: Uint8Array): string {
    return this.store(data).hash;
  }

  /** Like put, and says whether this call created the blob (so a failed operation can take it back). */
  store(data: Uint8Array): { hash: string; created: boolean } {
    const hash = sha256(data);
    const finalPath = this.pathOf(hash);
    if (this.has(hash)) return { hash, created: false };
    const shardDir = join(this.root, hash.slice(0, 2));
    const tmpPath = join(this.tmpDir, `blob-${hash.slice(0, 16)}-${randomBytes(6).toString('hex')}`);
    try {
      mkdirSync(shardDir, { recursive: true });
      const fd = openSync(tmpPath, 'wx');
      try {
        let offset = 0;
        while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmpPath, finalPath);
      fsyncDirectory(shardDir);
    } catch (error) {
      rmSync(tmpPath, { force: true });
      throw toStorageError(error, `Could not store a file in the archive (${this.root})`);
    }
    return { hash, created: true };
  }

  /**
   * Takes back a blob that the current, failed operation created and nothing refers to. Blobs that
   * any committed row refers to are never removed; the caller checks that.
   */
  discard(hash: string): void {
    rmSync(this.pathOf(hash), { force: true });
    fsyncDirectory(join(this.root, hash.slice(0, 2)));
  }

  async read(hash: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(hash));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new SlipVaultError('NOT_FOUND', `Blob ${hash} is missing from the archive.`, { blobHash: hash }).withMessage('storage.blobMissing');
      }
      throw error;
    }
  }

  /** Streams the blob through SHA-256: 'ok', 'missing' or 'corrupt'. */
  async verify(hash: string): Promise<'ok' | 'missing' | 'corrupt'> {
    if (!this.has(hash)) return 'missing';
    const digest = createHash('sha256');
    try {
      for await (const chunk of createReadStream(this.pathOf(hash))) digest.update(chunk as Buffer);
    } catch {
      return 'corrupt';
    }
    return digest.digest('hex') === hash ? 'ok' : 'corrupt';
  }

  /** Every hash present on disk, for `check` and later for backup. */
  list(): string[] {
    const hashes: string[] = [];
    for (const shard of readdirSync(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const rest of readdirSync(join(this.root, shard))) {
        const hash = shard + rest;
        if (isBlobHash(hash)) hashes.push(hash);
      }
    }
    return hashes;
  }
}
