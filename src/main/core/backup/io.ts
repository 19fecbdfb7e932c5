/**
 * File I/O for backup and restore that overlaps with encryption: reads run ahead and writes run behind on
 * libuv's thread pool while this thread seals or opens chunks, so a backup uses a second core for the disk.
 */
import { close, fsync, open, read, write } from 'node:fs';
import { promisify } from 'node:util';

const writeAsync = promisify(write);
const readAsync = promisify(read);
export const openAsync = promisify(open);
export const fsyncAsync = promisify(fsync);
export const closeAsync = promisify(close);

/** How many bytes may wait to be written before the producer waits. */
export const MAX_BYTES_IN_FLIGHT = 32 * 1024 * 1024;
export const READ_PIECE = 4 * 1024 * 1024;

export async function writeAll(fd: number, data: Buffer, position: number): Promise<void> {
  for (let done = 0; done < data.length;) {
    const { bytesWritten } = await writeAsync(fd, data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * File operations in flight, side by side on the thread pool; `settle()` waits until few enough (or none)
 * are left and rethrows the first failure.
 */
export class WriteQueue {
  private readonly inFlight: { done: Promise<void>; bytes: number }[] = [];
  private bytesInFlight = 0;
  private failure: unknown = null;

  /** `data` must not be changed until the write settles, which the promise returned tells (it never rejects). */
  add(fd: number, data: Buffer, position: number): Promise<void> {
    return data.length > 0 ? this.track(writeAll(fd, data, position), data.length) : Promise.resolve();
  }

  /** Counts a running file operation; `bytes` counts towards the in-flight limit. */
  track(operation: Promise<void>, bytes: number): Promise<void> {
    const done = operation.catch((error: unknown) => {
      this.failure ??= error;
    });
    this.inFlight.push({ done, bytes });
    this.bytesInFlight += bytes;
    return done;
  }

  /** Waits until at most `maxBytes` (default: the in-flight limit) are still being written. */
  async settle(maxBytes = MAX_BYTES_IN_FLIGHT): Promise<void> {
    while (this.inFlight.length > 0 && (this.bytesInFlight > maxBytes || maxBytes === 0)) {
      const oldest = this.inFlight.shift()!;
      await oldest.done;
      this.bytesInFlight -= oldest.bytes;
    }
    if (maxBytes === 0) {
      this.inFlight.length = 0;
      this.bytesInFlight = 0;
    }
    if (this.failure) throw this.failure;
  }

  /** Waits for everything, ignoring failures: for cleanup after an error. */
  async abandon(): Promise<void> {
    await Promise.all(this.inFlight.map((entry) => entry.done));
    this.inFlight.length = 0;
    this.bytesInFlight = 0;
  }
}

/** Reads ahead of the consumer: two, so a read queued behind writes on the pool still lands in time. */
const READS_AHEAD = 2;

async function readFull(fd: number, buffer: Buffer, position: number): Promise<number> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await readAsync(fd, buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/** The pieces of a file, read ahead; each piece is a fresh buffer the caller may keep. */
export async function* readPieces(path: string, pieceBytes = READ_PIECE): AsyncGenerator<Buffer> {
  const fd = await openAsync(path, 'r');
  const size = pieceBytes;
  const pending: Promise<Buffer>[] = [];
  let position = 0;
  const readNext = () => {
    const piece = Buffer.allocUnsafe(size);
    const at = position;
    position += size;
    pending.push(readFull(fd, piece, at).then((bytesRead) => piece.subarray(0, bytesRead)));
  };
  try {
    for (let i = 0; i < READS_AHEAD; i++) readNext();
    for (;;) {
      const piece = await pending.shift()!;
      if (piece.length === 0) return;
      readNext();
      yield piece;
    }
  } finally {
    // A consumer that stops early may leave reads running; the descriptor must outlive them.
    await Promise.all(pending.map((read) => read.catch(() => undefined)));
    await closeAsync(fd);
  }
}

async function fsyncFile(path: string): Promise<void> {
  const fd = await openAsync(path, 'r');
  try {
    await fsyncAsync(fd);
  } finally {
    await closeAsync(fd);
  }
}

/** fsyncs many files at once: the file system folds their journal commits together. */
export async function fsyncAll(paths: string[], concurrency = 16): Promise<void> {
  let index = 0;
  const worker = async () => {
    while (index < paths.length) await fsyncFile(paths[index++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
}
