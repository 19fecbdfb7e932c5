/**
 * Worker-thread entry (bundled to dist/workers/reindex-worker.cjs): rebuilds the search index on its own
 * database connection, so the thread that answers searches and UI calls stays free while it runs. WAL lets
 * that thread keep reading; each batch is one short write transaction that also records how far it got, and
 * before each one the worker lets that thread's pending writes go first (db/write-priority.ts).
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import * as schema from '../db/schema';
import { yieldToPriorityWriters } from '../db/write-priority';
import { SearchIndex } from './search-index';
import type { ReindexWorkerMessage, ReindexWorkerInput } from './reindex-job';

const { databaseFile, restart, writePriority } = workerData as ReindexWorkerInput;
const post = (message: ReindexWorkerMessage) => parentPort!.postMessage(message);

try {
  const sqlite = new Database(databaseFile, { fileMustExist: true, timeout: 5000 });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  try {
    const index = new SearchIndex({ sqlite, db: drizzle(sqlite, { schema }) });
    const result = index.reindex((done, total) => post({ kind: 'progress', done, total }), {
      restart,
      beforeEachWrite: () => yieldToPriorityWriters(writePriority),
    });
    post({ kind: 'done', result });
  } finally {
    sqlite.close();
  }
} catch (error) {
  post({ kind: 'failed', error: { message: (error as Error).message, code: (error as { code?: string }).code } });
}
