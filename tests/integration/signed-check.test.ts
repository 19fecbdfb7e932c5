/**
 * The signed check through the contract on a real archive: generated signed and unsigned slips imported as
 * files, documents:signatureCheck (run on demand, stored, rechecked), documents:requireSigned (NOT_SIGNED, or
 * a clerk's audited override), filing a signed_back slip, and the check run by OCR processing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { callOk, refusalOf } from '../helpers/api-calls';
import { tempDir } from '../helpers/fixtures';
import { adminClient, clientAs } from '../helpers/sessions';
import { signedPage, type SignedPageOptions } from '../helpers/signed-pages';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let dir: string;
  let archive: Archive;
  let clerk: ApiClient;
  let viewer: ApiClient;

  async function importPage(name: string, options: SignedPageOptions): Promise<string> {
    const path = join(dir, name);
    writeFileSync(path, await signedPage(options));
    const result = await callOk(clerk, 'documents:import', { paths: [path] });
    return result.imported[0]!.document.archiveNo;
  }

  beforeAll(async () => {
    dir = tempDir('slipvault-signed-');
    archive = await backEnd.init(join(dir, 'archive'), { actor: 'clerk-li' });
    await adminClient(archive);
    const api = createApi(archive);
    clerk = await clientAs(api, archive, 'clerk', 'clerk-li');
    viewer = await clientAs(api, archive, 'viewer', 'viewer-wu');
  });

  afterAll(() => archive.close());

  describe('signed check through the contract', () => {
    it('checks each page on demand, stores the result, and rechecks when asked', async () => {
      const ref = await importPage('signed.png', { seed: 41, signature: true, seal: true });
      const detail = await callOk(clerk, 'documents:get', { ref });
      const first = await callOk(viewer, 'documents:signatureCheck', { ref });
      expect(first).toMatchObject({ archiveNo: ref, signed: true });
      const [page] = first.pages;
      expect(page).toMatchObject({ pageId: detail.pages[0]!.pageId, signed: true, signature: true, seal: true });
      expect(new Set(page!.regions.map((region) => region.kind))).toEqual(new Set(['signature', 'seal']));
      // Regions are in the page's own pixels (this PNG is under the OCR size limit, so its frame is the image).
      const { width, height } = await import('sharp').then(({ default: sharp }) => sharp(join(dir, 'signed.png')).metadata());
      expect(page!.frame).toEqual({ width, height });
      for (const region of page!.regions) {
        expect(region.x1).toBeLessThanOrEqual(width!);
        expect(region.y1).toBeLessThanOrEqual(height!);
        expect(region.confidence).toBeGreaterThan(0.5);
      }
      // Stored: asking again does not run it again; recheck does.
      expect(await callOk(viewer, 'documents:signatureCheck', { ref })).toEqual(first);
      const again = await callOk(clerk, 'documents:signatureCheck', { ref, recheck: true });
      expect(again.pages[0]!.checkedAt >= page!.checkedAt).toBe(true);
      expect(again.pages[0]!.regions).toEqual(page!.regions);
    });

    it('gates "returned": signed passes, unsigned is NOT_SIGNED, an override is audited; viewers may not override', async () => {
      const signed = await importPage('signed-only.png', { seed: 42, signature: true, seal: false });
      const gate = await callOk(clerk, 'documents:requireSigned', { ref: signed });
      expect(gate).toMatchObject({ signed: true });

      const unsigned = await importPage('unsigned.png', { seed: 42, signature: false, seal: false });
      const refusal = await refusalOf(clerk, 'documents:requireSigned', { ref: unsigned });
      expect(refusal.code).toBe('NOT_SIGNED');
      expect(refusal.message).toBe(`${unsigned} shows no signature or seal on its 1 page(s); check the paper, or give an override reason.`);

      const seq = archive.audit.head().seq;
      expect(await callOk(clerk, 'documents:requireSigned', { ref: unsigned, override: 'signed on the back, scanned front only' })).toEqual({
        signed: false,
        override: 'signed on the back, scanned front only',
      });
      const event = archive.audit.list(seq, 10).find((entry) => entry.action === 'document.signed-override');
      expect(event).toMatchObject({ actor: 'clerk-li', targetId: unsigned, details: { reason: 'signed on the back, scanned front only' } });
      expect((await refusalOf(viewer, 'documents:requireSigned', { ref: unsigned, override: 'x' })).code).toBe('FORBIDDEN');
      expect((await refusalOf(clerk, 'documents:requireSigned', { ref: unsigned, override: '  ' })).code).toBe('VALIDATION');
      expect((await refusalOf(viewer, 'documents:signatureCheck', { ref: 'SV-1999-000001' })).code).toBe('NOT_FOUND');
    });

    it('files a signed_back slip only when it is signed, or with an override', async () => {
      const complete = { type: 'signed_back', customer: '华南贸易', signedDate: '2026-03-05', slipNo: 'YD933978753164' };
      const unsigned = await importPage('back-unsigned.png', { seed: 43, signature: false, seal: false });
      const refusal = await refusalOf(clerk, 'inbox:file', { ref: unsigned, acceptSuggestions: false, changes: complete });
      expect(refusal).toMatchObject({ code: 'FILING_INCOMPLETE', details: { missing: ['signature'] } });
      expect((await callOk(clerk, 'documents:get', { ref: unsigned })).status).toBe('inbox');
      const overridden = await callOk(clerk, 'inbox:file', {
        ref: unsigned,
        acceptSuggestions: false,
        changes: complete,
        filingOverride: 'stamp on page 2, not scanned',
      });
      expect(overridden.status).toBe('filed');

      const signed = await importPage('back-signed.png', { seed: 43, signature: true, seal: false });
      expect((await callOk(clerk, 'inbox:file', { ref: signed, acceptSuggestions: false, changes: complete })).status).toBe('filed');
    });

    it('is run by OCR processing, so a recognised page already has its result', async () => {
      await callOk(await adminClient(archive), 'settings:update', { changes: { ocrLanguages: ['eng'] } });
      const ref = await importPage('ocr.png', { seed: 44, signature: true, seal: false });
      const pageId = (await callOk(clerk, 'documents:get', { ref })).pages[0]!.pageId;
      expect(archive.signatures.stored(pageId)).toBeNull();
      await callOk(clerk, 'ocr:process', {});
      expect(archive.signatures.stored(pageId)).toMatchObject({ pageId, signed: true, signature: true });
    });
  });
});
