/**
 * The synchronous PostgreSQL connection across a server restart: while the server is down every statement
 * and transaction fails as SERVER_UNREACHABLE (never a raw libpq error), and once it is back the same
 * connection object works again — what a long-running `slipvault serve --db` needs to outlive a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgSyncDatabase } from '../../src/main/core/db/pg-sync/pg-sync-database';
import { SlipVaultError } from '../../src/shared/errors';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

function failure(work: () => unknown): SlipVaultError {
  try {
    work();
  } catch (error) {
    if (error instanceof SlipVaultError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('PgSyncDatabase across a PostgreSQL restart', () => {
  it('fails as SERVER_UNREACHABLE while the server is down and works again once it is back', async () => {
    const database = new PgSyncDatabase(await cluster.createDatabase('reconnect'), 'the test database');
    database.exec('CREATE TABLE notes (id integer PRIMARY KEY, text text NOT NULL)');
    const insert = database.prepare('INSERT INTO notes (id, text) VALUES (?, ?)');
    database.transaction(() => insert.run(1, 'before'))();
    const count = database.prepare('SELECT count(*) FROM notes').pluck();

    await cluster.halt();
    try {
      // The first statement finds the session ended by the shutdown; the next ones find nothing listening.
      for (const attempt of [() => database.transaction(() => insert.run(2, 'while down')).immediate(), () => count.get(), () => insert.run(3, 'x')]) {
        const refused = failure(attempt);
        expect(refused.code).toBe('SERVER_UNREACHABLE');
        expect(refused.message).toContain('The connection to PostgreSQL at the test database was lost');
      }
      expect(database.inTransaction).toBe(false);
    } finally {
      await cluster.resume();
    }

    expect(count.get()).toBe(1);
    database.transaction(() => insert.run(4, 'after'))();
    expect(database.prepare('SELECT id FROM notes ORDER BY id').pluck().all()).toEqual([1, 4]);
    database.close();
  }, 60_000);

  it('starts a transaction on a new connection when the server ended the old one in between', async () => {
    const database = new PgSyncDatabase(await cluster.createDatabase('restarted'), 'the test database');
    database.exec('CREATE TABLE notes (id integer PRIMARY KEY)');
    await cluster.halt();
    await cluster.resume();
    // Nothing of a transaction reaches a dropped connection, so starting it once more loses nothing.
    database.transaction(() => database.prepare('INSERT INTO notes (id) VALUES (?)').run(1)).immediate();
    expect(database.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(1);
    database.close();
  }, 60_000);
});
