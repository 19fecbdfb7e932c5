/**
 * The archive's connection on PostgreSQL: the database brought up to date with migratePg (node-postgres, once,
 * under its advisory lock), then the synchronous stand-in (pg-sync-database.ts) with the same drizzle
 * sqlite-core schema the SQLite connection uses: the PostgreSQL schema has the same tables and columns.
 */
import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { SlipVaultError } from '../../../../shared/errors';
import type { Connection } from '../connection';
import { migratePg, pgSchemaVersionOf } from '../pg/migrate';
import * as schema from '../schema';
import { PgSyncDatabase } from './pg-sync-database';

/** How long reaching the server may take before it counts as unreachable. */
const CONNECT_TIMEOUT_S = 10;

/** The URL without its password, for every message. */
export function redactedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL('invalid:');
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new SlipVaultError('VALIDATION', 'The database is not a valid postgres:// URL.', { field: 'database' }).withMessage('postgres.badUrl');
  }
  parsed.password = '';
  return parsed.toString();
}

/** Why the database could not be opened, in words: nothing listens there, the login is refused, no such database. */
function openingRefusal(error: unknown, target: string): SlipVaultError {
  const code = (error as { code?: string }).code ?? '';
  const reason = (error as Error).message ?? String(error);
  if (code === '28P01' || code === '28000') {
    return new SlipVaultError('UNAUTHENTICATED', `PostgreSQL at ${target} refused the login: ${reason}.`, { target }).withMessage('postgres.openLoginRefused', {
      target,
    });
  }
  if (code === '3D000') {
    return new SlipVaultError('NOT_AN_ARCHIVE', `${reason} at ${target}.`, { target }).withMessage('postgres.openNoDatabase', { target });
  }
  return new SlipVaultError('SERVER_UNREACHABLE', `PostgreSQL at ${target} cannot be reached (${code || reason}).`, {
    target,
    reason: code || reason,
  }).withMessage('postgres.openUnreachable', { target, reason: code || reason });
}

/** The refusal of a database that holds no archive where one is expected. */
export function noArchiveIn(target: string): SlipVaultError {
  return new SlipVaultError('NOT_AN_ARCHIVE', `The database ${target} holds no SlipVault archive. Create one there first.`, { target }).withMessage(
    'postgres.noArchive',
    { target },
  );
}

/**
 * Applies the PostgreSQL migrations the database lacks; refuses a database from a newer SlipVault. With
 * `existing`, a database without SlipVault's schema is refused before anything is written to it.
 */
export async function migratePgDatabase(url: string, options: { existing: boolean }): Promise<void> {
  const target = redactedUrl(url);
  // Loaded here, not at start-up: every command that opens an archive folder would read pg's files.
  const { default: postgres } = await import('pg');
  const client = new postgres.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_S * 1000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw openingRefusal(error, target);
  }
  try {
    if (options.existing && (await pgSchemaVersionOf(client)) === 0) throw noArchiveIn(target);
    await migratePg(client);
  } finally {
    await client.end();
  }
}

/** The synchronous connection to a migrated database, as the core's services take it. */
export function openPgConnection(url: string): Connection {
  const target = redactedUrl(url);
  let database: PgSyncDatabase;
  try {
    database = new PgSyncDatabase(url, target);
  } catch (error) {
    throw openingRefusal(error, target);
  }
  // The stand-in implements the part of better-sqlite3's Database the core and drizzle's driver use.
  const sqlite = database as unknown as Database.Database;
  return { sqlite, db: drizzle(sqlite, { schema }) };
}

/** Whether a connection is the PostgreSQL stand-in (for the few places where the back ends must differ). */
export function onPostgres(sqlite: Database.Database | PgSyncDatabase): boolean {
  return sqlite instanceof PgSyncDatabase;
}
