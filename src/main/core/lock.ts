/**
 * One writer per archive. The lock is an exclusive SQLite lock on `slipvault.lock` held for the life of the
 * process: the operating system drops it when the process dies (even by SIGKILL), so the lock itself is never
 * stale. Who holds it is written beside it, for the "archive is in use by …" message and, when the holder is
 * an owner that serves other programs (src/main/owner), for where to reach it: its local socket and the
 * file holding its per-run secret. Those two files outlive a killed owner; whoever takes the lock next
 * removes them.
 */
import Database from 'better-sqlite3';
import { lstatSync, readFileSync, type Stats, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { SlipVaultError } from '../../shared/errors';

export const LOCK_FILE = 'slipvault.lock';
export const LOCK_HOLDER_FILE = 'slipvault.lock.json';

/** Where a serving lock holder listens, and the file (readable only by its OS user) with its secret. */
export interface OwnerEndpoint {
  socket: string;
  secretFile: string;
}

export interface LockHolder extends Partial<OwnerEndpoint> {
  pid: number;
  host: string;
  user: string;
  program: string;
  since: string;
}

export interface ArchiveLock {
  release(): void;
}

/** The name an owner gives its secret file; nothing else named in a holder file is ever removed. */
const SECRET_FILE_NAME = /^slipvault-[0-9a-f]{16}-\d+\.secret$/;

export function describeHolder(holder: LockHolder): string {
  return `${holder.program} (user ${holder.user} on ${holder.host}, process ${holder.pid}, since ${holder.since})`;
}

/** The holder file as last written, or null when there is none or it cannot be read. */
export function readLockHolder(dir: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(join(dir, LOCK_HOLDER_FILE), 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' && typeof holder.program === 'string' ? holder : null;
  } catch {
    return null;
  }
}

function writeHolder(dir: string, holder: LockHolder): void {
  // Readers (clients looking for the socket) must never see half a file.
  const temp = join(dir, `${LOCK_HOLDER_FILE}.${process.pid}.tmp`);
  writeFileSync(temp, JSON.stringify(holder));
  renameSync(temp, join(dir, LOCK_HOLDER_FILE));
}

/**
 * Removes the socket and secret file a dead owner left. Only a socket and a file with an owner's secret-file
 * name are touched: the holder file lies in the archive folder, which others may be able to write, so a path
 * in it must not become a way to delete anything else.
 */
function removeStaleEndpoint(holder: LockHolder): void {
  if (holder.host !== hostname()) return;
  const removeIf = (path: string | undefined, fits: (info: Stats) => boolean) => {
    if (!path) return;
    try {
      if (fits(lstatSync(path))) unlinkSync(path);
    } catch {
      // Already gone, or not ours to remove: either way nothing stale is left to trust.
    }
  };
  removeIf(holder.socket, (info) => info.isSocket());
  removeIf(holder.secretFile, (info) => info.isFile() && SECRET_FILE_NAME.test(basename(holder.secretFile!)));
}

export function acquireWriterLock(dir: string, program: string): ArchiveLock {
  const lockDb = new Database(join(dir, LOCK_FILE), { timeout: 0 });
  try {
    lockDb.pragma('locking_mode = EXCLUSIVE');
    lockDb.exec(
      'BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock_taken (at TEXT); INSERT INTO lock_taken VALUES (datetime()); DELETE FROM lock_taken; COMMIT;',
    );
  } catch (error) {
    lockDb.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      const holder = readLockHolder(dir);
      throw new SlipVaultError(
        'ARCHIVE_IN_USE',
        `The archive ${dir} is in use by ${holder ? describeHolder(holder) : 'another SlipVault process'}. Close it there first.`,
        {
          archive: dir,
        },
      ).withMessage('archive.inUse', { archive: dir });
    }
    throw error;
  }
  const previous = readLockHolder(dir);
  if (previous) removeStaleEndpoint(previous);
  writeHolder(dir, {
    pid: process.pid,
    host: hostname(),
    user: userInfo().username,
    program,
    since: new Date().toISOString(),
  });
  return {
    release() {
      if (lockDb.open) lockDb.close();
    },
  };
}

/** Records where this process, which holds the lock, serves the archive to other programs. */
export function advertiseEndpoint(dir: string, endpoint: OwnerEndpoint): void {
  const holder = readLockHolder(dir);
  if (!holder || holder.pid !== process.pid || holder.host !== hostname()) {
    throw new SlipVaultError('CONFLICT', `This process does not hold the archive ${dir}; it cannot serve it.`, { archive: dir }).withMessage(
      'archive.notHeld',
      { archive: dir },
    );
  }
  writeHolder(dir, { ...holder, socket: endpoint.socket, secretFile: endpoint.secretFile });
}

/** Says this process no longer serves the archive: a holder file that still names an endpoint was left by a dead owner. */
export function withdrawEndpoint(dir: string): void {
  const holder = readLockHolder(dir);
  if (!holder || holder.pid !== process.pid || holder.host !== hostname()) return;
  const { socket: _socket, secretFile: _secretFile, ...rest } = holder;
  writeHolder(dir, rest);
}
