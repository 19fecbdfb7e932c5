/**
 * Worker-thread entry (bundled to dist/workers/fsync-worker.cjs) of one fsync thread of a restore
 * (fsync-threads.ts): fsyncs each batch of files it is sent and answers with how many, or with the first
 * failure. Kept apart from backup-worker.cjs so that starting a thread loads nothing but node:fs.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

/** What a thread answers for one batch of paths. */
export type FsyncThreadMessage = { synced: number } | { error: { message: string; code?: string; path?: string } };

function fsyncFiles(paths: string[]): void {
  for (const path of paths) {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

function answer(paths: string[]): FsyncThreadMessage {
  try {
    fsyncFiles(paths);
    return { synced: paths.length };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    return { error: { message: failure.message, ...(failure.code ? { code: failure.code } : {}), ...(failure.path ? { path: failure.path } : {}) } };
  }
}

const port = parentPort!;
port.on('message', (paths: string[]) => port.postMessage(answer(paths)));
