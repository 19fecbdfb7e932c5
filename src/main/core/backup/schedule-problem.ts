/**
 * The last scheduled backup that could not run, kept in archive_meta until a scheduled backup succeeds, so
 * that every client (and the next start) sees it; each one is an audit event too.
 */
import type { ScheduleProblem } from '../../../shared/backup-schedule';
import type { Archive } from '../archive';
import { inTransaction } from '../db/transaction';

const PROBLEM_KEY = 'backup_schedule_problem';

export function storedProblem(archive: Archive): ScheduleProblem | null {
  const value = archive.connection.sqlite.prepare('SELECT value FROM archive_meta WHERE key = ?').pluck().get(PROBLEM_KEY) as string | undefined;
  return value === undefined ? null : (JSON.parse(value) as ScheduleProblem);
}

/** Stores the problem with its audit event; false when the same problem was already recorded for the same scheduled time. */
export function recordProblem(archive: Archive, problem: ScheduleProblem): boolean {
  const { sqlite } = archive.connection;
  return inTransaction(sqlite, () => {
    const previous = storedProblem(archive);
    if (previous?.slot === problem.slot && previous.message === problem.message) return false;
    sqlite
      .prepare('INSERT INTO archive_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(PROBLEM_KEY, JSON.stringify(problem));
    archive.audit.append({ action: 'backup.schedule_problem', details: { ...problem } });
    return true;
  });
}

export function clearProblem(archive: Archive): void {
  archive.connection.sqlite.prepare('DELETE FROM archive_meta WHERE key = ?').run(PROBLEM_KEY);
}
