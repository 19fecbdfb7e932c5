/**
 * One writer per archive. The lock is an exclusive SQLite lock on `slipvault.lock` held for the life of the
 * process: the operating system drops it when the process dies (even by SIGKILL), so there are no stale
 * locks to clean up. Who holds it is written beside it, for the "archive is in use by …" message.
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { SlipVaultError } from '../../shared/errors';

export const LOCK_FILE = 'slipvault.lock';
export const LOCK_HOLDER_FILE = 'slipvault.lock.json';

export interface LockHolder {
  pid: number;
  host: string;
  user: string;
  program: string;
  since: string;
}

export interface ArchiveLock {
  release(): void;
}

function describeHolder(dir: string): string {
  try {
    const holder = JSON.parse(readFileSync(join(dir, LOCK_HOLDER_FILE), 'utf8')) as LockHolder;
    return `${holder.program} (user ${holder.user} on ${holder.host}, process ${holder.pid}, since ${holder.since})`;
  } catch {
    return 'another SlipVault process';
  }
}

export function acquireWriterLock(dir: string, program: string): ArchiveLock {
  const lockDb = new Database(join(dir, LOCK_FILE), { timeout: 0 });
  try {
    lockDb.pragma('locking_mode = EXCLUSIVE');
    lockDb.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock_taken (at TEXT); INSERT INTO lock_taken VALUES (datetime()); DELETE FROM lock_taken; COMMIT;');
  } catch (error) {
    lockDb.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new SlipVaultError('ARCHIVE_IN_USE', `The archive ${dir} is in use by ${describeHolder(dir)}. Close it there first.`, {
        archive: dir,
      });
    }
    throw error;
  }
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    user: userInfo().username,
    program,
    since: new Date().toISOString(),
  };
  writeFileSync(join(dir, LOCK_HOLDER_FILE), JSON.stringify(holder));
  return {
    release() {
      if (lockDb.open) lockDb.close();
    },
  };
}
