/**
 * `slipvault restore --from T --to postgres://… --files DIR` (docs/server-postgres.md, "Backups of a server
 * archive"): a set restores onto PostgreSQL in two steps that each exist already. It is restored into a
 * scratch folder beside DIR as a local archive (the set's format is the same for both back ends), then that
 * archive is moved with `archive:moveToPostgres` (db/pg/migrate-archive.ts), which checks it, copies files and
 * rows, builds the search index and verifies both sides. The move is an administrator's call, made by an
 * administrator of the restored archive: the audit chain it continues names who brought it back.
 *
 * The database and the folder are checked before anything is decrypted, with the move's own refusals (a
 * database holding tables or an archive, a folder that is a file or not empty), so a refused restore writes
 * nothing anywhere; the move checks them again before it writes.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { CallResult, InputOf, Method, OutputOf } from '../../../shared/contract';
import type { JobProgress } from '../../../shared/events';
import type { RestoreResult } from '../../../shared/model';
import type { PostgresMoveReport } from '../../../shared/postgres-move';
import { createApi, type ApiClient } from '../api';
import { openArchive } from '../archive';
import { prepareFilesFolder } from '../db/pg/files-folder';
import { assertHoldsNoArchive, assertNoForeignTables, describeTarget, openTargetPool } from '../db/pg/move-target';
import { redactedUrl } from '../db/pg-sync/pg-connection';
import { toStorageError } from '../fs-errors';
import type { AgeIdentity } from './age';
import { runBackupJob } from './jobs';
import type { ProgressSink } from './progress';
import { findSet } from './read';

export interface PostgresRestoreOptions {
  /** The backup target folder. */
  from: string;
  setId?: string;
  identities: AgeIdentity[];
  signers?: string[];
  /** An empty PostgreSQL database's URL (the password may come from PGPASSWORD). */
  to: string;
  /** A new or empty folder for the archive's files. */
  filesDir: string;
  /** An administrator of the archive as the set holds it. */
  credentials: { username: string; password: string };
  progress?: ProgressSink;
}

export interface PostgresRestoreResult {
  restore: RestoreResult;
  move: PostgresMoveReport;
}

/** Refuses, before anything is written, a database or files folder the move would refuse. */
async function assertTargetEmpty(url: string, filesDir: string, archiveId: string): Promise<void> {
  const target = describeTarget(url);
  if (existsSync(filesDir)) prepareFilesFolder(filesDir);
  const pool = await openTargetPool(url);
  try {
    const client = await pool.connect();
    try {
      await assertNoForeignTables(client, target);
      const migrated = await client.query<{ present: boolean }>("SELECT to_regclass('public.archive_meta') IS NOT NULL AS present");
      if (migrated.rows[0]!.present) await assertHoldsNoArchive(client, target, archiveId);
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

async function call<M extends Method>(client: ApiClient, method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  const result = (await client.invoke(method, input)) as CallResult<M>;
  if (!result.ok) throw SlipVaultError.fromPayload(result.error);
  return result.value;
}

/** Logs in to the restored archive; a refusal says whose accounts these are. */
async function logIn(client: ApiClient, credentials: PostgresRestoreOptions['credentials'], setId: string): Promise<void> {
  const login = await client.invoke('auth:login', credentials);
  if (login.ok) return;
  throw new SlipVaultError(
    login.error.code,
    `${login.error.message} The move onto PostgreSQL needs an administrator of the archive as backup set ${setId} holds it (its accounts and passwords as they were then). Nothing was written to the database.`,
    { ...login.error.details, set: setId },
  ).withMessage('backup.restoreLoginRefused', { set: setId });
}

export async function restoreToPostgres(options: PostgresRestoreOptions): Promise<PostgresRestoreResult> {
  // A postgres:// URL, or refused before anything else is looked at.
  redactedUrl(options.to);
  const from = resolve(options.from);
  const filesDir = resolve(options.filesDir);
  const { chosen } = findSet(from, options.setId);
  await assertTargetEmpty(options.to, filesDir, chosen.archiveId);
  // Beside the files folder: the restored files are copied from there, and its disk has room for them.
  let scratch: string;
  try {
    mkdirSync(dirname(filesDir), { recursive: true });
    scratch = mkdtempSync(join(dirname(filesDir), '.slipvault-restore-'));
  } catch (error) {
    throw toStorageError(error, `No scratch folder for the restore could be made beside ${filesDir}`);
  }
  try {
    const restore = await runBackupJob(
      {
        kind: 'restore',
        from,
        into: join(scratch, 'archive'),
        identities: options.identities,
        signers: options.signers ?? [],
        setId: chosen.setId,
      },
      options.progress,
    );
    const archive = await openArchive(restore.path, { program: 'slipvault restore' });
    const api = createApi(archive);
    const unsubscribe = archive.events.subscribe((event, payload) => {
      if (event === 'jobs:progress') options.progress?.(payload as JobProgress);
    });
    try {
      const client = api.connect();
      await logIn(client, options.credentials, chosen.setId);
      const move = await call(client, 'archive:moveToPostgres', { to: options.to, filesDir });
      return { restore: { ...restore, path: filesDir }, move };
    } finally {
      unsubscribe();
      await api.dispose();
      archive.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
