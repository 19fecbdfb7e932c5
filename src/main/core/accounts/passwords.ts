/**
 * Password hashes are self-describing argon2id strings ($argon2id$v=19$m=…,t=…,p=…$salt$hash), so the
 * parameters can be raised later without a migration: verify reads them from the stored string.
 * @node-rs/argon2 ships prebuilt N-API binaries (no node-gyp, the same binary in Node and Electron) and hashes
 * on libuv's thread pool, off the owner's event loop.
 */
import { hash, verify } from '@node-rs/argon2';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (~40 ms here). */
export const ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

export async function passwordMatches(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    // A hash that is not an argon2 string (damaged row) matches nothing.
    return false;
  }
}

/** Verified when the user name is unknown, so that an unknown name takes as long as a wrong password. */
let decoy: Promise<string> | undefined;
export async function spendVerifyTime(password: string): Promise<void> {
  decoy ??= hashPassword('slipvault-decoy-password');
  await passwordMatches(await decoy, password);
}
