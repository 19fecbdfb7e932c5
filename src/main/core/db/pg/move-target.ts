/**
 * The PostgreSQL database a local archive moves into: reaching it (with a sentence for each way that fails —
 * nothing listening, the wrong password, no such database), deciding whether it may receive the archive, and
 * the mark a verified move leaves there.
 *
 * A database may receive an archive only when it holds nothing: no tables at all, or SlipVault's schema with
 * no archive in it. A second move of the same archive is refused naming when the first one was made; a move
 * that stopped after its rows were committed (disk full while indexing, verification failed) is told apart
 * from a finished one by the mark, which is written only once both sides were found equal.
 */
import type pg from 'pg';
import { SlipVaultError } from '../../../../shared/errors';

/** The archive_meta key a verified move writes, valued with the time of the verification. */
export const VERIFIED_MARK = 'moved_to_postgres_verified_at';

/** How long reaching the server may take before it counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/** The URL without its password, for every message and report. */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    throw new SlipVaultError('VALIDATION', 'The target is not a valid postgres:// URL.').withMessage('postgres.badUrl');
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET']);

/** A connection failure in words: the server cannot be reached, refuses the login, or has no such database. */
export function connectionRefusal(error: unknown, target: string): SlipVaultError {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  if (UNREACHABLE.has(code) || /timeout|terminated unexpectedly/i.test(message)) {
    return new SlipVaultError(
      'SERVER_UNREACHABLE',
      `PostgreSQL at ${target} cannot be reached (${code || message}). Check that the server runs and listens there. Nothing was copied.`,
      { target, reason: code || message },
    ).withMessage('postgres.unreachable', { target, reason: code || message });
  }
  if (code === '28P01' || code === '28000') {
    return new SlipVaultError(
      'UNAUTHENTICATED',
      `PostgreSQL at ${target} refused the login: ${message}. Check the user name and password in the URL. Nothing was copied.`,
      { target },
    ).withMessage('postgres.loginRefused', { target });
  }
  if (code === '3D000') {
    return new SlipVaultError('NOT_FOUND', `${message} at ${target}: create an empty database first (createdb). Nothing was copied.`, { target }).withMessage(
      'postgres.noDatabase',
      { target },
    );
  }
  return new SlipVaultError('INTERNAL', `PostgreSQL at ${target} could not be used: ${message}. Nothing was copied.`, { target }).withMessage(
    'postgres.failed',
    { target, reason: message },
  );
}

/** A pool on the target whose first connection has already succeeded. */
export async function openTargetPool(url: string): Promise<pg.Pool> {
  const target = describeTarget(url);
  // Loaded here, not at start-up: only a move to PostgreSQL opens a pool, and pg is ~40 files every CLI command read.
  const { default: postgres } = await import('pg');
  const pool = new postgres.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle client whose server goes away must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    throw connectionRefusal(error, target);
  }
  return pool;
}

/** Refuses a database holding anything but SlipVault's schema, before the migrations create tables there. */
export async function assertNoForeignTables(client: pg.ClientBase, target: string): Promise<void> {
  const tables = (
    await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
  ).rows.map((row) => row.name);
  if (tables.length > 0 && !tables.includes('slipvault_migrations')) {
    throw new SlipVaultError(
      'ARCHIVE_EXISTS',
      `The database ${target} is not empty: it holds ${tables.length} table(s) that are not a SlipVault archive's (first: ${tables[0]}). Create a new, empty database for the archive. Nothing was changed.`,
      { target, reason: 'not-empty', tables: tables.length },
    ).withMessage('postgres.targetNotEmpty', { target, tables: tables.length });
  }
}

/** Refuses a (migrated) SlipVault database that already holds an archive: this one, an unfinished copy, or another. */
export async function assertHoldsNoArchive(client: pg.ClientBase, target: string, archiveId: string): Promise<void> {
  const meta = new Map(
    (await client.query<{ key: string; value: string }>(`SELECT key, value FROM archive_meta WHERE key IN ('archive_id', $1)`, [VERIFIED_MARK])).rows.map(
      (row) => [row.key, row.value],
    ),
  );
  const heldId = meta.get('archive_id');
  if (heldId === undefined) {
    const counts = await client.query<{ documents: number; events: number }>(
      'SELECT (SELECT count(*) FROM documents)::integer AS documents, (SELECT count(*) FROM audit_events)::integer AS events',
    );
    const { documents, events } = counts.rows[0]!;
    if (documents === 0 && events === 0) return;
    throw new SlipVaultError(
      'ARCHIVE_EXISTS',
      `The database ${target} already holds archive data (${documents} document(s), ${events} audit event(s)). Create a new, empty database for the archive. Nothing was changed.`,
      { target, reason: 'not-empty', documents, events },
    ).withMessage('postgres.targetHasDocuments');
  }
  const started = await client.query<{ at: string; actor: string }>(
    "SELECT at, actor FROM audit_events WHERE action = 'archive.migrate' ORDER BY seq DESC LIMIT 1",
  );
  const move = started.rows[0];
  const verifiedAt = meta.get(VERIFIED_MARK);
  if (heldId !== archiveId) {
    throw new SlipVaultError(
      'ARCHIVE_EXISTS',
      `The database ${target} already holds another archive (id ${heldId}). Create a new, empty database for this one (id ${archiveId}). Nothing was changed.`,
      { target, reason: 'other-archive', archiveId, heldArchiveId: heldId },
    ).withMessage('postgres.holdsOtherArchive', { target, archiveId: heldId });
  }
  if (verifiedAt === undefined) {
    throw new SlipVaultError(
      'ARCHIVE_EXISTS',
      `The database ${target} holds an unfinished move of this archive (id ${archiveId}), started ${move ? `by ${move.actor} at ${move.at}` : 'earlier'} and never verified. Drop that database, create it again empty and run the move again. Nothing was changed.`,
      { target, reason: 'unfinished', archiveId, startedAt: move?.at ?? null },
    ).withMessage('postgres.unfinishedMove', { target, archiveId, startedAt: move?.at ?? '' });
  }
  throw new SlipVaultError(
    'ARCHIVE_EXISTS',
    `The database ${target} already holds this archive (id ${archiveId}): it was moved there${move ? ` by ${move.actor} at ${move.at}` : ''} and verified at ${verifiedAt}. Nothing was changed.`,
    { target, reason: 'same-archive', archiveId, migratedAt: move?.at ?? verifiedAt, verifiedAt },
  ).withMessage('postgres.alreadyMoved', { target, archiveId, migratedAt: move?.at ?? verifiedAt });
}

/** Marks the database as holding a verified move (see VERIFIED_MARK). */
export async function markVerified(client: pg.ClientBase, at: string): Promise<void> {
  await client.query('INSERT INTO archive_meta (key, value) VALUES ($1, $2)', [VERIFIED_MARK, at]);
}
