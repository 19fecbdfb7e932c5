/**
 * The archive's own connection writes before the reindex worker (core/db/write-priority.ts): while one of
 * its write transactions is pending, the real worker starts none of its own, and its writes resume as soon
 * as the transaction ends.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { inTransaction } from '../../src/main/core/db/transaction';
import { writePriorityCounter } from '../../src/main/core/db/write-priority';
import { generateCorpus } from '../../bench/search-corpus';
import { loadCorpus } from '../../bench/search-fixture';
import { tempDir } from '../helpers/fixtures';

const DOCUMENTS = 8_000;
let archive: Archive;

beforeAll(async () => {
  archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-priority' });
  loadCorpus(archive.connection.sqlite, generateCorpus(DOCUMENTS));
});

afterAll(() => archive.close());

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const cursor = () => archive.connection.sqlite.prepare("SELECT value FROM search_state WHERE key = 'rebuild_after'").pluck().get() as number | undefined;

describe('write priority over the reindex worker', () => {
  it('counts pending write transactions, nested ones too, and lowers the count when one throws', () => {
    const sqlite = archive.connection.sqlite;
    const counter = writePriorityCounter(sqlite);
    const seen: number[] = [];
    inTransaction(sqlite, () => {
      seen.push(Atomics.load(counter, 0));
      inTransaction(sqlite, () => seen.push(Atomics.load(counter, 0)));
    });
    expect(seen).toEqual([1, 2]);
    expect(() =>
      inTransaction(sqlite, () => {
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(Atomics.load(counter, 0)).toBe(0);
  });

  it('holds the worker back while a write of this thread is pending, then lets it finish', async () => {
    const counter = writePriorityCounter(archive.connection.sqlite);
    let reported = 0;
    const rebuilding = archive.search.reindexInBackground({ restart: true, onProgress: ({ done }) => (reported = done) });
    while (reported === 0) await sleep(5);
    // Raised by hand, for as long as a slow write transaction of this thread would keep it raised. The batch
    // the worker had already begun may still commit; after that, nothing moves.
    Atomics.add(counter, 0, 1);
    await sleep(300);
    const held = cursor();
    await sleep(500);
    const stillHeld = cursor();
    Atomics.sub(counter, 0, 1);
    Atomics.notify(counter, 0);
    const result = await rebuilding;

    expect(held).toBeLessThan(DOCUMENTS);
    expect(stillHeld).toBe(held);
    expect(result).toEqual({ indexed: DOCUMENTS, total: DOCUMENTS, resumedAfter: 0 });
    expect(archive.search.isComplete()).toBe(true);
  });
});
