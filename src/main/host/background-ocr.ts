/**
 * Background OCR for a UI session: while an archive is open in the app (Electron or the preview host),
 * queued pages are recognised without anyone calling ocr:process — right away for work a previous run
 * left queued, and after every change that may have queued pages (imports, scans, the hot folder, added
 * pages). Progress reaches the UI through the queue's own `jobs:progress` events and each finished page's
 * `documents:changed`. Every `leaseCheckMs` it also puts back the pages of queue holders whose lease ran out
 * (another server on the same database that died) and looks for queued pages, which another server's imports
 * leave without this one hearing of them. stop() claims no new page, waits for the pages in flight and
 * detaches; call it before closing the archive.
 */
import type { Archive } from '../core/archive';

export interface BackgroundOcr {
  /** Looks for queued pages now (changes to documents do this by themselves). */
  kick(): void;
  /** Resolves when no round is running (the queue was empty at its last look, or stop() was called). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface BackgroundOcrOptions {
  /** Where a failure of the queue itself goes (a page's own failure is stored on its job, not here). */
  onError?: (error: unknown) => void;
}

export function startBackgroundOcr(archive: Archive, options: BackgroundOcrOptions = {}): BackgroundOcr {
  let stopped = false;
  let round: Promise<void> | null = null;
  let lookAgain = false;
  let rounds = 0;

  const hasQueuedPages = () => archive.ocrQueue.counts().queued > 0;

  async function run(): Promise<void> {
    do {
      lookAgain = false;
      while (!stopped && hasQueuedPages()) {
        rounds += 1;
        await archive.ocrQueue.drain(archive.ocrPool(), `ocr-${rounds}`, () => stopped);
      }
    } while (lookAgain && !stopped);
  }

  function kick(): void {
    if (stopped) return;
    if (round) {
      lookAgain = true;
      return;
    }
    round = run()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        round = null;
      });
  }

  // Deferred: documents:changed is emitted inside the core's write path; the next turn sees it committed.
  const unsubscribe = archive.events.subscribe((name) => {
    if (name === 'documents:changed') setImmediate(kick);
  });
  setImmediate(kick);
  const sweep = setInterval(() => {
    try {
      archive.ocrQueue.takeOverExpired();
      if (hasQueuedPages()) kick();
    } catch (error) {
      options.onError?.(error);
    }
  }, archive.ocrQueue.leaseCheckMs);

  return {
    kick,
    async idle() {
      while (round) await round;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(sweep);
      unsubscribe();
      while (round) await round;
    },
  };
}
