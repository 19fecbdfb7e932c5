/**
 * `archive:moveToPostgres`: the administrator's move of this archive onto PostgreSQL (migrate-archive.ts does
 * the work). It runs only in a process that holds the archive for itself: a move copies a snapshot, so
 * anything another program wrote during it would exist on one side only. An owner serving the archive to
 * other programs (the desktop app, `slipvault serve`, the preview) therefore refuses it — `slipvault migrate`
 * opens the archive itself, which is refused while such an owner runs, and so nobody can write meanwhile.
 */
import { SlipVaultError } from '../../../../shared/errors';
import type { JobProgress } from '../../../../shared/events';
import type { PostgresMoveReport } from '../../../../shared/postgres-move';
import type { Archive } from '../../archive';
import { describeHolder, readLockHolder } from '../../lock';
import { moveArchiveToPg } from './migrate-archive';
import { describeTarget, openTargetPool } from './move-target';

export function refuseWhileServed(archive: Archive): void {
  const holder = readLockHolder(archive.dir);
  if (holder?.socket === undefined) return;
  throw new SlipVaultError(
    'ARCHIVE_IN_USE',
    `The archive ${archive.dir} is served to other programs by ${describeHolder(holder)}, so it could change while it is copied. Stop that program and run \`slipvault migrate\`, which holds the archive for itself while it copies. Nothing was copied.`,
    { archive: archive.dir },
  ).withMessage('postgres.archiveServed', { archive: archive.dir });
}

export async function moveToPostgres(
  archive: Archive,
  request: { to: string; filesDir: string },
  emit: (progress: JobProgress) => void,
  now: () => number,
): Promise<PostgresMoveReport> {
  refuseWhileServed(archive);
  const target = describeTarget(request.to);
  const jobId = `move-to-postgres-${now()}`;
  const pool = await openTargetPool(request.to);
  try {
    const move = await moveArchiveToPg(archive, pool, request.filesDir, { target, now, onProgress: (progress) => emit({ jobId, ...progress }) });
    return {
      archiveId: move.archiveId,
      target,
      filesDir: move.filesDir,
      rows: move.rows,
      files: move.files,
      bytes: move.bytes,
      audit: { archive: move.archiveAudit, postgres: { events: move.auditEvents, head: move.auditHead } },
      problems: move.problems,
      verifiedAt: move.verifiedAt,
    };
  } finally {
    await pool.end();
  }
}
