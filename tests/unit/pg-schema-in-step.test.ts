/**
 * The two back ends' schemas stay in step: the drizzle schema modules (db/schema.ts for SQLite, db/pg/schema.ts
 * for PostgreSQL) export the same tables with the same columns under the same names, and the databases their
 * migrations build have the same tables, columns (order, NOT NULL, a matching type), named indexes and
 * triggers. The search tables differ by design (FTS5 on one side, tsvector columns on the other) and are
 * compared against their stated correspondence instead.
 */
import Database from 'better-sqlite3';
import { getTableName, is, Table } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/main/core/db/migrate';
import { migratePg } from '../../src/main/core/db/pg/migrate';
import * as pgSchema from '../../src/main/core/db/pg/schema';
import * as sqliteSchema from '../../src/main/core/db/schema';
import { useSharedPgDatabases } from '../helpers/shared-pg-cluster';

/** Tables only the PostgreSQL schema module declares: SQLite's search tables are written by hand in its migrations. */
const PG_ONLY_EXPORTS = ['searchIndex', 'searchState'];

const tablesOfModule = (module: Record<string, unknown>) =>
  Object.entries(module)
    .filter(([, value]) => is(value, Table))
    .map(([key]) => key)
    .sort();

describe('the drizzle schema modules', () => {
  it('export the same tables, plus the PostgreSQL search tables', () => {
    const sqliteTables = tablesOfModule(sqliteSchema);
    expect(tablesOfModule(pgSchema)).toEqual([...sqliteTables, ...PG_ONLY_EXPORTS].sort());
  });

  it('give every table the same name and the same columns under the same keys, so code can use either', () => {
    for (const key of tablesOfModule(sqliteSchema)) {
      const sqliteTable = (sqliteSchema as Record<string, unknown>)[key] as SQLiteTable;
      const pgTable = (pgSchema as Record<string, unknown>)[key] as PgTable;
      expect(getTableName(pgTable), key).toBe(getTableName(sqliteTable));
      const columnsOf = (columns: { name: string; notNull: boolean; primary: boolean }[]) =>
        columns.map((column) => ({ name: column.name, notNull: column.notNull, primary: column.primary }));
      expect(columnsOf(pgTableConfig(pgTable).columns), key).toEqual(columnsOf(sqliteTableConfig(sqliteTable).columns));
      const constraintNames = (config: { checks: { name: string }[]; indexes: { config: { name?: string } }[] }) => ({
        checks: config.checks.map((check) => check.name).sort(),
        indexes: config.indexes.map((index) => index.config.name).sort(),
      });
      expect(constraintNames(pgTableConfig(pgTable)), key).toEqual(constraintNames(sqliteTableConfig(sqliteTable)));
    }
  });
});

interface ColumnShape {
  name: string;
  notNull: boolean;
  type: string;
}

/** The PostgreSQL types a column of each SQLite declared type may have (docs/server-postgres.md says why each differs). */
const TYPE_FAMILIES: Record<string, string[]> = {
  integer: ['integer', 'bigint', 'boolean'],
  text: ['text', 'jsonb'],
  real: ['double precision'],
};

/** SQLite's FTS5 tables and what stands in for them on PostgreSQL. */
const SEARCH_CORRESPONDENCE = {
  /** FTS5 column → tsvector column: title and body are only ever searched together, and the status is a marker lexeme, in `everything`. */
  search_index: { title: 'everything', body: 'everything', customer: 'customer', slip: 'slip', signer: 'signer', tags: 'tags', state: 'everything' },
  /** The ledger's trigram table → a pg_trgm index on the same two columns. */
  ledger_rows_text: 'ledger_rows_text_idx',
};
/** search_index's copies of document columns, for filters that combine with a fielded term's index (not text). */
const SEARCH_FILTER_COLUMNS = ['type_code', 'signed_date', 'amount_minor', 'status'];
/** Triggers that keep an FTS5 table in step with its content table; a PostgreSQL index needs none. */
const FTS_MAINTENANCE_TRIGGERS = ['ledger_rows_text_insert', 'ledger_rows_text_update'];
/** Row triggers do not fire on TRUNCATE, which SQLite does not have. */
const PG_TRUNCATE_TRIGGERS = ['audit_events_no_truncate', 'document_versions_no_truncate'];

const pgDatabases = useSharedPgDatabases();
let client: pg.Client;
let sqlite: Database.Database;
let virtualTables: string[];

