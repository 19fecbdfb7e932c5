/**
 * Restore from the app: the chosen set goes into a new, empty folder as a separate archive (on a worker
 * thread, with progress); the open archive is never touched, so a folder inside it is refused. Sets the
 * open archive signed are trusted, and those of the signers the caller names (set-signature.ts).
 */
import { relative, resolve, isAbsolute } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { RestoreResult } from '../../../shared/model';
import type { Archive } from '../archive';
import type { AgeIdentity } from './age';
import { backupIndexKey } from './catalog-index';
import { runBackupJob } from './jobs';
import { backupSigner, parseSigners } from './set-signature';
import type { ProgressSink } from './progress';

function isInside(folder: string, parent: string): boolean {
  const path = relative(parent, folder);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

export async function restoreCopy(
  archive: Archive,
  options: { target: string; into: string; identities: AgeIdentity[]; setId?: string; signers?: string[]; progress?: ProgressSink },
): Promise<RestoreResult> {
  const into = resolve(options.into);
  const target = resolve(options.target);
  if (isInside(into, resolve(archive.dir)) || isInside(resolve(archive.dir), into)) {
    throw new SlipVaultError('VALIDATION', `${into} is part of the open archive; restore into a new folder outside it. Nothing was changed.`, {
      into,
    }).withMessage('backup.restoreIntoArchive', { into });
  }
  if (isInside(into, target)) {
    throw new SlipVaultError('VALIDATION', `${into} is inside the backup target; restore into a folder elsewhere. Nothing was changed.`, { into }).withMessage(
      'backup.restoreIntoTarget',
      { into },
    );
  }
  const indexKey = backupIndexKey(archive, false);
  const signers = [...(indexKey ? [backupSigner(indexKey)] : []), ...parseSigners(options.signers ?? [])];
  return runBackupJob(
    { kind: 'restore', from: target, into, identities: options.identities, signers, ...(options.setId ? { setId: options.setId } : {}) },
    options.progress,
  );
}
