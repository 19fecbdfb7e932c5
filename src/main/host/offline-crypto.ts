/**
 * The sealing of a workstation's offline copies (offline-cache.ts): a key derived from the user's password
 * with argon2id — the archive's password parameters (core/accounts/passwords.ts) — and AES-256-GCM per file,
 * each file bound to its name inside the cache so one sealed file cannot be passed off as another. Whoever
 * holds the disk but not the password reads nothing but the sizes and the number of files.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { hashRaw } from '@node-rs/argon2';
import { ARGON2ID } from '../core/accounts/passwords';

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SALT_BYTES = 16;

export interface SealingKey {
  /** Encrypts the files. */
  readonly cipher: Buffer;
  /** Names the files, so a file's name does not show which document or page image it holds. */
  readonly naming: Buffer;
}

/** The key for `password` with this user's salt: about as slow as a login, on libuv's thread pool. */
export async function deriveSealingKey(password: string, salt: Buffer): Promise<SealingKey> {
  const raw = await hashRaw(password, { ...ARGON2ID, salt, outputLen: 64 });
  return { cipher: raw.subarray(0, 32), naming: raw.subarray(32) };
}

export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}

export function sealedName(key: SealingKey, label: string): string {
  return createHmac('sha256', key.naming).update(label).digest('hex');
}

/** iv ‖ tag ‖ ciphertext, authenticated together with `label`. */
export function seal(key: SealingKey, label: string, plain: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.cipher, iv);
  cipher.setAAD(Buffer.from(label, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** The plain bytes, or null when the key is not this file's or the file was changed or swapped. */
export function unseal(key: SealingKey, label: string, sealed: Buffer): Buffer | null {
  if (sealed.length < IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.cipher, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(label, 'utf8'));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}
