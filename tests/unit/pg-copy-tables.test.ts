/**
 * Copying a SQLite archive's rows into PostgreSQL (copy-tables.ts) where PostgreSQL's triggers write tables of
 * their own: the due summary's running totals, which ledger_rows' triggers keep. The copy holds the archive's
 * totals exactly (emptied ones included), neither refused as duplicates nor counted twice, and the triggers
 * go on from there.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/main/core/db/migrate';
import { copyArchiveTables } from '../../src/main/core/db/pg/copy-tables';
import { migratePg } from '../../src/main/core/db/pg/migrate';
import { useSharedPgDatabases } from '../helpers/shared-pg-cluster';

const pgDatabases = useSharedPgDatabases();
let client: pg.Client | undefined;
let sqlite: Database.Database | undefined;

afterAll(async () => {
  sqlite?.close();
  await client?.end();
});

const GROUPS = 'SELECT customer_id, owner, currency, rows, amount_minor, amounts FROM ledger_outstanding_groups ORDER BY 1, 2, 3';
const DAYS = 'SELECT currency, expected_back_date, rows, amount_minor, amounts FROM ledger_outstanding_days ORDER BY 1, 2';
/** bigint sums come back from pg as text; SQLite's as numbers. */
const amountsAsNumbers = (rows: Record<string, unknown>[]) => rows.map((row) => ({ ...row, amount_minor: Number(row.amount_minor) }));

describe('copying an archive with ledger rows onto PostgreSQL', () => {
  it('copies the running totals as they are, once, and the triggers keep them from there', async () => {
    sqlite = new Database(':memory:');
    migrate(sqlite);
    sqlite.prepare(`INSERT INTO customers (id, name, created_at) VALUES (1, 'a', 'now'), (2, 'b', 'now')`).run();
    const row = sqlite.prepare(
      `INSERT INTO ledger_rows (slip_no, customer_id, issue_date, expected_back_date, custody, owner, currency, amount_minor, created_at, updated_at)
       VALUES (?, ?, '2026-03-01', ?, 'sent', ?, 'CNY', ?, 'now', 'now')`,
    );
    row.run('A1', 1, '2026-03-16', 'li.na', 1000);
    row.run('A2', 1, '2026-03-16', 'li.na', 3_000_000_000);
    row.run('A3', 2, '2026-03-17', null, null);
    // Totals emptied by their last row stay, with zeros.
    sqlite.prepare(`UPDATE ledger_rows SET owner = 'wang.fang' WHERE slip_no = 'A3'`).run();
    sqlite.prepare(`UPDATE ledger_rows SET custody = 'filed' WHERE slip_no = 'A3'`).run();

    client = new pg.Client({ connectionString: await pgDatabases.create() });
    await client.connect();
    await migratePg(client);
    const copied = await copyArchiveTables(sqlite, client);
    expect(copied).toMatchObject({ ledger_rows: 3, ledger_outstanding_groups: 3, ledger_outstanding_days: 2 });
    expect(amountsAsNumbers((await client.query(GROUPS)).rows)).toEqual(sqlite.prepare(GROUPS).all());
    expect(amountsAsNumbers((await client.query(DAYS)).rows)).toEqual(sqlite.prepare(DAYS).all());

    await client.query(`UPDATE ledger_rows SET custody = 'filed' WHERE slip_no = 'A1'`);
    expect((await client.query(`SELECT rows, amount_minor::text AS amount FROM ledger_outstanding_groups WHERE customer_id = 1`)).rows).toEqual([
      { rows: 1, amount: '3000000000' },
    ]);
  }, 60_000);
});
