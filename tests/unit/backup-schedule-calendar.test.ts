/**
 * The schedule's calendar (local time), the home screen's "last verified backup too old" rule as the core
 * reports it to a viewer, and the schedule's bad input refused with nothing stored.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { generateIdentity } from '../../src/main/core/backup/age';
import { DEFAULT_BACKUP_SCHEDULE, isBackupDue, latestSlot, nextSlot, verifiedBackupOverdue, type BackupSchedule } from '../../src/shared/backup-schedule';
import { namedPaths, PathGrants, refusedPath } from '../../src/main/host/path-grants';
import { callOk, refusalOf } from '../helpers/api-calls';
import { tempDir } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

const daily: BackupSchedule = { ...DEFAULT_BACKUP_SCHEDULE, enabled: true, time: '18:00', target: { kind: 'folder', path: '/mnt/backup' } };
const weeklyWednesday: BackupSchedule = { ...daily, frequency: 'weekly', weekday: 3, time: '09:30' };
/** 2026-03-09 is a Monday. */
const at = (day: number, hours: number, minutes = 0) => new Date(2026, 2, day, hours, minutes);

describe('the schedule calendar', () => {
  it('finds the newest and the next scheduled time, daily and weekly', () => {
    expect(at(9, 0).getDay()).toBe(1);
    expect(latestSlot(daily, at(10, 17, 59))).toEqual(at(9, 18));
    expect(latestSlot(daily, at(10, 18))).toEqual(at(10, 18));
    expect(nextSlot(daily, at(10, 18))).toEqual(at(11, 18));
    expect(latestSlot(weeklyWednesday, at(9, 12))).toEqual(at(4, 9, 30));
    expect(latestSlot(weeklyWednesday, at(11, 9))).toEqual(at(4, 9, 30));
    expect(latestSlot(weeklyWednesday, at(11, 9, 30))).toEqual(at(11, 9, 30));
    expect(nextSlot(weeklyWednesday, at(9, 12))).toEqual(at(11, 9, 30));
  });

  it('is due when no backup was made since the newest scheduled time, and never when off', () => {
    const now = at(10, 20);
    expect(isBackupDue(daily, null, now)).toBe(true);
    expect(isBackupDue(daily, at(10, 17).toISOString(), now)).toBe(true);
    expect(isBackupDue(daily, at(10, 18, 5).toISOString(), now)).toBe(false);
    expect(isBackupDue({ ...daily, enabled: false }, null, now)).toBe(false);
  });

  it('calls the last verified backup too old when none was verified since the scheduled time before the newest', () => {
    const now = at(10, 10); // newest scheduled time Mon 9th 18:00, the one before Sun 8th 18:00
    expect(verifiedBackupOverdue(daily, at(8, 19).toISOString(), now)).toBe(false);
    expect(verifiedBackupOverdue(daily, at(8, 17).toISOString(), now)).toBe(true);
    expect(verifiedBackupOverdue(daily, null, now)).toBe(true);
    expect(verifiedBackupOverdue({ ...daily, enabled: false }, null, now)).toBe(false);
    // Weekly: verified on Wednesday 25 February is still fine until Wednesday 11 March 09:30.
    expect(verifiedBackupOverdue(weeklyWednesday, new Date(2026, 1, 25, 10).toISOString(), at(11, 9))).toBe(false);
    expect(verifiedBackupOverdue(weeklyWednesday, new Date(2026, 1, 25, 10).toISOString(), at(11, 9, 30))).toBe(true);
  });
});

