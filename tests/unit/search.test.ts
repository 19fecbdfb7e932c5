/**
 * Search semantics (README "Search"), each rule on real documents in a real archive, through the contract, on both
 * back ends.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import type { OcrWord, SearchResult } from '../../src/shared/model';
import type { ApiClient } from '../../src/main/core/api';
import { adminClient } from '../helpers/sessions';
import type { Archive } from '../../src/main/core/archive';
import { compileTerms, wordBoxesForTerms } from '../../src/main/core/search/highlight';
import { parseQuery } from '../../src/main/core/search/query-parser';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { tempDir, writeJpeg } from '../helpers/fixtures';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  let archive: Archive;
  let api: ApiClient;
  let files: string;
  const ids: Record<string, string> = {};

  async function ok<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const result = await api.invoke(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value as OutputOf<M>;
  }

  async function search(query: string, extra: Partial<InputOf<'search:query'>> = {}): Promise<SearchResult> {
    return ok('search:query', { query, ...extra });
  }

  /** The keys (see `file`) of the documents a query finds, sorted. */
  async function found(query: string): Promise<string[]> {
    const result = await search(query, { limit: 200 });
    const byArchiveNo = new Map(Object.entries(ids).map(([key, archiveNo]) => [archiveNo, key]));
    return result.hits.map((hit) => byArchiveNo.get(hit.archiveNo)!).sort();
  }

  async function file(key: string, changes: InputOf<'documents:edit'>['changes']): Promise<void> {
    const imported = await ok('documents:import', { paths: [await writeJpeg(files, `${key}.jpg`)] });
    const archiveNo = imported.imported[0]!.document.archiveNo;
    ids[key] = archiveNo;
    await ok('documents:edit', { ref: archiveNo, changes });
  }

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-search' });
    api = await adminClient(archive);
    files = tempDir('slipvault-search-files-');
    await file('delivery', {
      title: '送货单 SO-2026-0417',
      customer: '华南贸易有限公司',
      type: 'delivery_receipt',
      signedDate: '2026-03-05',
      slipNo: 'SO-2026-0417',
      amount: '1200.50',
      signer: '张伟',
      tags: ['urgent', '华南'],
      notes: '货物已签收，包装完好。Pallet count checked.',
    });
    await file('contract', {
      title: 'Supply contract 供货合同',
      customer: 'Acme Trading',
      type: 'contract',
      signedDate: '2025-11-20',
      slipNo: 'CT-2025-0099',
      amount: '88000',
      signer: 'John Smith',
      tags: ['legal'],
      notes: '合同签字页，甲方乙方已盖章。Invoice INV-7781 attached.',
    });
    await file('fullwidth', {
      title: 'ＡＢＣ１２３ 回单',
      customer: '张三五金店',
      type: 'signed_back',
      signedDate: '2026-01-15',
      slipNo: 'SO-2026-0501',
      amount: '35.00',
      notes: '签 收 spaced apart; Café receipt',
    });
    await file('voided', { title: '作废的送货单', notes: '签收 duplicate scan', signedDate: '2026-02-01' });
    await ok('documents:void', { ref: ids.voided!, reason: 'scanned twice' });
  });

  afterAll(() => archive.close());

  describe('normalisation', () => {
    it('full-width and half-width, upper and lower case find each other (NFKC + case folding)', async () => {
      expect(await found('abc123')).toEqual(['fullwidth']);
      expect(await found('ＡＢＣ１２３')).toEqual(['fullwidth']);
      expect(await found('ＳＯ－２０２６－０４１７')).toEqual(['delivery']);
      expect(await found('CAFE')).toEqual(['fullwidth']);
    });
  });

  describe('Chinese', () => {
    it('finds one character, two characters and longer runs anywhere inside Chinese text', async () => {
      expect(await found('张')).toEqual(['delivery', 'fullwidth']); // 张伟 (signer), 张三五金店 (customer)
      expect(await found('签收')).toEqual(['delivery']); // 已签收 inside a run; "签 收" is not adjacent
      expect(await found('合同')).toEqual(['contract']);
      expect(await found('华南贸易有限')).toEqual(['delivery']);
      expect(await found('甲方乙方已盖章')).toEqual(['contract']);
      expect(await found('章')).toEqual(['contract']); // the last character of a run
    });

    it('characters separated by a space or punctuation are not one run', async () => {
      expect(await found('"签 收"')).toEqual(['fullwidth']);
      expect(await found('签收包装')).toEqual([]); // "签收，包装" has a comma between
      expect(await found('贸易公司')).toEqual([]);
    });

    it('mixes Chinese, Latin and digits in one term', async () => {
      expect(await found('供货合同')).toEqual(['contract']);
      expect(await found('"contract 供货"')).toEqual(['contract']);
      expect(await found('"contract 货合"')).toEqual([]); // 货合 does not directly follow "contract"
    });
  });

  describe('Latin and digits', () => {
    it('match whole words; a trailing * matches a prefix; punctuation only separates', async () => {
      expect(await found('pallet')).toEqual(['delivery']);
      expect(await found('pall')).toEqual([]);
      expect(await found('pall*')).toEqual(['delivery']);
      expect(await found('SO-2026-04*')).toEqual(['delivery']);
      expect(await found('SO-2026*')).toEqual(['delivery', 'fullwidth']);
      expect(await found('inv-7781')).toEqual(['contract']);
      expect(await found('"count checked"')).toEqual(['delivery']);
      expect(await found('"checked count"')).toEqual([]);
    });

    it('all words must match; -word excludes', async () => {
      expect(await found('签 pallet')).toEqual(['delivery']);
      expect(await found('签 -pallet')).toEqual(['contract', 'fullwidth']);
      expect(await found('-签')).toEqual([]);
    });
  });

  describe('fields and ranges', () => {
    it('customer: matches the name and aliases; tag: signer: slip: only their field', async () => {
      expect(await found('customer:华南')).toEqual(['delivery']);
      expect(await found('华南')).toEqual(['delivery']);
      expect(await found('customer:acme')).toEqual(['contract']);
      expect(await found('signer:张')).toEqual(['delivery']);
      expect(await found('tag:urgent')).toEqual(['delivery']);
      expect(await found('tag:华南 customer:华南')).toEqual(['delivery']);
      expect(await found('slip:0099')).toEqual(['contract']);
      expect(await found('slip:INV*')).toEqual([]);
      expect(await found('-customer:acme 签')).toEqual(['delivery', 'fullwidth']);
    });

    it('type: status: date: amount:', async () => {
      expect(await found('type:contract')).toEqual(['contract']);
      expect(await found('type:送货单')).toEqual(['delivery']);
      expect(await found('-type:contract')).toEqual(['delivery', 'fullwidth']);
      expect(await found('status:voided')).toEqual(['voided']);
      expect(await found('date:2026-01-01..2026-03-31')).toEqual(['delivery', 'fullwidth']);
      expect(await found('date:2026-03')).toEqual(['delivery']);
      expect(await found('date:..2025')).toEqual(['contract']);
      expect(await found('amount:>1000')).toEqual(['contract', 'delivery']);
      expect(await found('amount:>=1200.50')).toEqual(['contract', 'delivery']);
      expect(await found('amount:<1200.50')).toEqual(['fullwidth']);
      expect(await found('amount:35..1200.5')).toEqual(['delivery', 'fullwidth']);
      expect(await found('amount:1200.50 date:2026')).toEqual(['delivery']);
    });
  });

  describe('results', () => {
    it('mark the match in a snippet, count facets, sort and paginate', async () => {
      const result = await search('签收');
      const hit = result.hits[0]!;
      expect(hit.archiveNo).toBe(ids.delivery);
      expect(hit.snippet?.field).toBe('notes');
      const [start, end] = hit.snippet!.marks[0]!;
      expect(hit.snippet!.text.slice(start, end)).toBe('签收');
      expect(hit.score).toBeGreaterThan(0);

      const all = await search('', { sort: 'date', facets: true });
      expect(all.total).toBe(3);
      expect(all.hits.map((h) => h.archiveNo)).toEqual([ids.delivery, ids.fullwidth, ids.contract]);
      expect(all.facets.year).toEqual([
        { value: '2026', count: 2 },
        { value: '2025', count: 1 },
      ]);
      expect(all.facets.type.map((facet) => facet.value).sort()).toEqual(['contract', 'delivery_receipt', 'signed_back']);
      expect(all.facets.customer).toContainEqual({ value: '华南贸易有限公司', count: 1 });
      const oldestFirst = await search('sort:date-asc', { limit: 1, offset: 1 });
      expect(oldestFirst.hits.map((h) => h.archiveNo)).toEqual([ids.fullwidth]);
      expect(oldestFirst.total).toBe(3);
      const withWords = await search('签', { facets: true });
      expect(withWords.total).toBe(3);
      expect(withWords.facets.year).toEqual([
        { value: '2026', count: 2 },
        { value: '2025', count: 1 },
      ]);
      expect((await search('签')).facets).toEqual({ customer: [], type: [], year: [] }); // counted only when asked
      // The sidebar's own call counts the same, for words and for field filters alike.
      expect(await ok('search:facets', { query: '签' })).toEqual({ total: 3, facets: withWords.facets });
      const contractsOnly = await ok('search:facets', { query: 'type:contract' });
      expect(contractsOnly.total).toBe(1);
      expect(contractsOnly.facets.type).toEqual([{ value: 'contract', count: 1 }]);
      expect(await ok('search:facets', { query: 'nosuchwordanywhere' })).toEqual({ total: 0, facets: { customer: [], type: [], year: [] } });
      const malformed = await api.invoke('search:facets', { query: '"unclosed' });
      expect(malformed.ok ? null : [malformed.error.code, malformed.error.message]).toEqual(['VALIDATION', expect.stringMatching(/never closed/)]);
    });

    it('name the pages whose text matched; page text is indexed by reindex and by every new version', async () => {
      const detail = await ok('documents:get', { ref: ids.contract! });
      const pageId = detail.pages[0]!.pageId;
      // OCR writes page text; here it is written as OCR would and the index brought up to date.
      archive.connection.sqlite.prepare('UPDATE pages SET text = ? WHERE id = ?').run('第一页：收货人签字 Receiver signature', pageId);
      expect(await found('收货人')).toEqual([]);
      await ok('search:reindex', { restart: true });
      expect(await found('收货人')).toEqual(['contract']);
      const hit = (await search('收货人')).hits[0]!;
      expect(hit.pages).toEqual([{ pageId, position: 1, boxes: [] }]);
      expect(hit.snippet?.field).toBe('page');

      // With OCR words stored for the page (as OCR stores them), the hit carries the boxes of the words that matched.
      const box = (x: number) => ({ x0: x, y0: 5, x1: x + 20, y1: 25 });
      const word = (text: string, x: number): OcrWord => ({ text, bbox: [x, 5, x + 20, 25], confidence: 90 });
      const words = [word('第一页：', 0), word('收货', 30), word('人签字', 60), word('Receiver', 90)];
      archive.connection.sqlite
        .prepare('INSERT INTO page_ocr (page_id, source, confidence, words, recognised_at) VALUES (?, ?, ?, ?, ?)')
        .run(pageId, 'ocr', 90, JSON.stringify(words), new Date().toISOString());
      const boxed = (await search('收货人 receiver', { limit: 5 })).hits[0]!;
      expect(boxed.pages).toEqual([{ pageId, position: 1, boxes: [box(30), box(60), box(90)] }]);
    });
  });

  describe('the index follows every version in the same transaction', () => {
    it('an edit, a restore and a void are searchable as soon as they return', async () => {
      await file('restorable', { title: 'Original 原始标题', notes: 'first wording' });
      expect(await found('原始')).toEqual(['restorable']);
      await ok('documents:edit', { ref: ids.restorable!, changes: { title: 'Renamed 新标题', notes: 'second wording' } });
      expect(await found('原始')).toEqual([]);
      expect(await found('新标题')).toEqual(['restorable']);
      await ok('documents:restoreVersion', { ref: ids.restorable!, version: 2 });
      expect(await found('原始')).toEqual(['restorable']);
      expect(await found('新标题')).toEqual([]);
      await ok('documents:void', { ref: ids.restorable!, reason: 'test' });
      expect(await found('原始')).toEqual([]);
      expect(await found('原始 status:voided')).toEqual(['restorable']);
    });

    it('a refused change leaves the index as it was', async () => {
      const before = await search('华南贸易');
      const refused = await api.invoke('documents:edit', { ref: ids.delivery!, changes: { type: 'no_such_type', title: '别的标题' } });
      expect(refused.ok).toBe(false);
      expect(await found('别的标题')).toEqual([]);
      expect((await search('华南贸易')).hits.map((h) => h.archiveNo)).toEqual(before.hits.map((h) => h.archiveNo));
    });
  });

  describe('malformed queries', () => {
    it.each([
      ['"unclosed phrase', /character 1 .*never closed/],
      ['签收 colour:red', /character 4 \("colour:red"\).*no field "colour:"/],
      ['date:2026-02-30', /not a real calendar date/],
      ['date:2026-03-01..2026-01-01', /starts after it ends/],
      ['amount:>lots', /"lots" is not an amount/],
      ['status:lost', /status is one of inbox, filed, voided/],
      ['sort:name', /sort is one of relevance, date, date-asc/],
      ['a*b', /at the end of a word/],
      ['type:banana', /no document type "banana"/],
    ])('%s → a VALIDATION error naming the bad part', async (query, message) => {
      const result = await api.invoke('search:query', { query });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('VALIDATION');
        expect(result.error.message).toMatch(message);
      }
    });

    it('any input either parses or is a VALIDATION error, and a search never fails otherwise (fuzzed)', async () => {
      const pieces = fc.constantFrom(
        '"',
        '-',
        '*',
        ':',
        '..',
        '>',
        '(',
        ')',
        '{',
        '}',
        '^',
        'NOT',
        'OR',
        'customer:',
        'date:',
        'amount:',
        'type:',
        'sort:',
        '签收',
        'so',
        '2026',
        ' ',
        '\u3000',
        '＊',
        "'",
        'NEAR(',
      );
      const query = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join('')),
        fc.string({ unit: 'grapheme', maxLength: 30 }),
      );
      await fc.assert(
        fc.asyncProperty(query, async (text) => {
          const result = await api.invoke('search:query', { query: text, limit: 5 });
          if (!result.ok) {
            expect(result.error.code).toBe('VALIDATION');
            expect(result.error.message).not.toMatch(/fts5|sqlite|tsquery|postgres|syntax error/i);
          }
        }),
        { numRuns: 400 },
      );
      fc.assert(
        fc.property(fc.string({ maxLength: 60 }), (text) => {
          try {
            parseQuery(text);
          } catch (error) {
            expect((error as { code?: string }).code).toBe('VALIDATION');
          }
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe('saved searches', () => {
    it('are saved by name, run with current results, replaced, removed and audited', async () => {
      const saved = await ok('savedSearches:save', { name: '本月签收', query: '签收 date:2026-03' });
      expect(saved.query).toBe('签收 date:2026-03');
      expect((await ok('savedSearches:run', { name: '本月签收' })).hits.map((h) => h.archiveNo)).toEqual([ids.delivery]);
      await ok('savedSearches:save', { name: '本月签收', query: 'type:contract' });
      expect((await ok('savedSearches:list', {})).map((s) => [s.name, s.query])).toEqual([['本月签收', 'type:contract']]);
      const bad = await api.invoke('savedSearches:save', { name: 'broken', query: '"open' });
      expect(bad.ok).toBe(false);
      await ok('savedSearches:remove', { name: '本月签收' });
      expect(await ok('savedSearches:list', {})).toEqual([]);
      const gone = await api.invoke('savedSearches:run', { name: '本月签收' });
      expect(!gone.ok && gone.error.code).toBe('NOT_FOUND');
      const actions = (await ok('audit:list', { limit: 1000 })).map((event) => event.action);
      expect(actions).toEqual(expect.arrayContaining(['search.saved.create', 'search.saved.update', 'search.saved.remove']));
    });
  });

  describe('reindex', () => {
    it('continues an interrupted rebuild from where it stopped, and reports when the index is complete', async () => {
      const sqlite = archive.connection.sqlite;
      const lastId = sqlite.prepare('SELECT max(id) FROM documents').pluck().get() as number;
      // An interrupted run: the documents up to the cursor are done, the rest are missing from the index.
      sqlite.prepare(`DELETE FROM search_index WHERE ${backEndName === 'sqlite' ? 'rowid' : 'document_id'} > 2`).run();
      sqlite.prepare("INSERT INTO search_state (key, value) VALUES ('rebuild_after', 2)").run();
      expect((await search('abc123')).indexComplete).toBe(false);
      expect(await found('abc123')).toEqual([]);
      const progress: number[] = [];
      const off = archive.events.subscribe((name, payload) => {
        if (name === 'jobs:progress') progress.push((payload as { done: number }).done);
      });
      const result = await ok('search:reindex', {});
      off();
      expect(result).toEqual({ indexed: lastId - 2, total: lastId - 2, resumedAfter: 2 });
      expect(progress.at(-1)).toBe(lastId - 2);
      expect((await search('abc123')).indexComplete).toBe(true);
      expect(await found('abc123')).toEqual(['fullwidth']);
    });
  });
});

describe('word boxes', () => {
  it('wordBoxesForTerms returns the boxes of the OCR words a term matched, across words and per-character CJK words', () => {
    const box = (x: number) => ({ x0: x, y0: 0, x1: x + 10, y1: 10 });
    const words = [
      { pageId: 1, text: '客户', bbox: box(0) },
      { pageId: 1, text: '张', bbox: box(10) },
      { pageId: 1, text: '三', bbox: box(20) },
      { pageId: 1, text: 'SO-2026-0417', bbox: box(30) },
      { pageId: 1, text: 'received', bbox: box(40) },
    ];
    const terms = (query: string) => compileTerms(parseQuery(query).terms);
    expect(wordBoxesForTerms(terms('张三'), words)).toEqual([box(10), box(20)]);
    expect(wordBoxesForTerms(terms('户张'), words)).toEqual([box(0), box(10)]);
    expect(wordBoxesForTerms(terms('so-2026-04*'), words)).toEqual([box(30)]);
    expect(wordBoxesForTerms(terms('"0417 received"'), words)).toEqual([box(30), box(40)]);
    expect(wordBoxesForTerms(terms('李四'), words)).toEqual([]);
  });
});
