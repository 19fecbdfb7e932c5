/**
 * Worker-thread entry (bundled to dist/workers/reindex-worker.cjs): rebuilds the search index on its own
 * database connection, so the thread that answers searches and UI calls stays free while it runs. Each batch
 * is one short write transaction that also records how far it got, and before each one the worker lets that
 * thread's pending writes go first (db/write-priority.ts).
 *
 * On SQLite, WAL lets that thread keep reading meanwhile. On PostgreSQL the worker's node-postgres connection
 * runs on this thread's own event loop: the archive's connection blocks its thread while it waits for the
 * writer lock, so a rebuild driven from that thread could not finish the batch it is waiting for.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { ReindexResult } from '../../../shared/model';
import * as schema from '../db/schema';
import { yieldToPriorityWriters } from '../db/write-priority';
import { PgSearchIndex } from './pg-search-index';
import { searchPool } from './pg-search-pool';
import { SearchIndex } from './search-index';
import type { ReindexWorkerMessage, ReindexWorkerInput } from './reindex-job';

const { database, restart, writePriority } = workerData as ReindexWorkerInput;
const post = (message: ReindexWorkerMessage) => parentPort!.postMessage(message);
const onProgress = (done: number, total: number) => post({ kind: 'progress', done, total });
const beforeEachWrite = () => yieldToPriorityWriters(writePriority);

function rebuildSqlite(file: string): ReindexResult {
  const sqlite = new Database(file, { fileMustExist: true, timeout: 5000 });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  try {
    const index = new SearchIndex({ sqlite, db: drizzle(sqlite, { schema }) });
    return index.reindex(onProgress, { restart, beforeEachWrite });
  } finally {
    sqlite.close();
  }
}

async function rebuildPostgres(url: string): Promise<ReindexResult> {
  const pool = await searchPool(url, 1);
  try {
    return await new PgSearchIndex(pool).reindex(onProgress, { restart, beforeEachWrite });
  } finally {
    await pool.end();
  }
}

(database.kind === 'sqlite' ? Promise.resolve().then(() => rebuildSqlite(database.file)) : rebuildPostgres(database.url)).then(
  (result) => post({ kind: 'done', result }),
  (error: unknown) => post({ kind: 'failed', error: { message: (error as Error).message, code: (error as { code?: string }).code } }),
);
