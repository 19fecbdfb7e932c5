/**
 * The index rebuild on a worker thread, on both back ends: searches keep answering while it runs, two calls
 * share one run, and a rebuild cut short keeps its committed batches and continues after them. On SQLite also:
 * an index written by an older format is rebuilt automatically when the archive is opened, and FTS5's
 * automatic merging is off while a rebuild writes. Real archive, real worker.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src/shared/events';
import type { ReindexResult, SearchResult } from '../../src/shared/model';
import type { ApiClient } from '../../src/main/core/api';
import { adminClient } from '../helpers/sessions';
import type { Archive } from '../../src/main/core/archive';
import type { PgSyncDatabase } from '../../src/main/core/db/pg-sync/pg-sync-database';
import { PgSearchIndex } from '../../src/main/core/search/pg-search-index';
import { SEARCH_INDEX_FORMAT } from '../../src/main/core/search/search-index';
import { automergeSetting } from '../../src/main/core/search/automerge';
import { generateCorpus } from '../../bench/search-corpus';
import { BACK_ENDS, useBackEnd, type BackEnd } from '../helpers/back-ends';
import { loadCorpusInto } from '../helpers/search-back-ends';
import { tempDir } from '../helpers/fixtures';

const DOCUMENTS = 12_000;

async function total(api: ApiClient, query: string): Promise<number> {
  const result = await api.invoke('search:query', { query, limit: 1 });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return (result.value as SearchResult).total;
}

/**
 * The archive's rebuild run on this thread, as its worker runs it: SearchIndex.reindex on SQLite,
 * PgSearchIndex.reindex on a connection of its own to the database on PostgreSQL.
 */
