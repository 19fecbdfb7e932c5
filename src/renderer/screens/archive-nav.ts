/**
 * Carries the status filter a dashboard tile opens the archive list with: the shell's navigate takes only a
 * screen key, so the list starts from what was left here when it mounts (as ledger/ledger-nav.ts does for the
 * ledger list).
 */
import type { ArchiveFilter } from './archive-pages';

let pending: ArchiveFilter | null = null;

export function openArchiveList(navigate: (key: string) => void, filter: ArchiveFilter): void {
  pending = filter;
  navigate('archive');
}

/** The filter left by openArchiveList, or none. Reading does not clear it: React may run a state initializer twice. */
export function pendingArchiveFilter(): ArchiveFilter | null {
  return pending;
}

/** Called once the list has taken the filter, so the next visit from the menu starts unfiltered. */
export function clearPendingArchiveFilter(): void {
  pending = null;
}
