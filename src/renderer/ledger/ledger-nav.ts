/**
 * Carries the filters a dashboard tile or a due-screen row opens the ledger list with: the shell's navigate
 * takes only a screen key, and the list screen mounts afresh on every visit, so it starts from what was left here.
 */
import type { InputOf } from '../../shared/contract';

export type LedgerFilters = NonNullable<InputOf<'ledger:list'>['filters']>;

let pending: LedgerFilters | null = null;
/** A list already on screen (the bell is clicked while it shows) does not mount again: it listens instead. */
const listeners = new Set<(filters: LedgerFilters) => void>();

export function openLedgerList(navigate: (key: string) => void, filters: LedgerFilters): void {
  pending = filters;
  for (const listener of listeners) listener(filters);
  navigate('ledger');
}

export function onLedgerFilters(listener: (filters: LedgerFilters) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The filters left by openLedgerList, or none. Reading does not clear them: React may run a state initializer twice. */
export function pendingLedgerFilters(): LedgerFilters {
  return pending ?? {};
}

/** Called once the list has taken the filters, so the next visit from the menu starts unfiltered. */
export function clearPendingLedgerFilters(): void {
  pending = null;
}