async function rebuildHere(archive: Archive, backEnd: BackEnd, options: { restart: boolean; beforeEachWrite?: () => void }): Promise<ReindexResult> {
  if (backEnd === 'sqlite') return archive.search.reindex(() => undefined, options);
  const pool = new pg.Pool({ connectionString: (archive.connection.sqlite as unknown as PgSyncDatabase).url, max: 1 });
  try {
    return await new PgSearchIndex(pool).reindex(() => undefined, options);
  } finally {
    await pool.end();
  }
}

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  let dir: string;
  let archive: Archive;

  beforeAll(async () => {
    dir = join(tempDir(), 'archive');
    archive = await backEnd.init(dir, { actor: 'clerk-reindex' });
    loadCorpusInto(archive, generateCorpus(DOCUMENTS));
  });

  afterAll(() => archive.close());

  const stateOf = (key: string) => archive.connection.sqlite.prepare('SELECT value FROM search_state WHERE key = ?').pluck().get(key) as number | undefined;

  describe('reindex on a worker thread', () => {
    it('rebuilds every document with progress while searches on this thread keep answering', async () => {
      const api = await adminClient(archive, 'clerk-reindex');
      const progress: JobProgress[] = [];
      const off = archive.events.subscribe((name, payload) => name === 'jobs:progress' && progress.push(payload as JobProgress));
      let finished = false;
      const rebuilding = api.invoke('search:reindex', { restart: true }).then((result) => {
        finished = true;
        return result;
      });
      const answeredDuring: number[] = [];
      while (!finished) {
        const found = await total(api, '签收'); // throws if the search failed
        if (!finished) answeredDuring.push(found);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      off();
      const rebuilt = await rebuilding;
      expect(rebuilt).toEqual({ ok: true, value: { indexed: DOCUMENTS, total: DOCUMENTS, resumedAfter: 0 } });
      // The main thread was free: it answered several searches before the worker finished.
      expect(answeredDuring.length).toBeGreaterThan(3);
      expect(progress.at(-1)).toMatchObject({ phase: 'reindex', done: DOCUMENTS, total: DOCUMENTS });
      expect(progress.some((entry) => entry.etaMs !== undefined && entry.done < DOCUMENTS)).toBe(true);
      expect(archive.search.isComplete()).toBe(true);
      expect(await total(api, '签收')).toBeGreaterThan(answeredDuring[0]!);
    });

    it('two reindex calls at once share one worker run', async () => {
      const api = await adminClient(archive, 'clerk-reindex');
      const [first, second] = await Promise.all([api.invoke('search:reindex', { restart: true }), api.invoke('search:reindex', { restart: true })]);
      expect(first).toEqual(second);
    });

    it('a rebuild cut short keeps its committed batches, and the next one continues after them', async () => {
      let writes = 0;
      const cutShort = () => {
        writes += 1;
        if (writes === 4) throw new Error('killed');
      };
      await expect(rebuildHere(archive, backEndName, { restart: true, beforeEachWrite: cutShort })).rejects.toThrow('killed');
      expect(archive.search.isComplete()).toBe(false);
      const cursor = stateOf('rebuild_after')!;
      expect(cursor).toBeGreaterThan(0);
      const api = await adminClient(archive, 'clerk-reindex');
      const incomplete = await api.invoke('search:query', { query: '签收', limit: 1 });
      expect(incomplete).toMatchObject({ ok: true, value: { indexComplete: false } });
      const resumed = await api.invoke('search:reindex', { restart: false });
      expect(resumed).toEqual({ ok: true, value: { indexed: DOCUMENTS - cursor, total: DOCUMENTS - cursor, resumedAfter: cursor } });
      expect(archive.search.isComplete()).toBe(true);
      expect(stateOf('rebuild_after')).toBeUndefined();
    });
  });

  describe.runIf(backEndName === 'sqlite')('the index format (SQLite)', () => {
    it('an index of an older format is marked on open and rebuilt in the background once the archive is in use', async () => {
      archive.connection.sqlite.prepare("UPDATE search_state SET value = ? WHERE key = 'format'").run(SEARCH_INDEX_FORMAT - 1);
      archive.connection.sqlite.prepare('DELETE FROM search_index').run(); // what an old format's rows would be to us: useless
      archive.close();
      archive = await backEnd.open(dir, { actor: 'clerk-reindex' });
      expect(archive.search.isComplete()).toBe(false);
      expect(stateOf('format')).toBe(SEARCH_INDEX_FORMAT - 1);
      const done = new Promise<JobProgress>((resolve) => {
        archive.events.subscribe((name, payload) => {
          const progress = payload as JobProgress;
          if (name === 'jobs:progress' && progress.total > 0 && progress.done === progress.total) resolve(progress);
        });
      });
      const api = await adminClient(archive, 'clerk-reindex');
      // The last progress event comes once the rebuild is finished and recorded.
      expect(await done).toMatchObject({ jobId: 'reindex-upgrade', done: DOCUMENTS });
      expect(stateOf('format')).toBe(SEARCH_INDEX_FORMAT);
      expect(archive.search.isComplete()).toBe(true);
      expect(await total(api, '签收')).toBeGreaterThan(0);
      // Opening again does not rebuild again.
      archive.close();
      archive = await backEnd.open(dir, { actor: 'clerk-reindex' });
      expect(archive.search.isComplete()).toBe(true);
    });
  });

  describe.runIf(backEndName === 'sqlite')("FTS5's automatic merging during a rebuild", () => {
    it('is off while the batches are written and on again once the rebuild is recorded', () => {
      const sqlite = archive.connection.sqlite;
      expect(automergeSetting(sqlite)).toBe(4);
      const seen: number[] = [];
      archive.search.reindex(() => undefined, { restart: true, beforeEachWrite: () => seen.push(automergeSetting(sqlite)) });
      // The first look is before the rebuild's first transaction; every later one is between its writes.
      expect(seen[0]).toBe(4);
      expect(seen.length).toBeGreaterThan(DOCUMENTS / 200);
      expect(new Set(seen.slice(1))).toEqual(new Set([0]));
      expect(automergeSetting(sqlite)).toBe(4);
    });

    it('stays off after a rebuild cut short, and comes back when the rebuild is continued to its end', async () => {
      const sqlite = archive.connection.sqlite;
      let writes = 0;
      const cutShort = () => {
        writes += 1;
        if (writes === 4) throw new Error('killed');
      };
      expect(() => archive.search.reindex(() => undefined, { restart: true, beforeEachWrite: cutShort })).toThrow('killed');
      expect(archive.search.isComplete()).toBe(false);
      expect(automergeSetting(sqlite)).toBe(0);
      const api = await adminClient(archive, 'clerk-reindex');
      expect(await total(api, '签收')).toBeGreaterThan(0);
      const resumed = archive.search.reindex(() => undefined, { restart: false });
      expect(resumed.resumedAfter).toBeGreaterThan(0);
      expect(archive.search.isComplete()).toBe(true);
      expect(automergeSetting(sqlite)).toBe(4);
    });
  });
});
