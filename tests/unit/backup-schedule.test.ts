/**
 * Scheduled backups on a clock the test controls: a due schedule writes one verified set to a real folder,
 * a schedule not due writes nothing, a run missed while the archive was closed happens at the next start,
 * and a target that is not there is reported (event, audit event, status) with nothing written, then
 * backed up once it appears. Backups themselves are real (worker thread, age, the archive's own records).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../src/main/core/api';
import { initArchive, openArchive, type Archive } from '../../src/main/core/archive';
import { generateIdentity, parseRecipient } from '../../src/main/core/backup/age';
import { createBackup } from '../../src/main/core/backup/create';
import { BackupScheduler, RECHECK_MS, type ScheduleClock } from '../../src/main/core/backup/schedule';
import { environmentSecretStore } from '../../src/main/core/backup/secret-store';
import { listSets } from '../../src/main/core/backup/target';
import { openSession } from '../../src/main/host/session';
import { nextSlot, type BackupSchedule, type ScheduleProblem } from '../../src/shared/backup-schedule';
import { callOk } from '../helpers/api-calls';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

const PASSPHRASE = 'lantern copper 47 river';
const secrets = environmentSecretStore({ SLIPVAULT_BACKUP_PASSPHRASE: PASSPHRASE });

/** A clock that only moves when the test moves it, and runs the scheduler's wakes that fall due. */
class TestClock implements ScheduleClock {
  readonly wakes: { at: Date; wake: () => void }[] = [];
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  wakeAt(at: Date, wake: () => void): () => void {
    const entry = { at, wake };
    this.wakes.push(entry);
    return () => {
      if (this.wakes.includes(entry)) this.wakes.splice(this.wakes.indexOf(entry), 1);
    };
  }
  advanceTo(time: Date): void {
    this.current = time;
    const due = this.wakes.filter((entry) => entry.at <= time);
    for (const entry of due) {
      this.wakes.splice(this.wakes.indexOf(entry), 1);
      entry.wake();
    }
  }
}

