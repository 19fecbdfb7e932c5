/**
 * fsyncs files on a thread of its own while a restore goes on, so the disk flushes alongside the CPU work
 * (decrypting, hashing) instead of all of it after the last write, and the blocking calls take no thread
 * from libuv's pool, which reads, hashes and writes meanwhile.
 */
import { Worker } from 'node:worker_threads';
import { fsyncAll } from './io';

/** Plain CommonJS run with `eval`: the thread needs no bundled file of its own. */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { closeSync, fsyncSync, openSync } = require('node:fs');
parentPort.on('message', (paths) => {
  try {
    for (const path of paths) {
      const fd = openSync(path, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    parentPort.postMessage({ synced: paths.length });
  } catch (error) {
    parentPort.postMessage({ error: { message: error.message, code: error.code, path: error.path } });
  }
});
`;

/** Files handed over at a time: the thread asks for more when done, so the rest stays available to `finish()`. */
const BATCH = 8;

type ThreadMessage = { synced: number } | { error: { message: string; code?: string; path?: string } };

/**
 * One fsync at a time is latency-bound (a disk round trip each), so the thread only gets ahead while files
 * are still being produced; `finish()` fsyncs whatever it has not reached many at once on the pool.
 */
export class FsyncThread {
  private readonly worker = new Worker(THREAD_SOURCE, { eval: true });
  private waiting: string[] = [];
  private busy = false;
  private finishing = false;
  private failure: Error | null = null;
  private onIdle: (() => void) | null = null;

  constructor() {
    this.worker.on('message', (message: ThreadMessage) => {
      if ('error' in message) this.failure ??= Object.assign(new Error(message.error.message), { code: message.error.code, path: message.error.path });
      this.idle();
    });
    this.worker.on('error', (error) => {
      this.failure ??= error;
      this.idle();
    });
    this.worker.on('exit', () => {
      if (!this.busy) return; // stopped by finish() or abandon()
      this.failure ??= new Error('The fsync thread stopped before the files it was given were durable.');
      this.idle();
    });
  }

  add(path: string): void {
    this.waiting.push(path);
    if (!this.busy) this.sendNext();
  }

  /** Waits until every file handed over is durable, stops the thread and rethrows the first failure. */
  async finish(): Promise<void> {
    this.finishing = true;
    const rest = this.waiting;
    this.waiting = [];
    const threadDone = this.busy ? new Promise<void>((resolve) => (this.onIdle = resolve)) : Promise.resolve();
    try {
      await fsyncAll(rest);
    } finally {
      await threadDone;
      await this.worker.terminate();
    }
    if (this.failure) throw this.failure;
  }

  /** Stops the thread without waiting for what is left: for cleanup after an error. */
  async abandon(): Promise<void> {
    this.finishing = true;
    await this.worker.terminate();
  }

  private idle(): void {
    this.busy = false;
    if (this.finishing || this.failure) this.onIdle?.();
    else this.sendNext();
  }

  private sendNext(): void {
    if (this.waiting.length === 0 || this.failure || this.finishing) return;
    this.busy = true;
    this.worker.postMessage(this.waiting.splice(0, BATCH));
  }
}
