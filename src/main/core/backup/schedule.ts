/**
 * Scheduled backups, run by whoever owns the open archive (host/session.ts starts one scheduler per open
 * archive). Due is decided from the archive's own record of its last backup, so a run missed while nothing
 * had the archive open happens at the next start. A run that cannot back up — drive not connected, no
 * passphrase kept, the backup failing — is reported (event, audit event, stored until a backup succeeds),
 * never skipped in silence, and retried at every wake until it succeeds or the next scheduled time comes.
 */
import {
  isBackupDue,
  latestSlot,
  nextSlot,
  verifiedBackupOverdue,
  type BackupSchedule,
  type BackupScheduleStatus,
  type ScheduleProblem,
} from '../../../shared/backup-schedule';
import { SlipVaultError } from '../../../shared/errors';
import type { Archive } from '../archive';
import { toErrorPayload } from '../error-payload';
import type { AgeRecipient } from './age';
import { createBackup } from './create';
import { resolveScheduledTarget, systemDriveLookup, type DriveLookup } from './drive-target';
import { recipientsFrom } from './keys';
import { assertStrongPassphrase } from './passphrase';
import type { ProgressSink } from './progress';
import { clearProblem, recordProblem, storedProblem } from './schedule-problem';
import type { SecretStore } from './secret-store';
import { verifyBackups } from './verify';

export interface ScheduleClock {
  now(): Date;
  /** Calls `wake` at `at` (or as soon after as the process can); returns what cancels it. */
  wakeAt(at: Date, wake: () => void): () => void;
}

