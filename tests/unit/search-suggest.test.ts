/** search:suggest on a real archive on both back ends: what the search box proposes for the word being typed. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import type { ApiClient } from '../../src/main/core/api';
import { adminClient } from '../helpers/sessions';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { tempDir, writeJpeg } from '../helpers/fixtures';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  let archive: Archive;
  let api: ApiClient;

  async function ok<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const result = await api.invoke(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value as OutputOf<M>;
  }

  const suggest = (prefix: string, limit = 10) => ok('search:suggest', { prefix, limit });
  const inserts = async (prefix: string, limit = 10) => (await suggest(prefix, limit)).map((suggestion) => suggestion.insert);

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-suggest' });
    api = await adminClient(archive);
    const files = tempDir('slipvault-suggest-files-');
    const filings: InputOf<'documents:edit'>['changes'][] = [
      { customer: '华南贸易有限公司', slipNo: 'SO-2026-0417', tags: ['urgent'] },
      { customer: '华南贸易有限公司', slipNo: 'SO-2026-0501', tags: ['华南'] },
      { customer: '华东电子', slipNo: 'SO-2025-1101' },
      { customer: 'Acme Trading', slipNo: 'DN-2026-0001', tags: ['vip customer'] },
    ];
    for (const [index, changes] of filings.entries()) {
      const imported = await ok('documents:import', { paths: [await writeJpeg(files, `${index}.jpg`)] });
      await ok('documents:edit', { ref: imported.imported[0]!.document.archiveNo, changes });
    }
    // Aliases come from the customer register (settings); set one directly.
    archive.connection.sqlite.prepare('UPDATE customers SET aliases = ? WHERE name = ?').run(JSON.stringify(['Huadong Electronics']), '华东电子');
  });

  afterAll(() => archive.close());

  describe('search:suggest', () => {
    it('proposes field names for a Latin start, before values that merely contain it', async () => {
      expect(await inserts('cu')).toEqual(['customer:', 'tag:"vip customer"']);
      expect((await suggest('s')).slice(0, 4).map((s) => s.insert)).toEqual(['slip:', 'sort:', 'status:', 'signer:']);
    });

    it('proposes customers by name or alias, the one with more documents first, with counts', async () => {
      const found = await suggest('华');
      expect(found.filter((s) => s.kind === 'customer')).toEqual([
        { kind: 'customer', label: '华南贸易有限公司', insert: 'customer:华南贸易有限公司', count: 2 },
        { kind: 'customer', label: '华东电子', insert: 'customer:华东电子', detail: 'Huadong Electronics', count: 1 },
      ]);
      expect(await inserts('huadong')).toEqual(['customer:华东电子']);
      expect(await inserts('ＡＣＭＥ')).toEqual(['customer:"Acme Trading"']); // full-width folds like the search
    });

    it("within a field, proposes only that field's values", async () => {
      expect(await inserts('customer:华南')).toEqual(['customer:华南贸易有限公司']);
      expect(await inserts('tag:')).toEqual(['tag:华南', 'tag:urgent', 'tag:"vip customer"']); // shorter first
      expect(await inserts('type:contr')).toEqual(['type:contract']);
      expect(await inserts('type:合同')).toEqual(['type:contract']);
      expect(await inserts('status:v')).toEqual(['status:voided']);
    });

    it('groups slip numbers by their next part, whole numbers once inside the last part', async () => {
      expect(await inserts('slip:SO')).toEqual(['slip:SO-2025*', 'slip:SO-2026*']);
      expect(await inserts('SO-2026')).toEqual(['slip:SO-2026-0417', 'slip:SO-2026-0501']);
      expect(await inserts('so-2026-04')).toEqual(['slip:SO-2026-0417']);
    });

    it('every customer, tag and slip it proposes is a valid query that finds something', async () => {
      for (const prefix of ['华', 'tag:', 'slip:SO', 'customer:', 'huadong']) {
        for (const suggestion of await suggest(prefix)) {
          const result = await ok('search:query', { query: suggestion.insert });
          expect(result.total, suggestion.insert).toBeGreaterThan(0);
        }
      }
    });

    it('respects the limit; empty input suggests nothing; over-long input is refused', async () => {
      expect(await suggest('s', 2)).toHaveLength(2);
      expect(await suggest('   ')).toEqual([]);
      const refused = await api.invoke('search:suggest', { prefix: 'x'.repeat(201), limit: 5 });
      expect(refused.ok ? null : refused.error.code).toBe('VALIDATION');
    });
  });
});
