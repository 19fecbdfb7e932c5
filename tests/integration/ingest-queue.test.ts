/**
 * Import → durable OCR queue → inbox → filing, through the real CLI on a real archive; and a 30-page
 * ingest survives SIGKILL at 20 seeded random moments: every page ends in exactly one document with
 * exactly one OCR version, and `check` passes.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { CheckReport, DocumentDetail, InboxItem, QueueCounts } from '../../src/shared/model';
import { CLI_BIN, slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';
import { newEnglishArchive, writeSlip } from '../helpers/slips';
import { TEST_PASSWORD } from '../helpers/sessions';
import { rng } from '../../bench/search-corpus';

function newArchive(): { archive: string; dir: string } {
  const dir = tempDir();
  const archive = join(dir, 'archive');
  slipvaultJson(['--archive', archive, 'init']);
  return { archive, dir };
}

describe('ingest queue through the CLI', () => {
  it('imports, recognises, suggests, warns on a repeated slip number and files', async () => {
    const { archive, dir } = newArchive();
    const first = await writeSlip(dir, 'a.png', ['送货单 SO-2026-0417', '合计 1,234.50 元', '日期 2026年3月5日']);
    const second = await writeSlip(dir, 'b.png', ['签收单 SO-2026-0417', '合计 1,234.50 元', '日期 2026年3月6日']);
    slipvaultJson(['--archive', archive, 'import', first, second]);
    expect(slipvaultJson<QueueCounts>(['--archive', archive, 'process', '--workers', '1'])).toMatchObject({ queued: 0, done: 2, failed: 0 });

    const inbox = slipvaultJson<InboxItem[]>(['--archive', archive, 'inbox']);
    expect(inbox).toHaveLength(2);
    const a = inbox.find((item) => item.document.title === 'a')!;
    expect(a.pagesDone).toBe(1);
    expect(a.suggestions.find((s) => s.field === 'signedDate')?.value).toBe('2026-03-05');
    // Each suggestion carries the box of the words it was read from, on its page: the date line is below the total's.
    const dateBox = a.suggestions.find((s) => s.field === 'signedDate')?.box;
    const amountBox = a.suggestions.find((s) => s.field === 'amount')?.box;
    expect(dateBox?.pageId).toBeGreaterThan(0);
    expect(dateBox!.bbox[1]).toBeGreaterThan(amountBox!.bbox[3]);
    expect(dateBox!.bbox[2]).toBeGreaterThan(dateBox!.bbox[0]);
    expect(a.warnings).toEqual([]);

    const filed = slipvaultJson<DocumentDetail>(['--archive', archive, 'file', a.document.archiveNo, '--set', 'signer=王芳', 'customer=华南贸易']);
    expect(filed).toMatchObject({ status: 'filed', slipNo: 'SO-2026-0417', signedDate: '2026-03-05', amount: '1234.50', type: 'delivery_receipt' });
    expect(filed.metadata.signer).toBe('王芳');
    expect(filed.pages[0]?.text).toContain('SO-2026-0417');

    const b = slipvaultJson<InboxItem[]>(['--archive', archive, 'inbox'])[0]!;
    expect(b.document.title).toBe('b');
    expect(b.warnings.map((warning) => warning.text)).toEqual([`${a.document.archiveNo} has the same slip number SO-2026-0417 and customer 华南贸易.`]);
    // A warning, not a refusal: the re-signed slip is filed too.
    expect(
      slipvaultJson<DocumentDetail>(['--archive', archive, 'file', b.document.archiveNo, '--set', 'customer=华南贸易', 'type=delivery_receipt']).status,
    ).toBe('filed');
    const refiled = slipvault(['--archive', archive, 'file', b.document.archiveNo, '--set', 'customer=华南贸易', 'type=delivery_receipt']);
    expect(refiled.status).toBe(1);
    expect(refiled.stderr).toMatch(/is filed, not in the inbox/);
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);
  });

  it("30-page ingest killed with SIGKILL at 20 seeded random moments, resumed each time: every page in exactly one document, OCR'd once", async () => {
    const PAGES = 30;
    const KILLS = 20;
    // Seeded: the same kill moments on every run.
    const random = rng(20261123);
    const { archive, dir } = newEnglishArchive();
    const files = await Promise.all(
      Array.from({ length: PAGES }, (_, index) => writeSlip(dir, `p${index}.png`, [`SLIP NO DN-2026-${1000 + index}`, `TOTAL ${index + 10}.50`])),
    );
    // One ingest = import every file (already imported ones are refused as duplicates), then drain the queue.
    const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI_BIN)} --archive ${JSON.stringify(archive)}`;
    const ingest = `${cli} import ${files.map((file) => JSON.stringify(file)).join(' ')}; ${cli} process --workers 1`;
    const killedAt: number[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      const child = spawn('sh', ['-c', ingest], {
        stdio: 'ignore',
        detached: true,
        env: { ...process.env, SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD },
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      const delay = 150 + Math.floor(random() * 2500);
      killedAt.push(delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the whole group: the shell and the slipvault process it runs
      } catch {
        // the ingest finished before its kill: nothing to kill
      }
      await exited;
    }
    expect(new Set(killedAt).size).toBeGreaterThan(15);
    slipvault(['--archive', archive, 'import', ...files]); // whatever the kills left unimported
    expect(slipvaultJson<QueueCounts>(['--archive', archive, 'process', '--workers', '1'])).toEqual({
      queued: 0,
      ocr: 0,
      preprocessing: 0,
      done: PAGES,
      failed: 0,
    });

    const db = new Database(join(archive, 'slipvault.db'), { readonly: true });
    try {
      const pages = db.prepare('SELECT p.id, p.document_id AS documentId, p.text, d.title FROM pages p JOIN documents d ON d.id = p.document_id').all() as {
        id: number;
        documentId: number;
        text: string;
        title: string;
      }[];
      expect(pages).toHaveLength(PAGES);
      expect(new Set(pages.map((page) => page.documentId)).size).toBe(PAGES);
      expect(pages.map((page) => page.title).sort()).toEqual(files.map((_, index) => `p${index}`).sort());
      for (const page of pages) expect(page.text).toContain(`DN-2026-${1000 + Number(page.title.slice(1))}`);
      expect(db.prepare('SELECT count(*) FROM source_files').pluck().get()).toBe(PAGES);
      const ocrVersions = db
        .prepare("SELECT document_id AS documentId, count(*) AS n FROM document_versions WHERE action = 'ocr' GROUP BY document_id")
        .all() as { documentId: number; n: number }[];
      expect(ocrVersions).toHaveLength(PAGES);
      expect(ocrVersions.every((row) => row.n === 1)).toBe(true);
      expect(db.prepare('SELECT count(*) FROM page_ocr').pluck().get()).toBe(PAGES);
    } finally {
      db.close();
    }
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);
  }, 240_000);
});
