/**
 * Applies the PostgreSQL back end's drizzle-kit migrations (embedded by scripts/embed-pg-migrations.mjs).
 * Where SQLite counts applied migrations in PRAGMA user_version, PostgreSQL keeps one row per applied
 * migration in `slipvault_migrations`. Each pending migration runs in its own transaction together with its
 * row, so a database is always at a migration boundary; a transaction-level advisory lock makes two servers
 * starting on one database apply each migration once. A database from a newer SlipVault (more migrations
 * than we know) is refused before anything is written.
 */
import type pg from 'pg';
import { SlipVaultError } from '../../../../shared/errors';
import type { Migration } from '../migrate';
import { statementsOf } from '../migrate';
import { PG_MIGRATIONS } from './migrations.generated';
import { inPgTransaction } from './transaction';

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/** Any fixed number: every SlipVault server takes the same lock while it migrates. */
const MIGRATION_LOCK = 7_321_049;

const CREATE_BOOKKEEPING = `CREATE TABLE IF NOT EXISTS slipvault_migrations (
  version integer PRIMARY KEY,
  tag text NOT NULL,
  applied_at text NOT NULL
)`;

export async function pgSchemaVersionOf(client: pg.ClientBase): Promise<number> {
  const exists = await client.query<{ present: boolean }>("SELECT to_regclass('slipvault_migrations') IS NOT NULL AS present");
  if (!exists.rows[0]!.present) return 0;
  const result = await client.query<{ applied: number }>('SELECT count(*)::integer AS applied FROM slipvault_migrations');
  return result.rows[0]!.applied;
}

function refuseFuture(version: number, known: number): void {
  if (version > known) {
    throw new SlipVaultError(
      'ARCHIVE_FROM_FUTURE',
      `This archive database was written by a newer version of SlipVault (schema ${version}; this version knows up to ${known}). ` +
        'Update SlipVault to open it; nothing was changed.',
      { schemaVersion: version, supported: known },
    ).withMessage('archive.fromFuture');
  }
}

/** Brings the database up to date; returns the schema versions before and after. */
export async function migratePg(client: pg.ClientBase, migrations: readonly Migration[] = PG_MIGRATIONS): Promise<{ from: number; to: number }> {
  const from = await pgSchemaVersionOf(client);
  refuseFuture(from, migrations.length);
  let version = from;
  while (version < migrations.length) {
    version = await inPgTransaction(client, async () => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(CREATE_BOOKKEEPING);
      // Another server may have migrated while we waited for the lock.
      const current = await pgSchemaVersionOf(client);
      refuseFuture(current, migrations.length);
      const migration = migrations[current];
      if (!migration) return current;
      for (const statement of statementsOf(migration)) await client.query(statement);
      await client.query('INSERT INTO slipvault_migrations (version, tag, applied_at) VALUES ($1, $2, $3)', [
        current + 1,
        migration.tag,
        new Date().toISOString(),
      ]);
      return current + 1;
    });
  }
  return { from, to: version };
}
