/**
 * The rest of a clerk's day through the contract (issue 19): un-voiding as a new version, one set of
 * changes to several documents (a version and an audit event each, refusals listed per document), the
 * slip as a PDF with a metadata cover page (read back with pdf-lib and pdfjs), and the archive list's
 * text filter and slip number / type sort.
 */
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import type { ApiClient } from '../../src/main/core/api';
import { createApi } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { openPdf } from '../../src/main/core/pdf/pdfjs';
import { clientAs, adminClient } from '../helpers/sessions';
import { tempDir, writeJpeg, writePdf, writeTiff } from '../helpers/fixtures';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let archive: Archive;
  let api: ApiClient;
  let files: string;

  async function ok<M extends Method>(method: M, input: InputOf<M>, client: ApiClient = api): Promise<OutputOf<M>> {
    const result = await client.invoke(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value as OutputOf<M>;
  }

  async function refused<M extends Method>(method: M, input: InputOf<M>): Promise<{ code: string; message: string }> {
    const result = await api.invoke(method, input);
    if (result.ok) throw new Error(`${method} was expected to be refused`);
    return result.error;
  }

  async function importOne(path: string): Promise<string> {
    return (await ok('documents:import', { paths: [path] })).imported[0]!.document.archiveNo;
  }

  const auditOf = async (archiveNo: string) => (await ok('audit:list', { limit: 1000 })).filter((event) => event.targetId === archiveNo);

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-day' });
    api = await adminClient(archive);
    files = tempDir('slipvault-clerk-files-');
  });

  afterAll(() => archive.close());

  describe('un-void', () => {
    it('brings a voided document back to its earlier status as a new version, with a reason, audited', async () => {
      const archiveNo = await importOne(await writeJpeg(files, 'unvoid.jpg'));
      await ok('documents:edit', { ref: archiveNo, changes: { status: 'filed', customer: '华南贸易', type: 'other' } });
      await ok('documents:void', { ref: archiveNo, reason: 'scanned twice' });
      const back = await ok('documents:unvoid', { ref: archiveNo, reason: 'not a duplicate after all' });
      expect(back.status).toBe('filed');
      expect(back.voidReason).toBeNull();
      expect(back.currentVersion).toBe(4);
      const history = await ok('documents:history', { ref: archiveNo });
      expect(history.at(-1)).toMatchObject({ number: 4, action: 'unvoid', reason: 'not a duplicate after all' });
      expect((await auditOf(archiveNo)).at(-1)).toMatchObject({
        action: 'document.unvoid',
        actor: 'admin',
        details: { status: 'filed', voidReason: 'scanned twice', version: 4, reason: 'not a duplicate after all' },
      });
      expect((await ok('documents:list', { text: archiveNo })).items.map((item) => item.archiveNo)).toEqual([archiveNo]);
    });

    it('refuses a document that is not voided, and an empty reason, changing nothing', async () => {
      const archiveNo = await importOne(await writeJpeg(files, 'not-voided.jpg'));
      const notVoided = await refused('documents:unvoid', { ref: archiveNo, reason: 'why not' });
      expect(notVoided.code).toBe('CONFLICT');
      expect(notVoided.message).toContain(`${archiveNo} is not voided`);
      await ok('documents:void', { ref: archiveNo, reason: 'wrong' });
      const noReason = await refused('documents:unvoid', { ref: archiveNo, reason: '  ' });
      expect(noReason.code).toBe('VALIDATION');
      expect(noReason.message).toContain('a reason is required to un-void');
      expect((await ok('documents:get', { ref: archiveNo })).status).toBe('voided');
      expect(await ok('documents:history', { ref: archiveNo })).toHaveLength(2);
    });

    it('an inbox document goes back to the inbox', async () => {
      const archiveNo = await importOne(await writeJpeg(files, 'inbox.jpg'));
      await ok('documents:void', { ref: archiveNo, reason: 'blank' });
      expect((await ok('documents:unvoid', { ref: archiveNo, reason: 'it is not blank' })).status).toBe('inbox');
    });

    it('is refused to a viewer', async () => {
      const viewer = await clientAs(createApi(archive), archive, 'viewer', 'viewer-unvoid');
      const result = await viewer.invoke('documents:unvoid', { ref: 1, reason: 'x' });
      expect(!result.ok && result.error.code).toBe('FORBIDDEN');
    });
  });

  describe('batch edit', () => {
    it('gives every document its own version and audit event, and lists each refusal with its reason', async () => {
      const first = await importOne(await writeJpeg(files, 'batch-1.jpg'));
      const second = await importOne(await writeJpeg(files, 'batch-2.jpg'));
      const voided = await importOne(await writeJpeg(files, 'batch-3.jpg'));
      await ok('documents:void', { ref: voided, reason: 'duplicate' });
      const result = await ok('documents:editMany', {
        refs: [first, second, voided, 'SV-1999-000001'],
        changes: { customer: '东方五金', type: 'contract', signedDate: '2026-04-01', tags: ['q2'] },
        reason: 'batch from the April stack',
      });
      expect(result.edited).toBe(2);
      expect(result.failed).toBe(2);
      expect(result.outcomes.map((outcome) => [outcome.ref, outcome.ok, outcome.ok ? outcome.version : outcome.code])).toEqual([
        [first, true, 2],
        [second, true, 2],
        [voided, false, 'CONFLICT'],
        ['SV-1999-000001', false, 'NOT_FOUND'],
      ]);
      const voidedOutcome = result.outcomes[2]!;
      expect(!voidedOutcome.ok && voidedOutcome.message).toContain('is voided');
      for (const archiveNo of [first, second]) {
        const detail = await ok('documents:get', { ref: archiveNo });
        expect(detail.metadata).toMatchObject({ customer: '东方五金', type: 'contract', signedDate: '2026-04-01', tags: ['q2'] });
        const edits = (await auditOf(archiveNo)).filter((event) => event.action === 'document.edit');
        expect(edits).toHaveLength(1);
        expect(edits[0]!.details).toMatchObject({ version: 2, reason: 'batch from the April stack' });
      }
      expect((await auditOf(voided)).filter((event) => event.action === 'document.edit')).toEqual([]);
    });

    it('refuses a batch naming one document twice before writing anything', async () => {
      const archiveNo = await importOne(await writeJpeg(files, 'twice.jpg'));
      const id = (await ok('documents:get', { ref: archiveNo })).id;
      const error = await refused('documents:editMany', { refs: [archiveNo, id], changes: { customer: '重复' } });
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toContain('are the same document');
      expect((await ok('documents:get', { ref: archiveNo })).currentVersion).toBe(1);
    });

    it('refuses bad changes for the whole batch, naming the field', async () => {
      const archiveNo = await importOne(await writeJpeg(files, 'bad-batch.jpg'));
      const error = await refused('documents:editMany', { refs: [archiveNo], changes: { signedDate: '2026-02-30' } });
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toContain('signedDate');
      expect((await refused('documents:editMany', { refs: [], changes: { customer: 'x' } })).message).toContain('choose at least one document');
    });
  });

  async function textOf(pdf: Uint8Array, pageNumber: number): Promise<string> {
    const document = await openPdf(pdf);
    const content = await (await document.getPage(pageNumber)).getTextContent();
    return content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
  }

  describe('a slip as PDF', () => {
    it('is a cover page with the metadata, then every page as stored (images and PDF pages), audited as export or print', async () => {
      const archiveNo = await importOne(await writeTiff(files, 'two-frames.tif', 2));
      const more = writePdf(files, 'appendix.pdf', 1);
      await ok('pages:add', { ref: archiveNo, paths: [more] });
      const detail = await ok('documents:get', { ref: archiveNo });
      await ok('pages:rotate', { ref: archiveNo, pageId: detail.pages[1]!.pageId, rotation: 90 });
      await ok('documents:edit', {
        ref: archiveNo,
        changes: {
          title: 'Delivery 0417',
          customer: 'Acme Trading',
          type: 'delivery_receipt',
          slipNo: 'SO-2026-0417',
          amount: '12089.63',
          signedDate: '2026-03-05',
        },
      });

      const exported = await ok('documents:exportPdf', { ref: archiveNo, purpose: 'export' });
      expect(exported.filename).toBe(`${archiveNo}.pdf`);
      const bytes = Buffer.from(exported.pdfBase64, 'base64');
      const pdf = await PDFDocument.load(bytes);
      expect(pdf.getPageCount()).toBe(4);
      expect(exported.pageCount).toBe(4);
      expect(pdf.getPage(2).getRotation().angle).toBe(90);
      const cover = await textOf(bytes, 1);
      for (const expected of [archiveNo, 'Acme Trading', 'SO-2026-0417', '12089.63 CNY', '2026-03-05', 'Delivery 0417', 'admin']) {
        expect(cover).toContain(expected);
      }
      expect(await textOf(bytes, 4)).toContain('page 1');

      await ok('documents:exportPdf', { ref: archiveNo, purpose: 'print' });
      const events = (await auditOf(archiveNo)).slice(-2);
      expect(events.map((event) => [event.action, event.details])).toEqual([
        ['document.export', { version: 4, pages: 3 }],
        ['document.print', { version: 4, pages: 3 }],
      ]);
    });

    it('may be taken by a viewer; an unknown document or purpose is refused', async () => {
      const archiveNo = await importOne(await writeJpeg(files, 'viewer.jpg'));
      const viewer = await clientAs(createApi(archive), archive, 'viewer', 'viewer-pdf');
      expect((await ok('documents:exportPdf', { ref: archiveNo, purpose: 'print' }, viewer)).pageCount).toBe(2);
      expect((await refused('documents:exportPdf', { ref: 'SV-1999-000001', purpose: 'export' })).code).toBe('NOT_FOUND');
      const badPurpose = await api.invoke('documents:exportPdf', { ref: archiveNo, purpose: 'fax' });
      expect(!badPurpose.ok && badPurpose.error.message).toContain('purpose is export or print');
    });
  });

  describe('the archive list', () => {
    it('filters by text in archive number, title, customer, slip number or signer, % and _ taken literally', async () => {
      const a = await importOne(await writeJpeg(files, 'filter-a.jpg'));
      const b = await importOne(await writeJpeg(files, 'filter-b.jpg'));
      await ok('documents:edit', { ref: a, changes: { customer: '南山机电有限公司', slipNo: 'NS-100%' } });
      await ok('documents:edit', { ref: b, changes: { signer: '王小_明', title: 'Zhuhai load' } });
      const listed = async (text: string) => (await ok('documents:list', { text, includeVoided: true })).items.map((item) => item.archiveNo);
      expect(await listed('南山机电')).toEqual([a]);
      expect(await listed('ns-100%')).toEqual([a]);
      expect(await listed('100_')).toEqual([]);
      expect(await listed('小_明')).toEqual([b]);
      expect(await listed('zhuhai')).toEqual([b]);
      expect((await ok('documents:list', { text: '南山机电' })).total).toBe(1);
    });

    it('sorts by slip number and by type, empty values last', async () => {
      const list = await ok('documents:list', { includeVoided: true, limit: 1000, sort: { by: 'slipNo', direction: 'asc' } });
      const slips = list.items.map((item) => item.slipNo);
      const filled = slips.filter((slip) => slip !== null);
      expect(filled.length).toBeGreaterThan(1);
      expect(filled).toEqual([...filled].sort());
      expect(slips.slice(filled.length).every((slip) => slip === null)).toBe(true);
      const byType = await ok('documents:list', { includeVoided: true, limit: 1000, sort: { by: 'type', direction: 'desc' } });
      const types = byType.items.map((item) => item.type).filter((type) => type !== null);
      expect(types).toEqual([...types].sort().reverse());
    });
  });
});
