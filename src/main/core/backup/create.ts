/**
 * Writes one backup set: takes a consistent database snapshot here (SQLite's online backup API, so filing goes
 * on; an archive on PostgreSQL is read in one REPEATABLE READ snapshot and written as an SQLite database,
 * pg-snapshot.ts, so the set's format is the same) and leaves the rest to the backup worker (write-set.ts):
 * every blob that no earlier set on the target holds, the snapshot and a manifest, encrypted to age.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SlipVaultError } from '../../../shared/errors';
import type { BackupResult } from '../../../shared/model';
import type { Archive } from '../archive';
import { GENESIS_HASH } from '../audit/chain-hash';
import type { ChainHead } from '../audit/signed-head';
import { onPostgres } from '../db/pg-sync/pg-connection';
import { toStorageError } from '../fs-errors';
import type { AgeRecipient } from './age';
import { backupIndexKey } from './catalog-index';
import { runBackupJob } from './jobs';
import { snapshotPostgresArchive } from './pg-snapshot';
import type { ProgressSink } from './progress';
import { assertTargetFolder, fsyncPath, newSetId } from './target';
import type { WriteSetJob } from './write-set';

export const DEFAULT_VOLUME_BYTES = 2 * 1024 ** 3;
export const MIN_VOLUME_BYTES = 64 * 1024;

export interface BackupOptions {
  target: string;
  recipients: AgeRecipient[];
  volumeBytes?: number;
  /** Write every blob again, making a self-contained set (after which older sets can be pruned). */
  full?: boolean;
  progress?: ProgressSink;
}

/** A killed run leaves its snapshot in the archive's tmp folder; the writer lock says no other run is live. */
function removeStaleSnapshots(tmpDir: string): void {
  for (const name of readdirSync(tmpDir)) if (/^backup-.+\.db(-journal|-wal|-shm)?$/.test(name)) rmSync(join(tmpDir, name), { force: true });
}

/**
 * Takes the snapshot here (the online backup API steps through the pages between other work, so filing
 * goes on) and leaves the rest to a worker thread; records the set in the archive when it is complete.
 */
export async function createBackup(archive: Archive, options: BackupOptions): Promise<BackupResult> {
  const target = resolve(options.target);
  const volumeBytes = options.volumeBytes ?? DEFAULT_VOLUME_BYTES;
  if (!Number.isInteger(volumeBytes) || volumeBytes < MIN_VOLUME_BYTES) {
    throw new SlipVaultError('VALIDATION', `The volume size must be at least ${MIN_VOLUME_BYTES} bytes.`).withMessage('backup.volumeTooSmall', {
      bytes: MIN_VOLUME_BYTES,
    });
  }
  assertTargetFolder(target);
  removeStaleSnapshots(join(archive.dir, 'tmp'));
  const now = new Date();
  const setId = newSetId(now, randomBytes(3).toString('hex'));
  const snapshotPath = join(archive.dir, 'tmp', `backup-${setId}.db`);
  // Created before the snapshot, so a restored archive keeps it and continues incremental sets.
  const indexKey = backupIndexKey(archive, true)!;
  try {
    let snapshotHead: ChainHead;
    try {
      // The set format is the same for both back ends: an archive on PostgreSQL is snapshot as an SQLite database.
      if (onPostgres(archive.connection.sqlite)) await snapshotPostgresArchive(archive, snapshotPath, target, options.progress);
      else await archive.connection.sqlite.backup(snapshotPath);
      // A self-contained file: readers of the snapshot (and of a restore) then leave no -wal/-shm beside it.
      const snapshot = new Database(snapshotPath);
      try {
        snapshot.pragma('journal_mode = DELETE');
        snapshotHead = (snapshot.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as ChainHead | undefined) ?? {
          seq: 0,
          hash: GENESIS_HASH,
        };
      } finally {
        snapshot.close();
      }
      fsyncPath(snapshotPath);
    } catch (error) {
      throw toStorageError(error, `The database snapshot for the backup to ${target} failed`);
    }
    const job: WriteSetJob = {
      target,
      archiveDir: archive.dir,
      archiveId: archive.status().archiveId,
      indexKey,
      snapshotPath,
      setId,
      createdAt: now.toISOString(),
      recipients: options.recipients,
      volumeBytes,
      full: options.full === true,
      auditHead: archive.audit.anchoring.signHead(snapshotHead, 'backup'),
    };
    const result = await runBackupJob({ kind: 'write-set', job }, options.progress);
    archive.recordBackup('last_backup', { setId, target, at: job.createdAt }, { blobsWritten: result.set.blobs ?? 0, blobsReused: result.blobsReused });
    return result;
  } finally {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${snapshotPath}${suffix}`, { force: true });
  }
}
