/** A JPEG thumbnail per page at import: a blob beside the untouched original, shown on the page model, verified by check. */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/main/core/api';
import { adminClient } from '../helpers/sessions';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { THUMBNAIL_WIDTH } from '../../src/main/core/ingest/thumbnails';
import type { DocumentDetail, ImportResult } from '../../src/shared/model';
import { tempDir, writePdf, writeTiff } from '../helpers/fixtures';
import { writeSlip } from '../helpers/slips';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let archive: Archive;
  let api: ApiClient;
  let dir: string;

  async function call<T>(method: string, input: unknown): Promise<T> {
    const result = await api.invoke(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value as T;
  }

  const blobCount = () => archive.blobs.list().length;

  beforeAll(async () => {
    dir = tempDir();
    archive = await backEnd.init(join(dir, 'archive'), { actor: 'clerk-li' });
    api = await adminClient(archive);
  });
  afterAll(() => archive.close());

  describe('page thumbnails', () => {
    it('one ~320 px JPEG blob per page of images, TIFF frames and rendered PDF pages; originals untouched', async () => {
      const png = await writeSlip(dir, 'slip.png', ['SLIP NO DN-2026-1234', 'TOTAL 12.50']);
      const tiff = await writeTiff(dir, 'batch.tiff', 2);
      const pdf = writePdf(dir, 'contract.pdf', 2);
      const imported = await call<ImportResult>('documents:import', { paths: [png, tiff, pdf] });
      expect(imported.failed).toEqual([]);
      // The 200 px wide TIFF frames are not enlarged.
      const widths = [THUMBNAIL_WIDTH, 200, THUMBNAIL_WIDTH];
      for (const [index, path] of [png, tiff, pdf].entries()) {
        const detail = await call<DocumentDetail>('documents:get', { ref: imported.imported[index]!.document.archiveNo });
        expect(detail.files[0]!.blobHash).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
        expect(detail.pages.length).toBeGreaterThan(0);
        for (const page of detail.pages) {
          expect(page.thumbnailHash).toMatch(/^[0-9a-f]{64}$/);
          expect(page.thumbnailHash).not.toBe(page.blobHash);
          const thumbnail = readFileSync(archive.blobs.pathOf(page.thumbnailHash!));
          const meta = await sharp(thumbnail).metadata();
          expect(meta.format).toBe('jpeg');
          expect(meta.width).toBe(widths[index]);
          // Not an empty picture: the slip's and the PDF's text is on it (the TIFF frames are plain colour).
          if (index !== 1) expect((await sharp(thumbnail).greyscale().stats()).channels[0]!.min).toBeLessThan(128);
        }
      }
      // Thumbnails are not part of the versioned snapshot.
      const history = archive.connection.sqlite.prepare("SELECT snapshot FROM document_versions WHERE action = 'import' LIMIT 1").pluck().get() as string;
      expect(history).not.toContain('thumbnail');
      expect((await call<{ ok: boolean }>('archive:check', {})).ok).toBe(true);
    });

    it('a refused import leaves no thumbnail behind', async () => {
      const png = await writeSlip(dir, 'again.png', ['SLIP NO DN-2026-2000']);
      await call('documents:import', { paths: [png] });
      const before = blobCount();
      const copy = join(dir, 'again-copy.png');
      rmSync(copy, { force: true });
      const again = await call<ImportResult>('documents:import', { paths: [png] });
      expect(again.failed[0]!.code).toBe('DUPLICATE');
      expect(blobCount()).toBe(before);
    });

    it('check reports a missing thumbnail blob, naming its document', async () => {
      const png = await writeSlip(dir, 'lost.png', ['SLIP NO DN-2026-3000']);
      const [{ document }] = (await call<ImportResult>('documents:import', { paths: [png] })).imported as [ImportResult['imported'][number]];
      const page = (await call<DocumentDetail>('documents:get', { ref: document.archiveNo })).pages[0]!;
      rmSync(archive.blobs.pathOf(page.thumbnailHash!));
      const report = await call<{ ok: boolean; problems: { kind: string; documents: string[]; message: string }[] }>('archive:check', {});
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([
        expect.objectContaining({ kind: 'blob-missing', documents: [document.archiveNo], message: expect.stringMatching(/thumbnail of page/) }),
      ]);
    });
  });
});
