/**
 * fsyncs files on threads of their own while a restore goes on, so the disk flushes alongside the CPU work
 * (decrypting, hashing) instead of all of it after the last write, and the blocking calls take no thread
 * from libuv's pool, which writes meanwhile.
 */
import { Worker } from 'node:worker_threads';
import { workerScriptPath } from '../runtime-paths';
import type { FsyncThreadMessage } from './fsync-threads-worker';
import { fsyncAll } from './io';

/**
 * One fsync waits for the disk, so fsyncs run side by side. While files were written through the cache, each
 * fsync wrote the file's data, and eight threads were needed to keep up (four left 0.12-0.19 s of fsyncs after
 * the last write). Now the data goes to the disk directly and an fsync writes little more than the inode:
 * restoring 2,000 scans, 9 runs each, took a median of 1.79 s and 2.64 s of CPU with four threads, 1.85 s and
 * 2.78 s with eight (each thread starts an isolate, ~17 ms of CPU), 1.84 s with two (0.1 s of fsyncs left).
 */
const THREADS = 4;
/** Files handed to a thread at a time: small, so the threads share the work; the rest stays for `finish()`. */
const BATCH = 4;

interface FsyncWorker {
  worker: Worker;
  busy: boolean;
}

export class FsyncThreads {
  /**
   * Started one at a time while files wait and every thread is busy: none while the restore is still
   * starting up (each takes ~20 ms of CPU to start, which delayed the first decrypted piece by ~75 ms when
   * all eight started at once), and no more than the disk makes necessary.
   */
  private readonly threads: FsyncWorker[] = [];
  private waiting: string[] = [];
  private finishing = false;
  private failure: Error | null = null;
  private onIdle: (() => void) | null = null;

  constructor(private readonly maxThreads = THREADS) {}

  add(path: string): void {
    this.waiting.push(path);
    this.dispatch();
  }

  /** Waits until every file handed over is durable, stops the threads and rethrows the first failure. */
  async finish(): Promise<void> {
    this.finishing = true;
    const rest = this.waiting;
    this.waiting = [];
    const threadsDone = this.threads.some((thread) => thread.busy) ? new Promise<void>((resolve) => (this.onIdle = resolve)) : Promise.resolve();
    try {
      await fsyncAll(rest);
    } finally {
      await threadsDone;
      await this.stop();
    }
    if (this.failure) throw this.failure;
  }

  /** Stops the threads without waiting for what is left: for cleanup after an error. */
  async abandon(): Promise<void> {
    this.finishing = true;
    await this.stop();
  }

  private start(): FsyncWorker {
    const thread: FsyncWorker = { worker: new Worker(workerScriptPath('fsync')), busy: false };
    thread.worker.on('message', (message: FsyncThreadMessage) => {
      if ('error' in message) this.failure ??= Object.assign(new Error(message.error.message), { code: message.error.code, path: message.error.path });
      this.idle(thread);
    });
    thread.worker.on('error', (error) => {
      this.failure ??= error;
      this.idle(thread);
    });
    thread.worker.on('exit', () => {
      if (!thread.busy) return; // stopped by finish() or abandon()
      this.failure ??= new Error('An fsync thread stopped before the files it was given were durable.');
      this.idle(thread);
    });
    return thread;
  }

  private async stop(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  private idle(thread: FsyncWorker): void {
    thread.busy = false;
    if (this.finishing || this.failure) {
      if (!this.threads.some((other) => other.busy)) this.onIdle?.();
    } else {
      this.dispatch();
    }
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && !this.failure && !this.finishing) {
      let thread = this.threads.find((candidate) => !candidate.busy);
      if (!thread) {
        if (this.threads.length === this.maxThreads) return;
        thread = this.start();
        this.threads.push(thread);
      }
      thread.busy = true;
      thread.worker.postMessage(this.waiting.splice(0, BATCH));
    }
  }
}
