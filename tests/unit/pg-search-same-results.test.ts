/**
 * Search on PostgreSQL finds what search on SQLite finds: one archive (a generated corpus of Chinese and
 * English slips, plus documents with full-width, accented, kana and mixed text) is copied into a PostgreSQL
 * database, both indexes are built, and every query of bench:search's mix and of the query language's
 * corners runs on both. They must agree on the whole result set, the total, the facets and every
 * date-sorted page; ranking differs (bm25 vs ts_rank), so relevance order is not compared.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus, queryMix, type CorpusDocument } from '../../bench/search-corpus';
import { loadCorpus } from '../../bench/search-fixture';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { copyArchiveTables } from '../../src/main/core/db/pg/copy-tables';
import { migratePg } from '../../src/main/core/db/pg/migrate';
import { PgSearchIndex } from '../../src/main/core/search/pg-search-index';
import { tempDir } from '../helpers/fixtures';
import { useSharedPgDatabases } from '../helpers/shared-pg-cluster';

const DOCUMENTS = 1500;

const pgDatabases = useSharedPgDatabases();
let pool: pg.Pool;
let archive: Archive;
let pgSearch: PgSearchIndex;
let queries: string[];

/** Documents whose text exercises normalisation: full-width forms, accents, kana, Latin glued to Chinese. */
function cornerDocuments(firstId: number): CorpusDocument[] {
  const base = { notes: '', customer: 0, type: 'delivery_receipt' as const, signedDate: '2026-04-17', amountMinor: 1208963, tags: ['加急'], voided: false };
  return [
    {
      ...base,
      id: firstId,
      title: 'Café Müller 签收单',
      slipNo: 'ＳＯ－２０２６－０４１７',
      signer: '张伟',
      pages: ['ＰＡＬＬＥＴ １２个 已签收回单\n金额 12,089.63 元'],
    },
    {
      ...base,
      id: firstId + 1,
      title: 'カタカナ 納品書',
      slipNo: 'DN-2026-0418',
      signer: 'Tanaka',
      pages: ['納品書 数量 12089.63 pallet-42 X光'],
      amountMinor: null,
    },
    { ...base, id: firstId + 2, title: '合同ABC123编号', slipNo: null, signer: null, pages: ['甲方乙方 cafe muller 签字确认'], voided: true, tags: [] },
    { ...base, id: firstId + 3, title: '送货单', slipNo: 'SO-2026-0419', signer: '李娜', pages: [], notes: '张 伟 分开写的名字', customer: null, type: null },
  ];
}

beforeAll(async () => {
  archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk' });
  const corpus = generateCorpus(DOCUMENTS);
  corpus.documents.push(...cornerDocuments(DOCUMENTS + 1));
  loadCorpus(archive.connection.sqlite, corpus);
  archive.search.reindex(() => undefined, { restart: true });

  pool = new pg.Pool({ connectionString: await pgDatabases.create(), max: 2 });
  const client = await pool.connect();
  try {
    await migratePg(client);
    await copyArchiveTables(archive.connection.sqlite, client);
  } finally {
    client.release();
  }
  pgSearch = new PgSearchIndex(pool);
  await pgSearch.reindex(() => undefined, { restart: true });

  const customer = corpus.customers.find((candidate) => !/[a-z]/i.test(candidate.name))!.name;
  const alias = corpus.customers.find((candidate) => candidate.aliases.length > 0)!.aliases[0]!;
  queries = [
    ...new Set([
      ...queryMix(corpus).map((query) => query.query),
      // Chinese inside words, single characters, phrases, names split by spaces.
      '签收',
      '收',
      '已签收回单',
      '"张伟"',
      '张伟',
      '"张 伟"',
      '收货人 签字',
      '"收货人签字"',
      // Normalisation: full-width, case, accents, kana, Latin glued to Chinese.
      'pallet',
      'ＰＡＬＬＥＴ',
      'PALLET 12',
      'cafe',
      'Café',
      'muller',
      'カタカナ',
      '納品',
      'abc123',
      '合同abc',
      'X光',
      // Prefixes and slip numbers.
      'pall*',
      'SO-2026-04*',
      'so-2026-0417',
      'SO*',
      '"pallet 42"',
      // Exclusions, alone and with words.
      'pallet -carton',
      '-pallet',
      '签收 -"货物已签收"',
      '-customer:华',
      // Fields.
      `customer:${customer.slice(0, 2)}`,
      `customer:${alias}`,
      'signer:张',
      'signer:tanaka',
      'tag:加急',
      'tag:urgent -tag:vip',
      'slip:SO-2026*',
      'slip:0417',
      // Status, type, dates, amounts, plain amounts.
      'status:voided',
      'status:voided 甲方',
      '-status:filed',
      'status:filed status:voided pallet',
      'type:contract',
      'type:合同 签字',
      '-type:invoice 回单',
      'date:2025-03',
      'date:2024-01-01..2024-02-15 pallet',
      'amount:>40000',
      'amount:<=500 type:other',
      '12,089.63',
      '12089.63',
      'sort:date 签收',
      'sort:date-asc customer:华南',
    ]),
  ];
}, 300_000);

