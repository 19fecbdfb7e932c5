/**
 * The Backup screen's folder, remembered on this computer per archive (issue 19 item 7): the folder last
 * backed up to, else the scheduled backups' folder. A path and nothing secret: passphrases are never kept by
 * the page (the scheduled backups' one lives in the OS keychain, docs/scheduled-backups.md).
 */
import type { ScheduledTarget } from '../../shared/backup-schedule';

const storageKey = (archiveId: string) => `slipvault.backupTarget.${archiveId}`;

function rememberedTarget(archiveId: string): string | null {
  try {
    return localStorage.getItem(storageKey(archiveId));
  } catch {
    return null;
  }
}

export function rememberTarget(archiveId: string, target: string): void {
  try {
    localStorage.setItem(storageKey(archiveId), target);
  } catch {
    // A page without storage (a locked-down profile) asks again next time.
  }
}

/** The folder to start with: the remembered one, else a scheduled folder target (a drive target has no fixed path). */
export function startingTarget(archiveId: string, scheduled: ScheduledTarget | null): string {
  return rememberedTarget(archiveId) ?? (scheduled?.kind === 'folder' ? scheduled.path : '');
}
