/**
 * Applies drizzle-kit's migrations (embedded by scripts/embed-migrations.mjs). PRAGMA user_version counts
 * the migrations applied; all pending ones run in one transaction, so an archive is either fully on the
 * new schema or untouched. A database from a newer SlipVault (more migrations than we know) is refused
 * before anything is written.
 */
import type Database from 'better-sqlite3';
import { SlipVaultError } from '../../../shared/errors';
import { MIGRATIONS } from './migrations.generated';
import { inTransaction } from './transaction';

export interface Migration {
  tag: string;
  sql: string;
}

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersionOf(sqlite: Database.Database): number {
  return sqlite.pragma('user_version', { simple: true }) as number;
}

export function assertNotFromFuture(sqlite: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const version = schemaVersionOf(sqlite);
  if (version > migrations.length) {
    throw new SlipVaultError(
      'ARCHIVE_FROM_FUTURE',
      `This archive was written by a newer version of SlipVault (schema ${version}; this version knows up to ${migrations.length}). ` +
        'Update SlipVault to open it; nothing was changed.',
      { schemaVersion: version, supported: migrations.length },
    ).withMessage('archive.fromFuture');
  }
}

export function statementsOf(migration: Migration): string[] {
  return migration.sql
    .split('--> statement-breakpoint')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

/** Returns the schema versions before and after. */
export function migrate(sqlite: Database.Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  assertNotFromFuture(sqlite, migrations);
  const from = schemaVersionOf(sqlite);
  if (from === migrations.length) return { from, to: from };
  inTransaction(sqlite, () => {
    for (const migration of migrations.slice(from)) {
      for (const statement of statementsOf(migration)) sqlite.exec(statement);
    }
    sqlite.pragma(`user_version = ${migrations.length}`);
  });
  return { from, to: migrations.length };
}
