/**
 * Where bench:server's server keeps the archive: the generated SQLite archive folder as it is, or that archive
 * moved onto PostgreSQL — a throwaway cluster on loopback (tests/helpers/pg-cluster.ts) served with `slipvault
 * serve --db URL --files DIR`. The move uses `slipvault migrate`'s own copy of the rows (copy-tables.ts: every
 * table with its ids, in one transaction) and its search index build (PgSearchIndex.reindex), and copies the
 * stored files into DIR's `blobs/` as they are. It leaves out what the command adds around them for an office's
 * one-time move — checking the archive first, writing each file with an fsync, hashing every file again
 * afterwards — which at 100,000 files took most of the command's time; the benchmark checks the archive after the
 * run instead. The server adopts the folder as it adopts one `slipvault migrate` filled (pg-served-archive.ts).
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openArchive, openArchiveOnPostgres, type Archive } from '../src/main/core/archive';
import { copyArchiveTables } from '../src/main/core/db/pg/copy-tables';
import { migratePg } from '../src/main/core/db/pg/migrate';
import { PgSearchIndex } from '../src/main/core/search/pg-search-index';
import type { ServedStorage } from '../tests/helpers/network-server';
import { startPgCluster } from '../tests/helpers/pg-cluster';

export const BACK_END_NAMES = ['postgres', 'sqlite'] as const;
export type BackEndName = (typeof BACK_END_NAMES)[number];

export interface BenchStorage {
  name: BackEndName;
  /** How the results name it. */
  label: string;
  /** What `slipvault serve` is given. */
  served: ServedStorage;
  /** Opens the archive in this process, once no server holds it. */
  open(): Promise<Archive>;
  /** Seconds the move onto this storage took (0 for SQLite, which is where the archive was made). */
  moveSeconds: number;
  /** PostgreSQL's server version, for the record. */
  version: string | null;
  release(): Promise<void>;
}

export function parseBackEnds(value: string | undefined): BackEndName[] {
  const names = (value ?? 'postgres').split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(BACK_END_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`--db takes ${BACK_END_NAMES.join(', ')} or a comma-separated list of them (first measured first); not ${unknown.join(', ')}.`);
  }
  return names as BackEndName[];
}

export function sqliteStorage(archiveDir: string): BenchStorage {
  return {
    name: 'sqlite',
    label: 'SQLite',
    served: archiveDir,
    open: () => openArchive(archiveDir, { program: 'bench:server' }),
    moveSeconds: 0,
    version: null,
    release: async () => undefined,
  };
}

/** The archive at `archiveDir` copied into an empty database of a throwaway cluster, its files into `root/files`. */
export async function postgresStorage(archiveDir: string, root: string, log: (line: string) => void): Promise<BenchStorage> {
  log('starting a throwaway PostgreSQL cluster…');
  const cluster = await startPgCluster();
  try {
    const url = await cluster.createDatabase('slipvault_bench');
    const files = join(root, 'files');
    mkdirSync(files, { recursive: true });
    const started = performance.now();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    let version: string;
    try {
      const archive = await openArchive(archiveDir, { program: 'bench:server' });
      try {
        log('PostgreSQL: copying the rows…');
        const client = await pool.connect();
        try {
          await migratePg(client);
          await copyArchiveTables(archive.connection.sqlite, client);
        } finally {
          client.release();
        }
        log('PostgreSQL: copying the files…');
        cpSync(archive.blobs.root, join(files, 'blobs'), { recursive: true });
      } finally {
        archive.close();
      }
      log('PostgreSQL: building the search index…');
      await new PgSearchIndex(pool).reindex(() => undefined, { restart: true });
      version = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    } finally {
      await pool.end();
    }
    return {
      name: 'postgres',
      label: 'PostgreSQL',
      served: { db: url, files },
      open: () => openArchiveOnPostgres(files, url, { program: 'bench:server' }),
      moveSeconds: (performance.now() - started) / 1000,
      version,
      release: () => cluster.stop(),
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
