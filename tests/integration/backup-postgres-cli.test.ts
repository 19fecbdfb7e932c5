/**
 * `slipvault backup`, `verify-backup` and `restore` against an archive served by `slipvault serve --db
 * postgres://… --files DIR`, as real processes: the commands on the server machine reach the running server
 * through its local socket; the set verifies (with a restore check), restores into a folder whose `check`
 * passes, and restores onto an empty database with `restore --to … --files …`, which refuses the same database
 * a second time and a --to without --files.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresRestoreResult } from '../../src/main/core/backup/restore-to-postgres';
import type { BackupResult, BackupVerifyReport, CheckReport, RestoreResult } from '../../src/shared/model';
import { slipvault } from '../helpers/cli';
import { tempDir, writePng } from '../helpers/fixtures';
import { startServer, type RunningServer } from '../helpers/network-server';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster';
import { TEST_PASSWORD } from '../helpers/sessions';

const PASSPHRASE = { SLIPVAULT_BACKUP_PASSPHRASE: 'lantern copper 47 river' };

let cluster: PgCluster;
let server: RunningServer | undefined;
beforeAll(async () => {
  cluster = await startPgCluster();
}, 120_000);
afterAll(async () => {
  await server?.kill();
  await cluster?.stop();
});

describe('backups of a served PostgreSQL archive from the command line', () => {
  it('backs up through the server, verifies, restores into a folder and onto an empty database', async () => {
    const dir = tempDir();
    const db = await cluster.createDatabase('served');
    const files = join(dir, 'files');
    mkdirSync(files);
    server = await startServer({ db, files }, { env: { SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD } });
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

    const empty = await cluster.createDatabase('restored');
    const restoredFiles = join(dir, 'restored-files');
    const ontoPostgres = slipvault(['--json', 'restore', '--from', target, '--to', empty, '--files', restoredFiles], PASSPHRASE);
    expect(ontoPostgres.status, ontoPostgres.stderr).toBe(0);
    const report = JSON.parse(ontoPostgres.stdout) as PostgresRestoreResult;
    expect(report.move).toMatchObject({ problems: [], files: 2, target: expect.stringContaining('/restored') });
    expect(report.move.verifiedAt).not.toBeNull();
    expect(ontoPostgres.stdout).not.toContain(new URL(empty).password);

    const twice = slipvault(['--json', 'restore', '--from', target, '--to', empty, '--files', join(dir, 'again')], PASSPHRASE);
    expect(twice.status).toBe(1);
    expect((JSON.parse(twice.stdout) as { error: unknown }).error).toMatchObject({ code: 'ARCHIVE_EXISTS', details: { reason: 'same-archive' } });
    const noFiles = slipvault(['restore', '--from', target, '--to', empty], PASSPHRASE);
    expect(noFiles.status).toBe(2);
    expect(noFiles.stderr).toContain('--to needs --files');
  }, 300_000);
});
