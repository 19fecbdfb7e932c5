/** Documents, pages and versions through the contract, on a real archive folder. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import type { ApiClient } from '../../src/main/core/api';
import { adminClient } from '../helpers/sessions';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { tempDir, writeJpeg, writePdf, writeTiff } from '../helpers/fixtures';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  /** A trigger failing the audit event of an edit: the same failure written in each back end's dialect. */
  const SABOTAGE = {
    sqlite: {
      create: `CREATE TRIGGER sabotage BEFORE INSERT ON audit_events WHEN NEW.action = 'document.edit'
             BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;`,
      drop: 'DROP TRIGGER sabotage',
    },
    postgres: {
      create: `CREATE FUNCTION sabotage() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END; $$;
             CREATE TRIGGER sabotage BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.action = 'document.edit') EXECUTE FUNCTION sabotage();`,
      drop: 'DROP TRIGGER sabotage ON audit_events; DROP FUNCTION sabotage();',
    },
  };

  let archive: Archive;
  let api: ApiClient;
  let files: string;

  async function ok<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const result = await api.invoke(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value as OutputOf<M>;
  }

  async function fails<M extends Method>(method: M, input: InputOf<M>) {
    const result = await api.invoke(method, input);
    if (result.ok) throw new Error(`${method} unexpectedly succeeded`);
    return result.error;
  }

  async function importOne(path: string) {
    const result = await ok('documents:import', { paths: [path] });
    expect(result.failed).toEqual([]);
    return result.imported[0]!.document;
  }

  beforeEach(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-wang' });
    api = await adminClient(archive, 'clerk-wang');
    files = tempDir('slipvault-files-');
  });

  afterEach(() => archive.close());

  describe('archive numbers', () => {
    it('are sequential per year, unique, and never reused after voiding', async () => {
      const year = new Date().getFullYear();
      const a = await importOne(await writeJpeg(files, 'a.jpg'));
      const b = await importOne(await writeJpeg(files, 'b.jpg'));
      await ok('documents:void', { ref: b.archiveNo, reason: 'scanned twice' });
      const c = await importOne(await writeJpeg(files, 'c.jpg'));
      expect([a.archiveNo, b.archiveNo, c.archiveNo]).toEqual([`SV-${year}-000001`, `SV-${year}-000002`, `SV-${year}-000003`]);
    });

    it('accepts the archive number (any case) or the internal id as a reference', async () => {
      const doc = await importOne(await writeJpeg(files, 'a.jpg'));
      expect((await ok('documents:get', { ref: doc.id })).archiveNo).toBe(doc.archiveNo);
      expect((await ok('documents:get', { ref: String(doc.id) })).archiveNo).toBe(doc.archiveNo);
      expect((await ok('documents:get', { ref: doc.archiveNo.toLowerCase() })).id).toBe(doc.id);
    });
  });

  describe('import', () => {
    it('records one page per TIFF frame and PDF page, and keeps the original bytes', async () => {
      const tiff = await importOne(await writeTiff(files, 'scan.tif', 4));
      const pdf = await importOne(writePdf(files, 'contract.pdf', 3));
      const detail = await ok('documents:get', { ref: tiff.id });
      expect(detail.pages.map((page) => page.sourcePage)).toEqual([0, 1, 2, 3]);
      expect(new Set(detail.pages.map((page) => page.blobHash)).size).toBe(1);
      expect(detail.files[0]).toMatchObject({ filename: 'scan.tif', mime: 'image/tiff', pageCount: 4 });
      expect((await ok('documents:get', { ref: pdf.id })).pages).toHaveLength(3);
      expect(detail.status).toBe('inbox');
      expect(detail.title).toBe('scan');
      expect(await archive.blobs.verify(detail.files[0]!.blobHash)).toBe('ok');
    });
  });

  describe('versions', () => {
    it('writes one immutable version per change with actor and reason, and diffs fields', async () => {
      const doc = await importOne(await writeJpeg(files, 'slip.jpg'));
      await ok('documents:edit', { ref: doc.id, changes: { customer: '深圳华强', amount: '88', currency: 'usd' }, reason: 'typed in' });
      await ok('documents:edit', { ref: doc.id, changes: { notes: 'line one\nline two', tags: ['b', 'a', 'a'] } });
      const history = await ok('documents:history', { ref: doc.id });
      expect(history.map((v) => [v.number, v.action, v.actor, v.reason])).toEqual([
        [1, 'import', 'clerk-wang', null],
        [2, 'edit', 'clerk-wang', 'typed in'],
        [3, 'edit', 'clerk-wang', null],
      ]);
      const diff = await ok('documents:diff', { ref: doc.id, from: 1, to: 3 });
      expect(diff.fields).toEqual([
        { field: 'customer', from: null, to: '深圳华强' },
        { field: 'amount', from: null, to: '88.00' },
        { field: 'currency', from: null, to: 'USD' },
        { field: 'tags', from: [], to: ['a', 'b'] },
        { field: 'notes', from: '', to: 'line one\nline two' },
      ]);
      expect(diff.text.filter((line) => line.op === 'added').map((line) => line.line)).toEqual(['line one', 'line two']);
      expect(diff.text.filter((line) => line.op === 'removed').map((line) => line.line)).toEqual(['']);
      expect((await ok('documents:diff', { ref: doc.id, from: 3, to: 1 })).fields[0]).toEqual({ field: 'customer', from: '深圳华强', to: null });
    });

    it('restore creates a new version equal to the old one, including removed pages', async () => {
      const doc = await importOne(await writeTiff(files, 'three.tif', 3));
      const v1 = await ok('documents:get', { ref: doc.id });
      const [p1, p2, p3] = v1.pages.map((page) => page.pageId) as [number, number, number];
      await ok('pages:rotate', { ref: doc.id, pageId: p2, rotation: 90 });
      await ok('pages:reorder', { ref: doc.id, pageIds: [p3, p1, p2] });
      await ok('pages:remove', { ref: doc.id, pageId: p1, reason: 'blank page' });
      await ok('documents:edit', { ref: doc.id, changes: { title: '送货单 SO-1' } });
      const current = await ok('documents:get', { ref: doc.id });
      expect(current.pages.map((page) => [page.pageId, page.rotation])).toEqual([
        [p3, 0],
        [p2, 90],
      ]);

      const diff = await ok('documents:diff', { ref: doc.id, from: 1, to: 5 });
      expect(diff.pages).toEqual(
        expect.arrayContaining([
          { kind: 'removed', pageId: p1, position: 1 },
          { kind: 'rotated', pageId: p2, from: 0, to: 90 },
          expect.objectContaining({ kind: 'moved' }),
        ]),
      );

      const restored = await ok('documents:restoreVersion', { ref: doc.id, version: 1, reason: 'undo' });
      expect(restored.currentVersion).toBe(6);
      expect(restored.metadata).toEqual(v1.metadata);
      expect(restored.pages).toEqual(v1.pages);
      expect((await ok('documents:diff', { ref: doc.id, from: 1, to: 6 })).fields).toEqual([]);
      const history = await ok('documents:history', { ref: doc.id });
      expect(history.map((v) => v.action)).toEqual(['import', 'page.rotate', 'page.reorder', 'page.remove', 'edit', 'restore']);
      expect((await archive.check()).ok).toBe(true);
    });

    it('adds pages from another file as a new version', async () => {
      const doc = await importOne(await writeJpeg(files, 'front.jpg'));
      const added = await ok('pages:add', { ref: doc.id, paths: [writePdf(files, 'back.pdf', 2)] });
      expect(added.pages).toHaveLength(3);
      expect(added.files.map((file) => file.filename)).toEqual(['front.jpg', 'back.pdf']);
      expect(added.currentVersion).toBe(2);
    });

    it('refuses to remove the last page or reorder with a wrong page set', async () => {
      const doc = await importOne(await writeTiff(files, 'two.tif', 2));
      const pages = (await ok('documents:get', { ref: doc.id })).pages.map((page) => page.pageId);
      expect((await fails('pages:reorder', { ref: doc.id, pageIds: [pages[0]!] })).code).toBe('VALIDATION');
      expect((await fails('pages:reorder', { ref: doc.id, pageIds: [pages[0]!, pages[0]!] })).code).toBe('VALIDATION');
      await ok('pages:remove', { ref: doc.id, pageId: pages[0]! });
      expect((await fails('pages:remove', { ref: doc.id, pageId: pages[1]! })).code).toBe('CONFLICT');
      expect((await fails('pages:rotate', { ref: doc.id, pageId: 9999, rotation: 90 })).code).toBe('NOT_FOUND');
    });

    it('voids instead of deleting: the document stays, hidden from the default list', async () => {
      const doc = await importOne(await writeJpeg(files, 'x.jpg'));
      const voided = await ok('documents:void', { ref: doc.id, reason: 'wrong customer' });
      expect(voided).toMatchObject({ status: 'voided', voidReason: 'wrong customer', currentVersion: 2 });
      expect((await ok('documents:list', {})).total).toBe(0);
      expect((await ok('documents:list', { includeVoided: true })).items.map((item) => item.id)).toEqual([doc.id]);
      expect((await ok('documents:list', { status: 'voided' })).total).toBe(1);
    });
  });

  describe('the write path is one transaction', () => {
    it('a failure while recording the audit event leaves the document, its versions and the chain untouched', async () => {
      const doc = await importOne(await writeJpeg(files, 'y.jpg'));
      const before = await ok('documents:get', { ref: doc.id });
      const saboteur = backEnd.raw(archive);
      saboteur.exec(SABOTAGE[backEnd.name].create);
      const error = await fails('documents:edit', { ref: doc.id, changes: { customer: '新客户', tags: ['t'] } });
      expect(error.message).toMatch(/simulated failure/);
      saboteur.exec(SABOTAGE[backEnd.name].drop);
      saboteur.close();
      const after = await ok('documents:get', { ref: doc.id });
      expect(after).toEqual(before);
      expect(await ok('documents:history', { ref: doc.id })).toHaveLength(1);
      expect(await ok('customers:list', {})).toEqual([]);
      expect((await archive.check()).ok).toBe(true);
    });

    it('every change is recorded in the audit trail with its version', async () => {
      const doc = await importOne(await writeJpeg(files, 'z.jpg'));
      await ok('documents:edit', { ref: doc.id, changes: { slipNo: 'DN-7' }, reason: 'from barcode' });
      const events = await ok('audit:list', { afterSeq: 0, limit: 100 });
      const edit = events.find((event) => event.action === 'document.edit');
      expect(edit).toMatchObject({
        actor: 'clerk-wang',
        targetType: 'document',
        targetId: doc.archiveNo,
        details: { version: 2, reason: 'from barcode', fields: { slipNo: { from: null, to: 'DN-7' } } },
      });
    });

    it('survives closing and reopening: state, history and chain persist', async () => {
      const doc = await importOne(await writeJpeg(files, 'persist.jpg'));
      await ok('documents:edit', { ref: doc.id, changes: { signer: '李四' } });
      const dir = archive.dir;
      archive.close();
      archive = await backEnd.open(dir, { actor: 'clerk-zhao' });
      api = await adminClient(archive, 'clerk-zhao');
      expect((await ok('documents:get', { ref: doc.id })).metadata.signer).toBe('李四');
      await ok('documents:edit', { ref: doc.id, changes: { signer: '王五' } });
      expect((await ok('documents:history', { ref: doc.id })).map((v) => v.actor)).toEqual(['clerk-wang', 'clerk-wang', 'clerk-zhao']);
      expect((await archive.check()).ok).toBe(true);
    });
  });
});
