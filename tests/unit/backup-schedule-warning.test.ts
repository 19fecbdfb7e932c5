/**
 * The home screen's backup reminder in words (both languages): a scheduled run's problem, a last verified
 * backup older than the schedule allows, none verified at all, and nothing when all is well — fed by the
 * core's own status, so the rule and the words are checked together.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type ApiClient } from '../../src/main/core/api';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { BackupScheduler } from '../../src/main/core/backup/schedule';
import { environmentSecretStore } from '../../src/main/core/backup/secret-store';
import { scheduleWarningText } from '../../src/renderer/backup/schedule-warning';
import { DEFAULT_BACKUP_SCHEDULE } from '../../src/shared/backup-schedule';
import { callOk } from '../helpers/api-calls';
import { tempDir } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

const strings = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'renderer', 'i18n', name), 'utf8')) as object;
const now = new Date(2026, 2, 10, 10, 0);

let archive: Archive;
let viewer: ApiClient;

beforeAll(async () => {
  await i18next.init({
    resources: { en: { translation: strings('en.json') }, 'zh-CN': { translation: strings('zh-CN.json') } },
    lng: 'en',
    interpolation: { escapeValue: false },
  });
  archive = await initArchive(join(tempDir(), 'archive'));
  const api = createApi(archive, { now: () => now.getTime() });
  viewer = await clientAs(api, archive, 'viewer');
});
afterAll(() => archive.close());

const warning = async (language = 'en') => {
  await i18next.changeLanguage(language);
  return scheduleWarningText(i18next.t, await callOk(viewer, 'backup:scheduleStatus', {}), now);
};

describe('the backup reminder', () => {
  it('says nothing while no schedule is on', async () => {
    expect(await warning()).toBeNull();
  });

  it('asks for a verified backup when none was ever verified, and says how old the last one is', async () => {
    archive.settings.update({ backupSchedule: { ...DEFAULT_BACKUP_SCHEDULE, enabled: true, time: '18:00', target: { kind: 'folder', path: '/mnt/backup' } } });
    expect(await warning()).toBe('No backup has been verified yet although backups are scheduled. Verify a backup (Backup screen).');
    archive.recordBackup('last_verified', { setId: '20260301T180000000Z-a1b2c3', target: '/mnt/backup', at: new Date(2026, 2, 1, 18, 5).toISOString() });
    expect(await warning()).toBe('The last verified backup is 8 days old; the schedule backs up every day. Verify a backup (Backup screen).');
    expect(await warning('zh-CN')).toBe('最近一次校验过的备份已是 8 天前；计划为每天备份。请校验备份（备份页面）。');
    archive.recordBackup('last_verified', { setId: '20260309T180000000Z-a1b2c3', target: '/mnt/backup', at: new Date(2026, 2, 9, 18, 5).toISOString() });
    expect(await warning()).toBeNull();
  });

  it('tells of a scheduled backup that could not run', async () => {
    const missing = join(tempDir('slipvault-drive-'), 'unplugged');
    archive.settings.update({ backupSchedule: { ...DEFAULT_BACKUP_SCHEDULE, enabled: true, time: '00:00', target: { kind: 'folder', path: missing } } });
    const clock = { now: () => new Date(), wakeAt: () => () => undefined };
    const scheduler = new BackupScheduler(archive, { secrets: environmentSecretStore({ SLIPVAULT_BACKUP_PASSPHRASE: 'lantern copper 47 river' }), clock });
    expect((await scheduler.runIfDue()).outcome).toBe('problem');
    expect(await warning()).toBe(
      `Scheduled backup not made: The backup folder ${missing} is not there (is its drive connected?). The backup runs as soon as it is back.`,
    );
  });
});
