/**
 * Copies every row of a SQLite archive database into a freshly migrated PostgreSQL archive database, ids
 * included, so documents, versions, audit events and everything pointing at them keep their numbers. Values
 * are converted by the PostgreSQL column's type (the two schemas are kept in step by
 * tests/unit/pg-schema-in-step.test.ts): JSON text becomes jsonb, 0/1 flags booleans. The search index is not
 * copied; it is built from the copied text (PgSearchIndex.reindex), because the two back ends store it differently.
 *
 * All in one transaction: a copy that fails leaves the target as it was.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { SlipVaultError } from '../../../../shared/errors';
import { inPgTransaction } from './transaction';

/** Tables the copy leaves alone: the search index is rebuilt, the migrations' bookkeeping belongs to the target. */
const NOT_COPIED = new Set(['search_index', 'search_state', 'slipvault_migrations']);
/**
 * Tables that triggers on other tables write (the due summary's running totals, kept by ledger_rows'
 * triggers): copied last, after whatever the copied rows' triggers wrote there is cleared, so they hold the
 * archive's own rows (totals emptied to zero included) and nothing is counted twice.
 */
const WRITTEN_BY_TRIGGERS = new Set(['ledger_outstanding_groups', 'ledger_outstanding_days']);
/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 60_000;

interface TargetColumn {
  name: string;
  type: string;
  identity: boolean;
}

/** The archive's tables that a copy carries (every table but NOT_COPIED), by name. */
export async function copiedTableNames(client: pg.ClientBase): Promise<string[]> {
  return (
    await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
  ).rows
    .map((row) => row.name)
    .filter((name) => !NOT_COPIED.has(name));
}

/** `tables` in the same order, but the ones triggers write (WRITTEN_BY_TRIGGERS) moved to the end. */
export function triggerWrittenLast(tables: string[]): string[] {
  return [...tables.filter((table) => !WRITTEN_BY_TRIGGERS.has(table)), ...tables.filter((table) => WRITTEN_BY_TRIGGERS.has(table))];
}

/** The archive's tables, each after the tables its foreign keys point at. */
async function tablesInDependencyOrder(client: pg.ClientBase): Promise<string[]> {
  const tables = await copiedTableNames(client);
  const edges = (
    await client.query<{ child: string; parent: string }>(
      `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
    )
  ).rows;
  const ordered: string[] = [];
  const visit = (table: string, path: string[]) => {
    if (ordered.includes(table)) return;
    if (path.includes(table)) throw new Error(`Foreign keys form a cycle through ${[...path, table].join(' → ')}.`);
    for (const edge of edges) if (edge.child === table && edge.parent !== table) visit(edge.parent, [...path, table]);
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return triggerWrittenLast(ordered);
}

async function columnsOf(client: pg.ClientBase, table: string): Promise<TargetColumn[]> {
  const result = await client.query<TargetColumn>(
    `SELECT column_name AS name, data_type AS type, is_identity = 'YES' AS identity
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return result.rows;
}

function convert(value: unknown, column: TargetColumn): unknown {
  if (value === null) return null;
  if (column.type === 'boolean') return value === 1;
  return value;
}

/** Refuses a target that already holds an archive's documents. */
export async function assertNoDocuments(client: pg.ClientBase): Promise<void> {
  const documents = await client.query<{ n: string }>('SELECT count(*) AS n FROM documents');
  if (Number(documents.rows[0]!.n) > 0) {
    throw new SlipVaultError(
      'ARCHIVE_EXISTS',
      'The PostgreSQL archive already holds documents; copy into an empty, newly created database. Nothing was changed.',
    ).withMessage('postgres.targetHasDocuments');
  }
}

/** Returns the number of rows copied per table; `onTable` hears how many tables are done. */
export async function copyArchiveTables(
  sqlite: Database.Database,
  client: pg.ClientBase,
  onTable: (done: number, total: number) => void = () => undefined,
): Promise<Record<string, number>> {
  await assertNoDocuments(client);
  const tables = await tablesInDependencyOrder(client);
  const copied: Record<string, number> = {};
  await inPgTransaction(client, async () => {
    // The migrations seed document types, schedules and filing rules; the archive's own replace them.
    for (const table of [...tables].reverse()) await client.query(`DELETE FROM ${table}`);
    for (const table of tables) {
      if (WRITTEN_BY_TRIGGERS.has(table)) await client.query(`DELETE FROM ${table}`);
      const columns = await columnsOf(client, table);
      const names = columns.map((column) => `"${column.name}"`).join(', ');
      const rows = sqlite.prepare(`SELECT ${names} FROM "${table}"`).raw().all() as unknown[][];
      const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
      for (let start = 0; start < rows.length; start += perStatement) {
        const values: unknown[] = [];
        const tuples = rows.slice(start, start + perStatement).map((row) => {
          const placeholders = row.map((value, index) => {
            values.push(convert(value, columns[index]!));
            return `$${values.length}`;
          });
          return `(${placeholders.join(', ')})`;
        });
        await client.query(`INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')}`, values);
      }
      copied[table] = rows.length;
      onTable(Object.keys(copied).length, tables.length);
      // Identity columns continue after the copied ids.
      for (const column of columns.filter((candidate) => candidate.identity)) {
        await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), (SELECT max("${column.name}") FROM ${table}))`, [table, column.name]);
      }
    }
  });
  return copied;
}
