/**
 * Where every transaction of the core starts (tests/unit/transactions.test.ts keeps it that way).
 *
 * A transaction that may write begins IMMEDIATE: a deferred one that reads first and writes later fails with
 * SQLITE_BUSY at its first write, without waiting, when another connection (another process, the reindex
 * worker) committed in between; taking the write lock at BEGIN waits for it (busy_timeout) instead. Nested
 * calls become savepoints of the outer transaction. While it waits and runs, the reindex worker holds back
 * (write-priority.ts), so the thread that answers calls never waits for more than the worker's current batch.
 */
import type Database from 'better-sqlite3';
import { withWritePriority } from './write-priority';

/** Runs `work` as one transaction that holds the write lock from its first statement. */
export function inTransaction<T>(sqlite: Database.Database, work: () => T): T {
  return withWritePriority(sqlite, () => sqlite.transaction(work).immediate());
}

/**
 * Runs `read` as one read-only transaction, so everything it reads belongs to the same moment. Deferred: it
 * never writes, so it needs no write lock and never keeps a writer waiting.
 */
export function inReadSnapshot<T>(sqlite: Database.Database, read: () => T): T {
  return sqlite.transaction(read).deferred();
}
