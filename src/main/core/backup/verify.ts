/**
 * verify-backup: decrypts every set of this archive on the target and checks every hash, then compares the
 * audit chain head each set's catalog records with the live chain; optionally restores the newest into a
 * scratch folder and runs `check` on it. Records the outcome in the archive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { BackupVerifyReport } from '../../../shared/model';
import { openArchive, type Archive } from '../archive';
import type { AgeIdentity } from './age';
import { backupIndexKey } from './catalog-index';
import { runBackupJob } from './jobs';
import { backupSigner } from './set-signature';
import type { ProgressSink } from './progress';
import { listSets, type Catalog } from './target';

/** Each set's catalog records the audit chain head it was made at: the live chain must still reach it. */
function assertChainMatchesSets(archive: Archive, target: string, sets: Catalog[]): void {
  const problems = archive.audit.anchoring.verifyForeignHeads(sets.map((catalog) => ({ source: `backup set ${catalog.setId}`, head: catalog.auditHead })));
  if (problems.length === 0) return;
  const firstSeq = problems.find((problem) => problem.seq !== null)?.seq ?? null;
  throw new SlipVaultError(
    'CORRUPT_FILE',
    `The audit trail of this archive does not match its backups on ${target}: ${problems.map((problem) => problem.message).join('; ')}.`,
    {
      target,
      auditSeq: firstSeq,
    },
  ).withMessage('backup.auditMismatch', { target });
}

export async function verifyBackups(
  archive: Archive,
  options: { target: string; identities: AgeIdentity[]; restoreCheck: boolean; progress?: ProgressSink },
): Promise<BackupVerifyReport> {
  const target = resolve(options.target);
  const archiveId = archive.status().archiveId;
  const sets = listSets(target).filter((catalog) => catalog.archiveId === archiveId);
  if (sets.length === 0)
    throw new SlipVaultError('NOT_FOUND', `${target} holds no backup set of this archive.`, { target }).withMessage('backup.noSets', { target });
  // Only this archive's own signer: a set on the target that claims its id but was made elsewhere is refused.
  const indexKey = backupIndexKey(archive, false);
  const signers = indexKey ? [backupSigner(indexKey)] : [];
  const verified = await runBackupJob(
    { kind: 'read-sets', target, setIds: sets.map((catalog) => catalog.setId), identities: options.identities, signers },
    options.progress,
  );
  assertChainMatchesSets(archive, target, sets);
  const report: BackupVerifyReport = { sets: verified, restoreChecked: false };
  const newest = sets[sets.length - 1]!;
  const record = { setId: newest.setId, target, at: new Date().toISOString() };
  archive.recordBackup('last_verified', record, { sets: sets.length });
  if (options.restoreCheck) {
    const scratch = mkdtempSync(join(tmpdir(), 'slipvault-verify-'));
    try {
      const restored = await runBackupJob(
        { kind: 'restore', from: target, into: join(scratch, 'archive'), identities: options.identities, signers },
        options.progress,
      );
      const copy = await openArchive(restored.path, { program: 'slipvault verify-backup' });
      try {
        const check = await copy.check();
        if (!check.ok) {
          throw new SlipVaultError(
            'CORRUPT_FILE',
            `The restored copy of set ${newest.setId} fails check: ${check.problems[0]?.message ?? 'unknown problem'}.`,
            { set: newest.setId },
          ).withMessage('backup.restoredCopyFails', { set: newest.setId });
        }
      } finally {
        copy.close();
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    archive.recordBackup('last_verified_restore', { ...record, at: new Date().toISOString() });
    report.restoreChecked = true;
  }
  return report;
}
