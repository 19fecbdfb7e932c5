/**
 * Builds SQLite's search index inside a database snapshot of an archive on PostgreSQL (pg-snapshot.ts), on the
 * backup worker: the two back ends store the index differently, so it is made from the snapshot's own text,
 * and a set restores into an archive whose search is complete. Nobody else has the file open, so its journal
 * stays in memory and nothing is synced here: the backup syncs the finished file.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { ReindexResult } from '../../../shared/model';
import * as schema from '../db/schema';
import { SearchIndex } from '../search/search-index';

export function indexSnapshot(file: string): ReindexResult {
  const sqlite = new Database(file, { fileMustExist: true });
  try {
    sqlite.pragma('journal_mode = MEMORY');
    sqlite.pragma('synchronous = OFF');
    return new SearchIndex({ sqlite, db: drizzle(sqlite, { schema }) }).reindex(() => undefined, { restart: true });
  } finally {
    sqlite.close();
  }
}
