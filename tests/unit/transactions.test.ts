/**
 * Every transaction of the core starts in core/db/transaction.ts, and the one that may write takes the
 * write lock at BEGIN: two real connections to one WAL database file show why a deferred read-then-write
 * transaction is not enough.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { inReadSnapshot, inTransaction } from '../../src/main/core/db/transaction';
import { tempDir } from '../helpers/fixtures';

const root = resolve(__dirname, '../..');
const core = join(root, 'src/main/core');
const HELPER = 'src/main/core/db/transaction.ts';

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

const open: Database.Database[] = [];
afterEach(() => {
  for (const connection of open.splice(0)) connection.close();
});

/** Two connections to one new database with a counter row, configured as core/db/connection.ts does. */
function twoConnections(): [Database.Database, Database.Database] {
  const file = join(tempDir('slipvault-transactions-'), 'test.db');
  const connect = () => {
    const connection = new Database(file);
    connection.pragma('journal_mode = WAL');
    // No waiting: a lock the other connection holds shows at once, as it would after a busy_timeout.
    connection.pragma('busy_timeout = 0');
    open.push(connection);
    return connection;
  };
  const first = connect();
  first.exec('CREATE TABLE counter (value INTEGER NOT NULL); INSERT INTO counter VALUES (0);');
  return [first, connect()];
}

const readCounter = (connection: Database.Database) => connection.prepare('SELECT value FROM counter').pluck().get() as number;
const increment = (connection: Database.Database) => connection.prepare('UPDATE counter SET value = value + 1').run();

describe('transactions', () => {
  it('start only in core/db/transaction.ts', () => {
    const starts = sourcesUnder(core)
      .filter((file) => relative(root, file) !== HELPER)
      .filter((file) => /\bsqlite\s*\.\s*transaction\s*\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(starts).toEqual([]);
  });

  it('a deferred read-then-write fails with SQLITE_BUSY when another connection committed in between', () => {
    const [ours, theirs] = twoConnections();
    const deferred = ours.transaction(() => {
      readCounter(ours);
      increment(theirs);
      increment(ours);
    });
    expect(() => deferred()).toThrow(expect.objectContaining({ code: expect.stringMatching(/^SQLITE_BUSY/) }));
    expect(readCounter(ours)).toBe(1);
  });

  it('inTransaction holds the write lock from the first read, so the other writer waits instead', () => {
    const [ours, theirs] = twoConnections();
    inTransaction(ours, () => {
      const before = readCounter(ours);
      expect(() => increment(theirs)).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
      increment(ours);
      expect(readCounter(ours)).toBe(before + 1);
    });
    increment(theirs);
    expect(readCounter(ours)).toBe(2);
  });

  it('inReadSnapshot reads one moment and keeps no writer waiting', () => {
    const [ours, theirs] = twoConnections();
    const seen = inReadSnapshot(ours, () => {
      const before = readCounter(ours);
      increment(theirs);
      return [before, readCounter(ours)];
    });
    expect(seen).toEqual([0, 0]);
    expect(readCounter(ours)).toBe(1);
  });

  it('nested inTransaction calls roll back with the outer transaction', () => {
    const [ours] = twoConnections();
    expect(() =>
      inTransaction(ours, () => {
        inTransaction(ours, () => increment(ours));
        throw new Error('outer work failed');
      }),
    ).toThrow('outer work failed');
    expect(readCounter(ours)).toBe(0);
  });
});
