/**
 * fsyncs files on a thread of its own while a restore goes on, so the disk flushes alongside the CPU work
 * (decrypting, hashing) instead of all of it after the last write, and the blocking calls take no thread
 * from libuv's pool, which reads, hashes and writes meanwhile.
 */
import { Worker } from 'node:worker_threads';

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

/** Files handed over in one message: few messages, yet the thread starts soon after the first files close. */
const BATCH = 16;

type ThreadMessage = { synced: number } | { error: { message: string; code?: string; path?: string } };

export class FsyncThread {
  private readonly worker = new Worker(THREAD_SOURCE, { eval: true });
  private batch: string[] = [];
  private batchesInFlight = 0;
  private failure: Error | null = null;
  private onIdle: (() => void) | null = null;

  constructor() {
    this.worker.on('message', (message: ThreadMessage) => {
      if ('error' in message) this.failure ??= Object.assign(new Error(message.error.message), { code: message.error.code, path: message.error.path });
      this.batchesInFlight -= 1;
      if (this.batchesInFlight === 0) this.onIdle?.();
    });
    this.worker.on('error', (error) => {
      this.failure ??= error;
      this.batchesInFlight = 0;
      this.onIdle?.();
    });
  }

  add(path: string): void {
    this.batch.push(path);
    if (this.batch.length >= BATCH) this.send();
  }

  /** Waits until every file handed over is durable, stops the thread and rethrows the first failure. */
  async finish(): Promise<void> {
    this.send();
    if (this.batchesInFlight > 0) await new Promise<void>((resolve) => (this.onIdle = resolve));
    await this.worker.terminate();
    if (this.failure) throw this.failure;
  }

  /** Stops the thread without waiting for what is left: for cleanup after an error. */
  async abandon(): Promise<void> {
    await this.worker.terminate();
  }

  private send(): void {
    if (this.batch.length === 0 || this.failure) return;
    this.batchesInFlight += 1;
    this.worker.postMessage(this.batch);
    this.batch = [];
  }
}