const systemClock: ScheduleClock = {
  now: () => new Date(),
  wakeAt(at, wake) {
    const timer = setTimeout(wake, Math.max(0, at.getTime() - Date.now()));
    // A pending scheduled backup never keeps a process alive that has nothing else to do.
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/**
 * Timers drift across sleep and clock changes, a drive may be plugged in at any time and the schedule
 * may be edited: the scheduler looks again at least this often.
 */
export const RECHECK_MS = 15 * 60_000;

export type ScheduledRun =
  | { outcome: 'off' }
  | { outcome: 'not-due' }
  | { outcome: 'backed-up'; setId: string; target: string; verified: boolean }
  | { outcome: 'problem'; problem: ScheduleProblem };

export interface SchedulerOptions {
  secrets: SecretStore;
  clock?: ScheduleClock;
  drives?: DriveLookup;
  /** Failures of the scheduler itself (not of a backup, which are reported as problems). */
  onError?: (error: unknown) => void;
}

async function scheduledRecipients(
  archive: Archive,
  schedule: BackupSchedule,
  secrets: SecretStore,
): Promise<{ recipients: AgeRecipient[]; passphrase: string | null }> {
  if (schedule.mode === 'recipients') return { recipients: recipientsFrom({ recipients: schedule.recipients }), passphrase: null };
  const passphrase = await secrets.passphrase(archive.status().archiveId);
  if (passphrase === null) {
    throw new SlipVaultError(
      'VALIDATION',
      `The scheduled backup needs its passphrase and none is kept in ${secrets.place}: an administrator saves it in Settings → Backup schedule.`,
      { reason: 'no-passphrase' },
    ).withMessage('backup.noPassphraseKept');
  }
  return { recipients: recipientsFrom({ passphrase }), passphrase };
}

/** Verifies the target's sets of this archive; a failure names the set that was written all the same. */
async function verifyWritten(archive: Archive, target: string, setId: string, passphrase: string, progress: ProgressSink): Promise<void> {
  try {
    await verifyBackups(archive, { target, identities: [{ kind: 'scrypt', passphrase }], restoreCheck: false, progress });
  } catch (error) {
    const { code, message, details } = toErrorPayload(error);
    throw new SlipVaultError(code, `Backup set ${setId} was written to ${target}, but verifying the backups there failed: ${message}`, {
      ...details,
      set: setId,
    }).withMessage('backup.verifyAfterBackupFailed', { set: setId, target, reason: message });
  }
}

export class BackupScheduler {
  private readonly clock: ScheduleClock;
  private readonly drives: DriveLookup;
  private cancelWake: (() => void) | null = null;
  private running: Promise<ScheduledRun> | null = null;
  /** A wake's run and the arming of the next wake after it. */
  private cycle: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly archive: Archive,
    private readonly options: SchedulerOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.drives = options.drives ?? systemDriveLookup();
  }

  /** Runs a backup missed while the archive was closed, then wakes at each scheduled time. */
  start(): void {
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelWake?.();
    await this.whenIdle();
  }

  /** Settles when the run in progress (if any) has finished and the next wake is set. */
  async whenIdle(): Promise<void> {
    await Promise.allSettled([this.cycle, this.running]);
  }

  /** Backs up now when the schedule says a backup is due; one run at a time. */
  runIfDue(): Promise<ScheduledRun> {
    this.running ??= this.attempt().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private wake(): void {
    if (this.stopped) return;
    this.cycle = this.runIfDue().then(
      () => this.arm(),
      (error: unknown) => {
        this.options.onError?.(error);
        this.arm();
      },
    );
  }

  private arm(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const recheck = new Date(now.getTime() + RECHECK_MS);
    let next = recheck;
    try {
      const schedule = this.archive.settings.get().backupSchedule;
      if (schedule.enabled && nextSlot(schedule, now) < recheck) next = nextSlot(schedule, now);
    } catch (error) {
      // The archive was closed without stopping the scheduler: nothing more to schedule.
      this.options.onError?.(error);
      return;
    }
    this.cancelWake = this.clock.wakeAt(next, () => this.wake());
  }

  private async attempt(): Promise<ScheduledRun> {
    const { archive, options } = this;
    const now = this.clock.now();
    const schedule = archive.settings.get().backupSchedule;
    if (!schedule.enabled || !schedule.target) return { outcome: 'off' };
    if (!isBackupDue(schedule, archive.status().lastBackup?.at ?? null, now)) return { outcome: 'not-due' };
    const progress: ProgressSink = (update) => archive.events.emit('jobs:progress', update);
    try {
      const { recipients, passphrase } = await scheduledRecipients(archive, schedule, options.secrets);
      const target = await resolveScheduledTarget(schedule.target, this.drives);
      const result = await createBackup(archive, { target, recipients, progress });
      // With the passphrase at hand the run checks what it wrote; a set to public keys needs the
      // recipient's identity, which stays with its holder (the home screen's warning asks for it).
      if (passphrase !== null) await verifyWritten(archive, target, result.set.setId, passphrase, progress);
      clearProblem(archive);
      return { outcome: 'backed-up', setId: result.set.setId, target, verified: passphrase !== null };
    } catch (error) {
      const { code, message } = toErrorPayload(error);
      const problem: ScheduleProblem = { at: now.toISOString(), slot: latestSlot(schedule, now).toISOString(), code, message };
      if (recordProblem(archive, problem)) archive.events.emit('backup:scheduleProblem', problem);
      return { outcome: 'problem', problem };
    }
  }
}

/** What the home screen and Settings show about the schedule. */
export async function scheduleStatus(archive: Archive, secrets: SecretStore, now: Date): Promise<BackupScheduleStatus> {
  const schedule = archive.settings.get().backupSchedule;
  const lastVerifiedAt = archive.status().lastVerified?.at ?? null;
  return {
    schedule,
    nextRunAt: schedule.enabled ? nextSlot(schedule, now).toISOString() : null,
    problem: storedProblem(archive),
    lastVerifiedAt,
    verifiedOverdue: verifiedBackupOverdue(schedule, lastVerifiedAt, now),
    passphraseKept: (await secrets.passphrase(archive.status().archiveId)) !== null,
  };
}

/** Hands the scheduled backups' passphrase to the host's keeper; the audit event says where, never what. */
export async function saveSchedulePassphrase(archive: Archive, secrets: SecretStore, passphrase: string): Promise<{ place: string }> {
  assertStrongPassphrase(passphrase);
  await secrets.savePassphrase(archive.status().archiveId, passphrase);
  archive.audit.append({ action: 'backup.schedule_passphrase', details: { place: secrets.place } });
  return { place: secrets.place };
}
