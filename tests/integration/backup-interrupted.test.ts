/**
 * Interrupted backups: the CLI killed with SIGKILL mid-run, and the target drive vanishing mid-run (a bind
 * mount lazily unmounted while volumes are written). Each time earlier sets stay intact and restorable,
 * and the next run recognises and removes what the interrupted one left.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SlipVaultError } from '../../src/shared/errors';
import type { BackupResult, CheckReport } from '../../src/shared/model';
import { initArchive, openArchive, type Archive } from '../../src/main/core/archive';
import { generateIdentity, parseIdentityFile, parseRecipient } from '../../src/main/core/backup/age';
import { createBackup } from '../../src/main/core/backup/create';
import { restoreBackup } from '../../src/main/core/backup/read';
import { archiveSigner } from '../../src/main/core/backup/set-signature';
import { CLI_BIN, ensureCliBuilt, slipvaultJson } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';
import { writePaddedJpeg } from '../helpers/padded-jpeg';
import { ensureUser, TEST_PASSWORD } from '../helpers/sessions';

async function addScans(archive: Archive, count: number, bytes: number): Promise<void> {
  const files = tempDir('slipvault-scans-');
  for (let i = 0; i < count; i++) await archive.documents.importFile(await writePaddedJpeg(join(files, `scan-${Date.now()}-${i}.jpg`), bytes));
}

const partialsIn = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.partial'));

describe('a backup killed mid-run', () => {
  beforeAll(() => ensureCliBuilt());

  it('leaves earlier sets intact; the next run removes its leftovers and the archive still passes check', async () => {
    const archiveDir = join(tempDir(), 'archive');
    const archive = await initArchive(archiveDir, { actor: 'clerk-li' });
    await ensureUser(archive, 'clerk-li', 'admin');
    await addScans(archive, 2, 64 * 1024);
    archive.close();
    const keys = generateIdentity();
    const target = tempDir('slipvault-target-');
    const arc = ['--archive', archiveDir];
    const earlier = slipvaultJson<BackupResult>([...arc, 'backup', '--to', target, '--recipient', keys.recipient]);

    const reopened = await openArchive(archiveDir, { actor: 'clerk-li' });
    await addScans(reopened, 30, 1024 * 1024);
    const signers = [archiveSigner(reopened)];
    reopened.close();

    // Small volumes: the run is killed once it has written a few of them.
    const child = spawn(process.execPath, [CLI_BIN, ...arc, 'backup', '--to', target, '--recipient', keys.recipient, '--volume-size', '65536'], {
      env: { ...process.env, SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolveExit) => child.on('exit', (_code, signal) => resolveExit(signal)));
    const killed = await new Promise<string>((resolveKill, reject) => {
      const poll = setInterval(() => {
        const partial = partialsIn(target)[0];
        if (partial && readdirSync(join(target, partial)).length >= 3) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolveKill(partial);
        }
      }, 2);
      child.on('exit', () => {
        clearInterval(poll);
        reject(new Error('the backup finished before it could be killed'));
      });
    });
    expect(await exited).toBe('SIGKILL');
    expect(partialsIn(target)).toEqual([killed]);
    expect(readdirSync(join(archiveDir, 'tmp')).some((name) => name.startsWith('backup-'))).toBe(true);

    const next = slipvaultJson<BackupResult>([...arc, 'backup', '--to', target, '--recipient', keys.recipient]);
    expect(next.leftoversRemoved).toEqual([killed.slice(1, -'.partial'.length)]);
    expect(partialsIn(target)).toEqual([]);
    expect(readdirSync(join(archiveDir, 'tmp'))).toEqual([]);
    expect(slipvaultJson<CheckReport>([...arc, 'check']).ok).toBe(true);

    const identities = parseIdentityFile(keys.identity);
    const restoredEarlier = await restoreBackup(target, join(tempDir(), 'earlier'), identities, { setId: earlier.set.setId, signers });
    expect(restoredEarlier.setId).toBe(earlier.set.setId);
    const restoredNewest = await restoreBackup(target, join(tempDir(), 'newest'), identities, { signers });
    expect(slipvaultJson<CheckReport>(['--archive', restoredNewest.path, 'check']).ok).toBe(true);
  }, 60_000);
});

const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = tempDir('slipvault-mount-probe-');
  if (spawnSync('mount', ['--bind', probe, probe]).status !== 0) return false;
  execFileSync('umount', [probe]);
  return true;
})();

// Needs root (CI runs as root); elsewhere reported as skipped, not passed.
describe.skipIf(!canMount)('a target drive that vanishes mid-run', () => {
  it('stops with a clear error; earlier sets stay intact and the next run cleans up', async () => {
    const archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    const drive = tempDir('slipvault-drive-');
    const mountPoint = tempDir('slipvault-usb-');
    execFileSync('mount', ['--bind', drive, mountPoint]);
    let mounted = true;
    try {
      const keys = generateIdentity();
      const recipients = [parseRecipient(keys.recipient)];
      await addScans(archive, 2, 64 * 1024);
      const earlier = await createBackup(archive, { target: mountPoint, recipients });
      await addScans(archive, 20, 1024 * 1024);

      let unplugged = false;
      const error = await createBackup(archive, {
        target: mountPoint,
        recipients,
        volumeBytes: 256 * 1024,
        progress: (progress) => {
          if (unplugged || progress.done < 1) return;
          execFileSync('umount', ['-l', mountPoint]);
          unplugged = true;
          mounted = false;
        },
      }).then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(unplugged).toBe(true);
      expect(error).toBeInstanceOf(SlipVaultError);
      expect((error as SlipVaultError).code).toBe('FILE_NOT_FOUND');
      expect((error as SlipVaultError).message).toMatch(/drive went away/);
      expect(readdirSync(mountPoint)).toEqual([]);

      // The drive comes back: the earlier set is whole, the unfinished one is a leftover.
      execFileSync('mount', ['--bind', drive, mountPoint]);
      mounted = true;
      expect(readdirSync(mountPoint)).toContain(earlier.set.setId);
      expect(partialsIn(mountPoint)).toHaveLength(1);
      const identities = parseIdentityFile(keys.identity);
      expect(
        (await restoreBackup(mountPoint, join(tempDir(), 'earlier'), identities, { setId: earlier.set.setId, signers: [archiveSigner(archive)] })).setId,
      ).toBe(earlier.set.setId);
      const next = await createBackup(archive, { target: mountPoint, recipients });
      expect(next.leftoversRemoved).toHaveLength(1);
      expect(partialsIn(mountPoint)).toEqual([]);
      expect(existsSync(join(mountPoint, earlier.set.setId))).toBe(true);
      expect((await restoreBackup(mountPoint, join(tempDir(), 'newest'), identities, { signers: [archiveSigner(archive)] })).setsRead).toEqual([
        next.set.setId,
        earlier.set.setId,
      ]);
    } finally {
      if (mounted) execFileSync('umount', [mountPoint]);
      archive.close();
    }
  }, 60_000);
});
