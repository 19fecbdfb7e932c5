/**
 * A plain amount typed into the search box (12089.63, 12,089.63, 12089.6) finds the documents filed with that
 * amount, and those whose text holds it, without the `amount:` field. The searches run on both back ends.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import type { ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { parseQuery } from '../../src/main/core/search/query-parser';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { adminClient } from '../helpers/sessions';
import { tempDir, writeJpeg } from '../helpers/fixtures';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  let archive: Archive;
  let api: ApiClient;
  const keys = new Map<string, string>();

  async function ok<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const result = await api.invoke(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value as OutputOf<M>;
  }

  async function file(key: string, changes: InputOf<'documents:edit'>['changes']): Promise<void> {
    const imported = await ok('documents:import', { paths: [await writeJpeg(tempDir('slipvault-amount-files-'), `${key}.jpg`)] });
    const archiveNo = imported.imported[0]!.document.archiveNo;
    keys.set(archiveNo, key);
    await ok('documents:edit', { ref: archiveNo, changes });
  }

  async function found(query: string): Promise<string[]> {
    const result = await ok('search:query', { query, limit: 50 });
    return result.hits.map((hit) => keys.get(hit.archiveNo)!).sort();
  }

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-amounts' });
    api = await adminClient(archive);
    await file('exact', { title: '送货单 华南', customer: '华南贸易', amount: '12089.63' });
    await file('tenth', { title: '送货单 东方', customer: '东方五金', amount: '12089.60' });
    await file('in-text', { title: '签回单', notes: '合计 12089.63 元' });
    await file('thousands', { title: '合同', customer: '华南贸易', amount: '1208963.00' });
  });

  afterAll(() => archive.close());

  describe('plain amounts', () => {
    it('12089.63 and 12,089.63 find the amount and the text that holds it', async () => {
      expect(await found('12089.63')).toEqual(['exact', 'in-text']);
      expect(await found('12,089.63')).toEqual(['exact', 'in-text']);
    });

    it('one decimal is the same amount as two (12089.6 = 12089.60)', async () => {
      expect(await found('12089.6')).toEqual(['tenth']);
      expect(await found('12,089.60')).toEqual(['tenth']);
    });

    it('thousands separators without decimals read as an amount', async () => {
      expect(await found('1,208,963')).toEqual(['thousands']);
    });

    it('combine with words and fields like any other condition', async () => {
      expect(await found('12089.63 华南')).toEqual(['exact']);
      expect(await found('customer:东方 12089.6')).toEqual(['tenth']);
      expect(await found('12089.63 customer:东方')).toEqual([]);
    });
  });
});

describe('plain amounts in the query parser', () => {
  it('a bare whole number stays a word (slip numbers and years are whole numbers too)', () => {
    const parsed = parseQuery('12089 2026');
    expect(parsed.plainAmounts).toEqual([]);
    expect(parsed.terms.map((term) => term.text)).toEqual(['12089', '2026']);
  });

  it('quoted, negated or prefixed, an amount-like word is text', () => {
    const parsed = parseQuery('"12089.63" -12,089.63 12089.6*');
    expect(parsed.plainAmounts).toEqual([]);
    expect(parsed.terms).toHaveLength(3);
    expect(parseQuery('12,089.63').plainAmounts).toEqual([{ text: '12,089.63', minor: 1_208_963 }]);
  });
});
