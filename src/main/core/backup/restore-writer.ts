/**
 * Writes restored files into the staging folder on libuv's thread pool while the caller decrypts. Each
 * file's data is copied out of the decryption slots as it passes (so a slot goes back to the reading
 * thread at once) into aligned buffers (write-buffers.ts) and written past the page cache where the system
 * allows: one open, one write per 4 MiB (a whole scan is one), one fsync and one close, several files at
 * once; only each file's last partial block goes through the cache. With the data written directly, an fsync
 * has little more than the inode left to write, so it runs on the same pool right after the file's last
 * write, with no threads of its own to start: the disk flushes while later files are decrypted, and `finish()`
 * waits only for the last few.
 */
import { constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DIRECT_ALIGNMENT } from './direct-io';
import { closeAsync, fsyncAll, fsyncAsync, openAsync, writeAll, WriteQueue } from './io';
import { pathInside } from './restore-path';
import type { TarEntrySink } from './tar';
import { WriteBuffers, type Region } from './write-buffers';

const DIRECT_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_DIRECT ?? 0);

/** A file being written: opened past the cache or not, and reopened through the cache after a refusal. */
interface OpenFile {
  fd: number;
  direct: boolean;
}

/** How the writer's memory is bounded; the defaults suit a restore, tests make them small. */
export interface RestoreWriterLimits {
  /** The size of each write buffer (write-buffers.ts), also the most written in one call. */
  bufferBytes?: number;
  /** Bytes written or waiting to be written before settle() waits (io.ts). */
  bytesInFlight?: number;
}

export class RestoreWriter {
  private readonly writes = new WriteQueue();
  private readonly buffers: WriteBuffers;
  /** Each folder once, created on the pool: 257 mkdirs on the calling thread had cost it ~0.1 s. */
  private readonly folders = new Map<string, Promise<void>>();
  private readonly open = new Set<number>();

  /** `dir`: the (existing) folder the files go into, below which any folders are created. */
  constructor(
    private readonly dir: string,
    private readonly limits: RestoreWriterLimits = {},
  ) {
    this.buffers = new WriteBuffers(join(dir, '.direct-write-probe'), limits.bufferBytes);
  }

  /** A sink for a new file of `size` bytes at `name`, a relative path that must stay inside the folder. */
  file(name: string, size: number): TarEntrySink {
    const path = pathInside(this.dir, name);
    const folder = dirname(path);
    let created = this.folders.get(folder);
    if (!created) {
      created = mkdir(folder, { recursive: true }).then(() => undefined);
      created.catch(() => undefined); // the file's first write awaits it and fails with its error
      this.folders.set(folder, created);
    }
    let file: OpenFile | null = null;
    // A file's pieces are written in order; a failed one rejects every later one of the same file.
    let previous: Promise<void> = created;
    let region: Region | null = null;
    let regionStart = 0;
    let filled = 0;

    const write = (piece: Region | null, at: number, bytes: number) => {
      const last = at + bytes === size;
      previous = previous
        .then(async () => {
          file ??= await this.openFile(path);
          if (piece) file = await this.writePiece(file, path, piece, bytes, at);
          if (!last) return;
          await fsyncAsync(file.fd);
          await this.closeFile(file.fd);
        })
        .finally(() => piece?.release());
      void this.writes.track(previous, bytes);
    };

    return {
      data: (chunk) => {
        let from = 0;
        while (from < chunk.length) {
          const regionBytes = Math.min(this.buffers.bufferBytes, size - regionStart);
          region ??= this.buffers.take(regionBytes);
          const copied = chunk.copy(region.view, filled, from, from + Math.min(chunk.length - from, regionBytes - filled));
          from += copied;
          filled += copied;
          if (filled < regionBytes) continue;
          write(region, regionStart, regionBytes);
          regionStart += regionBytes;
          region = null;
          filled = 0;
        }
      },
      end: () => {
        if (size === 0) write(null, 0, 0);
      },
    };
  }

  /** Whether files still go to the disk past the page cache. */
  get writesDirectly(): boolean {
    return this.buffers.direct;
  }

  /** Write buffers allocated so far (write-buffers.ts): bounded by the bytes in flight, not by the data. */
  get buffersAllocated(): number {
    return this.buffers.allocated;
  }

  /** Lets the producer wait while too much is still being written. */
  settle(): Promise<void> {
    return this.writes.settle(this.limits.bytesInFlight);
  }

  /** Waits until every file is written and durable, then makes their folders durable. */
  async finish(): Promise<void> {
    await this.writes.settle(0);
    this.buffers.close();
    await fsyncAll([...this.folders.keys()].sort((x, y) => y.length - x.length));
  }

  async abandon(): Promise<void> {
    await this.writes.abandon();
    this.buffers.close();
    await Promise.all([...this.open].map((fd) => this.closeFile(fd)));
  }

  private async openFile(path: string): Promise<OpenFile> {
    const direct = this.buffers.direct;
    const fd = await openAsync(path, direct ? DIRECT_FLAGS : 'wx');
    this.open.add(fd);
    return { fd, direct };
  }

  /** Writes one piece; a direct write refused (EINVAL) goes again through the cache, as do all files after it. */
  private async writePiece(file: OpenFile, path: string, piece: Region, bytes: number, at: number): Promise<OpenFile> {
    if (!file.direct) {
      await writeAll(file.fd, piece.view.subarray(0, bytes), at);
      return file;
    }
    const wholeBlocks = bytes - (bytes % DIRECT_ALIGNMENT);
    try {
      if (wholeBlocks > 0) await writeAll(file.fd, piece.view.subarray(0, wholeBlocks), at);
      if (wholeBlocks < bytes) await writeThroughCache(path, piece.view.subarray(wholeBlocks, bytes), at + wholeBlocks);
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
    }
    this.buffers.direct = false;
    await this.closeFile(file.fd);
    const fd = await openAsync(path, 'r+');
    this.open.add(fd);
    await writeAll(fd, piece.view.subarray(0, bytes), at);
    return { fd, direct: false };
  }

  private async closeFile(fd: number): Promise<void> {
    this.open.delete(fd);
    await closeAsync(fd);
  }
}

/**
 * A file's last partial block goes through the cache, beside its direct writes: padding it to a whole block
 * and truncating the file back made ext4 read that block from the disk again (to zero its tail) and write it
 * twice; those truncates alone kept the writing threads busy ~1.4 s per 2,000 scans.
 */
async function writeThroughCache(path: string, data: Buffer, position: number): Promise<void> {
  const fd = await openAsync(path, constants.O_WRONLY);
  try {
    await writeAll(fd, data, position);
  } finally {
    await closeAsync(fd);
  }
}
