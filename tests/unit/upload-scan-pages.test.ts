/**
 * uploads:checkScan, uploads:importScan and uploads:addPages on a real archive — what a workstation's scan and
 * its local pages become on the server: a scanned batch split by the server's own slip-number patterns (all
 * parts in one import, audited as the uploader), a batch of blank sheets refused as scanner:scan refuses it,
 * uploaded pages added to a document as one new version; a damaged image, an unknown or voided document and a
 * viewer refused with nothing stored, the file named as it was uploaded. On both back ends.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { FILE_PIECE_BYTES } from '../../src/shared/contract';
import type { AuditEvent } from '../../src/shared/model';
import { callOk, refusalOf } from '../helpers/api-calls';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { barcodePng, slipPage } from '../helpers/barcodes';
import { tempDir, writePng } from '../helpers/fixtures';
import { blankSheet, multiPageTiff } from '../helpers/scanned-batch';
import { clientAs } from '../helpers/sessions';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  let archive: Archive;
  let api: Api;
  let admin: ApiClient;
  let clerk: ApiClient;

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { program: 'upload scan test' });
    api = createApi(archive);
    admin = await clientAs(api, archive, 'admin');
    clerk = await clientAs(api, archive, 'clerk', 'li.na');
  });

  afterAll(async () => {
    await api.dispose();
    archive.close();
  });

  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  /** Uploads `bytes` as `name`, a piece at a time; answers the upload's id. */
  async function upload(client: ApiClient, name: string, bytes: Buffer): Promise<string> {
    const { uploadId } = await callOk(client, 'uploads:begin', { name, size: bytes.length, sha256: sha256(bytes) });
    for (let offset = 0; offset < bytes.length; offset += FILE_PIECE_BYTES) {
      await callOk(client, 'uploads:append', { uploadId, offset, base64: bytes.subarray(offset, offset + FILE_PIECE_BYTES).toString('base64') });
    }
    return uploadId;
  }

  /** What the archive holds: rows and stored files, to show a refusal kept nothing. */
  function holdings(target: Archive) {
    const count = (table: string) => (target.connection.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const blobs = readdirSync(join(target.dir, 'blobs'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
    return { documents: count('documents'), versions: count('document_versions'), sourceFiles: count('source_files'), pages: count('pages'), blobs };
  }

  async function eventsOf(action: string): Promise<AuditEvent[]> {
    const events = await callOk(admin, 'audit:list', { afterSeq: 0, limit: 1000 });
    return events.filter((event) => event.action === action);
  }

  async function aDocument(name: string): Promise<string> {
    const file = await writePng(tempDir('slipvault-files-'), name);
    const imported = await callOk(clerk, 'uploads:import', { uploadId: await upload(clerk, name, readFileSync(file)) });
    return imported.imported[0]!.document.archiveNo;
  }

  describe('a scanned batch uploaded from a workstation', () => {
    it('is split by the server’s slip-number patterns into documents made in one import, audited as the uploader', async () => {
      // Slip numbers only the server's own pattern knows: the default patterns would keep the batch whole.
      await callOk(admin, 'settings:update', { changes: { slipNumberPatterns: ['Q\\d{5}'] } });
      const batch = await multiPageTiff([
        await slipPage(['送货单 第一张'], await barcodePng('Q77881')),
        await slipPage(['第一张 背面']),
        await slipPage(['送货单 第二张'], await barcodePng('Q77882')),
      ]);
      const uploadId = await upload(clerk, 'scan-2026-12-07.tiff', batch);
      const result = await callOk(clerk, 'uploads:importScan', { uploadId });
      expect(result.failed).toEqual([]);
      expect(result.imported.map((entry) => [entry.file, entry.document.pageCount])).toEqual([
        ['scan-2026-12-07.tiff', 2],
        ['scan-2026-12-07.tiff', 1],
      ]);
      const events = (await eventsOf('document.import')).slice(-2);
      expect(events.map((event) => [event.actor, event.details.sourcePages])).toEqual([
        ['li.na', [1, 2]],
        ['li.na', [3]],
      ]);
      // Both parts refer to the one original, the batch as scanned.
      const originals = archive.connection.sqlite
        .prepare('SELECT DISTINCT source_file_id FROM pages WHERE document_id IN (?, ?)')
        .all(result.imported[0]!.document.id, result.imported[1]!.document.id);
      expect(originals).toHaveLength(1);
      // The upload was used: it cannot be imported again.
      expect(await refusalOf(clerk, 'uploads:importScan', { uploadId })).toMatchObject({ code: 'NOT_FOUND', messageKey: 'uploads.unknownUpload' });
    });

    it('of blank sheets only is refused as scanner:scan refuses it, and nothing is stored', async () => {
      const before = holdings(archive);
      const batch = await multiPageTiff([await blankSheet(), await blankSheet()]);
      const result = await callOk(clerk, 'uploads:importScan', { uploadId: await upload(clerk, 'scan-blank.tiff', batch) });
      expect(result).toEqual({
        imported: [],
        failed: [
          expect.objectContaining({ file: 'scan-blank.tiff', code: 'NOT_FOUND', messageKey: 'scan.allBlank', message: 'All 2 scanned page(s) are blank.' }),
        ],
      });
      expect(holdings(archive)).toEqual(before);
    });
  });

  describe('pages uploaded from a workstation', () => {
    it('are added to the document as one new version with every page, audited as the clerk', async () => {
      const archiveNo = await aDocument('签收单-0501.png');
      const files = tempDir('slipvault-files-');
      const first = readFileSync(await writePng(files, 'back.png', 300, 420));
      const second = readFileSync(await writePng(files, 'stamp.png', 310, 400));
      const detail = await callOk(clerk, 'uploads:addPages', {
        ref: archiveNo,
        uploadIds: [await upload(clerk, 'back.png', first), await upload(clerk, 'stamp.png', second)],
        reason: 'the back of the slip',
      });
      expect(detail.currentVersion).toBe(2);
      expect(detail.pages).toHaveLength(3);
      expect(detail.pages.slice(1).map((page) => page.blobHash)).toEqual([sha256(first), sha256(second)]);
      const event = (await eventsOf('document.page.add')).at(-1)!;
      expect(event).toMatchObject({
        actor: 'li.na',
        targetId: archiveNo,
        details: { files: ['back.png', 'stamp.png'], version: 2, reason: 'the back of the slip' },
      });
    });

    it('refuses a damaged image by the name it was uploaded under, and changes nothing', async () => {
      const archiveNo = await aDocument('签收单-0502.png');
      const whole = readFileSync(await writePng(tempDir('slipvault-files-'), 'page.png', 400, 600));
      const before = holdings(archive);
      const refusal = await refusalOf(clerk, 'uploads:addPages', {
        ref: archiveNo,
        uploadIds: [await upload(clerk, 'page.png', whole.subarray(0, Math.floor(whole.length / 2)))],
      });
      expect(refusal).toMatchObject({ code: 'CORRUPT_FILE', messageKey: 'files.damaged', details: { file: 'page.png' }, params: { file: 'page.png' } });
      expect(refusal.message).toMatch(/^page\.png is damaged or incomplete/);
      expect(holdings(archive)).toEqual(before);
      expect((await callOk(clerk, 'documents:history', { ref: archiveNo })).map((version) => version.number)).toEqual([1]);
    });

    it('refuses an unknown and a voided document, and discards the uploads', async () => {
      const page = readFileSync(await writePng(tempDir('slipvault-files-'), 'extra.png', 330, 470));
      const unknownUpload = await upload(clerk, 'extra.png', page);
      const before = holdings(archive);
      expect(await refusalOf(clerk, 'uploads:addPages', { ref: 'SV-1999-000001', uploadIds: [unknownUpload] })).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refusalOf(clerk, 'uploads:addPages', { ref: 'SV-1999-000001', uploadIds: [unknownUpload] })).toMatchObject({
        code: 'NOT_FOUND',
        messageKey: 'uploads.unknownUpload',
      });

      const voided = await aDocument('签收单-0503.png');
      await callOk(clerk, 'documents:void', { ref: voided, reason: 'scanned twice' });
      const afterVoid = holdings(archive);
      expect(await refusalOf(clerk, 'uploads:addPages', { ref: voided, uploadIds: [await upload(clerk, 'extra.png', page)] })).toMatchObject({
        code: 'CONFLICT',
        messageKey: 'documents.voided',
      });
      expect(holdings(archive)).toEqual(afterVoid);
      expect(afterVoid.documents).toBe(before.documents + 1);
    });
  });

  describe('asking before the scanner moves', () => {
    it('names the document a scan would go into, refuses an unknown one, and refuses a viewer every scanning call', async () => {
      const archiveNo = await aDocument('签收单-0504.png');
      expect(await callOk(clerk, 'uploads:checkScan', {})).toEqual({ archiveNo: null });
      const detail = await callOk(clerk, 'documents:get', { ref: archiveNo });
      expect(await callOk(clerk, 'uploads:checkScan', { ref: detail.id })).toEqual({ archiveNo });
      expect(await refusalOf(clerk, 'uploads:checkScan', { ref: 'SV-1999-000009' })).toMatchObject({ code: 'NOT_FOUND' });

      const viewer = await clientAs(api, archive, 'viewer', 'zhao');
      for (const [method, input] of [
        ['uploads:checkScan', {}],
        ['uploads:importScan', { uploadId: '00000000-0000-4000-8000-000000000000' }],
        ['uploads:addPages', { ref: archiveNo, uploadIds: ['00000000-0000-4000-8000-000000000000'] }],
      ] as const) {
        expect(await refusalOf(viewer, method, input)).toMatchObject({ code: 'FORBIDDEN' });
      }
    });
  });
});
