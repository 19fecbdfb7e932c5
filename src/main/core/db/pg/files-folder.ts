/**
 * The folder a move to PostgreSQL copies the archive's files into. It must be new or empty — a folder that
 * already holds files could mix another archive's files into this one, or let a half-finished earlier copy
 * pass for a complete one — and writable, which is tried before anything is copied. A copy that fails before
 * the rows are committed takes back everything it wrote there, so the folder is empty again.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SlipVaultError } from '../../../../shared/errors';
import { toStorageError } from '../../fs-errors';

/** Resolves the folder, creating it when missing; refuses one that is a file, not empty or not writable. */
export function prepareFilesFolder(dir: string): string {
  const folder = resolve(dir);
  let entries: string[];
  try {
    if (!statSync(folder, { throwIfNoEntry: false })) mkdirSync(folder, { recursive: true });
    if (!statSync(folder).isDirectory()) {
      throw new SlipVaultError('VALIDATION', `The files folder ${folder} is a file, not a folder. Nothing was copied.`, { filesDir: folder }).withMessage(
        'postgres.filesDirIsFile',
        { folder },
      );
    }
    entries = readdirSync(folder);
  } catch (error) {
    throw toStorageError(error, `The files folder ${folder} cannot be used`);
  }
  if (entries.length > 0) {
    throw new SlipVaultError(
      'VALIDATION',
      `The files folder ${folder} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, first: ${entries.sort()[0]}); name a new or empty folder. Nothing was copied.`,
      { filesDir: folder, entries: entries.length },
    ).withMessage('postgres.filesDirNotEmpty', { folder, entries: entries.length });
  }
  const probe = join(folder, `.slipvault-write-test-${randomBytes(6).toString('hex')}`);
  try {
    writeFileSync(probe, 'SlipVault checks that it can write here.\n');
    rmSync(probe);
  } catch (error) {
    rmSync(probe, { force: true });
    throw toStorageError(error, `The files folder ${folder} cannot be written`);
  }
  return folder;
}

/** Removes what a failed copy wrote into the folder prepareFilesFolder found empty. */
export function emptyFilesFolder(folder: string): void {
  for (const entry of readdirSync(folder)) rmSync(join(folder, entry), { recursive: true, force: true });
}
