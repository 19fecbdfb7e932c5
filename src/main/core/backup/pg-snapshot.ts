/**
 * The database snapshot of a backup when the archive is on PostgreSQL (docs/server-postgres.md, "Backups of
 * a server archive"): the rows of one REPEATABLE READ snapshot written as an SQLite archive database
 * (db/pg/snapshot-to-sqlite.ts) on a connection of its own, so the archive's connection goes on serving
 * filing meanwhile; then SQLite's search index is built from the copied text on the backup worker
 * (snapshot-index.ts), so the set restores into an archive whose search is complete, as a set of a SQLite archive does.
 */
import { SlipVaultError } from '../../../shared/errors';
import type { JobProgress } from '../../../shared/events';
import type { Archive } from '../archive';
import { snapshotPgToSqlite } from '../db/pg/snapshot-to-sqlite';
import type { PgSyncDatabase } from '../db/pg-sync/pg-sync-database';
import { runBackupJob } from './jobs';
import type { ProgressSink } from './progress';

/** How long reaching the server may take before it counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Failures of the snapshot file (SQLite's codes, the file system's), not of the connection. */
const FILE_FAILURE = /^(SQLITE_|ENOSPC$|EDQUOT$|EROFS$|EACCES$|EPERM$|EIO$)/;

/**
 * Whether the connection failed: the server refused or ended the session (SQLSTATE classes 08 and 28,
 * 57P01–57P03), or node-postgres lost it (a network error, "Connection terminated unexpectedly").
 */
function isConnectionFailure(error: unknown, serverError: new (...args: never[]) => { code?: string | undefined }): boolean {
  if (error instanceof serverError) return /^(08|28|57P0[123])/.test(error.code ?? '');
  const code = (error as { code?: unknown }).code;
  return !(error instanceof SlipVaultError) && !(typeof code === 'string' && FILE_FAILURE.test(code));
}

/** Writes the archive's snapshot into `file` (an SQLite database that must not exist yet). */
export async function snapshotPostgresArchive(archive: Archive, file: string, target: string, progress?: ProgressSink): Promise<void> {
  const database = archive.connection.sqlite as unknown as PgSyncDatabase;
  const jobId = `backup-snapshot-${Date.now()}`;
  const report = (done: number, total: number) => progress?.({ jobId, phase: 'backup-snapshot', done, total } satisfies JobProgress);
  // Loaded here, not at start-up: only an archive on PostgreSQL needs node-postgres.
  const { default: postgres } = await import('pg');
  const client = new postgres.Client({ connectionString: database.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A server that goes away mid-snapshot fails the query that is waiting; the event must not crash the process.
  client.on('error', () => undefined);
  let tables = 0;
  try {
    await client.connect();
    await snapshotPgToSqlite(client, file, ({ done, total }) => {
      tables = total;
      // The last step is the search index below.
      report(done, total + 1);
    });
  } catch (error) {
    if (!isConnectionFailure(error, postgres.DatabaseError)) throw error;
    const reason = (error as Error).message ?? String(error);
    throw new SlipVaultError(
      'SERVER_UNREACHABLE',
      `The backup to ${target} could not read the archive from PostgreSQL at ${database.name} (${reason}). Nothing was written to the backup target.`,
      { target, database: database.name, reason },
    ).withMessage('backup.pgSnapshotUnreachable', { target, database: database.name, reason });
  } finally {
    await client.end().catch(() => undefined);
  }
  await runBackupJob({ kind: 'index-snapshot', file });
  report(tables + 1, tables + 1);
}
