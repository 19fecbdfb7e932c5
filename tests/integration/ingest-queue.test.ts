/**
 * Import → durable OCR queue → inbox → filing, through the real CLI on a real archive; and the queue
 * survives SIGKILL at random moments: every page ends in exactly one document with exactly one OCR
 * version, and `check` passes.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { CheckReport, DocumentDetail, InboxItem, QueueCounts } from '../../src/shared/model';
import { CLI_BIN, slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';

async function writeSlip(dir: string, name: string, lines: string[]): Promise<string> {
  const text = lines
    .map((line, index) => `<text x="24" y="${60 + index * 56}" font-size="34" font-family="WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif">${line}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="760" height="${50 + lines.length * 56}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`;
  const path = join(dir, name);
  writeFileSync(path, await sharp(Buffer.from(svg)).png().toBuffer());
  return path;
}

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
    expect(a.warnings).toEqual([]);

    const filed = slipvaultJson<DocumentDetail>(['--archive', archive, 'file', a.document.archiveNo, '--set', 'signer=王芳']);
    expect(filed).toMatchObject({ status: 'filed', slipNo: 'SO-2026-0417', signedDate: '2026-03-05', amount: '1234.50', type: 'delivery_receipt' });
    expect(filed.metadata.signer).toBe('王芳');
    expect(filed.pages[0]?.text).toContain('SO-2026-0417');

    const b = slipvaultJson<InboxItem[]>(['--archive', archive, 'inbox'])[0]!;
    expect(b.document.title).toBe('b');
    expect(b.warnings).toEqual([`${a.document.archiveNo} has the same slip number SO-2026-0417.`]);
    // A warning, not a refusal: the re-signed slip is filed too.
    expect(slipvaultJson<DocumentDetail>(['--archive', archive, 'file', b.document.archiveNo]).status).toBe('filed');
    const refiled = slipvault(['--archive', archive, 'file', b.document.archiveNo]);
    expect(refiled.status).toBe(1);
    expect(refiled.stderr).toMatch(/is filed, not in the inbox/);
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);
  });

  it('resumes after SIGKILL at random moments: each page OCR\'d once into its own document', async () => {
    const PAGES = 8;
    const KILLS = 6;
    const { archive, dir } = newArchive();
    const files = await Promise.all(
      Array.from({ length: PAGES }, (_, index) => writeSlip(dir, `p${index}.png`, [`SLIP NO SO-2026-${String(index).padStart(4, '0')}`, `TOTAL ${index + 10}.50`])),
    );
    slipvaultJson(['--archive', archive, 'import', ...files]);
    for (let kill = 0; kill < KILLS; kill += 1) {
      const child = spawn(process.execPath, [CLI_BIN, '--archive', archive, 'process', '--workers', '1'], { stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1500));
      child.kill('SIGKILL');
      await exited;
    }
    expect(slipvaultJson<QueueCounts>(['--archive', archive, 'process', '--workers', '1'])).toMatchObject({ queued: 0, ocr: 0, preprocessing: 0, done: PAGES, failed: 0 });

    const db = new Database(join(archive, 'slipvault.db'), { readonly: true });
    try {
      const ocrVersions = db.prepare("SELECT document_id AS documentId, count(*) AS n FROM document_versions WHERE action = 'ocr' GROUP BY document_id").all() as { documentId: number; n: number }[];
      expect(ocrVersions).toHaveLength(PAGES);
      expect(ocrVersions.every((row) => row.n === 1)).toBe(true);
      const pages = db.prepare('SELECT p.id, p.document_id AS documentId, p.text, d.title FROM pages p JOIN documents d ON d.id = p.document_id').all() as {
        documentId: number;
        text: string;
        title: string;
      }[];
      expect(pages).toHaveLength(PAGES);
      for (const page of pages) expect(page.text).toContain(`SO-2026-${page.title.slice(1).padStart(4, '0')}`);
    } finally {
      db.close();
    }
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);
  }, 180_000);
});
