/**
 * `slipvault backup`, `verify-backup` and `restore` against an archive served by `slipvault serve --db
 * postgres://… --files DIR`, as real processes: the commands on the server machine reach the running server
 * through its local socket; the set verifies (with a restore check), restores into a folder whose `check`
 * passes, and restores onto an empty database with `restore --to … --files …`, which refuses the same database
 * a second time and a --to without --files. The server, the archive's owner, runs its scheduled backups.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PostgresRestoreResult } from '../../src/main/core/backup/restore-to-postgres';
import type { ArchiveStatus, BackupResult, BackupVerifyReport, CheckReport, RestoreResult } from '../../src/shared/model';
import { slipvault } from '../helpers/cli';
import { tempDir, writePng } from '../helpers/fixtures';
import { startServer, type RunningServer } from '../helpers/network-server';
import { useSharedPgDatabases } from '../helpers/shared-pg-cluster';
import { TEST_PASSWORD } from '../helpers/sessions';

const PASSPHRASE = { SLIPVAULT_BACKUP_PASSPHRASE: 'lantern copper 47 river' };

const pgDatabases = useSharedPgDatabases();
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.kill();
});

async function serve(storage: { db: string; files: string }, env: Record<string, string>): Promise<RunningServer> {
  const server = await startServer(storage, { env });
  servers.push(server);
  return server;
}

describe('backups of a served PostgreSQL archive from the command line', () => {
  it('backs up through the server, verifies, restores into a folder and onto an empty database', async () => {
    const dir = tempDir();
    const db = await pgDatabases.create();
    const files = join(dir, 'files');
    mkdirSync(files);
    await serve({ db, files }, { SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD });
    const imported = slipvault(['--archive', files, 'import', await writePng(dir, 'slip.png')]);
    expect(imported.status, imported.stderr).toBe(0);

    const target = join(dir, 'usb');
    mkdirSync(target);
    const backup = slipvault(['--archive', files, '--json', 'backup', '--to', target], PASSPHRASE);
    expect(backup.status, backup.stderr).toBe(0);
    const made = JSON.parse(backup.stdout) as BackupResult;
    expect(made.set.documents).toBe(1);

    const verify = slipvault(['--archive', files, '--json', 'verify-backup', '--to', target, '--restore-check'], PASSPHRASE);
    expect(verify.status, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout) as BackupVerifyReport).toMatchObject({ restoreChecked: true, sets: [{ setId: made.set.setId }] });

    const into = join(dir, 'restored');
    const restored = slipvault(['--json', 'restore', '--from', target, '--into', into], PASSPHRASE);
    expect(restored.status, restored.stderr).toBe(0);
    expect((JSON.parse(restored.stdout) as RestoreResult).setId).toBe(made.set.setId);
    const check = slipvault(['--archive', into, '--json', 'check']);
    expect(check.status, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout) as CheckReport).toMatchObject({ ok: true, counts: { documents: 1 } });

    const empty = await pgDatabases.create();
    const restoredFiles = join(dir, 'restored-files');
    const ontoPostgres = slipvault(['--json', 'restore', '--from', target, '--to', empty, '--files', restoredFiles], PASSPHRASE);
    expect(ontoPostgres.status, ontoPostgres.stderr).toBe(0);
    const report = JSON.parse(ontoPostgres.stdout) as PostgresRestoreResult;
    expect(report.move).toMatchObject({ problems: [], files: 2, target: expect.stringContaining(new URL(empty).pathname) });
    expect(report.move.verifiedAt).not.toBeNull();
    expect(ontoPostgres.stdout).not.toContain(new URL(empty).password);

    const twice = slipvault(['--json', 'restore', '--from', target, '--to', empty, '--files', join(dir, 'again')], PASSPHRASE);
    expect(twice.status).toBe(1);
    expect((JSON.parse(twice.stdout) as { error: unknown }).error).toMatchObject({ code: 'ARCHIVE_EXISTS', details: { reason: 'same-archive' } });
    const noFiles = slipvault(['restore', '--from', target, '--to', empty], PASSPHRASE);
    expect(noFiles.status).toBe(2);
    expect(noFiles.stderr).toContain('--to needs --files');
  }, 300_000);

  it('slipvault serve --db runs a due scheduled backup at start, and verifies it', async () => {
    const dir = tempDir();
    const db = await pgDatabases.create();
    const files = join(dir, 'files');
    mkdirSync(files);
    const owner = { SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD, ...PASSPHRASE };
    const first = await serve({ db, files }, owner);
    const target = join(dir, 'scheduled');
    mkdirSync(target);
    // A daily time an hour ago: the archive has never been backed up, so a backup is due at once.
    const past = new Date(Date.now() - 3_600_000);
    const time = `${String(past.getHours()).padStart(2, '0')}:${String(past.getMinutes()).padStart(2, '0')}`;
    const schedule = { enabled: true, frequency: 'daily', weekday: 0, time, target: { kind: 'folder', path: target }, mode: 'passphrase', recipients: [] };
    const set = slipvault(['--archive', files, 'config', 'set', 'backupSchedule', JSON.stringify(schedule)]);
    expect(set.status, set.stderr).toBe(0);
    // The scheduler looks at the schedule when the server starts (and every 15 minutes): start it again.
    expect(await first.stop()).toBe(0);
    await serve({ db, files }, owner);
    let status: ArchiveStatus = { lastVerified: null } as ArchiveStatus;
    for (let attempt = 0; attempt < 120 && !status.lastVerified; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const run = slipvault(['--archive', files, '--json', 'status']);
      expect(run.status, run.stderr).toBe(0);
      status = JSON.parse(run.stdout) as ArchiveStatus;
    }
    expect(status.lastBackup?.target).toBe(target);
    expect(status.lastVerified?.setId).toBe(status.lastBackup?.setId);
  }, 300_000);
});
