/**
 * Every transaction on the PostgreSQL back end starts in core/db/pg/transaction.ts, and what its work throws
 * rolls all of it back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inPgTransaction } from '../../src/main/core/db/pg/transaction';
import { useSharedPgDatabases } from '../helpers/shared-pg-cluster';

const root = resolve(__dirname, '../..');
const HELPER = 'src/main/core/db/pg/transaction.ts';

const pgDatabases = useSharedPgDatabases();
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: await pgDatabases.create() });
  await client.connect();
  await client.query('CREATE TABLE counter (value integer NOT NULL)');
  await client.query('INSERT INTO counter VALUES (0)');
}, 120_000);
afterAll(async () => {
  await client?.end();
});

const counter = async () => (await client.query<{ value: number }>('SELECT value FROM counter')).rows[0]!.value;

describe('PostgreSQL transactions', () => {
  it('start only in core/db/pg/transaction.ts', () => {
    const starts = readdirSync(join(root, 'src/main/core'), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name))
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((file) => relative(root, file) !== HELPER)
      .filter((file) => /query\(\s*['"`](BEGIN|START TRANSACTION|COMMIT|ROLLBACK)/i.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(starts).toEqual([]);
  });

  it('commit what the work did and return its result', async () => {
    const result = await inPgTransaction(client, async () => {
      await client.query('UPDATE counter SET value = value + 1');
      return 'done';
    });
    expect(result).toBe('done');
    expect(await counter()).toBe(1);
  });

  it('roll back all of it when the work throws, and leave the connection usable', async () => {
    await expect(
      inPgTransaction(client, async () => {
        await client.query('UPDATE counter SET value = value + 10');
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await counter()).toBe(1);
    await expect(inPgTransaction(client, () => client.query('SELECT no_such_column FROM counter'))).rejects.toThrow(/no_such_column/);
    expect(await counter()).toBe(1);
  });
});
