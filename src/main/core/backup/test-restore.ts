/**
 * backup:testRestore — the Backup screen's "test restore" (issue 19 item 7): proves the newest backup on a
 * target can be brought back, the way a clerk would need it after losing the computer. The set (and the sets
 * it builds on) is restored on the backup worker into a temporary folder, opened there as an archive and
 * checked, and the folder is removed whatever happened. A copy that passes is the archive's "last verified
 * restore" (an audit event, shown on the screen); one that fails is reported with check's problems.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { TestRestoreReport } from '../../../shared/model';
import { openArchive, type Archive } from '../archive';
import type { AgeIdentity } from './age';
import { backupIndexKey } from './catalog-index';
import { runBackupJob } from './jobs';
import type { ProgressSink } from './progress';
import { backupSigner } from './set-signature';
import type { SecretStore } from './secret-store';
import { listSets } from './target';

export interface TestRestoreOptions {
  target: string;
  identities: AgeIdentity[];
  progress?: ProgressSink;
}

function removeFolder(folder: string): boolean {
  try {
    rmSync(folder, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

export async function testRestore(archive: Archive, options: TestRestoreOptions): Promise<TestRestoreReport> {
  const started = performance.now();
  const target = resolve(options.target);
  const archiveId = archive.status().archiveId;
  // listSets refuses a target that is not a folder, naming the drive that may be unplugged.
  const sets = listSets(target).filter((catalog) => catalog.archiveId === archiveId);
  const newest = sets.at(-1);
  if (!newest)
    throw new SlipVaultError('NOT_FOUND', `${target} holds no backup set of this archive, so there is nothing to test-restore.`, { target }).withMessage(
      'backup.nothingToTestRestore',
      { target },
    );
  // Only sets this archive signed: a set that claims its id but was made elsewhere is refused.
  const indexKey = backupIndexKey(archive, false);
  const signers = indexKey ? [backupSigner(indexKey)] : [];
  const scratch = mkdtempSync(join(tmpdir(), 'slipvault-test-restore-'));
  let removed = false;
  try {
    const restored = await runBackupJob(
      { kind: 'restore', from: target, into: join(scratch, 'archive'), identities: options.identities, signers, setId: newest.setId },
      options.progress,
    );
    const copy = await openArchive(restored.path, { program: 'slipvault test-restore' });
    let check;
    try {
      check = await copy.check();
    } finally {
      copy.close();
    }
    removed = removeFolder(scratch);
    const report: TestRestoreReport = {
      target,
      setId: restored.setId,
      createdAt: newest.createdAt,
      setsRead: restored.setsRead,
      files: restored.files,
      bytes: restored.bytes,
      check,
      removed,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    };
    if (check.ok) archive.recordBackup('last_verified_restore', { setId: restored.setId, target, at: new Date().toISOString() }, { testRestore: true });
    return report;
  } finally {
    if (!removed) removeFolder(scratch);
  }
}

/** The passphrase the host keeps for this archive's scheduled backups; refused with where it was looked for when there is none. */
export async function keptPassphrase(archive: Archive, secrets: SecretStore): Promise<string> {
  const passphrase = await secrets.passphrase(archive.status().archiveId);
  if (passphrase === null) {
    throw new SlipVaultError(
      'VALIDATION',
      `A test restore needs the backup's passphrase or identity: type it in, or keep the scheduled backups' passphrase (none is kept in ${secrets.place}).`,
      { reason: 'no-passphrase' },
    ).withMessage('backup.testRestoreNeedsKey');
  }
  return passphrase;
}
