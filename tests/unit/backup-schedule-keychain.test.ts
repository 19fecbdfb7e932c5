/**
 * The desktop app's keeper of the scheduled backups' passphrase, driven through the contract as the
 * Settings card does. Electron's safeStorage is the one stand-in (Electron cannot run here): it seals with
 * a key of its own, as the OS keychain would.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../src/main/core/api';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { environmentSecretStore } from '../../src/main/core/backup/secret-store';
import { keychainSecretStore, type SafeStorage } from '../../src/main/shell/backup-keychain';
import { callOk, refusalOf } from '../helpers/api-calls';
import { tempDir } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

const PASSPHRASE = 'lantern copper 47 river';

function keychainStandIn(available = true, backend = 'gnome_libsecret'): SafeStorage {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(plainText) {
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', key, iv);
      return Buffer.concat([iv, cipher.update(plainText, 'utf8'), cipher.final()]);
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv('aes-256-cbc', key, encrypted.subarray(0, 16));
      return Buffer.concat([decipher.update(encrypted.subarray(16)), decipher.final()]).toString('utf8');
    },
  };
}

const opened: Archive[] = [];
afterEach(() => {
  for (const archive of opened.splice(0)) archive.close();
});

async function newArchive(): Promise<Archive> {
  const archive = await initArchive(join(tempDir(), 'archive'));
  opened.push(archive);
  return archive;
}

describe('the scheduled backups passphrase', () => {
  it('is sealed by the keychain, kept outside the archive, and only its place is audited', async () => {
    const archive = await newArchive();
    const file = join(tempDir('slipvault-userdata-'), 'backup-passphrases.json');
    const secrets = keychainSecretStore(file, keychainStandIn());
    const api = createApi(archive, { secrets });
    const admin = await clientAs(api, archive, 'admin');

    expect((await callOk(admin, 'backup:scheduleStatus', {})).passphraseKept).toBe(false);
    expect(await callOk(admin, 'backup:saveSchedulePassphrase', { passphrase: PASSPHRASE })).toEqual({ place: "this computer's keychain" });
    expect(readFileSync(file, 'utf8')).not.toContain(PASSPHRASE);
    expect(await secrets.passphrase(archive.status().archiveId)).toBe(PASSPHRASE);
    expect((await callOk(admin, 'backup:scheduleStatus', {})).passphraseKept).toBe(true);
    const dump = archive.connection.sqlite.prepare("SELECT group_concat(details, ' ') FROM audit_events").pluck().get() as string;
    expect(dump).toContain("this computer's keychain");
    expect(dump).not.toContain(PASSPHRASE);
  });

  it('refuses a weak passphrase, a clerk, and a computer without a keychain, keeping nothing', async () => {
    const archive = await newArchive();
    const file = join(tempDir('slipvault-userdata-'), 'backup-passphrases.json');
    const api = createApi(archive, { secrets: keychainSecretStore(file, keychainStandIn(false)) });
    const admin = await clientAs(api, archive, 'admin');
    const clerk = await clientAs(api, archive, 'clerk');

    expect((await refusalOf(admin, 'backup:saveSchedulePassphrase', { passphrase: 'short' })).message).toMatch(
      /^The backup passphrase is too weak: it has 5 characters/,
    );
    expect((await refusalOf(clerk, 'backup:saveSchedulePassphrase', { passphrase: PASSPHRASE })).code).toBe('FORBIDDEN');
    expect((await refusalOf(admin, 'backup:saveSchedulePassphrase', { passphrase: PASSPHRASE })).message).toMatch(
      /^This computer offers no keychain to keep the backup passphrase in/,
    );
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
  });

  it.runIf(process.platform === 'linux')("treats Linux's plaintext fallback (basic_text) as no keychain", async () => {
    const file = join(tempDir('slipvault-userdata-'), 'backup-passphrases.json');
    const secrets = keychainSecretStore(file, keychainStandIn(true, 'basic_text'));
    await expect(secrets.savePassphrase('archive-id', PASSPHRASE)).rejects.toThrow(/^This computer offers no keychain/);
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
  });

  it('cannot be saved where only the environment holds it (slipvault serve, the preview)', async () => {
    const archive = await newArchive();
    const admin = await clientAs(createApi(archive, { secrets: environmentSecretStore({}) }), archive, 'admin');
    expect(await refusalOf(admin, 'backup:saveSchedulePassphrase', { passphrase: PASSPHRASE })).toEqual({
      code: 'VALIDATION',
      message:
        'This SlipVault host has no keychain to keep the passphrase in: start it with SLIPVAULT_BACKUP_PASSPHRASE set, or save the passphrase in the desktop app.',
      details: { reason: 'no-keychain' },
      messageKey: 'backup.noKeychain',
      params: {},
    });
  });
});
