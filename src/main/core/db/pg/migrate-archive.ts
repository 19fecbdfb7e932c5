/**
 * Moves a local archive onto PostgreSQL (issue 20, "moving up"): the source is checked first and the target
 * must hold nothing (move-target.ts) and the files folder must be new or empty (files-folder.ts). Then every
 * file is copied into the content-addressed files folder, the move is recorded in the archive's audit trail,
 * every row is copied with its id in one transaction (copy-tables.ts) and the search index is built there.
 * Both sides are then verified: the same number of rows in every table, the same audit chain to the same head
 * (recomputed on PostgreSQL), and every file present with the bytes its hash names. Only a verified move is
 * marked as finished in the database.
 *
 * Files go first because they are the part that can fill a disk: until the rows commit, a failure empties the
 * files folder again and PostgreSQL holds no archive, so the same command can simply be run again. After the
 * commit, a failure leaves a database without the mark, which a later move refuses as unfinished.
 */
import { statSync } from 'node:fs';
import type pg from 'pg';
import { SlipVaultError } from '../../../../shared/errors';
import type { JobPhase } from '../../../../shared/events';
import type { AuditChainEnd } from '../../../../shared/postgres-move';
import type { Archive } from '../../archive';
import { PgSearchIndex } from '../../search/pg-search-index';
import { BlobStore } from '../../store/blobs';
import { inTransaction } from '../transaction';
import { copyArchiveTables } from './copy-tables';
import { emptyFilesFolder, prepareFilesFolder } from './files-folder';
import { migratePg } from './migrate';
import { assertHoldsNoArchive, assertNoForeignTables, markVerified } from './move-target';
import { verifyPgAuditChain } from './verify-chain';

export interface ArchiveMove {
  archiveId: string;
  filesDir: string;
  /** Rows copied per table. */
  rows: Record<string, number>;
  files: number;
  bytes: number;
  /** The audit chain on PostgreSQL after the move. */
  auditEvents: number;
  auditHead: string;
  /** The archive's own audit chain after the move. */
  archiveAudit: AuditChainEnd;
  /** What differs between the two sides after the copy; empty when the move is verified. */
  problems: string[];
  verifiedAt: string | null;
}

export interface MoveProgress {
  phase: Extract<JobPhase, 'move-files' | 'move-rows' | 'reindex' | 'move-verify'>;
  done: number;
  total: number;
  bytesDone?: number;
  bytesTotal?: number;
}

export interface MoveOptions {
  /** How messages name the database (move-target.ts describeTarget); never the password. */
  target?: string;
  onProgress?: (progress: MoveProgress) => void;
  now?: () => number;
}

/** PostgreSQL's disk_full condition. */
const PG_DISK_FULL = '53100';

export async function moveArchiveToPg(archive: Archive, pool: pg.Pool, filesDir: string, options: MoveOptions = {}): Promise<ArchiveMove> {
  const target = options.target ?? 'PostgreSQL';
  const progress = options.onProgress ?? (() => undefined);
  const now = options.now ?? Date.now;
  const before = await archive.check();
  if (!before.ok) {
    throw new SlipVaultError(
      'VALIDATION',
      `The archive does not pass its check (${before.problems.length} problem(s), first: ${before.problems[0]?.message ?? 'unknown'}); repair or restore it before moving it. Nothing was copied.`,
    ).withMessage('postgres.archiveFailsCheck', { problems: before.problems.length });
  }
  const sqlite = archive.connection.sqlite;
  const archiveId = sqlite.prepare("SELECT value FROM archive_meta WHERE key = 'archive_id'").pluck().get() as string;
  const folder = prepareFilesFolder(filesDir);
  const client = await pool.connect();
  let rows: Record<string, number>;
  let sizes: Map<string, number>;
  try {
    await assertNoForeignTables(client, target);
    await migratePg(client);
    await assertHoldsNoArchive(client, target, archiveId);
    try {
      sizes = await copyFiles(archive, new BlobStore(folder), progress);
      // Recorded before the rows are copied, so the chain on PostgreSQL holds the move itself; a move that
      // fails after it leaves the record of the attempt, and the archive otherwise as it was.
      inTransaction(sqlite, () =>
        archive.audit.append({ action: 'archive.migrate', details: { to: 'postgresql', target, files: sizes.size, documents: before.counts.documents } }),
      );
      rows = await copyArchiveTables(sqlite, client, (done, total) => progress({ phase: 'move-rows', done, total }));
    } catch (error) {
      emptyFilesFolder(folder);
      throw beforeCommitFailure(error, folder, target);
    }
  } finally {
    client.release();
  }
  try {
    await new PgSearchIndex(pool).reindex((done, total) => progress({ phase: 'reindex', done, total }), { restart: true });
    const verified = await verifyMove(archive, pool, new BlobStore(folder), rows, [...sizes.keys()], progress);
    const verifiedAt = verified.problems.length === 0 ? new Date(now()).toISOString() : null;
    if (verifiedAt !== null) await markVerifiedOn(pool, verifiedAt);
    const bytes = [...sizes.values()].reduce((sum, size) => sum + size, 0);
    return { archiveId, filesDir: folder, rows, files: sizes.size, bytes, ...verified, verifiedAt };
  } catch (error) {
    throw afterCommitFailure(error, target);
  }
}

