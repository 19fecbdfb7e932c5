/**
 * Removes old backup sets from a target, keeping the newest `keep` sets of this archive and every set
 * they rely on. A set is first renamed to its `.partial` name, so an interrupted prune leaves something
 * the next backup run cleans up, never a half-deleted set that still looks complete.
 */
import { renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { Archive } from '../archive';
import { toStorageError } from '../fs-errors';
import { fsyncPath, listSets, partialDirName } from './target';
import { inTransaction } from '../db/transaction';

export function pruneBackups(archive: Archive, options: { target: string; keep: number }): { removed: string[]; kept: string[] } {
  const target = resolve(options.target);
  if (!Number.isInteger(options.keep) || options.keep < 1)
    throw new SlipVaultError('VALIDATION', 'Keep at least one backup set.').withMessage('backup.keepOne');
  const archiveId = archive.status().archiveId;
  const sets = listSets(target).filter((catalog) => catalog.archiveId === archiveId);
  const newest = sets.slice(-options.keep);
  const kept = new Set(newest.flatMap((catalog) => [catalog.setId, ...catalog.dependsOn]));
  const removed = sets.filter((catalog) => !kept.has(catalog.setId)).map((catalog) => catalog.setId);
  for (const setId of removed) {
    const doomed = join(target, partialDirName(setId));
    try {
      renameSync(join(target, setId), doomed);
      fsyncPath(target);
      rmSync(doomed, { recursive: true, force: true });
    } catch (error) {
      throw toStorageError(error, `Could not remove backup set ${setId} from ${target}`);
    }
  }
  if (removed.length > 0) {
    inTransaction(archive.connection.sqlite, () => {
      archive.audit.append({ action: 'backup.prune', details: { target, removed, kept: [...kept].sort() } });
    });
  }
  return { removed, kept: sets.filter((catalog) => kept.has(catalog.setId)).map((catalog) => catalog.setId) };
}
