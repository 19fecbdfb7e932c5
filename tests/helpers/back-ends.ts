/**
 * Core tests on both storage back ends: SQLite (an archive folder, as always) and PostgreSQL (the rows in a
 * database of the test run's shared cluster, the files in a folder) through the synchronous connection of
 * core/db/pg-sync. A test file wraps its tests in `describe.each(BACK_ENDS)` and calls `useBackEnd(name)` in
 * that describe: on PostgreSQL each archive it creates gets a database of its own, dropped after the describe.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PgSyncDatabase } from '../../src/main/core/db/pg-sync/pg-sync-database';
import {
  DATABASE_FILE,
  initArchive,
  initArchiveOnPostgres,
  openArchive,
  openArchiveOnPostgres,
  type Archive,
  type ArchiveOptions,
} from '../../src/main/core/archive';
import { useSharedPgDatabases } from './shared-pg-cluster';

export type BackEnd = 'sqlite' | 'postgres';
export const BACK_ENDS: readonly BackEnd[] = ['sqlite', 'postgres'];

export interface TestBackEnd {
  name: BackEnd;
  /** A new archive with its files in `folder`. */
  init(folder: string, options?: ArchiveOptions): Promise<Archive>;
  /** The archive `init` made with its files in `folder`, opened again. */
  open(folder: string, options?: ArchiveOptions): Promise<Archive>;
  /** A connection of its own to the archive's database, as someone with raw database access has (close it). */
  raw(archive: Archive): Database.Database;
  /** The same for the archive `init` made with its files in `folder`, open or closed. */
  rawAt(folder: string): Database.Database;
}

export function useBackEnd(name: BackEnd): TestBackEnd {
  if (name === 'sqlite') {
    const rawAt = (folder: string) => new Database(join(folder, DATABASE_FILE));
    return { name, init: initArchive, open: openArchive, raw: (archive) => rawAt(archive.dir), rawAt };
  }
  const sharedDatabases = useSharedPgDatabases();
  const databases = new Map<string, string>();
  return {
    name,
    async init(folder, options) {
      const url = await sharedDatabases.create();
      databases.set(folder, url);
      return initArchiveOnPostgres(folder, url, options);
    },
    async open(folder, options) {
      const url = databases.get(folder);
      if (!url) throw new Error(`No archive was made with its files in ${folder}.`);
      return openArchiveOnPostgres(folder, url, options);
    },
    raw(archive) {
      return this.rawAt(archive.dir);
    },
    rawAt(folder) {
      const url = databases.get(folder);
      if (!url) throw new Error(`No archive was made with its files in ${folder}.`);
      return new PgSyncDatabase(url, 'raw access') as unknown as Database.Database;
    },
  };
}
