/**
 * inbox:fileMany (batch filing, issue 19 item 6) through the contract on a real archive: shared fields given
 * once, each document filed as its own version with its own audit event, each document's own fields kept,
 * the filing rules applied to each, refusals listed per document with nothing of theirs stored, and a batch
 * that names a document twice refused before anything is filed.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import { createApi, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { clientAs } from '../helpers/sessions';
import { tempDir, writeJpeg } from '../helpers/fixtures';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let archive: Archive;
  let clerk: ApiClient;
  let files: string;

  async function ok<M extends Method>(method: M, input: InputOf<M>, client: ApiClient = clerk): Promise<OutputOf<M>> {
    const result = await client.invoke(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value as OutputOf<M>;
  }

  async function inboxDocuments(count: number): Promise<string[]> {
    const paths = await Promise.all(Array.from({ length: count }, (_, i) => writeJpeg(files, `slip-${Date.now()}-${i}.jpg`)));
    return (await ok('documents:import', { paths })).imported.map((entry) => entry.document.archiveNo);
  }

  const eventsOf = (archiveNo: string, since: number) => archive.audit.list(since, 1000).filter((event) => event.targetId === archiveNo);

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'batch-filing' });
    clerk = await clientAs(createApi(archive), archive, 'clerk', 'li.na');
    files = tempDir('slipvault-batch-files-');
  });

  afterAll(() => archive.close());

  describe('inbox:fileMany', () => {
    it('files each document with the shared fields and its own, one version and one audit event each', async () => {
      const [a, b, c] = await inboxDocuments(3);
      const since = archive.audit.head().seq;
      const result = await ok('inbox:fileMany', {
        items: [
          { ref: a!, changes: { slipNo: 'DN-001', amount: '120.00' } },
          { ref: b!, changes: { slipNo: 'DN-002', customer: 'overridden by the shared customer' } },
          { ref: c!, changes: { slipNo: 'DN-003' } },
        ],
        shared: { customer: '华南贸易有限公司', type: 'delivery_receipt', signedDate: '2026-03-05' },
        acceptSuggestions: false,
      });
      expect(result).toMatchObject({ filed: 3, failed: 0 });
      expect(result.outcomes.map((outcome) => [outcome.archiveNo, outcome.ok])).toEqual([
        [a, true],
        [b, true],
        [c, true],
      ]);
      for (const [archiveNo, slipNo] of [
        [a!, 'DN-001'],
        [b!, 'DN-002'],
        [c!, 'DN-003'],
      ] as const) {
        const document = await ok('documents:get', { ref: archiveNo });
        expect(document.status).toBe('filed');
        expect(document.metadata).toMatchObject({ customer: '华南贸易有限公司', type: 'delivery_receipt', signedDate: '2026-03-05', slipNo });
        expect(document.currentVersion).toBe(2);
        const events = eventsOf(archiveNo, since);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ actor: 'li.na', action: 'document.edit' });
      }
      expect((await ok('documents:get', { ref: a! })).metadata.amount).toBe('120.00');
      expect((await ok('inbox:list', {})).map((item) => item.document.archiveNo)).not.toContain(a);
    });

    it('applies the filing rules to each document: one short of a field is refused by name, the others are filed', async () => {
      const [complete, short, alreadyFiled] = await inboxDocuments(3);
      await ok('inbox:file', { ref: alreadyFiled!, changes: { type: 'other' }, acceptSuggestions: false });
      const since = archive.audit.head().seq;
      const result = await ok('inbox:fileMany', {
        items: [{ ref: complete!, changes: { slipNo: 'DN-010' } }, { ref: short! }, { ref: alreadyFiled! }, { ref: 'SV-2099-999999' }],
        shared: { customer: '青岛众诚纺织有限公司', type: 'delivery_receipt', signedDate: '2026-04-01' },
        acceptSuggestions: false,
      });
      expect(result).toMatchObject({ filed: 1, failed: 3 });
      const [first, second, third, fourth] = result.outcomes;
      expect(first).toMatchObject({ ok: true, archiveNo: complete });
      expect(second).toMatchObject({ ok: false, archiveNo: short, code: 'FILING_INCOMPLETE', details: { missing: ['slipNo'] } });
      expect(third).toMatchObject({ ok: false, archiveNo: alreadyFiled, code: 'CONFLICT' });
      expect(fourth).toMatchObject({ ok: false, archiveNo: null, ref: 'SV-2099-999999', code: 'NOT_FOUND' });
      // Nothing of a refused document was stored: still in the inbox at version 1, no event of its own.
      const refused = await ok('documents:get', { ref: short! });
      expect(refused).toMatchObject({ status: 'inbox', currentVersion: 1 });
      expect(refused.metadata.customer).toBeNull();
      expect(eventsOf(short!, since)).toEqual([]);
      expect((await ok('documents:get', { ref: alreadyFiled! })).currentVersion).toBe(2);
    });

    it('files what a rule lacks with the override, audited per document', async () => {
      const [one, two] = await inboxDocuments(2);
      const since = archive.audit.head().seq;
      const result = await ok('inbox:fileMany', {
        items: [{ ref: one! }, { ref: two! }],
        shared: { customer: '南京明辉化工有限公司', type: 'delivery_receipt', signedDate: '2026-04-02' },
        acceptSuggestions: false,
        filingOverride: 'slip numbers torn off',
      });
      expect(result).toMatchObject({ filed: 2, failed: 0 });
      for (const archiveNo of [one!, two!]) {
        expect(eventsOf(archiveNo, since).map((event) => event.action)).toEqual(['document.edit', 'document.filing-override']);
      }
    });

    it('refuses a batch that names one document twice, or carries an invalid field, before filing anything', async () => {
      const [one, two] = await inboxDocuments(2);
      const since = archive.audit.head().seq;
      const id = (await ok('documents:get', { ref: one! })).id;
      const twice = await clerk.invoke('inbox:fileMany', { items: [{ ref: one! }, { ref: two! }, { ref: id }], shared: { type: 'other' } });
      expect(twice.ok ? null : twice.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('are the same document') });
      const badDate = await clerk.invoke('inbox:fileMany', { items: [{ ref: one! }], shared: { type: 'other', signedDate: '2026-13-40' } });
      expect(badDate.ok ? null : badDate.error.code).toBe('VALIDATION');
      const empty = await clerk.invoke('inbox:fileMany', { items: [] });
      expect(empty.ok ? null : empty.error.message).toContain('choose at least one inbox document');
      expect(archive.audit.head().seq).toBe(since);
      for (const archiveNo of [one!, two!]) expect((await ok('documents:get', { ref: archiveNo })).status).toBe('inbox');
    });

    it('is refused to a viewer before anything is read', async () => {
      const [one] = await inboxDocuments(1);
      const viewer = await clientAs(createApi(archive), archive, 'viewer', 'wang.viewer');
      const answer = await viewer.invoke('inbox:fileMany', { items: [{ ref: one! }], shared: { type: 'other' } });
      expect(answer.ok ? null : answer.error.code).toBe('FORBIDDEN');
      expect((await ok('documents:get', { ref: one! })).status).toBe('inbox');
    });
  });
});
