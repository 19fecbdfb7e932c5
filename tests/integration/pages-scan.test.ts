/**
 * pages:scan on a real archive over SANE's `test` backend: the scanned pages join an existing document as
 * one new version (and are queued for OCR); bad input and scanner failures are refused with a specific
 * error and leave the document as it was. On both back ends.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorPayload } from '../../src/shared/errors';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { useScannerArchive } from '../helpers/scanner-archive';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { hasScanimage } from '../helpers/sane';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  const scanner = useScannerArchive(backEnd, 1);
  const { call, refusal } = scanner;

  describe.runIf(hasScanimage())('pages:scan (SANE test backend)', () => {
    it('adds an ADF batch and a flatbed sheet to a document, one version each; refuses bad input, unknown documents and scanner errors', async () => {
      const files = tempDir();
      const document = await scanner.archive.documents.importFile(await writeJpeg(files, 'front.jpg'));
      const before = scanner.archive.documents.get(document.archiveNo);

      const scanned = await call('pages:scan', { ref: document.archiveNo, device: 'test:0', source: 'ADF', resolution: 50, pages: 2, reason: '补扫背面' });
      expect(scanned.currentVersion).toBe(before.currentVersion + 1);
      expect(scanned.pages).toHaveLength(3);
      expect(scanned.pages[0]!.pageId).toBe(before.pages[0]!.pageId);
      const history = scanner.archive.documents.history(document.archiveNo);
      expect(history.at(-1)).toMatchObject({ number: scanned.currentVersion, action: 'page.add', reason: '补扫背面' });
      expect(scanner.archive.ocrQueue.counts().queued).toBeGreaterThanOrEqual(2);

      // One sheet from the flatbed: a one-page scan.
      const flatbed = await call('pages:scan', { ref: document.archiveNo, device: 'test:0', source: 'Flatbed', resolution: 50 });
      expect(flatbed.pages).toHaveLength(4);
      expect(flatbed.currentVersion).toBe(scanned.currentVersion + 1);

      const unchanged = async (error: Promise<ErrorPayload>) => {
        const payload = await error;
        expect(scanner.archive.documents.get(document.archiveNo).currentVersion).toBe(flatbed.currentVersion);
        return payload;
      };
      expect(await unchanged(refusal('pages:scan', { ref: document.archiveNo, source: 'Flatbed', duplex: true }))).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('duplex scanning needs the ADF source'),
      });
      expect(await unchanged(refusal('pages:scan', { ref: document.archiveNo, device: '--help' }))).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('SANE device name'),
      });
      expect(await unchanged(refusal('pages:scan', { ref: 'SV-2026-999999', device: 'test:0', resolution: 50 }))).toMatchObject({ code: 'NOT_FOUND' });
      const broken = await unchanged(refusal('pages:scan', { ref: document.archiveNo, device: 'nosuch:0', resolution: 50 }));
      expect(broken.code).toBe('FILE_UNREADABLE');
      expect(broken.message).toMatch(/^The scanner reported an error: /);
      expect((await scanner.archive.check()).ok).toBe(true);
    });
  });
});
