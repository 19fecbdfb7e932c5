/**
 * The archive `slipvault serve --db URL --files DIR` serves (issue 20, docs/server-postgres.md): its rows in a
 * PostgreSQL database, its files — and what a server keeps beside a SQLite archive's database: the writer lock,
 * the TLS identity, logs — in DIR. Opened when the database holds an archive, created on the first start when
 * the database and DIR are both empty.
 *
 * The database and the folder are named separately, so they can be mismatched: a second office's folder, a
 * typo in the database name. DIR therefore records the id of the archive its files belong to (ARCHIVE_ID_FILE),
 * and each start compares it with the database's before anything is written. A folder that `slipvault migrate
 * --files` filled has no record yet: it is accepted when it holds the newest files the database refers to, and
 * then recorded.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SlipVaultError } from '../../shared/errors';
import { initArchiveOnPostgres, openArchiveOnPostgres, type Archive, type ArchiveOptions } from './archive';
import { migratePgDatabase, openPgConnection, redactedUrl } from './db/pg-sync/pg-connection';
import { toStorageError } from './fs-errors';
import { LOCK_FILE, LOCK_HOLDER_FILE } from './lock';
import { BlobStore } from './store/blobs';

/** In the files folder: the id of the archive whose files these are. */
export const ARCHIVE_ID_FILE = 'archive-id';

/** How many of the newest stored files an unrecorded folder must hold to count as the database's. */
const SAMPLED_FILES = 8;

export interface ServedPostgresArchive {
  archive: Archive;
  /** True when this start created the archive (the database and the folder were empty). */
  created: boolean;
  /** The database's URL without its password. */
  target: string;
}

export async function openServedPostgresArchive(url: string, filesFolder: string, options: ArchiveOptions = {}): Promise<ServedPostgresArchive> {
  const target = validatedDatabaseUrl(url);
  const folder = resolve(filesFolder);
  assertUsableFolder(folder);
  await migratePgDatabase(url, { existing: false });
  const database = readDatabaseArchive(url);
  const recorded = recordedArchiveId(folder);
  if (database.archiveId === null) {
    if (recorded !== null) {
      throw new SlipVaultError(
        'CONFLICT',
        `The files folder ${folder} holds the files of archive ${recorded}, but the database ${target} holds no archive. Name the database those files belong to.`,
        { folder, target, folderArchiveId: recorded, reason: 'files-without-database' },
      ).withMessage('pgServer.filesWithoutDatabase', { folder, target, folderArchiveId: recorded });
    }
    const entries = folderEntries(folder);
    if (entries.length > 0) {
      throw new SlipVaultError(
        'CONFLICT',
        `The database ${target} holds no archive, but the files folder ${folder} is not empty (${entries.length} entries, first ${entries[0]}). A new archive starts with an empty files folder.`,
        { folder, target, entries: entries.length, reason: 'folder-not-empty' },
      ).withMessage('pgServer.folderNotEmpty', { folder, target, entries: entries.length, first: entries[0]! });
    }
    return { archive: recordingArchiveId(await initArchiveOnPostgres(folder, url, options), folder), created: true, target };
  }
  if (recorded !== null && recorded !== database.archiveId) {
    throw new SlipVaultError(
      'CONFLICT',
      `The files folder ${folder} holds the files of archive ${recorded}, but the database ${target} holds archive ${database.archiveId}. Name the files folder and the database of one archive.`,
      { folder, target, folderArchiveId: recorded, archiveId: database.archiveId, reason: 'files-of-another-archive' },
    ).withMessage('pgServer.filesOfAnotherArchive', { folder, target, folderArchiveId: recorded, archiveId: database.archiveId });
  }
  if (recorded === null) assertHoldsNewestFiles(folder, target, database);
  const archive = await openArchiveOnPostgres(folder, url, options);
  return { archive: recorded === null ? recordingArchiveId(archive, folder) : archive, created: false, target };
}