afterAll(async () => {
  archive?.close();
  await pool?.end();
});

describe('search on PostgreSQL and on SQLite', () => {
  it('match the same documents for every query', async () => {
    const differences: { query: string; sqlite: number; pg: number }[] = [];
    let nonEmpty = 0;
    for (const query of queries) {
      const expected = archive.search.matchingIds(query);
      const actual = await pgSearch.matchingIds(query);
      if (expected.length > 0) nonEmpty += 1;
      if (JSON.stringify(actual) !== JSON.stringify(expected)) differences.push({ query, sqlite: expected.length, pg: actual.length });
    }
    expect(differences).toEqual([]);
    // The comparison means something only if most queries find documents.
    expect(nonEmpty).toBeGreaterThan(queries.length * 0.8);
  });

  it('find the corner documents by their normalised text', async () => {
    const ids = async (query: string) => (await pgSearch.matchingIds(query)).filter((id) => id > DOCUMENTS);
    expect(await ids('ＰＡＬＬＥＴ')).toEqual([DOCUMENTS + 1, DOCUMENTS + 2]);
    expect(await ids('cafe muller')).toEqual([DOCUMENTS + 1]);
    expect(await ids('status:voided cafe')).toEqual([DOCUMENTS + 3]);
    expect(await ids('so-2026-0417')).toEqual([DOCUMENTS + 1]);
    // 1501 and 1504 by amount, 1502 by its text; 1503 is voided.
    expect(await ids('12,089.63')).toEqual([DOCUMENTS + 1, DOCUMENTS + 2, DOCUMENTS + 4]);
    expect(await ids('"张伟"')).toEqual([DOCUMENTS + 1]);
  });

  it('give the same totals, facets and date-sorted pages', async () => {
    for (const query of queries) {
      for (const sort of ['date', 'date-asc'] as const) {
        const expected = archive.search.search({ query, sort, limit: 20, offset: 10, facets: true });
        const actual = await pgSearch.search({ query, sort, limit: 20, offset: 10, facets: true });
        expect({ query, sort, total: actual.total, facets: actual.facets }).toEqual({ query, sort, total: expected.total, facets: expected.facets });
        expect(
          actual.hits.map((hit) => hit.document),
          `${query} (${sort})`,
        ).toEqual(expected.hits.map((hit) => hit.document));
        expect(
          actual.hits.map((hit) => ({ snippet: hit.snippet, pages: hit.pages })),
          `${query} (${sort})`,
        ).toEqual(expected.hits.map((hit) => ({ snippet: hit.snippet, pages: hit.pages })));
      }
    }
  });

  it('give the same relevance-sorted set of a whole page', async () => {
    const query = 'customer:华南 pallet';
    const expected = archive.search.search({ query, limit: 500, offset: 0, facets: false });
    const actual = await pgSearch.search({ query, limit: 500, offset: 0, facets: false });
    expect(actual.total).toBe(expected.total);
    expect(actual.hits.map((hit) => hit.document.id).sort((a, b) => a - b)).toEqual(expected.hits.map((hit) => hit.document.id).sort((a, b) => a - b));
  });

  it('count every match in the statement that ranks the page, on every page', async () => {
    // Offset 0 ranks among the newest matches; offset 2,000 ranks all of them; offset 5,000 is past every total.
    for (const offset of [0, 2000, 5000]) {
      for (const query of queries) {
        const expected = archive.search.search({ query, limit: 20, offset, facets: false });
        const actual = await pgSearch.search({ query, limit: 20, offset, facets: false });
        expect({ query, offset, total: actual.total, hits: actual.hits.length }).toEqual({ query, offset, total: expected.total, hits: expected.hits.length });
      }
    }
    // Paging to the end by relevance lists each match once.
    const query = '签收';
    const seen: number[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await pgSearch.search({ query, limit: 100, offset, facets: false });
      if (page.hits.length === 0) break;
      seen.push(...page.hits.map((hit) => hit.document.id));
    }
    expect(seen.sort((a, b) => a - b)).toEqual(archive.search.matchingIds(query));
    // A page reaching past the newest 2,000 ranks every match.
    const whole = await pgSearch.search({ query, limit: 2001, offset: 0, facets: false });
    expect(whole.hits.map((hit) => hit.document.id).sort((a, b) => a - b)).toEqual(archive.search.matchingIds(query));
    expect(whole.hits.map((hit) => hit.score)).toEqual(whole.hits.map((hit) => hit.score).sort((a, b) => b - a));
  });

  it('refuse the same bad queries with the same message', async () => {
    for (const query of ['type:nonsense', '"unclosed', 'amount:>abc']) {
      let sqliteError: unknown;
      try {
        archive.search.matchingIds(query);
      } catch (error) {
        sqliteError = error;
      }
      expect(sqliteError, query).toBeDefined();
      await expect(pgSearch.matchingIds(query)).rejects.toMatchObject({
        code: (sqliteError as { code: string }).code,
        message: (sqliteError as Error).message,
      });
    }
  });

  it('say the index is incomplete while a rebuild is unfinished, with or without matches', async () => {
    await pool.query("INSERT INTO search_state (key, value) VALUES ('rebuild_after', 10)");
    try {
      expect((await pgSearch.search({ query: '签收', limit: 20, offset: 0, facets: false })).indexComplete).toBe(false);
      expect((await pgSearch.search({ query: 'zebra', limit: 20, offset: 0, facets: false })).indexComplete).toBe(false);
    } finally {
      await pool.query("DELETE FROM search_state WHERE key = 'rebuild_after'");
    }
    expect((await pgSearch.search({ query: '签收', limit: 20, offset: 0, facets: false })).indexComplete).toBe(true);
  });

  // Last: it changes the PostgreSQL side only.
  it('follows a change once indexDocuments runs in the transaction that writes it', async () => {
    const id = DOCUMENTS + 4;
    expect(await pgSearch.matchingIds('麒麟')).toEqual([]);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE documents SET title = '麒麟 送货单', status = 'voided' WHERE id = $1`, [id]);
      await pgSearch.indexDocuments(client, [id]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await pgSearch.matchingIds('麒麟')).toEqual([]);
    expect(await pgSearch.matchingIds('status:voided 麒麟')).toEqual([id]);
    expect(await pgSearch.matchingIds('送货单 status:voided')).toContain(id);
    expect(await pgSearch.matchingIds('送货单')).not.toContain(id);

    // Type, date, amount and status filters beside a fielded term read search_index's copies: they follow too.
    const filtered = 'signer:李娜 type:contract date:2031-05 amount:>5000 status:voided';
    expect(await pgSearch.matchingIds(filtered)).toEqual([]);
    const writer = await pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE documents SET type_code = 'contract', signed_date = '2031-05-02', amount_minor = 600000 WHERE id = $1`, [id]);
      await pgSearch.indexDocuments(writer, [id]);
      await writer.query('COMMIT');
    } finally {
      writer.release();
    }
    expect(await pgSearch.matchingIds(filtered)).toEqual([id]);
    expect(await pgSearch.matchingIds('signer:李娜 type:contract date:2031-05')).toEqual([]);
  });
});
