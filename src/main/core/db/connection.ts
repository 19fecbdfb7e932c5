/** Opens the archive database with the settings every connection needs. */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema';
import { assertNotFromFuture, migrate } from './migrate';

export type ArchiveDb = BetterSQLite3Database<typeof schema>;

export interface Connection {
  sqlite: Database.Database;
  db: ArchiveDb;
}

export function openConnection(file: string, options: { create: boolean }): Connection {
  const sqlite = new Database(file, { fileMustExist: !options.create, timeout: 5000 });
  try {
    // Refuse a newer schema before anything below writes to the file.
    assertNotFromFuture(sqlite);
    sqlite.pragma('journal_mode = WAL');
    // The archive is legal evidence: a committed filing must survive a power cut.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    migrate(sqlite);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return { sqlite, db: drizzle(sqlite, { schema }) };
}
