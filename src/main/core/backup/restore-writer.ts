/**
 * Writes restored files into the staging folder on libuv's thread pool while the caller decrypts. Each
 * file costs one open, one writev per batch of its data (a whole scan is one batch, not a call per tar
 * chunk) and one close; several files are written at once. Each closed file is fsynced right away on
 * threads of their own (fsync-threads.ts), so the disk flushes while later files are decrypted and
 * `finish()` waits only for the last few.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FsyncThreads } from './fsync-threads';
import { closeAsync, fsyncAll, openAsync, writevAll, WriteQueue, type ChunkHolders } from './io';
import type { TarEntrySink } from './tar';

export class RestoreWriter {
  private readonly writes = new WriteQueue();
  private readonly fsyncs = new FsyncThreads();
  /** Each folder once, created on the pool: 257 mkdirs on the calling thread held up its hashing ~0.1 s. */
  private readonly folders = new Map<string, Promise<void>>();
  private readonly open = new Set<number>();

  /**
   * Chunks are retained from `holders` until written, then released. A file's data is handed to the
   * system in one call up to `batchBytes` (a whole scan); larger files (the database) go in several, so
   * no more than that is held unwritten: held chunks keep the decryption thread's slots from it.
   */
  constructor(
    private readonly holders: ChunkHolders,
    private readonly batchBytes: number,
  ) {}

  /** A sink for a new file at `path`; its chunks are retained until written. */
  file(path: string): TarEntrySink {
    const folder = dirname(path);
    let created = this.folders.get(folder);
    if (!created) {
      created = mkdir(folder, { recursive: true }).then(() => undefined);
      created.catch(() => undefined); // the file's first write awaits it and fails with its error
      this.folders.set(folder, created);
    }
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let position = 0;
    let fd: number | null = null;
    // A file's batches run in order; a failed one rejects every later one of the same file.
    let previous: Promise<void> = created;
    const flush = (last: boolean) => {
      const parts = batch;
      const bytes = batchBytes;
      const at = position;
      batch = [];
      batchBytes = 0;
      position += bytes;
      previous = previous
        .then(async () => {
          fd ??= await this.openFile(path);
          await writevAll(fd, parts, at);
          if (!last) return;
          await this.closeFile(fd);
          this.fsyncs.add(path);
        })
        .finally(() => {
          for (const part of parts) this.holders.release(part);
        });
      this.writes.track(previous, bytes);
    };
    const holders = this.holders;
    const limit = this.batchBytes;
    return {
      data(chunk) {
        holders.retain(chunk);
        batch.push(chunk);
        batchBytes += chunk.length;
        if (batchBytes >= limit) flush(false);
      },
      end: () => flush(true),
    };
  }

  /** Lets the producer wait while too much is still being written. */
  settle(): Promise<void> {
    return this.writes.settle();
  }

  /** Waits until every file is written and durable, then makes their folders durable. */
  async finish(): Promise<void> {
    await this.writes.settle(0);
    await this.fsyncs.finish();
    await fsyncAll([...this.folders.keys()].sort((x, y) => y.length - x.length));
  }

  async abandon(): Promise<void> {
    await this.writes.abandon();
    await this.fsyncs.abandon();
    await Promise.all([...this.open].map((fd) => this.closeFile(fd)));
  }

  private async openFile(path: string): Promise<number> {
    const fd = await openAsync(path, 'wx');
    this.open.add(fd);
    return fd;
  }

  private async closeFile(fd: number): Promise<void> {
    this.open.delete(fd);
    await closeAsync(fd);
  }
}
