/**
 * documents:list pages on the owner's side: offset/limit windows of a sorted list that join up without
 * gaps or overlaps, totals per filter, and summaries (customer, page count) read for a whole page at once.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import type { InputOf } from '../../src/shared/contract';
import type { DocumentSummary } from '../../src/shared/model';
import { callOk, refusalOf } from '../helpers/api-calls';
import { tempDir, writePdf } from '../helpers/fixtures';
import { adminClient } from '../helpers/sessions';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  const COUNT = 24;
  let archive: Archive;
  let api: ApiClient;

  beforeAll(async () => {
    const dir = tempDir();
    archive = await backEnd.init(join(dir, 'archive'), { actor: 'clerk-wu' });
    api = await adminClient(archive);
    for (let index = 1; index <= COUNT; index += 1) {
      const imported = await callOk(api, 'documents:import', { paths: [writePdf(dir, `slip-${index}.pdf`, index % 6 === 0 ? 2 : 1)] });
      const ref = imported.imported[0]!.document.archiveNo;
      // Ties on purpose (three customers, repeated amounts) and empty values (every fourth has no amount).
      const changes = {
        customer: ['华南贸易', 'Acme', 'Beta Logistics'][index % 3]!,
        type: 'other',
        ...(index % 4 === 0 ? {} : { amount: String((index % 5) * 100 + 0.5) }),
      };
      await callOk(api, 'documents:edit', { ref, changes });
      if (index % 7 === 0) await callOk(api, 'documents:void', { ref, reason: 'scanned twice' });
      else if (index % 2 === 0) await callOk(api, 'inbox:file', { ref, acceptSuggestions: false });
    }
  });

  afterAll(() => archive.close());

  const list = (input: InputOf<'documents:list'>) => callOk(api, 'documents:list', input);

  /** Every page of `size` rows, in order, joined. */
  async function inPages(input: InputOf<'documents:list'>, size: number): Promise<DocumentSummary[]> {
    const rows: DocumentSummary[] = [];
    for (let offset = 0; ; offset += size) {
      const page = await list({ ...input, limit: size, offset });
      expect(page).toMatchObject({ limit: size, offset });
      rows.push(...page.items);
      if (offset + size >= page.total) return rows;
    }
  }

  const amountOrder = (rows: DocumentSummary[]) => rows.map((row) => (row.amount === null ? null : Number(row.amount)));

  describe('documents:list paging', () => {
    it('pages the default order (newest first) without gaps or overlaps, with the total of the filter', async () => {
      const whole = await list({ includeVoided: true, limit: 1000 });
      expect(whole.total).toBe(COUNT);
      expect(whole.items.map((row) => row.id)).toEqual([...whole.items.map((row) => row.id)].sort((a, b) => b - a));
      expect(await inPages({ includeVoided: true }, 5)).toEqual(whole.items);

      const active = await list({ limit: 3 });
      expect(active.total).toBe(COUNT - 3);
      expect(active.items).toHaveLength(3);
      expect((await list({ status: 'voided', includeVoided: true })).total).toBe(3);
      expect((await list({ status: 'filed' })).total).toBe(11);
      expect((await list({ status: 'inbox' })).total).toBe(10);
      const beyond = await list({ offset: 500 });
      expect(beyond).toMatchObject({ items: [], total: COUNT - 3 });
    });

    it('sorts by a field with empty values last in both directions and ties in archive order, across pages', async () => {
      const ascending = await inPages({ includeVoided: true, sort: { by: 'amount', direction: 'asc' } }, 4);
      const amounts = amountOrder(ascending);
      const present = amounts.filter((amount) => amount !== null);
      expect(present).toEqual([...present].sort((a, b) => a! - b!));
      expect(amounts.slice(present.length)).toEqual(Array(COUNT - present.length).fill(null));
      for (let index = 1; index < present.length; index += 1) {
        if (present[index] === present[index - 1]) expect(ascending[index]!.id).toBeGreaterThan(ascending[index - 1]!.id);
      }

      const descending = amountOrder(await inPages({ includeVoided: true, sort: { by: 'amount', direction: 'desc' } }, 7));
      expect(descending.slice(0, present.length)).toEqual([...present].sort((a, b) => b! - a!));
      expect(descending.at(-1)).toBeNull();

      const byCustomer = await inPages({ sort: { by: 'customer', direction: 'asc' } }, 5);
      expect(byCustomer.map((row) => row.customer)).toEqual([...byCustomer.map((row) => row.customer)].sort());
      expect(new Set(byCustomer.map((row) => row.id)).size).toBe(COUNT - 3);
      const archiveNos = (await inPages({ sort: { by: 'archiveNo', direction: 'asc' } }, 6)).map((row) => row.archiveNo);
      expect(archiveNos).toEqual([...archiveNos].sort());
    });

    it('gives the same summary in a page as for the document alone', async () => {
      const page = await list({ includeVoided: true, limit: 1000 });
      const twoPages = page.items.filter((row) => row.pageCount === 2);
      expect(twoPages).toHaveLength(4);
      for (const row of page.items) {
        const {
          metadata: _metadata,
          pages,
          files: _files,
          voidReason: _voidReason,
          location: _location,
          ...summary
        } = await callOk(api, 'documents:get', { ref: row.id });
        expect(row).toEqual(summary);
        expect(row.pageCount).toBe(pages.length);
      }
    });

    it('refuses a sort it does not know, naming the choices', async () => {
      expect(await refusalOf(api, 'documents:list', { sort: { by: 'secret', direction: 'asc' } })).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('sort.by is one of created, archiveNo, title, customer, amount, signedDate, updatedAt'),
      });
      expect(await refusalOf(api, 'documents:list', { sort: { by: 'amount', direction: 'up' } })).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('sort.direction is asc or desc'),
      });
    });
  });
});