async function markVerifiedOn(pool: pg.Pool, at: string): Promise<void> {
  const client = await pool.connect();
  try {
    await markVerified(client, at);
  } finally {
    client.release();
  }
}

/** Copies every stored file; returns each one's size by hash. */
async function copyFiles(archive: Archive, target: BlobStore, progress: (progress: MoveProgress) => void): Promise<Map<string, number>> {
  target.prepare();
  const hashes = archive.blobs.list();
  const sizes = new Map(hashes.map((hash) => [hash, statSync(archive.blobs.pathOf(hash)).size]));
  const bytesTotal = [...sizes.values()].reduce((sum, size) => sum + size, 0);
  let bytesDone = 0;
  progress({ phase: 'move-files', done: 0, total: hashes.length, bytesDone, bytesTotal });
  for (const [index, hash] of hashes.entries()) {
    const stored = target.store(await archive.blobs.read(hash));
    if (stored.hash !== hash)
      throw new SlipVaultError('CORRUPT_FILE', `The file ${hash} changed while it was copied; nothing after it was copied.`).withMessage(
        'postgres.fileChanged',
        { hash },
      );
    bytesDone += sizes.get(hash)!;
    progress({ phase: 'move-files', done: index + 1, total: hashes.length, bytesDone, bytesTotal });
  }
  return sizes;
}

function isDiskFull(error: unknown): boolean {
  return (error instanceof SlipVaultError && error.code === 'DISK_FULL') || (error as { code?: string }).code === PG_DISK_FULL;
}

function beforeCommitFailure(error: unknown, folder: string, target: string): unknown {
  if (!isDiskFull(error)) return error;
  const where = error instanceof SlipVaultError ? `the files folder ${folder}` : `PostgreSQL's disk (${target})`;
  return new SlipVaultError(
    'DISK_FULL',
    `The move ran out of space on ${where}. What it had copied was taken back: the files folder is empty again and PostgreSQL holds no archive. Free some space and run the move again.`,
    { where: error instanceof SlipVaultError ? 'files' : 'postgres' },
  ).withMessage('postgres.diskFullBeforeCommit', { where });
}

function afterCommitFailure(error: unknown, target: string): unknown {
  const reason = (error as Error).message ?? String(error);
  return new SlipVaultError(
    isDiskFull(error) ? 'DISK_FULL' : error instanceof SlipVaultError ? error.code : 'INTERNAL',
    `The rows were copied to ${target}, but the move did not finish (${reason}). The database is not marked as a finished move: drop it, create it again empty and run the move again.`,
    { target },
  ).withMessage('postgres.unfinishedAfterCommit', { target, reason });
}

async function verifyMove(
  archive: Archive,
  pool: pg.Pool,
  target: BlobStore,
  rows: Record<string, number>,
  hashes: string[],
  progress: (progress: MoveProgress) => void,
): Promise<{ auditEvents: number; auditHead: string; archiveAudit: AuditChainEnd; problems: string[] }> {
  const problems: string[] = [];
  for (const [table, copied] of Object.entries(rows)) {
    const source = archive.connection.sqlite.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
    const result = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    const onServer = Number(result.rows[0]!.n);
    if (source !== copied || onServer !== copied) problems.push(`${table}: ${source} row(s) in the archive, ${onServer} on PostgreSQL`);
  }
  const sourceChain = archive.audit.verify();
  if (sourceChain.length > 0) problems.push(`the archive's audit chain breaks at event ${sourceChain[0]!.seq}: ${sourceChain[0]!.message}`);
  const client = await pool.connect();
  let chain;
  try {
    chain = await verifyPgAuditChain(client);
  } finally {
    client.release();
  }
  if (chain.firstBroken) problems.push(`the audit chain on PostgreSQL breaks at event ${chain.firstBroken.seq}: ${chain.firstBroken.message}`);
  const head = archive.audit.head();
  if (chain.head !== head.hash || chain.events !== head.seq) {
    problems.push(`the audit chain on PostgreSQL ends at event ${chain.events} (${chain.head}), the archive's at ${head.seq} (${head.hash})`);
  }
  for (const [index, hash] of hashes.entries()) {
    const state = await target.verify(hash);
    if (state !== 'ok') problems.push(`file ${hash} is ${state} in the files folder`);
    progress({ phase: 'move-verify', done: index + 1, total: hashes.length });
  }
  return { auditEvents: chain.events, auditHead: chain.head, archiveAudit: { events: head.seq, head: head.hash }, problems };
}
