/**
 * The desktop app's keeper of scheduled-backup passphrases: Electron's safeStorage encrypts each with a key
 * the OS keychain holds (Keychain on macOS, DPAPI on Windows, the Secret Service or KWallet on Linux), and
 * only the ciphertext is written, to the app's own folder (userData), one entry per archive id. Nothing is
 * kept where safeStorage has no keychain to use: on Linux without one it would fall back to a fixed key,
 * which is no better than plaintext.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SecretStore } from '../core/backup/secret-store';
import { SlipVaultError } from '../../shared/errors';

/** The part of Electron's safeStorage this uses (so a test can hand in a stand-in for Electron). */
export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keychain was found. */
  getSelectedStorageBackend?(): string;
}

function keychainMissing(storage: SafeStorage): boolean {
  return !storage.isEncryptionAvailable() || (process.platform === 'linux' && storage.getSelectedStorageBackend?.() === 'basic_text');
}

async function readEntries(file: string): Promise<Record<string, string>> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function keychainSecretStore(file: string, storage: SafeStorage): SecretStore {
  return {
    place: "this computer's keychain",
    async passphrase(archiveId) {
      const sealed = (await readEntries(file))[archiveId];
      if (typeof sealed !== 'string' || keychainMissing(storage)) return null;
      try {
        return storage.decryptString(Buffer.from(sealed, 'base64'));
      } catch {
        // Sealed under another OS account or a keychain since reset: as if none were kept.
        return null;
      }
    },
    async savePassphrase(archiveId, passphrase) {
      if (keychainMissing(storage)) {
        throw new SlipVaultError(
          'VALIDATION',
          'This computer offers no keychain to keep the backup passphrase in (on Linux: a Secret Service such as GNOME Keyring, or KWallet); schedule backups to recipients (age public keys) instead.',
          { reason: 'no-keychain' },
        ).withMessage('backup.noOsKeychain');
      }
      const entries = await readEntries(file);
      entries[archiveId] = storage.encryptString(passphrase).toString('base64');
      await mkdir(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(entries, null, 2)}\n`, { encoding: 'utf8', mode: 0o600 });
      await rename(tmp, file);
    },
  };
}
