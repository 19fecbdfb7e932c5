/**
 * Documents filed per ISO week (Monday to Sunday) for the dashboard, counted from the version history: a
 * document counts in the week of each version that moved its status to filed (the version before it was not
 * filed, or there was none), so a refiled document counts again and an edit of a filed one does not. Weeks
 * are calendar weeks of the local day each version was written, the last one the week of `asOf`.
 */
import type { Database } from 'better-sqlite3';
import { onPostgres } from '../db/pg-sync/pg-connection';
import type { FiledWeek } from '../../../shared/model';
import { addDays, daysBetween, localDay } from './days';

/** Days from Monday (0) of a day's week; 1970-01-05 was a Monday. */
const weekday = (day: string) => ((daysBetween('1970-01-05', day) % 7) + 7) % 7;

/** The ISO week label of a Monday: the week belongs to the year of its Thursday. */
function isoWeek(monday: string): string {
  const thursday = addDays(monday, 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function filedPerWeek(sqlite: Database, asOf: string, weeks: number): FiledWeek[] {
  const lastMonday = addDays(asOf, -weekday(asOf));
  const firstMonday = addDays(lastMonday, -7 * (weeks - 1));
  const end = addDays(lastMonday, 7);
  // created_at is UTC; a day's margin on each side covers every time zone, the local day decides below.
  // The status inside a snapshot: SQLite's json_extract, PostgreSQL's #>> on the text read as jsonb.
  const status = (snapshot: string) => (onPostgres(sqlite) ? `(${snapshot}::jsonb #>> '{metadata,status}')` : `json_extract(${snapshot}, '$.metadata.status')`);
  const filedAt = sqlite
    .prepare(
      `SELECT v.created_at FROM document_versions v
         LEFT JOIN document_versions p ON p.document_id = v.document_id AND p.number = v.number - 1
        WHERE v.created_at >= ? AND v.created_at < ? AND ${status('v.snapshot')} = 'filed'
          AND (p.id IS NULL OR ${status('p.snapshot')} IS DISTINCT FROM 'filed')`,
    )
    .pluck()
    .all(addDays(firstMonday, -1), addDays(end, 1)) as string[];
  const counts = new Map<string, number>();
  for (const at of filedAt) {
    const day = localDay(new Date(at));
    if (day < firstMonday || day >= end) continue;
    const monday = addDays(day, -weekday(day));
    counts.set(monday, (counts.get(monday) ?? 0) + 1);
  }
  return Array.from({ length: weeks }, (_, index) => {
    const start = addDays(firstMonday, 7 * index);
    return { week: isoWeek(start), start, count: counts.get(start) ?? 0 };
  });
}
