/**
 * Core tests on both storage back ends: SQLite (an archive folder, as always) and PostgreSQL (the rows in a
 * database of the test run's shared cluster, the files in a folder) through the synchronous connection of
 * core/db/pg-sync. A test file wraps its tests in `describe.each(BACK_ENDS)` and calls `useBackEnd(name)` in
 * that describe: on PostgreSQL each archive it creates gets a database of its own, dropped after the describe.
 */
import { cpSync, realpathSync } from 'node:fs';
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
  /** How anchors name the archive's database: the SQLite file's real path, or the URL without its password. */
  databaseName(folder: string): string;
  /** Copies the closed archive with its files in `from` (database and files) to a new archive with its files in `to`. */
  copy(from: string, to: string): Promise<void>;
}

export function useBackEnd(name: BackEnd): TestBackEnd {
  if (name === 'sqlite') {
    const rawAt = (folder: string) => new Database(join(folder, DATABASE_FILE));
    return {
      name,
      init: initArchive,
      open: openArchive,
      raw: (archive) => rawAt(archive.dir),
      rawAt,
      databaseName: (folder) => realpathSync(join(folder, DATABASE_FILE)),
      copy: async (from, to) => cpSync(from, to, { recursive: true }),
    };
  }
  const sharedDatabases = useSharedPgDatabases();
  const databases = new Map<string, string>();
  const urlOf = (folder: string) => {
    const url = databases.get(folder);
    if (!url) throw new Error(`No archive was made with its files in ${folder}.`);
    return url;
  };
  return {
    name,
    async init(folder, options) {
      const url = await sharedDatabases.create();
      databases.set(folder, url);
      return initArchiveOnPostgres(folder, url, options);
    },
    async open(folder, options) {
      return openArchiveOnPostgres(folder, urlOf(folder), options);
    },
    raw(archive) {
      return this.rawAt(archive.dir);
    },
    rawAt(folder) {
      return new PgSyncDatabase(urlOf(folder), 'raw access') as unknown as Database.Database;
    },
    databaseName(folder) {
      const url = new URL(urlOf(folder));
      url.password = '';
      return url.toString();
    },
    async copy(from, to) {
      databases.set(to, await sharedDatabases.create(urlOf(from)));
      cpSync(from, to, { recursive: true });
    },
  };
}
