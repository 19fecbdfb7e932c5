/**
 * The backup schedule kept in the archive's settings, and the calendar both sides read from it: the core
 * decides when a backup is due, the UI warns when the last verified backup is older than the schedule
 * allows. Times are the computer's local time ("18:00" is six in the evening where the archive runs).
 */

export const BACKUP_FREQUENCIES = ['daily', 'weekly'] as const;

/** A folder named by its full path, or a folder on a removable drive found by the drive's volume label. */
export type ScheduledTarget = { kind: 'folder'; path: string } | { kind: 'drive'; label: string; folder: string };

export interface BackupSchedule {
  enabled: boolean;
  frequency: (typeof BACKUP_FREQUENCIES)[number];
  /** 0 = Sunday … 6 = Saturday; only weekly schedules use it. */
  weekday: number;
  /** HH:MM, 24-hour, local time. */
  time: string;
  target: ScheduledTarget | null;
  /** A passphrase is kept by the host (OS keychain, or SLIPVAULT_BACKUP_PASSPHRASE), never in the archive. */
  mode: 'passphrase' | 'recipients';
  /** age public keys (age1…) when mode is recipients. */
  recipients: string[];
}

export const DEFAULT_BACKUP_SCHEDULE: BackupSchedule = {
  enabled: false,
  frequency: 'daily',
  weekday: 1,
  time: '18:00',
  target: null,
  mode: 'passphrase',
  recipients: [],
};

/** What `backup:scheduleStatus` reports: the schedule's next run, the last problem and the warning. */
export interface BackupScheduleStatus {
  schedule: BackupSchedule;
  /** The next time a scheduled backup is due (ISO), or null when the schedule is off. */
  nextRunAt: string | null;
  /** The last scheduled run that could not back up, until a scheduled backup succeeds again. */
  problem: ScheduleProblem | null;
  lastVerifiedAt: string | null;
  /** The schedule is on and no backup was verified since the scheduled time before the latest one. */
  verifiedOverdue: boolean;
  /** Whether the host holds a passphrase for this archive's scheduled backups. */
  passphraseKept: boolean;
}

export interface ScheduleProblem {
  at: string;
  /** The scheduled time the run was for (ISO). */
  slot: string;
  code: string;
  message: string;
}

export const SCHEDULE_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 24 * 60 * 60 * 1000;

function atTime(day: Date, time: string): Date {
  const match = SCHEDULE_TIME.exec(time);
  const slot = new Date(day);
  slot.setHours(Number(match?.[1] ?? 0), Number(match?.[2] ?? 0), 0, 0);
  return slot;
}

function shiftDays(date: Date, days: number): Date {
  const shifted = new Date(date);
  // setDate keeps the wall-clock time across a daylight-saving change, where adding 24 h would not.
  shifted.setDate(shifted.getDate() + days);
  return shifted;
}

/** The newest scheduled time at or before `now`. */
export function latestSlot(schedule: BackupSchedule, now: Date): Date {
  let slot = atTime(now, schedule.time);
  if (schedule.frequency === 'weekly') slot = shiftDays(slot, -((now.getDay() - schedule.weekday + 7) % 7));
  if (slot.getTime() > now.getTime()) slot = shiftDays(slot, schedule.frequency === 'weekly' ? -7 : -1);
  return atTime(slot, schedule.time);
}

/** The first scheduled time after `now`. */
export function nextSlot(schedule: BackupSchedule, now: Date): Date {
  return atTime(shiftDays(latestSlot(schedule, now), schedule.frequency === 'weekly' ? 7 : 1), schedule.time);
}

function previousSlot(schedule: BackupSchedule, slot: Date): Date {
  return atTime(shiftDays(slot, schedule.frequency === 'weekly' ? -7 : -1), schedule.time);
}

/** A backup is due when none was made since the newest scheduled time (a run missed while closed counts). */
export function isBackupDue(schedule: BackupSchedule, lastBackupAt: string | null, now: Date): boolean {
  if (!schedule.enabled) return false;
  return lastBackupAt === null || Date.parse(lastBackupAt) < latestSlot(schedule, now).getTime();
}

/**
 * The schedule allows one scheduled run to go by unverified (it may still be running, or wait for its
 * drive); when no backup was verified since the scheduled time before the newest one, the UI warns.
 */
export function verifiedBackupOverdue(schedule: BackupSchedule, lastVerifiedAt: string | null, now: Date): boolean {
  if (!schedule.enabled) return false;
  const allowedSince = previousSlot(schedule, latestSlot(schedule, now));
  return lastVerifiedAt === null || Date.parse(lastVerifiedAt) < allowedSince.getTime();
}

/** Whole days since `at`, for "the last verified backup is 9 days old". */
export function daysSince(at: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(at)) / DAY_MS);
}

/** An absolute path on Linux/macOS (/…) or Windows (C:\…, \\server\share). */
export function isAbsoluteFolder(path: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\[^\\])/.test(path);
}