beforeAll(async () => {
  client = new pg.Client({ connectionString: await pgDatabases.create() });
  await client.connect();
  await migratePg(client);
  sqlite = new Database(':memory:');
  migrate(sqlite);
  virtualTables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").pluck().all() as string[];
}, 120_000);
afterAll(async () => {
  sqlite?.close();
  await client?.end();
});

const isFtsTable = (name: string) => virtualTables.some((owner) => name === owner || name.startsWith(`${owner}_`));

function sqliteTables(): string[] {
  return (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]).filter(
    (name) => !isFtsTable(name),
  );
}

function sqliteColumns(table: string): ColumnShape[] {
  return (
    sqlite.prepare(`SELECT name, "notnull" AS required, type FROM pragma_table_info(?) ORDER BY cid`).all(table) as {
      name: string;
      required: number;
      type: string;
    }[]
  ).map((column) => ({ name: column.name, notNull: column.required === 1, type: column.type.toLowerCase() }));
}

async function pgColumns(table: string): Promise<ColumnShape[]> {
  const result = await client.query<{ name: string; nullable: string; type: string }>(
    `SELECT column_name AS name, is_nullable AS nullable, CASE WHEN data_type = 'USER-DEFINED' THEN udt_name ELSE data_type END AS type
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return result.rows.map((column) => ({ name: column.name, notNull: column.nullable === 'NO', type: column.type }));
}

describe('the migrated databases', () => {
  it('have the same tables, outside search', async () => {
    const pgTables = (
      await client.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
      )
    ).rows.map((row) => row.name);
    expect(pgTables.filter((name) => name !== 'search_index' && name !== 'slipvault_migrations')).toEqual(sqliteTables());
  });

  it('give each table the same columns in the same order, NOT NULL alike, of a matching type', async () => {
    for (const table of sqliteTables()) {
      const theirs = sqliteColumns(table);
      const ours = await pgColumns(table);
      expect(
        ours.map((column) => ({ name: column.name, notNull: column.notNull })),
        table,
      ).toEqual(theirs.map((column) => ({ name: column.name, notNull: column.notNull })));
      theirs.forEach((column, index) => {
        expect(TYPE_FAMILIES[column.type], `${table}.${column.name}: SQLite type ${column.type}`).toContain(ours[index]!.type);
      });
    }
  });

  it('index the same text on PostgreSQL as the FTS5 tables do on SQLite', async () => {
    const ftsColumns = sqliteColumns('search_index').map((column) => column.name);
    expect(Object.keys(SEARCH_CORRESPONDENCE.search_index)).toEqual(ftsColumns);
    const pgSearch = await pgColumns('search_index');
    expect(pgSearch.map((column) => column.name)).toEqual([
      'document_id',
      ...new Set(Object.values(SEARCH_CORRESPONDENCE.search_index)),
      ...SEARCH_FILTER_COLUMNS,
    ]);
    expect(pgSearch.filter((column) => column.type === 'tsvector').map((column) => column.name)).toEqual(['everything', 'customer', 'slip', 'signer', 'tags']);
    const trigram = await client.query<{ definition: string }>('SELECT indexdef AS definition FROM pg_indexes WHERE indexname = $1', [
      SEARCH_CORRESPONDENCE.ledger_rows_text,
    ]);
    expect(trigram.rows[0]?.definition).toMatch(/gin \(slip_no gin_trgm_ops, invoice_no gin_trgm_ops\)/);
    expect(sqliteColumns('ledger_rows_text').map((column) => column.name)).toEqual(['slip_no', 'invoice_no']);
  });

  it('have the same named indexes', async () => {
    const theirs = (
      sqlite.prepare("SELECT name, tbl_name AS tableName FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'").all() as {
        name: string;
        tableName: string;
      }[]
    ).filter((index) => !isFtsTable(index.tableName));
    const ours = (await client.query<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'")).rows.map((row) => row.name);
    for (const index of theirs) expect(ours, `index ${index.name} on ${index.tableName}`).toContain(index.name);
  });

  it('have the same triggers, less FTS5 upkeep, plus refusing TRUNCATE', async () => {
    const theirs = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all() as string[]).filter(
      (name) => !FTS_MAINTENANCE_TRIGGERS.includes(name),
    );
    const ours = (await client.query<{ name: string }>('SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1')).rows.map((row) => row.name);
    expect(ours).toEqual([...theirs, ...PG_TRUNCATE_TRIGGERS].sort());
  });
});
