/**
 * Writes one consistent snapshot of an archive on PostgreSQL as an SQLite archive database — the reverse of
 * copy-tables.ts. A backup set of a server archive then holds the same `slipvault.db` as any other set, so
 * verify, restore, restore by hand with `age` and the test restore need nothing new, and a set restores to a
 * folder as it always did (or onto PostgreSQL again, through the move: backup/restore-to-postgres.ts).
 *
 * Every table is read inside one REPEATABLE READ, READ ONLY transaction: one MVCC snapshot, which takes no
 * lock a writer waits for, so filing goes on while it is read. Rows come through a server-side cursor a batch
 * at a time, on node-postgres, so the thread that serves the archive answers other calls between batches.
 * Values are brought into SQLite's domain as the archive's own connection reads them (pg-values.ts); JSON
 * columns are written compact, as the SQLite back end stores them. The search index is not copied: the two
 * back ends store it differently, so the caller builds SQLite's from the copied text.
 */
import Database from 'better-sqlite3';
import type pg from 'pg';
import { SlipVaultError } from '../../../../shared/errors';
import { migrate } from '../migrate';
import { decodeValue } from '../pg-sync/pg-values';
import { inTransaction } from '../transaction';
import { copiedTableNames, triggerWrittenLast } from './copy-tables';
import { VERIFIED_MARK } from './move-target';
import { inPgSnapshot } from './transaction';

/** Rows per FETCH: small enough that one batch never holds the serving thread for long. */
const FETCH_ROWS = 2_000;
const JSON_TYPES = new Set([114, 3802]);
/** Every value as PostgreSQL's text, decoded below by the column's type. */
const AS_TEXT = { getTypeParser: () => (text: string) => text };

export interface SnapshotProgress {
  done: number;
  total: number;
}

/**
 * The tables a copy carries, the ones triggers write last: what the copied rows' triggers wrote there is cleared
 * first (copyTable), so they hold the archive's own rows and nothing is counted twice.
 */
async function archiveTables(client: pg.ClientBase): Promise<string[]> {
  return triggerWrittenLast(await copiedTableNames(client));
}

function sqliteColumns(sqlite: Database.Database, table: string): string[] {
  const columns = (sqlite.pragma(`table_info("${table}")`) as { name: string }[]).map((column) => column.name);
  if (columns.length === 0) {
    throw new SlipVaultError(
      'INTERNAL',
      `The PostgreSQL table ${table} has no counterpart in this SlipVault's SQLite schema, so the snapshot cannot hold it. Nothing was written to the backup target.`,
      { table },
    ).withMessage('backup.pgTableUnknown', { table });
  }
  return columns;
}

function sqliteValue(text: string | null, field: pg.FieldDef): unknown {
  if (text === null) return null;
  if (JSON_TYPES.has(field.dataTypeID)) return JSON.stringify(JSON.parse(text));
  return decodeValue(text, field.dataTypeID, field.name);
}

/** Copies one table through a cursor. */
async function copyTable(client: pg.ClientBase, sqlite: Database.Database, table: string): Promise<void> {
  const columns = sqliteColumns(sqlite, table);
  const names = columns.map((column) => `"${column}"`).join(', ');
  const insert = sqlite.prepare(`INSERT INTO "${table}" (${names}) VALUES (${columns.map(() => '?').join(', ')})`);
  // The migrations seed document types, schedules and filing rules, and ledger rows' triggers fill the
  // running totals: the archive's own rows replace them.
  sqlite.prepare(`DELETE FROM "${table}"`).run();
  // The mark of a verified move describes that database, not the archive: a restore moved onto PostgreSQL
  // again gets its own.
  const rows = table === 'archive_meta' ? `"${table}" WHERE key <> '${VERIFIED_MARK}'` : `"${table}"`;
  await client.query(`DECLARE snapshot_rows NO SCROLL CURSOR FOR SELECT ${names} FROM ${rows}`);
  for (;;) {
    const batch = await client.query<unknown[]>({ text: `FETCH ${FETCH_ROWS} FROM snapshot_rows`, rowMode: 'array', types: AS_TEXT });
    if (batch.rows.length === 0) break;
    inTransaction(sqlite, () => {
      for (const row of batch.rows) insert.run(row.map((text, index) => sqliteValue(text as string | null, batch.fields[index]!)));
    });
  }
  await client.query('CLOSE snapshot_rows');
}

/**
 * Writes the archive in the database `client` is connected to into a new SQLite database at `file`, with the
 * schema this SlipVault's migrations make. The file is not synced: the
 * caller finishes it (search index, journal mode) and syncs it.
 */
export async function snapshotPgToSqlite(
  client: pg.ClientBase,
  file: string,
  onProgress: (progress: SnapshotProgress) => void = () => undefined,
): Promise<void> {
  const sqlite = new Database(file);
  try {
    // A scratch file until the caller syncs it: a crash leaves a file the next backup removes.
    sqlite.pragma('journal_mode = MEMORY');
    sqlite.pragma('synchronous = OFF');
    // One snapshot is consistent as a whole; tables are copied in name order, not in the order of their keys.
    sqlite.pragma('foreign_keys = OFF');
    migrate(sqlite);
    await inPgSnapshot(client, async () => {
      const tables = await archiveTables(client);
      onProgress({ done: 0, total: tables.length });
      for (const [index, table] of tables.entries()) {
        await copyTable(client, sqlite, table);
        onProgress({ done: index + 1, total: tables.length });
      }
    });
  } finally {
    sqlite.close();
  }
}
