/**
 * Inbox filing drafts through the contract (docs/inbox-drafts.md): kept per document across a reopen of the
 * archive, replaced on save, ended by filing or voiding whatever the path, discarded with an audit event;
 * bad input and documents outside the inbox are refused without anything stored. And the inbox's order.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let folder: string;
  let archive: Archive;
  let api: Api;
  let clerk: ApiClient;
  let files: string;

  async function ok<M extends Method>(method: M, input: InputOf<M>, client: ApiClient = clerk): Promise<OutputOf<M>> {
    const result = await client.invoke(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value as OutputOf<M>;
  }

  async function refused(method: Method, input: unknown): Promise<{ code: string; message: string }> {
    const result = await clerk.invoke(method, input);
    if (result.ok) throw new Error(`${method} was expected to be refused`);
    return result.error;
  }

  async function importOne(name: string): Promise<string> {
    return (await ok('documents:import', { paths: [await writeJpeg(files, name)] })).imported[0]!.document.archiveNo;
  }

  async function connect(): Promise<void> {
    api = createApi(archive);
    clerk = await clientAs(api, archive, 'clerk', 'li.na');
  }

  const draftsByArchiveNo = async () => new Map((await ok('inbox:drafts', {})).map((draft) => [draft.archiveNo, draft]));

  beforeAll(async () => {
    folder = join(tempDir(), 'archive');
    archive = await backEnd.init(folder, { actor: 'drafts test' });
    files = tempDir('slipvault-draft-files-');
    await connect();
  });

  afterAll(async () => {
    await api.dispose();
    archive.close();
  });

  describe('a filing draft', () => {
    it('is kept per document with who saved it, and is there again after the archive is closed and reopened', async () => {
      const first = await importOne('first.jpg');
      const second = await importOne('second.jpg');
      const saved = await ok('inbox:saveDraft', { ref: first, draft: { values: { customer: '华南贸易有限公司', amount: '12089.6' }, accepted: false } });
      expect(saved).toMatchObject({ archiveNo: first, savedBy: 'li.na', values: { customer: '华南贸易有限公司', amount: '12089.6' }, accepted: false });
      await ok('inbox:saveDraft', { ref: second, draft: { values: { signedDate: '2026-03-0' }, accepted: true, override: 'slip number torn off' } });

      await api.dispose();
      archive.close();
      archive = await backEnd.open(folder, { actor: 'drafts test' });
      await connect();

      const drafts = await draftsByArchiveNo();
      expect([...drafts.keys()]).toEqual([first, second]);
      expect(drafts.get(first)).toMatchObject({ values: { customer: '华南贸易有限公司', amount: '12089.6' }, accepted: false });
      expect(drafts.get(first)).not.toHaveProperty('override');
      expect(drafts.get(second)).toMatchObject({ values: { signedDate: '2026-03-0' }, accepted: true, override: 'slip number torn off' });
    });

    it('is replaced as a whole by the next save, which writes no audit event', async () => {
      const archiveNo = await importOne('replaced.jpg');
      const before = archive.audit.head().seq;
      await ok('inbox:saveDraft', { ref: archiveNo, draft: { values: { customer: '华南', slipNo: 'SO-1' }, accepted: false } });
      await ok('inbox:saveDraft', { ref: archiveNo, draft: { values: { customer: '华南贸易' }, accepted: true } });
      expect((await draftsByArchiveNo()).get(archiveNo)).toMatchObject({ values: { customer: '华南贸易' }, accepted: true });
      expect((await draftsByArchiveNo()).get(archiveNo)!.values).not.toHaveProperty('slipNo');
      expect(archive.audit.head().seq).toBe(before);
    });

    it('ends when the document is filed, through inbox:file or an edit, or voided', async () => {
      const filed = await importOne('filed.jpg');
      const edited = await importOne('edited.jpg');
      const voided = await importOne('voided.jpg');
      for (const ref of [filed, edited, voided]) await ok('inbox:saveDraft', { ref, draft: { values: { customer: '北方物流' }, accepted: true } });
      await ok('inbox:file', { ref: filed, changes: { customer: '北方物流', type: 'other' }, acceptSuggestions: false });
      await ok('documents:edit', { ref: edited, changes: { status: 'filed', type: 'other' } });
      await ok('documents:void', { ref: voided, reason: 'scanned twice' });
      const drafts = await draftsByArchiveNo();
      for (const ref of [filed, edited, voided]) expect(drafts.has(ref), ref).toBe(false);
      const left = archive.connection.sqlite
        .prepare('SELECT count(*) FROM inbox_drafts d JOIN documents x ON x.id = d.document_id WHERE x.status <> ?')
        .pluck()
        .get('inbox');
      expect(left).toBe(0);
      // Back in the inbox after un-voiding, it starts without a draft.
      await ok('documents:unvoid', { ref: voided, reason: 'not a duplicate' });
      expect((await draftsByArchiveNo()).has(voided)).toBe(false);
    });

    it('is discarded with an audit event naming the clerk; discarding nothing writes nothing', async () => {
      const archiveNo = await importOne('discarded.jpg');
      await ok('inbox:saveDraft', { ref: archiveNo, draft: { values: { title: '送货单 0417' }, accepted: false } });
      const before = archive.audit.head().seq;
      expect(await ok('inbox:discardDraft', { ref: archiveNo })).toEqual({ archiveNo, discarded: true });
      expect(archive.audit.list(before, 10)).toMatchObject([{ action: 'document.draft.discard', actor: 'li.na', targetType: 'document', targetId: archiveNo }]);
      expect((await draftsByArchiveNo()).has(archiveNo)).toBe(false);
      expect(await ok('inbox:discardDraft', { ref: archiveNo })).toEqual({ archiveNo, discarded: false });
      expect(archive.audit.head().seq).toBe(before + 1);
    });
  });

  describe('a refused draft', () => {
    it('for a document outside the inbox or not in the archive stores nothing', async () => {
      const archiveNo = await importOne('outside.jpg');
      await ok('documents:edit', { ref: archiveNo, changes: { status: 'filed', type: 'other' } });
      const outside = await refused('inbox:saveDraft', { ref: archiveNo, draft: { values: { customer: 'x' }, accepted: false } });
      expect(outside).toMatchObject({ code: 'CONFLICT', message: `${archiveNo} is filed, not in the inbox: a filing draft is only kept for inbox documents.` });
      expect(await refused('inbox:saveDraft', { ref: 'SV-1999-000001', draft: { values: {}, accepted: false } })).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refused('inbox:discardDraft', { ref: 'SV-1999-000001' })).toMatchObject({ code: 'NOT_FOUND' });
      expect(
        archive.connection.sqlite
          .prepare('SELECT count(*) FROM inbox_drafts WHERE document_id = (SELECT id FROM documents WHERE archive_no = ?)')
          .pluck()
          .get(archiveNo),
      ).toBe(0);
    });

    it('with a field the form does not have, a value too long or no acceptance flag is VALIDATION, naming what is wrong', async () => {
      const archiveNo = await importOne('invalid.jpg');
      const before = (await ok('inbox:drafts', {})).length;
      const unknownField = await refused('inbox:saveDraft', { ref: archiveNo, draft: { values: { colour: 'red' }, accepted: false } });
      expect(unknownField.code).toBe('VALIDATION');
      expect(unknownField.message).toMatch(/colour/);
      const tooLong = await refused('inbox:saveDraft', { ref: archiveNo, draft: { values: { customer: 'x'.repeat(1001) }, accepted: false } });
      expect(tooLong).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('customer in a draft can be at most 1000 characters') });
      expect(await refused('inbox:saveDraft', { ref: archiveNo, draft: { values: {} } })).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringMatching(/accepted/),
      });
      expect(await ok('inbox:drafts', {})).toHaveLength(before);
    });
  });

  describe('the inbox order', () => {
    it('is scan order (oldest first) unless newest first is asked for', async () => {
      const scan = (await ok('inbox:list', { limit: 1000 })).map((item) => item.document.id);
      expect(scan.length).toBeGreaterThan(3);
      expect(scan).toEqual([...scan].sort((a, b) => a - b));
      const newest = (await ok('inbox:list', { limit: 1000, order: 'newest' })).map((item) => item.document.id);
      expect(newest).toEqual([...scan].reverse());
      expect(await refused('inbox:list', { order: 'random' })).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('order is scan or newest'),
      });
    });
  });
});
