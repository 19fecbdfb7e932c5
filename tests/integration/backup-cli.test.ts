/**
 * Backup through the built CLI: standard-tools restore (Debian age + GNU tar), passphrase sets, incremental
 * sets, verify with restore-check, status, restore refusals.
 */
import { execFileSync, execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveStatus, BackupResult, BackupSetInfo, BackupVerifyReport, CheckReport, ImportResult, RestoreResult } from '../../src/shared/model';
import { openArchive } from '../../src/main/core/archive';
import { parseIdentityFile } from '../../src/main/core/backup/age';
import { restoreBackup } from '../../src/main/core/backup/read';
import { archiveSigner } from '../../src/main/core/backup/set-signature';
import { ensureCliBuilt, slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir, writeJpeg, writePng } from '../helpers/fixtures';

const PASSPHRASE = 'lantern copper 47 river';

function filesUnder(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(dir, join(sub, entry.name)) : [join(sub, entry.name)],
  );
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('slipvault backup (CLI, age, tar)', () => {
  beforeAll(() => ensureCliBuilt());

  async function archiveWithDocuments(count: number): Promise<{ archive: string; arc: string[]; files: string }> {
    const archive = join(tempDir(), 'archive');
    const files = tempDir('slipvault-files-');
    const arc = ['--archive', archive];
    expect(slipvault([...arc, 'init']).status).toBe(0);
    const paths = await Promise.all(Array.from({ length: count }, (_, i) => (i % 2 ? writePng(files, `p${i}.png`) : writeJpeg(files, `j${i}.jpg`))));
    expect(slipvaultJson<ImportResult>([...arc, 'import', ...paths]).failed).toEqual([]);
    return { archive, arc, files };
  }

  it('age -d -i KEY | tar -x reproduces the archive: every blob byte for byte, the snapshot by its manifest hash', async () => {
    const { archive, arc } = await archiveWithDocuments(4);
    const keyDir = tempDir('slipvault-key-');
    const keyFile = join(keyDir, 'key.txt');
    execFileSync('age-keygen', ['-o', keyFile], { stdio: 'pipe' });
    const recipient = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
    const target = tempDir('slipvault-target-');

    const result = slipvaultJson<BackupResult>([...arc, 'backup', '--to', target, '--recipient', recipient, '--volume-size', '65536']);
    expect(result.set.volumes).toBeGreaterThan(1);
    const extracted = tempDir('slipvault-extracted-');
    execSync(`cat ${join(result.set.path, 'volume-')}*.age | age -d -i ${keyFile} | tar -x -C ${extracted}`);

    // Each one-page document holds two blobs: the original and its page thumbnail.
    const blobs = filesUnder(archive).filter((file) => file.startsWith('blobs/'));
    expect(blobs.length).toBe(8);
    for (const blob of blobs) expect(readFileSync(join(extracted, blob)).equals(readFileSync(join(archive, blob))), blob).toBe(true);
    const manifest = JSON.parse(readFileSync(join(extracted, 'backup-manifest.json'), 'utf8')) as { database: { sha256: string }; auditHead: { hash: string } };
    expect(sha256(join(extracted, 'slipvault.db'))).toBe(manifest.database.sha256);

    // The tar-extracted folder is a working archive: it passes check (which appends its own audit event).
    const check = slipvaultJson<CheckReport>(['--archive', extracted, 'check']);
    expect(check.ok).toBe(true);
    expect(check.counts.documents).toBe(4);

    // Anyone can encrypt to a public key: without the archive's signer to trust, the CLI restores nothing.
    const restored = join(tempDir(), 'restored');
    const unanchored = slipvault(['restore', '--from', target, '--into', restored, '--identity', keyFile]);
    expect(unanchored.status).toBe(1);
    expect(unanchored.stderr).toContain('no signer to trust was given');
    expect(existsSync(restored)).toBe(false);

    // SlipVault's own restore, trusting the archive's signer, produces the same bytes.
    const opened = await openArchive(archive, { actor: 'auditor' });
    const signers = [archiveSigner(opened)];
    opened.close();
    const restore = await restoreBackup(target, restored, parseIdentityFile(readFileSync(keyFile, 'utf8')), { signers });
    expect(restore.setsRead).toEqual([result.set.setId]);
    expect(sha256(join(restored, 'slipvault.db'))).toBe(manifest.database.sha256);
    for (const blob of blobs) expect(readFileSync(join(restored, blob)).equals(readFileSync(join(archive, blob)))).toBe(true);

    // A workstation that only has the public key can write but not read its backups.
    const verify = slipvault([...arc, 'verify-backup', '--to', target], { SLIPVAULT_BACKUP_PASSPHRASE: PASSPHRASE });
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(/does not open backup set/);
  });

  it('passphrase sets are incremental, listed, verified with a restore check, recorded in status, and restore everything', async () => {
    const { archive, arc, files } = await archiveWithDocuments(3);
    const target = tempDir('slipvault-target-');
    const env = { SLIPVAULT_BACKUP_PASSPHRASE: PASSPHRASE };

    const weak = slipvault([...arc, 'backup', '--to', target], { SLIPVAULT_BACKUP_PASSPHRASE: 'short' });
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/passphrase is too weak: it has 5 characters; use at least 12/);
    expect(readdirSync(target)).toEqual([]);

    const first = slipvaultJson<BackupResult>([...arc, 'backup', '--to', target], env);
    expect(first.set.blobs).toBe(6);
    expect(first.set.dependsOn).toEqual([]);

    const more = await writeJpeg(files, 'later.jpg');
    expect(slipvault([...arc, 'import', more]).status).toBe(0);
    const second = slipvaultJson<BackupResult>([...arc, 'backup', '--to', target], env);
    expect(second.set.blobs).toBe(2);
    expect(second.blobsReused).toBe(6);
    expect(second.set.dependsOn).toEqual([first.set.setId]);

    const listed = slipvaultJson<BackupSetInfo[]>([...arc, 'backups', '--to', target]);
    expect(listed.map((set) => set.setId)).toEqual([first.set.setId, second.set.setId]);
    expect(listed.every((set) => set.bytes > 0)).toBe(true);

    const verified = slipvaultJson<BackupVerifyReport>([...arc, 'verify-backup', '--to', target, '--restore-check'], env);
    expect(verified.sets.map((set) => set.setId)).toEqual([first.set.setId, second.set.setId]);
    expect(verified.restoreChecked).toBe(true);

    const status = slipvaultJson<ArchiveStatus>([...arc, 'status']);
    expect(status.lastBackup?.setId).toBe(second.set.setId);
    expect(status.lastVerified?.setId).toBe(second.set.setId);
    expect(status.lastVerifiedRestore?.setId).toBe(second.set.setId);
    expect(slipvault([...arc, 'status']).stdout).toMatch(/last verified restore 20\d\d-/);

    const restored = join(tempDir(), 'restored');
    const restore = slipvaultJson<RestoreResult>(['restore', '--from', target, '--into', restored], env);
    expect(restore.setsRead).toEqual([second.set.setId, first.set.setId]);
    const blobs = filesUnder(archive).filter((file) => file.startsWith('blobs/'));
    expect(blobs.length).toBe(8);
    for (const blob of blobs) expect(readFileSync(join(restored, blob)).equals(readFileSync(join(archive, blob)))).toBe(true);
    const check = slipvaultJson<CheckReport>(['--archive', restored, 'check']);
    expect(check.ok).toBe(true);
    expect(check.counts.documents).toBe(4);

    // Refusals: a non-empty folder, a wrong passphrase. Neither writes anything.
    const occupied = tempDir('slipvault-occupied-');
    writeFileSync(join(occupied, 'keep.txt'), 'mine');
    const refused = slipvault(['restore', '--from', target, '--into', occupied], env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/is not empty/);
    expect(readdirSync(occupied)).toEqual(['keep.txt']);

    const parent = tempDir('slipvault-parent-');
    const wrong = slipvault(['restore', '--from', target, '--into', join(parent, 'new')], { SLIPVAULT_BACKUP_PASSPHRASE: 'wrong horse battery staple' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/passphrase or identity does not open backup set/);
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync(join(parent, 'new'))).toBe(false);
  });
});
