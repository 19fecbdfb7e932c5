/**
 * Moves a local archive onto PostgreSQL (issue 20, "moving up"): the source is checked first, the move is
 * recorded in its audit trail, then every row is copied with its id (copy-tables.ts), every file into a
 * content-addressed folder on the server side, and the search index is built there. Both sides are then
 * verified: the same number of rows in every table, the same audit chain to the same head (recomputed on
 * PostgreSQL), and every file present with the bytes its hash names.
 */
import type pg from 'pg';
import { SlipVaultError } from '../../../../shared/errors';
import type { Archive } from '../../archive';
import { PgSearchIndex } from '../../search/pg-search-index';
import { BlobStore } from '../../store/blobs';
import { inTransaction } from '../transaction';
import { assertNoDocuments, copyArchiveTables } from './copy-tables';
import { migratePg } from './migrate';
import { verifyPgAuditChain } from './verify-chain';

export interface ArchiveMove {
  /** Rows copied per table. */
  rows: Record<string, number>;
  files: number;
  auditEvents: number;
  auditHead: string;
  /** What differs between the two sides after the copy; empty when the move is verified. */
  problems: string[];
}

export async function moveArchiveToPg(archive: Archive, pool: pg.Pool, filesDir: string): Promise<ArchiveMove> {
  const before = await archive.check();
  if (!before.ok) {
    throw new SlipVaultError(
      'VALIDATION',
      `The archive does not pass its check (${before.problems.length} problem(s), first: ${before.problems[0]?.message ?? 'unknown'}); repair or restore it before moving it. Nothing was copied.`,
    ).withMessage('postgres.archiveFailsCheck', { problems: before.problems.length });
  }
  const target = new BlobStore(filesDir);
  target.prepare();
  const hashes = archive.blobs.list();
  const client = await pool.connect();
  let rows: Record<string, number>;
  try {
    await migratePg(client);
    await assertNoDocuments(client);
    // Recorded before the copy, so the chain on PostgreSQL holds the move itself; a move that fails after it
    // leaves the record of the attempt, and the archive otherwise as it was.
    inTransaction(archive.connection.sqlite, () =>
      archive.audit.append({ action: 'archive.migrate', details: { to: 'postgresql', files: hashes.length, documents: before.counts.documents } }),
    );
    rows = await copyArchiveTables(archive.connection.sqlite, client);
  } finally {
    client.release();
  }
  for (const hash of hashes) {
    const stored = target.store(await archive.blobs.read(hash));
    if (stored.hash !== hash)
      throw new SlipVaultError('CORRUPT_FILE', `The file ${hash} changed while it was copied; nothing after it was copied.`).withMessage(
        'postgres.fileChanged',
        { hash },
      );
  }
  await new PgSearchIndex(pool).reindex(() => undefined, { restart: true });
  return { rows, files: hashes.length, ...(await verifyMove(archive, pool, target, rows, hashes)) };
}

async function verifyMove(
  archive: Archive,
  pool: pg.Pool,
  target: BlobStore,
  rows: Record<string, number>,
  hashes: string[],
): Promise<{ auditEvents: number; auditHead: string; problems: string[] }> {
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
  for (const hash of hashes) {
    const state = await target.verify(hash);
    if (state !== 'ok') problems.push(`file ${hash} is ${state} in the files folder`);
  }
  return { auditEvents: chain.events, auditHead: chain.head, problems };
}
