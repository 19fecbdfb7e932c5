/**
 * An authorization's state on a given day, computed from its stored lifecycle and dates, never stored:
 * the same record is `active` today and `expiring` in a month. The clock is a parameter, so tests (and a
 * "what will be due" view) choose the day.
 */
import { EXPIRY_WARNINGS, DEFAULT_REVIEW_MONTHS, type AuthorizationState } from '../../../shared/records';

export interface StoredLifecycle {
  status: 'draft' | 'active' | 'revoked' | 'superseded';
  validTo: string | null;
  reviewDate: string | null;
}

export interface ComputedState {
  state: AuthorizationState;
  endInForce: string | null;
  daysToEnd: number | null;
  warning: (typeof EXPIRY_WARNINGS)[number] | null;
}

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The date `months` calendar months after `date`, on the last day of the month where that day does not exist. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/** The review date an authorization valid until revoked gets when none is given. */
export function defaultReviewDate(validFrom: string): string {
  return addMonths(validFrom, DEFAULT_REVIEW_MONTHS);
}

/** The loudest warning threshold `daysToEnd` has reached, or null while more than 60 days remain. */
function warningFor(daysToEnd: number): ComputedState['warning'] {
  const reached = EXPIRY_WARNINGS.filter((threshold) => daysToEnd <= threshold);
  return reached.length === 0 ? null : reached[reached.length - 1]!;
}

/**
 * The end in force is the valid-to date, or for an authorization valid until revoked its review date. Past
 * its valid-to date an authorization is expired; past its review date it stays in force but keeps the
 * loudest warning until someone reviews it (sets a new review date).
 */
export function stateOn(record: StoredLifecycle, today: string): ComputedState {
  const endInForce = record.validTo ?? record.reviewDate;
  const daysToEnd = endInForce === null ? null : daysBetween(today, endInForce);
  if (record.status !== 'active') return { state: record.status, endInForce, daysToEnd, warning: null };
  if (daysToEnd === null) return { state: 'active', endInForce, daysToEnd, warning: null };
  if (record.validTo !== null && daysToEnd < 0) return { state: 'expired', endInForce, daysToEnd, warning: null };
  const warning = warningFor(daysToEnd);
  return { state: warning === null ? 'active' : 'expiring', endInForce, daysToEnd, warning };
}