const hhmm = (date: Date) => `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
const minutes = (date: Date, count: number) => new Date(date.getTime() + count * 60_000);

function daily(target: BackupSchedule['target'], time: string): BackupSchedule {
  return { enabled: true, frequency: 'daily', weekday: 0, time, target, mode: 'passphrase', recipients: [] };
}

const opened: Archive[] = [];
afterEach(() => {
  for (const archive of opened.splice(0)) archive.close();
});

async function archiveWithDocument(): Promise<Archive> {
  const archive = await initArchive(join(tempDir(), 'archive'));
  opened.push(archive);
  await archive.documents.importFile(await writeJpeg(tempDir('slipvault-files-'), 'slip.jpg'));
  return archive;
}

const auditActions = (archive: Archive, action: string) =>
  archive.connection.sqlite.prepare('SELECT details FROM audit_events WHERE action = ? ORDER BY seq').pluck().all(action) as string[];

describe('the backup scheduler', () => {
  it('backs up and verifies when due, not again before the next scheduled time, and again when the clock reaches it', async () => {
    const archive = await archiveWithDocument();
    const target = tempDir('slipvault-target-');
    const start = new Date();
    const schedule = daily({ kind: 'folder', path: target }, hhmm(minutes(start, -120)));
    archive.settings.update({ backupSchedule: schedule });
    const clock = new TestClock(start);
    const scheduler = new BackupScheduler(archive, { secrets, clock });

    scheduler.start();
    await scheduler.whenIdle();
    expect(listSets(target)).toHaveLength(1);
    expect(archive.status().lastVerified?.setId).toBe(listSets(target)[0]!.setId);
    // It looks again within the recheck interval (the next scheduled time is almost a day away).
    expect(clock.wakes.map((entry) => entry.at.getTime())).toEqual([start.getTime() + RECHECK_MS]);

    clock.advanceTo(minutes(start, 20));
    await scheduler.whenIdle();
    expect(await scheduler.runIfDue()).toEqual({ outcome: 'not-due' });
    expect(listSets(target)).toHaveLength(1);

    // The last backup was recorded at the real time; the test clock now stands past the next scheduled one.
    clock.advanceTo(minutes(nextSlot(schedule, start), 30));
    await scheduler.whenIdle();
    expect(listSets(target)).toHaveLength(2);
    await scheduler.stop();
    expect(clock.wakes).toEqual([]);
    expect(auditActions(archive, 'backup.last_backup')).toHaveLength(2);
  });

  it('writes nothing while the schedule is off or no backup is due', async () => {
    const archive = await archiveWithDocument();
    const target = tempDir('slipvault-target-');
    const now = new Date();
    const scheduler = new BackupScheduler(archive, { secrets, clock: new TestClock(now) });
    expect(await scheduler.runIfDue()).toEqual({ outcome: 'off' });
    await createBackup(archive, { target, recipients: [{ kind: 'scrypt', passphrase: PASSPHRASE }] });
    // The newest scheduled time lies before the backup just made.
    archive.settings.update({ backupSchedule: daily({ kind: 'folder', path: target }, hhmm(minutes(now, -60))) });
    expect(await scheduler.runIfDue()).toEqual({ outcome: 'not-due' });
    archive.settings.update({ backupSchedule: { ...daily({ kind: 'folder', path: target }, hhmm(now)), enabled: false } });
    expect(await scheduler.runIfDue()).toEqual({ outcome: 'off' });
    expect(listSets(target)).toHaveLength(1);
  });

  it('runs a backup missed while the archive was closed when it opens again', async () => {
    const first = await archiveWithDocument();
    const target = tempDir('slipvault-target-');
    await createBackup(first, { target, recipients: [{ kind: 'scrypt', passphrase: PASSPHRASE }] });
    first.settings.update({ backupSchedule: { ...daily({ kind: 'folder', path: target }, '09:30'), frequency: 'weekly', weekday: 3 } });
    first.close();
    opened.splice(opened.indexOf(first), 1);

    const archive = await openArchive(first.dir);
    opened.push(archive);
    // Opened again eight days later: at least one Wednesday 09:30 went by while it was closed.
    const scheduler = new BackupScheduler(archive, { secrets, clock: new TestClock(new Date(Date.now() + 8 * 24 * 3_600_000)) });
    scheduler.start();
    await scheduler.whenIdle();
    await scheduler.stop();
    expect(listSets(target)).toHaveLength(2);
    expect(archive.status().lastBackup?.setId).toBe(listSets(target)[1]!.setId);
  });

  it('reports a backup folder that is not there once per scheduled time, writes nothing, and backs up when it is back', async () => {
    const archive = await archiveWithDocument();
    const target = join(tempDir('slipvault-drive-'), 'backups');
    archive.settings.update({ backupSchedule: daily({ kind: 'folder', path: target }, '00:00') });
    const events: ScheduleProblem[] = [];
    archive.events.subscribe((name, payload) => name === 'backup:scheduleProblem' && events.push(payload as ScheduleProblem));
    const scheduler = new BackupScheduler(archive, { secrets, clock: new TestClock(new Date()) });

    const run = await scheduler.runIfDue();
    expect(run.outcome).toBe('problem');
    const message = `The backup folder ${target} is not there (is its drive connected?). The backup runs as soon as it is back.`;
    expect(events.map((event) => [event.code, event.message])).toEqual([['FILE_NOT_FOUND', message]]);
    expect(existsSync(target)).toBe(false);
    expect(archive.status().lastBackup).toBeNull();
    expect((await scheduler.runIfDue()).outcome).toBe('problem');
    expect(auditActions(archive, 'backup.schedule_problem').map((details) => (JSON.parse(details) as ScheduleProblem).message)).toEqual([message]);
    expect(events).toHaveLength(1);

    const viewer = await clientAs(createApi(archive, { secrets }), archive, 'viewer');
    expect((await callOk(viewer, 'backup:scheduleStatus', {})).problem?.message).toBe(message);

    mkdirSync(target, { recursive: true });
    expect((await scheduler.runIfDue()).outcome).toBe('backed-up');
    expect(listSets(target)).toHaveLength(1);
    expect((await callOk(viewer, 'backup:scheduleStatus', {})).problem).toBeNull();
  });

  it('looks a drive up by its label under the mount folders and reports one that is not connected', async () => {
    const archive = await archiveWithDocument();
    const mounts = tempDir('slipvault-mounts-');
    const drives = { platform: 'linux' as const, mountRoots: [join(mounts, 'run/media/li'), join(mounts, 'media/li')] };
    archive.settings.update({ backupSchedule: daily({ kind: 'drive', label: 'BACKUP-A', folder: 'SlipVault/office' }, '00:00') });
    const scheduler = new BackupScheduler(archive, { secrets, drives, clock: new TestClock(new Date()) });

    const missing = await scheduler.runIfDue();
    expect(missing.outcome === 'problem' && missing.problem.message).toBe(
      `The backup drive labelled "BACKUP-A" is not connected (looked in ${join(mounts, 'run/media/li/BACKUP-A')}, ${join(mounts, 'media/li/BACKUP-A')}). Connect it; the backup runs as soon as it is found.`,
    );

    mkdirSync(join(mounts, 'media/li/BACKUP-A'), { recursive: true });
    const ran = await scheduler.runIfDue();
    expect(ran).toMatchObject({ outcome: 'backed-up', target: join(mounts, 'media/li/BACKUP-A/SlipVault/office'), verified: true });
    expect(listSets(join(mounts, 'media/li/BACKUP-A/SlipVault/office'))).toHaveLength(1);
  });

  it('reports a passphrase schedule on a host that keeps no passphrase', async () => {
    const archive = await archiveWithDocument();
    const target = tempDir('slipvault-target-');
    archive.settings.update({ backupSchedule: daily({ kind: 'folder', path: target }, '00:00') });
    const scheduler = new BackupScheduler(archive, { secrets: environmentSecretStore({}), clock: new TestClock(new Date()) });
    const run = await scheduler.runIfDue();
    expect(run.outcome === 'problem' && run.problem.message).toBe(
      'The scheduled backup needs its passphrase and none is kept in the environment variable SLIPVAULT_BACKUP_PASSPHRASE: an administrator saves it in Settings → Backup schedule.',
    );
    expect(listSets(target)).toEqual([]);
  });

  it('reports a set it wrote but could not verify, naming the set', async () => {
    const archive = await archiveWithDocument();
    const target = tempDir('slipvault-target-');
    // A set made by hand to a public key shares the folder; the schedule's passphrase cannot open it.
    await createBackup(archive, { target, recipients: [parseRecipient(generateIdentity().recipient)] });
    archive.settings.update({ backupSchedule: daily({ kind: 'folder', path: target }, hhmm(minutes(new Date(), 1))) });
    const scheduler = new BackupScheduler(archive, { secrets, clock: new TestClock(minutes(new Date(), 2)) });
    const run = await scheduler.runIfDue();
    const written = listSets(target)[1]!.setId;
    expect(run.outcome === 'problem' && run.problem.message).toMatch(
      new RegExp(`^Backup set ${written} was written to ${target}, but verifying the backups there failed: `),
    );
    expect(archive.status().lastBackup?.setId).toBe(written);
    expect(archive.status().lastVerified).toBeNull();
  });

  it('is started by the archive session and stopped before the archive closes', async () => {
    const archive = await archiveWithDocument();
    opened.splice(opened.indexOf(archive), 1);
    const target = tempDir('slipvault-target-');
    archive.settings.update({ backupSchedule: daily({ kind: 'folder', path: target }, '00:00') });
    const session = openSession(archive, { backgroundOcr: false, secrets });
    // close() waits for the run the session started to finish before the archive closes.
    await session.close();
    expect(listSets(target)).toHaveLength(1);
  });
});
