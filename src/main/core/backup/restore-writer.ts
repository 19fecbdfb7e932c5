/**
 * Writes restored files into the staging folder on libuv's thread pool while the caller decrypts. Each
 * file costs one open, one writev per batch of its data (a whole scan is one batch, not a call per tar
 * chunk) and one close; several files are written at once. They are fsynced together at the end, where
 * the file system folds their journal commits.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { closeAsync, fsyncAll, openAsync, writevAll, WriteQueue } from './io';
import type { TarEntrySink } from './tar';

/** Data of one file handed to the system in one call; larger files (the database) go in several. */
const BATCH_BYTES = 8 * 1024 * 1024;

export class RestoreWriter {
  private readonly writes = new WriteQueue();
  private readonly files: string[] = [];
  private readonly folders = new Set<string>();
  private readonly open = new Set<number>();

  /** A sink for a new file at `path`; the chunks it gets must not change afterwards (they are written later). */
  file(path: string): TarEntrySink {
    this.files.push(path);
    const folder = dirname(path);
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let position = 0;
    let fd: number | null = null;
    // A file's batches run in order; a failed one rejects every later one of the same file.
    let previous: Promise<void> = Promise.resolve();
    const flush = (last: boolean) => {
      const parts = batch;
      const bytes = batchBytes;
      const at = position;
      batch = [];
      batchBytes = 0;
      position += bytes;
      previous = previous.then(async () => {
        fd ??= await this.openFile(path);
        await writevAll(fd, parts, at);
        if (!last) return;
        await this.closeFile(fd);
      });
      this.writes.track(previous, bytes);
    };
    return {
      data(chunk) {
        batch.push(chunk);
        batchBytes += chunk.length;
        if (batchBytes >= BATCH_BYTES) flush(false);
      },
      end: () => flush(true),
    };
  }

  /** Lets the producer wait while too much is still being written. */
  settle(): Promise<void> {
    return this.writes.settle();
  }

  /** Waits for every write, then makes the files and their folders durable. */
  async finish(): Promise<void> {
    await this.writes.settle(0);
    await fsyncAll(this.files);
    await fsyncAll([...this.folders].sort((x, y) => y.length - x.length));
  }

  async abandon(): Promise<void> {
    await this.writes.abandon();
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
