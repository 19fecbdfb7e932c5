/**
 * A save that started from a version which is no longer the document's current one (someone else saved in
 * between) is refused rather than applied over their change: the clerk is told who changed it, when, and
 * what changed since the version they started from, and saves again after reviewing it. Checked inside the
 * write transaction, so two saves from the same version cannot both pass.
 */
import { SlipVaultError } from '../../../shared/errors';
import type { VersionDiff, VersionSummary } from '../../../shared/model';

export interface ConflictSource {
  archiveNo: string;
  currentVersion: number;
  /** The version that made the document what it is now. */
  latest: () => VersionSummary;
  diff: (from: number, to: number) => VersionDiff;
}

export function refuseIfChangedSince(baseVersion: number | undefined, source: ConflictSource): void {
  if (baseVersion === undefined || baseVersion === source.currentVersion) return;
  const { archiveNo, currentVersion } = source;
  if (baseVersion > currentVersion) {
    throw new SlipVaultError('VALIDATION', `${archiveNo} has no version ${baseVersion} to start from: its latest is version ${currentVersion}.`, {
      archiveNo,
      baseVersion,
      currentVersion,
    }).withMessage('documents.noBaseVersion', { archiveNo, baseVersion, currentVersion });
  }
  const latest = source.latest();
  throw new SlipVaultError(
    'EDIT_CONFLICT',
    `${archiveNo} was changed by ${latest.actor} at ${latest.createdAt} (now version ${currentVersion}; you started from version ${baseVersion}) — review the differences, then save again. Nothing was saved.`,
    {
      archiveNo,
      baseVersion,
      currentVersion,
      changedBy: latest.actor,
      changedAt: latest.createdAt,
      diff: source.diff(baseVersion, currentVersion),
    },
  ).withMessage('documents.editConflict', { archiveNo, changedBy: latest.actor, baseVersion, currentVersion });
}
