/**
 * The ingest issue's bad-input list, through `slipvault import` and the hot folder (`slipvault watch`):
 * an encrypted PDF, a zero-page PDF, a decompression bomb (30000×30000 PNG), a truncated image, an
 * unreadable file (a FIFO named *.jpg — tests run as root, so file modes would not stop a read), a file
 * still being written. Each is refused with its own reason; the good file beside them is ingested; nothing
 * else in the archive changes. And a 500-page PDF is imported with memory bounded.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { adminClient } from '../helpers/sessions';
import { openArchive } from '../../src/main/core/archive';
import type { CheckReport, ImportResult } from '../../src/shared/model';
import { bombPng, encryptedPdf } from '../helpers/bad-files';
import { slipvault, slipvaultJson } from '../helpers/cli';
import { pdfBytes, tempDir } from '../helpers/fixtures';
import { newEnglishArchive, writeSlip } from '../helpers/slips';

/** The bad files, with the reason each must be refused for. */
async function writeBadFiles(dir: string): Promise<Record<string, RegExp>> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'encrypted.pdf'), encryptedPdf());
  writeFileSync(join(dir, 'no-pages.pdf'), pdfBytes(0));
  writeFileSync(join(dir, 'bomb.png'), bombPng());
  const png = readFileSync(await writeSlip(dir, 'whole.png', ['SLIP NO DN-2026-4444']));
  writeFileSync(join(dir, 'truncated.png'), png.subarray(0, Math.floor(png.length * 0.6)));
  execFileSync('rm', [join(dir, 'whole.png')]);
  execFileSync('mkfifo', [join(dir, 'unreadable.jpg')]);
  return {
    'encrypted.pdf': /encrypted\.pdf is a password-protected PDF/,
    'no-pages.pdf': /no-pages\.pdf is a PDF with no pages/,
    'bomb.png': /bomb\.png is too large to be a scanned page \(more than 268,402,689 pixels\)/,
    'truncated.png': /truncated\.png is damaged or incomplete/,
    'unreadable.jpg': /unreadable\.jpg is not a regular file/,
  };
}

interface ArchiveState {
  documents: number;
  pages: number;
  versions: number;
  blobs: number;
  jobs: number;
}

function stateOf(archive: string): ArchiveState {
  const check = slipvaultJson<CheckReport>(['--archive', archive, 'check']);
  expect(check.problems).toEqual([]);
  const blobs = readdirSync(join(archive, 'blobs'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
  const db = new Database(join(archive, 'slipvault.db'), { readonly: true });
  try {
    const jobs = db.prepare('SELECT count(*) FROM ocr_jobs').pluck().get() as number;
    return { documents: check.counts.documents, pages: check.counts.pages, versions: check.counts.versions, blobs, jobs };
  } finally {
    db.close();
  }
}

describe('bad input at ingest', () => {
  it('import: each bad file is refused with its own reason, the good one is imported, nothing else changes', async () => {
    const { archive, dir } = newEnglishArchive();
    const before = stateOf(archive);
    const reasons = await writeBadFiles(join(dir, 'in'));
    const good = await writeSlip(join(dir, 'in'), 'good.png', ['SLIP NO DN-2026-5555']);
    const names = Object.keys(reasons);
    const run = slipvault(['--json', '--archive', archive, 'import', ...names.map((name) => join(dir, 'in', name)), good]);
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout) as ImportResult;
    expect(result.imported.map((entry) => entry.file)).toEqual([good]);
    expect(result.failed.map((failure) => failure.file.split('/').pop())).toEqual(names);
    for (const failure of result.failed) expect(failure.message).toMatch(reasons[failure.file.split('/').pop()!]!);

    // Exactly the good file's document: 1 page, its import version, original + thumbnail, 1 queued page.
    expect(stateOf(archive)).toEqual({
      documents: before.documents + 1,
      pages: before.pages + 1,
      versions: before.versions + 1,
      blobs: before.blobs + 2,
      jobs: before.jobs + 1,
    });
  }, 120_000);

  it('hot folder: bad files go to failed/ with a reason file, a file still being written waits, the rest is ingested', async () => {
    const { archive, dir } = newEnglishArchive();
    const hot = join(dir, 'scans');
    const reasons = await writeBadFiles(hot);
    const before = stateOf(archive);
    await writeSlip(hot, 'good.png', ['SLIP NO DN-2026-6666']);
    // A scanner still writing: the file grows the whole time the watcher runs.
    const growing = join(hot, 'growing.png');
    writeFileSync(growing, readFileSync(join(hot, 'good.png')).subarray(0, 100));
    const writer = spawn(process.execPath, [
      '-e',
      `const fs=require('fs');setInterval(()=>fs.appendFileSync(${JSON.stringify(growing)},'x'),100);setTimeout(()=>process.exit(0),8000)`,
    ]);
    const run = slipvault(['--json', '--archive', archive, 'watch', hot, '--once', '--interval', '200', '--quiet', '800']);
    writer.kill();
    expect(run.status, run.stderr).toBe(1);
    const events = JSON.parse(run.stdout) as { file: string; outcome: { ok: boolean; reason?: string } }[];
    const outcome = new Map(events.map((event) => [event.file.split('/').pop()!, event.outcome]));
    expect([...outcome.keys()].sort()).toEqual([...Object.keys(reasons), 'good.png'].sort());
    expect(outcome.get('good.png')!.ok).toBe(true);

    expect(readdirSync(join(hot, 'done'))).toEqual(['good.png']);
    const failed = readdirSync(join(hot, 'failed')).sort();
    expect(failed).toEqual(
      Object.keys(reasons)
        .flatMap((name) => [name, `${name}.reason.txt`])
        .sort(),
    );
    for (const [name, reason] of Object.entries(reasons)) {
      expect(outcome.get(name)!.reason).toMatch(reason);
      expect(readFileSync(join(hot, 'failed', `${name}.reason.txt`), 'utf8')).toMatch(reason);
    }
    // The file being written was neither taken nor moved. The good one was imported and OCR'd (2 versions).
    expect(existsSync(growing)).toBe(true);
    expect(stateOf(archive)).toEqual({
      documents: before.documents + 1,
      pages: before.pages + 1,
      versions: before.versions + 2,
      blobs: before.blobs + 2,
      jobs: before.jobs + 1,
    });
  }, 120_000);

  it('a 500-page PDF is imported with memory bounded (RSS sampled during the import)', async () => {
    const dir = tempDir();
    const big = join(dir, 'ledger.pdf');
    writeFileSync(big, pdfBytes(500));
    const archiveDir = join(dir, 'archive');
    slipvaultJson(['--archive', archiveDir, 'init']);
    const archive = await openArchive(archiveDir, { actor: 'clerk-li' });
    try {
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      const result = await (await adminClient(archive, 'clerk-li')).invoke('documents:import', { paths: [big] });
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(result).toMatchObject({ ok: true, value: { failed: [], imported: [{ document: { pageCount: 500 } }] } });
      // Generous: one page is rendered at a time (~1 MB of pixels), so growth stays far below this.
      expect(peak - baseline).toBeLessThan(400 * 1024 * 1024);
      expect((await archive.check()).ok).toBe(true);
    } finally {
      archive.close();
    }
  }, 120_000);
});