describe('the schedule through the contract', () => {
  let archive: Archive;
  let admin: ApiClient;
  let viewer: ApiClient;
  let api: Api;
  let clock = at(10, 10).getTime();
  /** Sessions end after 10 idle minutes of the same clock: moving it days on needs a new login. */
  const logInAt = async (time: Date) => {
    clock = time.getTime();
    admin = await clientAs(api, archive, 'admin');
    viewer = await clientAs(api, archive, 'viewer');
  };

  beforeAll(async () => {
    archive = await initArchive(join(tempDir(), 'archive'));
    api = createApi(archive, { now: () => clock });
    await logInAt(at(10, 10));
  });
  afterAll(() => archive.close());

  it('tells every reader when the last verified backup is older than the schedule allows', async () => {
    expect(await callOk(viewer, 'backup:scheduleStatus', {})).toMatchObject({ nextRunAt: null, verifiedOverdue: false, problem: null });
    await callOk(admin, 'settings:update', { changes: { backupSchedule: daily } });
    archive.recordBackup('last_verified', { setId: '20260301T180000000Z-a1b2c3', target: '/mnt/backup', at: at(1, 18, 5).toISOString() });
    expect(await callOk(viewer, 'backup:scheduleStatus', {})).toMatchObject({
      nextRunAt: at(10, 18).toISOString(),
      lastVerifiedAt: at(1, 18, 5).toISOString(),
      verifiedOverdue: true,
    });
    archive.recordBackup('last_verified', { setId: '20260309T180000000Z-a1b2c3', target: '/mnt/backup', at: at(9, 18, 5).toISOString() });
    expect((await callOk(viewer, 'backup:scheduleStatus', {})).verifiedOverdue).toBe(false);
    await logInAt(at(12, 10));
    expect((await callOk(viewer, 'backup:scheduleStatus', {})).verifiedOverdue).toBe(true);
  });

  it('refuses a schedule it could not run, naming the field, and keeps the stored one', async () => {
    const stored = archive.settings.get().backupSchedule;
    const refused = async (changes: Partial<BackupSchedule>) =>
      (await refusalOf(admin, 'settings:update', { changes: { backupSchedule: { ...daily, ...changes } } })).message;
    expect(await refused({ time: '24:00' })).toMatch(/backupSchedule\.time: the backup time is HH:MM, from 00:00 to 23:59/);
    expect(await refused({ target: null })).toMatch(/backupSchedule\.target: a backup schedule that is on needs a target folder or drive label/);
    expect(await refused({ target: { kind: 'folder', path: 'backups' } })).toMatch(/the backup folder is a full path/);
    expect(await refused({ target: { kind: 'drive', label: 'BACKUP-A', folder: '../../etc' } })).toMatch(/the folder on the drive is relative to its root/);
    expect(await refused({ target: { kind: 'drive', label: "A'; rm", folder: 'x' } })).toMatch(/a drive label is up to 32 letters/);
    expect(await refused({ frequency: 'hourly' as 'daily' })).toMatch(/a backup schedule is daily or weekly/);
    expect(await refused({ mode: 'recipients', recipients: [] })).toMatch(/needs at least one age public key/);
    const key = generateIdentity().recipient;
    const broken = `${key.slice(0, 20)}${key[20] === 'q' ? 'p' : 'q'}${key.slice(21)}`;
    expect(await refused({ mode: 'recipients', recipients: [broken] })).toBe(`"${broken}" is not an age X25519 recipient (age1…).`);
    expect(archive.settings.get().backupSchedule).toEqual(stored);
  });
});

describe('a schedule typed in a page', () => {
  it('may name only a folder the user chose as a backup folder; a drive label names no path', () => {
    const root = tempDir('slipvault-grants-');
    const grants = new PathGrants();
    grants.grantFolder(join(root, 'backups'));
    const withTarget = (target: BackupSchedule['target']) => ({ changes: { backupSchedule: { ...daily, target } } });
    expect(refusedPath('settings:update', withTarget({ kind: 'folder', path: '/etc' }), grants)?.message).toMatch(
      /^\/etc was not chosen by the user as the backup folder, so settings:update may not use it/,
    );
    expect(refusedPath('settings:update', withTarget({ kind: 'folder', path: join(root, 'backups') }), grants)).toBeNull();
    expect(namedPaths('settings:update', withTarget({ kind: 'drive', label: 'BACKUP-A', folder: 'SlipVault' }))).toEqual([]);
  });
});
