/** Events the core pushes to the UI: 'domain:event' → payload. Transports are generic over this map. */
import type { ScheduleProblem } from './backup-schedule';
import type { AppNotification } from './model';

/** The long jobs there are; the UI names each in the user's language (`jobs.phase.<phase>`). */
export const JOB_PHASES = [
  'ocr',
  'reindex',
  'backup',
  'verify',
  'restore',
  // issue 20 item 5: moving an archive onto PostgreSQL (files, then rows; then the check of both sides)
  'move-files',
  'move-rows',
  'move-verify',
  // issue 20: a backup of an archive on PostgreSQL reads its snapshot first (core/backup/pg-snapshot.ts)
  'backup-snapshot',
] as const;
export type JobPhase = (typeof JOB_PHASES)[number];

/** Progress of any long job (docs/architecture.md, "Long work off the calling thread"). */
export interface JobProgress {
  jobId: string;
  phase: JobPhase;
  done: number;
  total: number;
  bytesDone?: number;
  bytesTotal?: number;
  etaMs?: number;
}

export interface EventMap {
  'jobs:progress': JobProgress;
  'documents:changed': { documentId: number; archiveNo: string; version: number };
  /** The host locked the window (the computer locked or went to sleep): the UI shows its lock screen. */
  /** `owner-restarted`: the archive's owner process stopped and a new one took over; the login went with the old one. */
  /** `connection-changed`: the window now works on another archive (host/server-routing.ts; a server gone away does not lock it). */
  'session:locked': { reason: 'os-lock' | 'suspend' | 'owner-restarted' | 'connection-changed' };
  /** A scheduled backup could not run (its drive is missing, no passphrase is kept, the backup failed). */
  'backup:scheduleProblem': ScheduleProblem;
  /** Slip-ledger reminders just created; each client shows those addressed to its user (issue 17). */
  'notifications:new': { notifications: AppNotification[] };
}

export type EventName = keyof EventMap;
export type EventPayload<E extends EventName> = EventMap[E];

export const EVENT_NAMES: readonly EventName[] = ['jobs:progress', 'documents:changed', 'session:locked', 'backup:scheduleProblem', 'notifications:new'];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}
