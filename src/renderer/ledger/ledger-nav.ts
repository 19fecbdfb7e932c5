/**
 * Carries the filters a dashboard tile or a due-screen row opens the ledger list with: the shell's navigate
 * takes only a screen key, and the list screen mounts afresh on every visit, so it takes what was left here.
 */
import type { InputOf } from '../../shared/contract';

export type LedgerFilters = NonNullable<InputOf<'ledger:list'>['filters']>;

let pending: LedgerFilters | null = null;

export function openLedgerList(navigate: (key: string) => void, filters: LedgerFilters): void {
  pending = filters;
  navigate('ledger');
}

/** The filters left by openLedgerList, once; an empty filter set otherwise. */
export function takeLedgerFilters(): LedgerFilters {
  const filters = pending ?? {};
  pending = null;
  return filters;
}
