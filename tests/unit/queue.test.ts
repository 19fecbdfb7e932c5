/** The OCR queue and text corrections on a real archive; text-layer PDFs need no OCR engine, so this is fast. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sharedAdminClient } from '../helpers/sessions';
import { DATABASE_FILE, initArchive, openArchive } from '../../src/main/core/archive';
import type { CallResult, Method, OutputOf } from '../../src/shared/contract';
import { tempDir, writePdf } from '../helpers/fixtures';

async function call<M extends Method>(archive: Awaited<ReturnType<typeof openArchive>>, method: M, input: unknown): Promise<OutputOf<M>> {
  const result = (await (await sharedAdminClient(archive, 'clerk')).invoke(method, input)) as CallResult<M>;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('OCR queue', () => {
  it('queues every imported page in the import itself, and text-layer pages become a version each', async () => {
    const dir = tempDir();
    const archive = await initArchive(join(dir, 'a'), { actor: 'clerk' });
    try {
      const imported = await call(archive, 'documents:import', { paths: [writePdf(dir, 'three.pdf', 3)] });
      const ref = imported.imported[0]!.document.archiveNo;
      expect(await call(archive, 'ocr:queue', {})).toMatchObject({ queued: 3, done: 0 });
      expect(await call(archive, 'ocr:process', {})).toMatchObject({ queued: 0, done: 3, failed: 0 });
      const detail = await call(archive, 'documents:get', { ref });
      expect(detail.pages.map((page) => page.text)).toEqual(expect.arrayContaining([expect.stringMatching(/page 1$/)]));
      const history = await call(archive, 'documents:history', { ref });
      expect(history.map((version) => version.action)).toEqual(['import', 'ocr', 'ocr', 'ocr']);
      // Nothing left to do: processing again writes nothing.
      await call(archive, 'ocr:process', {});
      expect(await call(archive, 'documents:history', { ref })).toHaveLength(4);
      expect((await call(archive, 'archive:check', {})).ok).toBe(true);
    } finally {
      archive.close();
    }
  });

  it('a clerk correction is a new version; the old text stays in history; a page of another document is refused', async () => {
    const dir = tempDir();
    const archive = await initArchive(join(dir, 'a'), { actor: 'clerk' });
    try {
      const imported = await call(archive, 'documents:import', { paths: [writePdf(dir, 'one.pdf', 1), writePdf(dir, 'two.pdf', 1)] });
      await call(archive, 'ocr:process', {});
      const [one, two] = imported.imported.map((entry) => entry.document.archiveNo);
      const page = (await call(archive, 'documents:get', { ref: one! })).pages[0]!;
      const corrected = await call(archive, 'pages:setText', { ref: one!, pageId: page.pageId, text: '送货单 SO-2026-0417', reason: 'OCR misread' });
      expect(corrected.pages[0]?.text).toBe('送货单 SO-2026-0417');
      const diff = await call(archive, 'documents:diff', { ref: one!, from: 2, to: 3 });
      expect(diff.pages).toEqual([{ kind: 'text', pageId: page.pageId }]);
      const wrong = await (await sharedAdminClient(archive, 'clerk')).invoke('pages:setText', { ref: two!, pageId: page.pageId, text: 'x' });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const same = await (await sharedAdminClient(archive, 'clerk')).invoke('pages:setText', { ref: one!, pageId: page.pageId, text: '送货单 SO-2026-0417' });
      expect(same).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    } finally {
      archive.close();
    }
  });

  it('a page that cannot be read fails with its reason, the others continue, and the inbox flags it', async () => {
    const dir = tempDir();
    const archive = await initArchive(join(dir, 'a'), { actor: 'clerk' });
    try {
      const imported = await call(archive, 'documents:import', { paths: [writePdf(dir, 'good.pdf', 1), writePdf(dir, 'lost.pdf', 1)] });
      const [good, lost] = await Promise.all(imported.imported.map((entry) => call(archive, 'documents:get', { ref: entry.document.archiveNo })));
      rmSync(archive.blobs.pathOf(lost!.files[0]!.blobHash));
      expect(await call(archive, 'ocr:process', {})).toMatchObject({ done: 1, failed: 1, queued: 0 });
      const failed = await call(archive, 'ocr:page', { ref: lost!.archiveNo, pageId: lost!.pages[0]!.pageId });
      expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/is missing from the archive/), words: [] });
      const done = await call(archive, 'ocr:page', { ref: good!.archiveNo, pageId: good!.pages[0]!.pageId });
      expect(done).toMatchObject({ status: 'done', source: 'pdf-text', confidence: 100 });
      const inbox = await call(archive, 'inbox:list', {});
      expect(inbox.find((item) => item.document.archiveNo === lost!.archiveNo)).toMatchObject({
        needsReview: true,
        pagesDone: 0,
        failedPages: [{ pageId: lost!.pages[0]!.pageId }],
      });
      expect(inbox.find((item) => item.document.archiveNo === good!.archiveNo)).toMatchObject({ needsReview: false, pagesDone: 1 });
      const foreign = await (await sharedAdminClient(archive, 'clerk')).invoke('ocr:page', { ref: good!.archiveNo, pageId: lost!.pages[0]!.pageId });
      expect(foreign).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    } finally {
      archive.close();
    }
  });

  it('pages a killed process left half-done are queued again on open', async () => {
    const dir = tempDir();
    const folder = join(dir, 'a');
    const archive = await initArchive(folder, { actor: 'clerk' });
    await call(archive, 'documents:import', { paths: [writePdf(dir, 'two.pdf', 2)] });
    archive.close();
    const raw = new Database(join(folder, DATABASE_FILE));
    raw.prepare("UPDATE ocr_jobs SET status = 'ocr' WHERE id = 1").run();
    raw.prepare("UPDATE ocr_jobs SET status = 'preprocessing' WHERE id = 2").run();
    raw.close();
    const reopened = await openArchive(folder, { actor: 'clerk' });
    try {
      expect(await call(reopened, 'ocr:queue', {})).toMatchObject({ queued: 2, ocr: 0, preprocessing: 0 });
    } finally {
      reopened.close();
    }
  });
});
