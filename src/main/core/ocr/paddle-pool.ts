/**
 * PP-OCR on a bounded pool of worker threads (paddle-worker.ts), each loading the models once and reading
 * one page at a time, started on first use: the same shape as the tesseract.js pool (ocr-pool.ts), and the
 * same result, the page's text in reading order plus a word per box with its confidence.
 */
import { Worker } from 'node:worker_threads';
import { SlipVaultError } from '../../../shared/errors';
import { toTenth } from './confidence';
import type { GrayPage } from './gray-page';
import type { PaddleLine } from './paddle-read';
import { pageTextOf, type LinedPage } from './reading-order';
import { workerScriptPath } from '../runtime-paths';

export interface PaddleRequest {
  page: { pixels: Uint8Array; width: number; height: number };
}

export type PaddleReply = { lines: PaddleLine[] } | { error: string };

/**
 * Boxes read less surely than this are left out of the text: on zh-docs they were stamp ink, table rules
 * and blur redactions read as characters (the package itself drops them at the same line).
 */
const MIN_LINE_CONFIDENCE = 0.5;

/**
 * A worker holds both models and a page's activations: about 0.5–1.5 GB on zh-docs' pages. Two at most
 * keep a busy archive within a desktop's memory, whatever its number of cores.
 */
const MAX_PADDLE_WORKERS = 2;

/**
 * The page as SlipVault uses it. Its confidence is the mean over every box read, the left-out ones
 * included: a page read upside down or sideways reads as many unsure boxes, and the orientation check
 * (orientation.ts) needs to see that.
 */
export function paddlePageText(lines: PaddleLine[]): LinedPage {
  const kept = lines.map((line) => ({ ...line, text: line.text.trim() })).filter((line) => line.confidence >= MIN_LINE_CONFIDENCE && line.text !== '');
  const confidence = lines.length === 0 ? 0 : (lines.reduce((sum, line) => sum + line.confidence, 0) / lines.length) * 100;
  return {
    text: pageTextOf(kept),
    words: kept.map((line) => ({ text: line.text, bbox: line.bbox, confidence: toTenth(line.confidence * 100) })),
    lines: kept.map(({ text, bbox, baseline }, index) => ({ text, bbox, baseline, words: [index] })),
    confidence: toTenth(confidence),
    source: 'ocr',
  };
}

interface PaddleThread {
  worker: Worker;
  /** The page it is reading: settled by its reply, or rejected when the thread dies. */
  settle?: (reply: PaddleReply) => void;
}

export class PaddlePool {
  readonly size: number;
  private readonly threads: PaddleThread[] = [];
  private readonly idle: PaddleThread[] = [];
  private readonly waiting: ((thread: PaddleThread) => void)[] = [];
  private terminated = false;

  constructor(options: { workers?: number } = {}) {
    this.size = Math.max(1, Math.min(MAX_PADDLE_WORKERS, options.workers ?? MAX_PADDLE_WORKERS));
  }

  private startThread(): PaddleThread {
    const thread: PaddleThread = { worker: new Worker(workerScriptPath('paddle')) };
    thread.worker.on('message', (reply: PaddleReply) => thread.settle?.(reply));
    const fail = (message: string) => {
      const at = this.threads.indexOf(thread);
      if (at < 0) return;
      this.threads.splice(at, 1);
      const idleAt = this.idle.indexOf(thread);
      if (idleAt >= 0) this.idle.splice(idleAt, 1);
      thread.settle?.({ error: message });
      // A page waiting for a thread gets a new one in place of the one that died.
      const next = this.terminated ? undefined : this.waiting.shift();
      if (next) next(this.startThread());
    };
    thread.worker.on('error', (error) => fail(error.message));
    thread.worker.on('exit', (code) => fail(`the PP-OCR worker stopped (exit code ${code})`));
    this.threads.push(thread);
    return thread;
  }

  private acquire(): Promise<PaddleThread> {
    if (this.terminated) return Promise.reject(new Error('the OCR pool has been shut down'));
    const free = this.idle.pop();
    if (free) return Promise.resolve(free);
    if (this.threads.length < this.size) return Promise.resolve(this.startThread());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(thread: PaddleThread): void {
    if (!this.threads.includes(thread)) return;
    const next = this.waiting.shift();
    if (next) next(thread);
    else this.idle.push(thread);
  }

  private async lines(page: GrayPage): Promise<PaddleLine[]> {
    const thread = await this.acquire();
    try {
      const reply = await new Promise<PaddleReply>((resolve) => {
        thread.settle = resolve;
        const request: PaddleRequest = { page: { pixels: page.pixels, width: page.width, height: page.height } };
        thread.worker.postMessage(request);
      });
      if ('error' in reply)
        throw new SlipVaultError('INTERNAL', `PP-OCR could not read the page: ${reply.error}.`, { engine: 'paddle' }).withMessage('ocr.engineFailed', {
          reason: reply.error,
        });
      return reply.lines;
    } finally {
      thread.settle = undefined;
      this.release(thread);
    }
  }

  /** Recognises one page. */
  async recognise(image: GrayPage): Promise<LinedPage> {
    return paddlePageText(await this.lines(image));
  }

  async terminate(): Promise<void> {
    this.terminated = true;
    const threads = this.threads.splice(0);
    this.idle.length = 0;
    await Promise.allSettled(threads.map((thread) => thread.worker.terminate()));
  }
}
