/** Runs a search-index rebuild on a worker thread (reindex-worker.ts) and relays its progress. */
import { Worker } from 'node:worker_threads';
import type { ReindexResult } from '../../../shared/model';
import { workerScriptPath } from '../runtime-paths';

/** The database the worker opens a connection of its own to: an archive's SQLite file, or its PostgreSQL URL. */
export type ReindexDatabase = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface ReindexWorkerInput {
  database: ReindexDatabase;
  restart: boolean;
  /** The opening connection's write-priority counter (db/write-priority.ts): the worker holds back while it is raised. */
  writePriority: Int32Array;
}

export type ReindexWorkerMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; result: ReindexResult }
  | { kind: 'failed'; error: { message: string; code: string | undefined } };

export interface ReindexJobOptions {
  restart: boolean;
  onProgress: (done: number, total: number) => void;
  /** Let the process exit while the job runs (a background job: the next run continues where it stopped). */
  background?: boolean;
}

export function reindexOnWorker(database: ReindexDatabase, writePriority: Int32Array, options: ReindexJobOptions): Promise<ReindexResult> {
  return new Promise((resolve, reject) => {
    const input: ReindexWorkerInput = { database, restart: options.restart, writePriority };
    const worker = new Worker(workerScriptPath('reindex'), { workerData: input });
    if (options.background) worker.unref();
    let settled = false;
    worker.on('message', (message: ReindexWorkerMessage) => {
      if (message.kind === 'progress') options.onProgress(message.done, message.total);
      else if (message.kind === 'done') {
        settled = true;
        resolve(message.result);
      } else {
        settled = true;
        reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`The reindex worker stopped unexpectedly (exit code ${code}).`));
    });
  });
}
