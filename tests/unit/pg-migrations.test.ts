/**
 * The PostgreSQL back end's migrations, one test per migration as in migrations.test.ts: each is applied to
 * a real database (a throwaway cluster, tests/helpers/pg-cluster.ts) that holds exactly the schema before
 * it, and the test asserts what the migration is for. Plus: the embed is current, a database from the
 * future is refused untouched, a failing migration leaves nothing behind, and two servers migrating one
 * database at once apply each migration once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Migration } from '../../src/main/core/db/migrate';
import { migrate } from '../../src/main/core/db/migrate';
import { migratePg, pgSchemaVersionOf, PG_SCHEMA_VERSION } from '../../src/main/core/db/pg/migrate';
import { PG_MIGRATIONS } from '../../src/main/core/db/pg/migrations.generated';
import { useSharedPgDatabases } from '../helpers/shared-pg-cluster';

const ROOT = resolve(__dirname, '../..');
const MIGRATIONS_DIR = join(ROOT, 'src/main/core/db/pg/migrations');

const pgDatabases = useSharedPgDatabases();
const clients: pg.Client[] = [];
/** The URL each client was opened with. */
const urls = new Map<pg.Client, string>();

afterEach(async () => {
  for (const client of clients.splice(0)) await client.end();
});

async function freshDatabase(): Promise<pg.Client> {
  const url = await pgDatabases.create();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  urls.set(client, url);
  clients.push(client);
  return client;
}