/** The URL without its password; refuses what is not a postgres:// URL naming a database. */
function validatedDatabaseUrl(url: string): string {
  const target = redactedUrl(url);
  if (new URL(url).pathname.replace(/^\//, '') === '') {
    throw new SlipVaultError('VALIDATION', `The database URL ${target} names no database: end it with /DATABASE.`, {
      field: 'database',
      target,
      reason: 'no-database-name',
    }).withMessage('pgServer.noDatabaseName', { target });
  }
  return target;
}

function assertUsableFolder(folder: string): void {
  if (!existsSync(folder)) {
    throw new SlipVaultError('NOT_FOUND', `The files folder ${folder} does not exist. Create it (empty, for a new archive) and start the server again.`, {
      folder,
      reason: 'files-folder-missing',
    }).withMessage('pgServer.folderMissing', { folder });
  }
  if (!statSync(folder).isDirectory()) {
    throw new SlipVaultError('VALIDATION', `The files folder ${folder} is a file, not a folder.`, { folder, reason: 'files-folder-is-file' }).withMessage(
      'pgServer.folderIsFile',
      { folder },
    );
  }
  // A real write, not access(): it also finds a read-only mount, and access() says yes to root everywhere.
  const probe = join(folder, `.write-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new SlipVaultError('ARCHIVE_READ_ONLY', `The files folder ${folder} cannot be written: ${toStorageError(error, folder).message}`, {
      folder,
      reason: 'files-folder-read-only',
    }).withMessage('pgServer.folderReadOnly', { folder });
  }
}

interface DatabaseArchive {
  archiveId: string | null;
  /** The newest stored files the database refers to, newest first. */
  newestFiles: string[];
}

function readDatabaseArchive(url: string): DatabaseArchive {
  const connection = openPgConnection(url);
  try {
    const archiveId = connection.sqlite.prepare("SELECT value FROM archive_meta WHERE key = 'archive_id'").pluck().get() as string | undefined;
    const newestFiles = connection.sqlite.prepare('SELECT blob_hash FROM source_files ORDER BY id DESC LIMIT ?').pluck().all(SAMPLED_FILES) as string[];
    return { archiveId: archiveId ?? null, newestFiles };
  } finally {
    connection.sqlite.close();
  }
}

function recordedArchiveId(folder: string): string | null {
  const file = join(folder, ARCHIVE_ID_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

function folderEntries(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => name !== LOCK_FILE && name !== LOCK_HOLDER_FILE)
    .sort();
}

function assertHoldsNewestFiles(folder: string, target: string, database: DatabaseArchive): void {
  const blobs = new BlobStore(folder);
  if (database.newestFiles.length === 0 && existsSync(blobs.root) && readdirSync(blobs.root).length > 0) {
    throw new SlipVaultError(
      'CONFLICT',
      `The files folder ${folder} holds stored files, but archive ${database.archiveId} in ${target} refers to none: it is not that archive's files folder.`,
      { folder, target, archiveId: database.archiveId, reason: 'files-not-referenced' },
    ).withMessage('pgServer.filesNotReferenced', { folder, target, archiveId: database.archiveId! });
  }
  const missing = database.newestFiles.filter((hash) => !blobs.has(hash));
  if (missing.length === 0) return;
  throw new SlipVaultError(
    'CONFLICT',
    `The files folder ${folder} lacks ${missing.length} of the ${database.newestFiles.length} newest files of archive ${database.archiveId} in ${target} (first ${missing[0]}): it is not that archive's files folder.`,
    { folder, target, archiveId: database.archiveId, missing: missing.length, reason: 'files-missing' },
  ).withMessage('pgServer.filesMissing', { folder, target, archiveId: database.archiveId!, missing: missing.length, sampled: database.newestFiles.length });
}

/** The archive, its id recorded in the folder: written whole under a temporary name, then renamed, so a crash leaves no half record. */
function recordingArchiveId(archive: Archive, folder: string): Archive {
  const file = join(folder, ARCHIVE_ID_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${archive.status().archiveId}\n`);
    renameSync(temporary, file);
  } catch (error) {
    archive.close();
    throw toStorageError(error, `Could not record the archive's id in ${folder}`);
  }
  return archive;
}
