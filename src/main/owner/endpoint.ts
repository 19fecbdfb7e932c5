/**
 * Where an owner listens and keeps its per-run secret. Both live in a folder of the OS user's own
 * (`$XDG_RUNTIME_DIR/slipvault-<uid>`, else the temp folder), made 0700, never in the archive folder, which
 * may sit on a share other accounts can read. On Windows the socket is a named pipe, which has no file.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { lstatSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { SlipVaultError } from '../../shared/errors';
import type { OwnerEndpoint } from '../core/lock';

export interface PreparedEndpoint extends OwnerEndpoint {
  secret: string;
  /** Removes the secret file (the server removes its own socket file when it closes). */
  discard(): void;
}

/** The per-user folder; SLIPVAULT_RUNTIME_DIR overrides where it is made. */
function ownerRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const user = userInfo();
  const base = env.SLIPVAULT_RUNTIME_DIR || env.XDG_RUNTIME_DIR || tmpdir();
  return join(base, `slipvault-${user.uid >= 0 ? user.uid : user.username}`);
}

function privateFolder(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const info = lstatSync(dir);
  const uid = userInfo().uid;
  // A folder someone else made (in a shared /tmp) or opened to others could hand our socket to them.
  if (!info.isDirectory() || (uid >= 0 && (info.uid !== uid || (info.mode & 0o077) !== 0))) {
    throw new SlipVaultError(
      'CONFLICT',
      `${dir} must be a folder only this OS user can open (mode 0700, owned by them); remove it or set SLIPVAULT_RUNTIME_DIR.`,
      {
        folder: dir,
      },
    ).withMessage('owner.runtimeFolderUnsafe', { folder: dir });
  }
  return dir;
}

export function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A fresh secret in a 0600 file and the socket path for this process serving the archive in `archiveDir`. */
export function prepareEndpoint(archiveDir: string, env: NodeJS.ProcessEnv = process.env): PreparedEndpoint {
  const folder = privateFolder(ownerRuntimeDir(env));
  const name = `slipvault-${createHash('sha256').update(archiveDir).digest('hex').slice(0, 16)}-${process.pid}`;
  const socket = process.platform === 'win32' ? `\\\\.\\pipe\\${name}` : join(folder, `${name}.sock`);
  const secretFile = join(folder, `${name}.secret`);
  const secret = randomBytes(32).toString('base64url');
  try {
    unlinkSync(secretFile);
  } catch {
    // Normally absent; a leftover of an earlier process with this pid is replaced.
  }
  writeFileSync(secretFile, secret, { mode: 0o600, flag: 'wx' });
  return {
    socket,
    secretFile,
    secret,
    discard() {
      try {
        unlinkSync(secretFile);
      } catch {
        // Already removed.
      }
    },
  };
}
