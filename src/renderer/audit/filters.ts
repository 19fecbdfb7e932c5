/**
 * The audit filters as typed on screen → the filters the core takes, checked with the same schema the core
 * uses so a bad field is marked before anything is sent. Days are this computer's days: a
 * range from 3 March to 5 March covers 3 March 00:00 up to (not including) 6 March 00:00, local time.
 */
import { auditFilters, type AuditFilters } from '../../shared/audit-view';

export interface FilterDraft {
  user: string;
  /** An action code, or a family written "document.*". */
  action: string | null;
  /** Archive number or id. */
  document: string;
  /** YYYY-MM-DD, both days included. */
  from: string | null;
  to: string | null;
}

export const EMPTY_FILTERS: FilterDraft = { user: '', action: null, document: '', from: null, to: null };

export type FilterField = 'user' | 'action' | 'document' | 'range';

export type FilterCheck = { ok: true; filters: AuditFilters } | { ok: false; invalid: FilterField[] };

function localMidnight(day: string, addDays: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date + addDays).toISOString();
}

const FIELD_OF: Record<string, FilterField> = { user: 'user', action: 'action', document: 'document', since: 'range', until: 'range' };

export function checkFilters(draft: FilterDraft): FilterCheck {
  const user = draft.user.trim();
  const document = draft.document.trim();
  const candidate = {
    ...(user ? { user } : {}),
    ...(draft.action ? { action: draft.action } : {}),
    ...(document ? { document } : {}),
    ...(draft.from ? { since: localMidnight(draft.from, 0) } : {}),
    ...(draft.to ? { until: localMidnight(draft.to, 1) } : {}),
  };
  const parsed = auditFilters.safeParse(candidate);
  if (parsed.success) return { ok: true, filters: parsed.data };
  const invalid = new Set(parsed.error.issues.map((issue) => FIELD_OF[String(issue.path[0])] ?? 'range'));
  return { ok: false, invalid: [...invalid] };
}

/** A file name that sorts by when it was exported: slipvault-audit-20260305-0915.csv. */
export function exportFileName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `slipvault-audit-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}.csv`;
}