const rows = async <T extends pg.QueryResultRow>(client: pg.Client, sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows;
const column = async (client: pg.Client, sql: string, params: unknown[] = []) =>
  (await client.query<Record<string, unknown>>(sql, params)).rows.map((row) => Object.values(row)[0]);

const tablesOf = (client: pg.Client) =>
  column(client, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
const triggersOf = (client: pg.Client) =>
  column(client, "SELECT DISTINCT trigger_name FROM information_schema.triggers WHERE trigger_schema = 'public' ORDER BY trigger_name");

/** SQLite's tables after all its migrations, less its FTS5 tables (PostgreSQL's search tables stand in for them). */
function sqliteTables(): string[] {
  const db = new Database(':memory:');
  try {
    migrate(db);
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
      name: string;
      sql: string;
    }[];
    const virtual = tables.filter((table) => table.sql.startsWith('CREATE VIRTUAL TABLE')).map((table) => table.name);
    // FTS5 keeps each virtual table's data in shadow tables named after it.
    return tables.map((table) => table.name).filter((name) => !virtual.some((owner) => name === owner || name.startsWith(`${owner}_`)));
  } finally {
    db.close();
  }
}

/** What SQLite's migrations seed, read back the same way on both sides. */
function sqliteSeeds(): { types: unknown[]; schedules: unknown[]; rules: unknown[] } {
  const db = new Database(':memory:');
  try {
    migrate(db);
    return {
      types: (db.prepare('SELECT code, name_zh, name_en, keywords FROM document_types ORDER BY code').all() as { keywords: string }[]).map((row) => ({
        ...row,
        keywords: JSON.parse(row.keywords) as unknown,
      })),
      schedules: db.prepare('SELECT type_code, start_event, years, action, basis, updated_at FROM retention_schedules ORDER BY type_code').all(),
      rules: (db.prepare('SELECT type_code, required_fields FROM document_type_rules ORDER BY type_code').all() as { required_fields: string }[]).map(
        (row) => ({ ...row, required_fields: JSON.parse(row.required_fields) as unknown }),
      ),
    };
  } finally {
    db.close();
  }
}

const NOW = '2026-01-01T00:00:00Z';
/** SQLite archive tables a PostgreSQL migration after 0000_archive adds, by migration. */
const TABLES_ADDED_LATER: Record<string, string[]> = {
  '0002_ledger_due_totals': ['ledger_outstanding_days', 'ledger_outstanding_groups'],
};

/** A document with one version, one audit event and a hold, written raw. */
async function insertHistory(client: pg.Client): Promise<void> {
  await client.query(
    `INSERT INTO documents (id, archive_no, title, status, notes, current_version, created_at, updated_at) VALUES (1, 'SV-2026-000001', 'slip', 'inbox', '', 1, $1, $1)`,
    [NOW],
  );
  await client.query(`INSERT INTO document_versions (document_id, number, created_at, actor, action, snapshot) VALUES (1, 1, $1, 'clerk', 'import', '{}')`, [
    NOW,
  ]);
  await client.query(
    `INSERT INTO audit_events (seq, at, actor, action, target_type, target_id, details, prev_hash, hash) VALUES (1, $1, 'clerk', 'document.import', 'document', 'SV-2026-000001', '{}', $2, $3)`,
    [NOW, '0'.repeat(64), 'f'.repeat(64)],
  );
}

const CHECKS: Record<string, { before?: (client: pg.Client) => Promise<void>; after: (client: pg.Client) => Promise<void> }> = {
  '0000_archive': {
    before: async (client) => {
      expect(await tablesOf(client)).toEqual([]);
    },
    after: async (client) => {
      // Every table of the SQLite archive but those later migrations add, the search tables, and the migrations' own bookkeeping.
      const later = new Set(Object.values(TABLES_ADDED_LATER).flat());
      expect(await tablesOf(client)).toEqual([...sqliteTables().filter((table) => !later.has(table)), 'search_index', 'slipvault_migrations'].sort());
      await insertHistory(client);
      await expect(client.query('UPDATE documents SET amount_minor = -1 WHERE id = 1')).rejects.toMatchObject({ constraint: 'documents_amount_non_negative' });
      await expect(
        client.query(
          `INSERT INTO documents (id, archive_no, title, status, current_version, created_at, updated_at) VALUES (2, 'SV-2026-000001', 'x', 'inbox', 1, 'a', 'a')`,
        ),
      ).rejects.toMatchObject({ constraint: 'documents_archive_no_unique' });
      // Amounts in fen past 2^31 (21 million yuan) fit, as in SQLite's 64-bit integer.
      await client.query('UPDATE documents SET amount_minor = 9000000000000 WHERE id = 1');
      expect(await column(client, 'SELECT amount_minor FROM documents WHERE id = 1')).toEqual(['9000000000000']);
      // Copied ids are kept, and the identity continues after them.
      await client.query(`INSERT INTO customers (id, name, created_at) VALUES (41, '华南贸易', $1)`, [NOW]);
      await client.query(`SELECT setval(pg_get_serial_sequence('customers', 'id'), 41)`);
      expect(await column(client, `INSERT INTO customers (name, created_at) VALUES ('深圳电子', $1) RETURNING id`, [NOW])).toEqual([42]);
      expect(await column(client, `SELECT aliases FROM customers WHERE id = 42`)).toEqual([[]]);
      await expect(
        client.query(
          `INSERT INTO users (username, display_name, role, password_hash, password_changed_at, created_at) VALUES ('Li', 'Li', 'clerk', 'h', $1, $1), ('li', 'li', 'clerk', 'h', $1, $1)`,
          [NOW],
        ),
      ).rejects.toMatchObject({ constraint: 'users_username_unique' });
      // History is not protected yet, and nothing is seeded.
      expect(await triggersOf(client)).toEqual([]);
      expect(await column(client, 'SELECT count(*)::integer FROM document_types')).toEqual([0]);
    },
  },
  '0001_rules_and_seeds': {
    before: async (client) => {
      expect(await column(client, 'SELECT count(*)::integer FROM document_types')).toEqual([0]);
      await insertHistory(client);
    },
    after: async (client) => {
      const seeds = sqliteSeeds();
      expect(await rows(client, 'SELECT code, name_zh, name_en, keywords FROM document_types ORDER BY code')).toEqual(seeds.types);
      expect(await rows(client, 'SELECT type_code, start_event, years, action, basis, updated_at FROM retention_schedules ORDER BY type_code')).toEqual(
        seeds.schedules,
      );
      expect(await rows(client, 'SELECT type_code, required_fields FROM document_type_rules ORDER BY type_code')).toEqual(seeds.rules);

      // History written before the migration is protected by it, with SQLite's sentences.
      await expect(client.query(`UPDATE document_versions SET snapshot = '{"x":1}'`)).rejects.toThrow(/document versions are immutable/);
      await expect(client.query('DELETE FROM document_versions')).rejects.toThrow(/document versions are immutable/);
      await expect(client.query(`UPDATE audit_events SET details = '{"x":1}'`)).rejects.toThrow(/audit events are append-only/);
      await expect(client.query('DELETE FROM audit_events')).rejects.toThrow(/audit events are append-only/);
      await expect(client.query('TRUNCATE audit_events')).rejects.toThrow(/audit events are append-only/);
      await expect(client.query('DELETE FROM documents')).rejects.toThrow(/documents are voided, never deleted/);
      expect(await column(client, 'SELECT details FROM audit_events')).toEqual(['{}']);
      // Append-only, not frozen.
      await client.query(`INSERT INTO document_versions (document_id, number, created_at, actor, action, snapshot) VALUES (1, 2, $1, 'clerk', 'edit', '{}')`, [
        NOW,
      ]);
      await client.query(`UPDATE documents SET title = 'slip 2', current_version = 2 WHERE id = 1`);

      // A hold once lifted cannot change, except the customer a merge moves it to.
      await client.query(`INSERT INTO customers (id, name, created_at) VALUES (1, 'a', $1), (2, 'b', $1)`, [NOW]);
      await client.query(
        `INSERT INTO holds (id, customer_id, kind, reason, placed_by, placed_at, lifted_by, lifted_at, lift_reason) VALUES (1, 1, 'audit', 'r', 'x', $1, 'y', $1, 'done')`,
        [NOW],
      );
      await expect(client.query(`UPDATE holds SET reason = 'other' WHERE id = 1`)).rejects.toThrow(/a lifted hold cannot change/);
      await client.query('UPDATE holds SET customer_id = 2 WHERE id = 1');
      await expect(client.query('DELETE FROM holds')).rejects.toThrow(/holds are lifted, never deleted/);

      // Filing the document ends its inbox draft; editing it in the inbox does not.
      await client.query(`INSERT INTO inbox_drafts (document_id, field_values, accepted, saved_by, saved_at) VALUES (1, '{}', false, 'clerk', $1)`, [NOW]);
      await client.query(`UPDATE documents SET title = 'slip 3' WHERE id = 1`);
      expect(await column(client, 'SELECT count(*)::integer FROM inbox_drafts')).toEqual([1]);
      await client.query(`UPDATE documents SET status = 'filed' WHERE id = 1`);
      expect(await column(client, 'SELECT count(*)::integer FROM inbox_drafts')).toEqual([0]);

      // "Slip number contains" is answered from the trigram index.
      await client.query(
        `INSERT INTO ledger_rows (slip_no, customer_id, issue_date, expected_back_date, custody, created_at, updated_at)
         SELECT 'SO-' || n, 1, '2026-01-01', '2026-01-16', 'sent', $1, $1 FROM generate_series(1, 2000) AS n`,
        [NOW],
      );
      await client.query('ANALYZE ledger_rows');
      await client.query('SET enable_seqscan = off');
      const plan = (await column(client, `EXPLAIN SELECT id FROM ledger_rows WHERE slip_no LIKE '%O-1999%'`)).join('\n');
      expect(plan).toMatch(/ledger_rows_text_idx/);
      expect(await column(client, `SELECT slip_no FROM ledger_rows WHERE slip_no LIKE '%O-1999%'`)).toEqual(['SO-1999']);
      await expect(client.query('DELETE FROM ledger_rows')).rejects.toThrow(/ledger rows are cancelled, never deleted/);
    },
  },
  '0002_ledger_due_totals': {
    before: async (client) => {
      await client.query(`INSERT INTO customers (id, name, created_at) VALUES (1, 'a', $1), (2, 'b', $1), (3, 'c', $1)`, [NOW]);
      const row = (slip: string, customer: number, expected: string, custody: string, owner: string | null, currency: string | null, amount: number | null) =>
        client.query(
          `INSERT INTO ledger_rows (slip_no, customer_id, issue_date, expected_back_date, custody, owner, currency, amount_minor, cancelled_at, created_at, updated_at)
           VALUES ($1, $2, '2026-03-01', $3, $4, $5, $6, $7, $8, $9, $9)`,
          [slip, customer, expected, custody, owner, currency, amount, slip === 'DN-5' ? NOW : null, NOW],
        );
      await row('DN-1', 1, '2026-03-16', 'sent', 'li.na', 'CNY', 1000);
      await row('DN-2', 1, '2026-03-16', 'signed_at_customer', 'li.na', 'CNY', null);
      await row('DN-3', 2, '2026-03-20', 'sent', null, null, 250);
      // Neither counts: filed, and cancelled.
      await row('DN-4', 1, '2026-03-16', 'filed', 'li.na', 'CNY', 7000);
      await row('DN-5', 1, '2026-03-16', 'sent', 'li.na', 'CNY', 9000);
    },
    after: async (client) => {
      expect(await tablesOf(client)).toEqual(expect.arrayContaining(TABLES_ADDED_LATER['0002_ledger_due_totals']!));
      // Read as SQLite's test reads them (migrations.test.ts, 0015_ledger_due_totals); sums are bigint, read as text.
      const groups = () =>
        column(
          client,
          `SELECT json_build_array(customer_id, owner, currency, rows, amount_minor::text, amounts) FROM ledger_outstanding_groups WHERE rows > 0 ORDER BY customer_id, owner, currency`,
        );
      const days = () =>
        column(
          client,
          `SELECT json_build_array(currency, expected_back_date, rows, amount_minor::text, amounts) FROM ledger_outstanding_days WHERE rows > 0 ORDER BY currency, expected_back_date`,
        );
      /** The totals counted afresh from ledger_rows, as the migration starts them: what the triggers must keep. */
      const recounted = async () => ({
        groups: await column(
          client,
          `SELECT json_build_array(customer_id, coalesce(owner, ''), coalesce(currency, ''), count(*), coalesce(sum(amount_minor), 0)::text, count(amount_minor))
             FROM ledger_rows WHERE cancelled_at IS NULL AND custody IN ('sent', 'signed_at_customer')
            GROUP BY customer_id, coalesce(owner, ''), coalesce(currency, '') ORDER BY customer_id, coalesce(owner, ''), coalesce(currency, '')`,
        ),
        days: await column(
          client,
          `SELECT json_build_array(coalesce(currency, ''), expected_back_date, count(*), coalesce(sum(amount_minor), 0)::text, count(amount_minor))
             FROM ledger_rows WHERE cancelled_at IS NULL AND custody IN ('sent', 'signed_at_customer')
            GROUP BY coalesce(currency, ''), expected_back_date ORDER BY coalesce(currency, ''), expected_back_date`,
        ),
      });
      // The rows already there are counted; no owner and no currency are ''.
      expect(await groups()).toEqual([
        [1, 'li.na', 'CNY', 2, '1000', 1],
        [2, '', '', 1, '250', 1],
      ]);
      expect(await days()).toEqual([
        ['', '2026-03-20', 1, '250', 1],
        ['CNY', '2026-03-16', 2, '1000', 1],
      ]);
      // A new outstanding row is added; a row that leaves (filed) or moves (owner, date, amount) follows.
      await client.query(
        `INSERT INTO ledger_rows (slip_no, customer_id, issue_date, expected_back_date, custody, owner, currency, amount_minor, created_at, updated_at)
         VALUES ('DN-6', 2, '2026-03-01', '2026-03-20', 'sent', NULL, NULL, 50, $1, $1)`,
        [NOW],
      );
      await client.query(`UPDATE ledger_rows SET custody = 'filed' WHERE slip_no = 'DN-1'`);
      await client.query(`UPDATE ledger_rows SET owner = 'wang.fang', expected_back_date = '2026-03-18', amount_minor = 300 WHERE slip_no = 'DN-2'`);
      // A change of a column the totals do not count by changes nothing.
      await client.query(`UPDATE ledger_rows SET exception = 'disputed' WHERE slip_no = 'DN-3'`);
      expect(await groups()).toEqual([
        [1, 'wang.fang', 'CNY', 1, '300', 1],
        [2, '', '', 2, '300', 2],
      ]);
      expect(await days()).toEqual([
        ['', '2026-03-20', 2, '300', 2],
        ['CNY', '2026-03-18', 1, '300', 1],
      ]);
      // A total emptied by its last row stays, with zeros, as on SQLite.
      expect(
        await rows(client, `SELECT rows, amount_minor::text AS amount, amounts FROM ledger_outstanding_groups WHERE customer_id = 1 AND owner = 'li.na'`),
      ).toEqual([{ rows: 0, amount: '0', amounts: 0 }]);

      // Cancelling takes a row out (rows are cancelled, never deleted: a DELETE is refused and changes nothing);
      // a row un-filed comes back; setting a column to the value it has changes nothing.
      await client.query(`UPDATE ledger_rows SET cancelled_at = $1 WHERE slip_no = 'DN-6'`, [NOW]);
      await client.query(`UPDATE ledger_rows SET custody = 'sent' WHERE slip_no = 'DN-4'`);
      await client.query(`UPDATE ledger_rows SET currency = currency, owner = owner WHERE customer_id = 1`);
      await expect(client.query(`DELETE FROM ledger_rows WHERE slip_no = 'DN-3'`)).rejects.toThrow(/ledger rows are cancelled, never deleted/);
      expect(await groups()).toEqual([
        [1, 'li.na', 'CNY', 1, '7000', 1],
        [1, 'wang.fang', 'CNY', 1, '300', 1],
        [2, '', '', 1, '250', 1],
      ]);
      expect(await days()).toEqual([
        ['', '2026-03-20', 1, '250', 1],
        ['CNY', '2026-03-16', 1, '7000', 1],
        ['CNY', '2026-03-18', 1, '300', 1],
      ]);

      // Many rows changed by one statement each, amounts past 2^31 summed as bigint: the totals still equal a recount.
      await client.query(
        `INSERT INTO ledger_rows (slip_no, customer_id, issue_date, expected_back_date, custody, owner, currency, amount_minor, created_at, updated_at)
         SELECT 'BULK-' || n, 1 + n % 3, '2026-03-01', '2026-04-' || lpad((1 + n % 28)::text, 2, '0'), CASE WHEN n % 5 = 0 THEN 'filed' ELSE 'sent' END,
                CASE WHEN n % 4 = 0 THEN NULL ELSE 'clerk' || n % 3 END, CASE WHEN n % 7 = 0 THEN NULL ELSE 'CNY' END,
                CASE WHEN n % 6 = 0 THEN NULL ELSE 3000000000 + n END, $1, $1
           FROM generate_series(1, 300) AS n`,
        [NOW],
      );
      await client.query(`UPDATE ledger_rows SET custody = 'signed_at_customer', owner = 'clerk9' WHERE slip_no LIKE 'BULK-%' AND id % 2 = 0`);
      await client.query(`UPDATE ledger_rows SET custody = 'back_at_branch' WHERE slip_no LIKE 'BULK-%' AND id % 3 = 0`);
      await client.query(`UPDATE ledger_rows SET cancelled_at = $1 WHERE slip_no LIKE 'BULK-%' AND id % 11 = 0`, [NOW]);
      await client.query(`UPDATE ledger_rows SET customer_id = 3, currency = 'USD', amount_minor = NULL WHERE slip_no LIKE 'BULK-%' AND id % 13 = 0`);
      await client.query(`UPDATE ledger_rows SET expected_back_date = '2026-05-01', amount_minor = 5000000000 WHERE slip_no LIKE 'BULK-%' AND id % 17 = 0`);
      const expected = await recounted();
      expect(expected.groups.length).toBeGreaterThan(5);
      expect(await groups()).toEqual(expected.groups);
      expect(await days()).toEqual(expected.days);

      expect(await triggersOf(client)).toEqual(
        expect.arrayContaining(['ledger_outstanding_insert', 'ledger_outstanding_update_from', 'ledger_outstanding_update_to']),
      );
      // The summary's group and currency indexes gave way to one of the outstanding rows by date.
      const indexes = await column(client, `SELECT indexname FROM pg_indexes WHERE tablename = 'ledger_rows'`);
      expect(indexes).not.toContain('ledger_rows_outstanding_groups_idx');
      expect(indexes).not.toContain('ledger_rows_outstanding_currency_idx');
      expect(indexes).toContain('ledger_rows_outstanding_by_date_idx');
    },
  },
  // search/pg-search-index.ts: filters meet fielded terms in search_index; rows indexed before get their values copied.
  '0003_search_filters': {
    before: async (client) => {
      await client.query(
        `INSERT INTO documents (id, archive_no, title, type_code, signed_date, amount_minor, status, notes, current_version, created_at, updated_at)
         VALUES (7, 'SV-2026-000007', 'slip', 'delivery_receipt', '2026-03-01', 9000000000, 'filed', '', 1, $1, $1),
                (8, 'SV-2026-000008', 'draft', NULL, NULL, NULL, 'inbox', '', 1, $1, $1)`,
        [NOW],
      );
      await client.query(
        `INSERT INTO search_index (document_id, everything, customer, slip, signer, tags) VALUES (7, '', '', '', '', ''), (8, '', '', '', '', '')`,
      );
    },
    after: async (client) => {
      expect(
        await rows(
          client,
          'SELECT document_id AS id, type_code AS type, signed_date AS date, amount_minor::text AS amount, status FROM search_index ORDER BY 1',
        ),
      ).toEqual([
        { id: 7, type: 'delivery_receipt', date: '2026-03-01', amount: '9000000000', status: 'filed' },
        { id: 8, type: null, date: null, amount: null, status: 'inbox' },
      ]);
      await expect(client.query(`UPDATE search_index SET status = NULL WHERE document_id = 7`)).rejects.toMatchObject({ column: 'status' });
      const indexes = await column(client, `SELECT indexname FROM pg_indexes WHERE tablename = 'search_index'`);
      expect(indexes).toEqual(expect.arrayContaining(['search_index_type_date_idx', 'search_index_date_idx']));
    },
  },
  // ingest/ocr-queue.ts: a claim names its holder and carries a lease, so servers sharing the database put back only dead ones' pages.
  '0004_ocr_job_holders': {
    before: async (client) => {
      await insertHistory(client);
      await client.query(
        `INSERT INTO source_files (id, document_id, blob_hash, filename, mime, size, page_count, imported_at) VALUES (1, 1, 'h', 'a.pdf', 'application/pdf', 1, 2, $1)`,
        [NOW],
      );
      await client.query(`INSERT INTO pages (id, document_id, source_file_id, source_page, position) VALUES (1, 1, 1, 0, 1), (2, 1, 1, 1, 2)`);
      await client.query(`INSERT INTO ocr_jobs (page_id, status, attempts, queued_at, updated_at) VALUES (1, 'ocr', 1, $1, $1), (2, 'queued', 0, $1, $1)`, [
        NOW,
      ]);
    },
    after: async (client) => {
      // A claim made before the migration names no holder and no lease: the queue counts it as expired.
      expect(await rows(client, 'SELECT page_id AS "pageId", status, attempts, holder, lease_until AS "leaseUntil" FROM ocr_jobs ORDER BY page_id')).toEqual([
        { pageId: 1, status: 'ocr', attempts: 1, holder: null, leaseUntil: null },
        { pageId: 2, status: 'queued', attempts: 0, holder: null, leaseUntil: null },
      ]);
      await client.query(
        `UPDATE ocr_jobs SET status = 'preprocessing', attempts = 1, holder = 'host:/files', lease_until = '2026-12-08T01:00:00.000Z' WHERE page_id = 2`,
      );
      expect(await rows(client, 'SELECT holder, lease_until AS "leaseUntil" FROM ocr_jobs WHERE page_id = 2')).toEqual([
        { holder: 'host:/files', leaseUntil: '2026-12-08T01:00:00.000Z' },
      ]);
    },
  },
};

describe('each PostgreSQL migration', () => {
  it('has a check in this file (add one with every new migration)', () => {
    expect(Object.keys(CHECKS).sort()).toEqual(PG_MIGRATIONS.map((migration) => migration.tag).sort());
  });

  PG_MIGRATIONS.forEach((migration, index) => {
    it(`${migration.tag} (schema ${index} → ${index + 1})`, async () => {
      const client = await freshDatabase();
      expect(await migratePg(client, PG_MIGRATIONS.slice(0, index))).toEqual({ from: 0, to: index });
      expect(await pgSchemaVersionOf(client)).toBe(index);
      const check = CHECKS[migration.tag];
      expect(check, `no check for migration ${migration.tag}`).toBeDefined();
      await check!.before?.(client);
      expect(await migratePg(client, PG_MIGRATIONS.slice(0, index + 1))).toEqual({ from: index, to: index + 1 });
      await check!.after(client);
      expect(await migratePg(client, PG_MIGRATIONS.slice(0, index + 1))).toEqual({ from: index + 1, to: index + 1 });
    });
  });

  it('two servers migrating one database at once apply each migration once', async () => {
    const first = await freshDatabase();
    const second = new pg.Client({ connectionString: urls.get(first)! });
    await second.connect();
    clients.push(second);
    const results = await Promise.all([migratePg(first), migratePg(second)]);
    expect(results.map((result) => result.to)).toEqual([PG_SCHEMA_VERSION, PG_SCHEMA_VERSION]);
    expect(await column(first, 'SELECT version FROM slipvault_migrations ORDER BY version')).toEqual(PG_MIGRATIONS.map((_, index) => index + 1));
    expect(await column(first, 'SELECT count(*)::integer FROM document_types')).toEqual([6]);
  });
});

describe('a PostgreSQL database from a newer SlipVault', () => {
  it('is refused with ARCHIVE_FROM_FUTURE before anything is written', async () => {
    const client = await freshDatabase();
    await migratePg(client);
    await client.query(`INSERT INTO slipvault_migrations (version, tag, applied_at) VALUES ($1, '9999_future', $2)`, [PG_SCHEMA_VERSION + 1, NOW]);
    const tablesBefore = await tablesOf(client);
    await expect(migratePg(client)).rejects.toMatchObject({
      code: 'ARCHIVE_FROM_FUTURE',
      details: { schemaVersion: PG_SCHEMA_VERSION + 1, supported: PG_SCHEMA_VERSION },
    });
    expect(await tablesOf(client)).toEqual(tablesBefore);
  });
});

describe('a PostgreSQL migration that fails halfway', () => {
  const broken: Migration = {
    tag: '9999_broken',
    sql: 'CREATE TABLE half_done (x integer);\n--> statement-breakpoint\nTHIS IS NOT SQL AT ALL;\n--> statement-breakpoint\nCREATE TABLE never (y integer);',
  };

  it('leaves the database at the migration before it, with no partial table, and usable', async () => {
    const client = await freshDatabase();
    await expect(migratePg(client, [...PG_MIGRATIONS, broken])).rejects.toThrow(/syntax error/);
    expect(await pgSchemaVersionOf(client)).toBe(PG_SCHEMA_VERSION);
    const tables = await tablesOf(client);
    expect(tables).not.toContain('half_done');
    expect(tables).not.toContain('never');
    expect(await migratePg(client)).toEqual({ from: PG_SCHEMA_VERSION, to: PG_SCHEMA_VERSION });
  });
});

describe('embedded PostgreSQL migrations', () => {
  it('equal what scripts/embed-pg-migrations.mjs renders now (re-run `npm run db:generate:pg` if this fails)', async () => {
    const script = pathToFileURL(join(ROOT, 'scripts/embed-pg-migrations.mjs')).href;
    const { renderEmbeddedPgMigrations } = (await import(script)) as { renderEmbeddedPgMigrations: () => string };
    expect(readFileSync(join(ROOT, 'src/main/core/db/pg/migrations.generated.ts'), 'utf8')).toBe(renderEmbeddedPgMigrations());
  });

  it('match the journal and the SQL files, in order', () => {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
    expect(journal.entries.map((entry) => entry.idx)).toEqual(journal.entries.map((_, index) => index));
    const sqlFiles = readdirSync(MIGRATIONS_DIR)
      .filter((name) => name.endsWith('.sql'))
      .sort();
    expect(sqlFiles).toEqual(journal.entries.map((entry) => `${entry.tag}.sql`).sort());
    expect(PG_MIGRATIONS.map((migration) => migration.tag)).toEqual(journal.entries.map((entry) => entry.tag));
  });
});
