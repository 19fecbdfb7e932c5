/**
 * A whole scanned batch in ONE file (multi-page PDF of page images, multi-page TIFF), imported with
 * `slipvault import` or dropped into the hot folder (`slipvault watch`): split on a blank separator
 * sheet and on a page whose QR code carries a new slip number, one document per part, the QR's slip
 * number suggested on the part it starts; a file without separators stays one document.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { CheckReport, DocumentDetail, DocumentList, ImportResult, InboxItem, QueueCounts } from '../../src/shared/model';
import { CLI_BIN, slipvault, slipvaultJson } from '../helpers/cli';
import { barcodePng, slipPage } from '../helpers/barcodes';
import { blankSheet, imagePdf, multiPageTiff } from '../helpers/scanned-batch';
import { newEnglishArchive } from '../helpers/slips';
import { TEST_PASSWORD } from '../helpers/sessions';

/** Pages: A 1 | blank sheet | B 1 | C 1 with a QR code of `slipNo` | C 2. Expected: [A 1], [B 1], [C 1, C 2]. */
async function batchPages(label: string, slipNo: string): Promise<Buffer[]> {
  return [
    await slipPage([`${label} SLIP A PAGE 1`]),
    await blankSheet(),
    await slipPage([`${label} SLIP B PAGE 1`]),
    await slipPage([`${label} SLIP C PAGE 1`], await barcodePng(slipNo, 'QRCode')),
    await slipPage([`${label} SLIP C PAGE 2`]),
  ];
}

/** The CLI for runs that recognise pages: on a busy machine they may outlast the helper's 60 s. */
function slipvaultSlow(args: string[]) {
  return spawnSync(process.execPath, [CLI_BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD },
    timeout: 200_000,
  });
}

const EXPECTED_SOURCE_PAGES = [[0], [2], [3, 4]];

/** The inbox with every document in it shown, read once: each CLI run is a process start, and the checks only read. */
interface InboxRead {
  items: InboxItem[];
  details: DocumentDetail[];
}

function readInbox(archive: string): InboxRead {
  const items = slipvaultJson<InboxItem[]>(['--archive', archive, 'inbox']);
  return { items, details: items.map((item) => slipvaultJson<DocumentDetail>(['--archive', archive, 'show', item.document.archiveNo])) };
}

function documentsFrom(inbox: InboxRead, filename: string): DocumentDetail[] {
  return inbox.details.filter((detail) => detail.files.some((file) => file.filename === filename)).sort((a, b) => a.id - b.id);
}

function expectSplit(inbox: InboxRead, filename: string, label: string): DocumentDetail[] {
  const parts = documentsFrom(inbox, filename);
  expect(parts.map((detail) => detail.pages.map((page) => page.sourcePage))).toEqual(EXPECTED_SOURCE_PAGES);
  const stem = filename.replace(/\.[^.]+$/, '');
  expect(parts.map((detail) => detail.title)).toEqual([`${stem}-1`, `${stem}-2`, `${stem}-3`]);
  // Every part refers to the one stored original.
  expect(new Set(parts.map((detail) => detail.files.map((file) => file.blobHash).join()))).toHaveProperty('size', 1);
  for (const [index, detail] of parts.entries()) {
    const letter = 'ABC'[index]!;
    for (const page of detail.pages) expect(page.text ?? '').toMatch(new RegExp(`SLIP ${letter}`));
    expect(detail.pages[0]?.text ?? '').toContain(label);
  }
  return parts;
}

function slipSuggestions(inbox: InboxRead, archiveNo: string) {
  const item = inbox.items.find((candidate) => candidate.document.archiveNo === archiveNo)!;
  return item.suggestions.filter((suggestion) => suggestion.field === 'slipNo');
}

describe('batch files split into documents', () => {
  it('slipvault import splits a PDF and a TIFF on a blank sheet and a QR page; a file without separators stays whole', async () => {
    const { archive, dir } = newEnglishArchive();
    const pdf = join(dir, 'batch-pdf.pdf');
    writeFileSync(pdf, await imagePdf(await batchPages('PDF', 'SO-2026-0801')));
    const tiff = join(dir, 'batch-tiff.tiff');
    writeFileSync(tiff, await multiPageTiff(await batchPages('TIFF', 'SO-2026-0802')));
    const plain = join(dir, 'plain.tiff');
    writeFileSync(plain, await multiPageTiff([await slipPage(['PLAIN PAGE 1']), await slipPage(['PLAIN PAGE 2'])]));

    const result = slipvaultJson<ImportResult>(['--archive', archive, 'import', pdf, tiff, plain]);
    expect(result.failed).toEqual([]);
    expect(result.imported.map((entry) => [entry.file.split('/').pop(), entry.document.pageCount])).toEqual([
      ['batch-pdf.pdf', 1],
      ['batch-pdf.pdf', 1],
      ['batch-pdf.pdf', 2],
      ['batch-tiff.tiff', 1],
      ['batch-tiff.tiff', 1],
      ['batch-tiff.tiff', 2],
      ['plain.tiff', 2],
    ]);
    // The same file again is refused as a duplicate, naming the batch's first document.
    const again = slipvault(['--archive', archive, 'import', tiff]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`already in the archive as ${result.imported[3]!.document.archiveNo}`);

    const processed = slipvaultSlow(['--archive', archive, '--json', 'process']);
    expect(processed.status, processed.stderr).toBe(0);
    expect(JSON.parse(processed.stdout) as QueueCounts).toMatchObject({ done: 10, failed: 0, queued: 0 });
    const inbox = readInbox(archive);
    for (const [filename, label, slipNo] of [
      ['batch-pdf.pdf', 'PDF', 'SO-2026-0801'],
      ['batch-tiff.tiff', 'TIFF', 'SO-2026-0802'],
    ] as const) {
      const [a, b, c] = expectSplit(inbox, filename, label);
      expect(slipSuggestions(inbox, c!.archiveNo)[0]).toMatchObject({ value: slipNo, source: 'barcode', evidence: `QRCode on page 1: ${slipNo}` });
      for (const other of [a!, b!]) expect(slipSuggestions(inbox, other.archiveNo).filter((suggestion) => suggestion.source === 'barcode')).toEqual([]);
    }
    const whole = documentsFrom(inbox, 'plain.tiff');
    expect(whole.map((detail) => detail.pages.map((page) => page.sourcePage))).toEqual([[0, 1]]);

    const db = new Database(join(archive, 'slipvault.db'), { readonly: true });
    const imports = db.prepare(`SELECT details FROM audit_events WHERE action = 'document.import' ORDER BY seq`).pluck().all() as string[];
    db.close();
    const tiffImports = imports
      .map((details) => JSON.parse(details) as { file: string; sourcePages?: number[] })
      .filter((details) => details.file === 'batch-tiff.tiff');
    expect(tiffImports.map((details) => details.sourcePages)).toEqual([[1], [3], [4, 5]]);
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);
  }, 240_000);

  it('the hot folder splits a dropped PDF and TIFF batch the same way and moves each file to done/ once', async () => {
    const { archive, dir } = newEnglishArchive();
    const hot = join(dir, 'scans');
    slipvault(['--archive', archive, 'watch', hot, '--once', '--interval', '100', '--quiet', '100']); // creates the folders
    writeFileSync(join(hot, 'hot-pdf.pdf'), await imagePdf(await batchPages('HOTPDF', 'SO-2026-0803')));
    writeFileSync(join(hot, 'hot-tiff.tif'), await multiPageTiff(await batchPages('HOTTIFF', 'SO-2026-0804')));

    const run = slipvaultSlow(['--archive', archive, '--json', 'watch', hot, '--once', '--interval', '200', '--quiet', '300']);
    expect(run.status, run.stderr).toBe(0);
    const events = JSON.parse(run.stdout) as { file: string; outcome: { ok: boolean; archiveNos: string[] } }[];
    expect(events.map((event) => [event.file.split('/').pop(), event.outcome.archiveNos.length]).sort()).toEqual([
      ['hot-pdf.pdf', 3],
      ['hot-tiff.tif', 3],
    ]);
    expect(readdirSync(join(hot, 'done')).sort()).toEqual(['hot-pdf.pdf', 'hot-tiff.tif']);
    const inbox = readInbox(archive);

    for (const [filename, label, slipNo] of [
      ['hot-pdf.pdf', 'HOTPDF', 'SO-2026-0803'],
      ['hot-tiff.tif', 'HOTTIFF', 'SO-2026-0804'],
    ] as const) {
      const parts = expectSplit(inbox, filename, label);
      expect(events.find((event) => event.file.endsWith(filename))!.outcome.archiveNos).toEqual(parts.map((detail) => detail.archiveNo));
      expect(slipSuggestions(inbox, parts[2]!.archiveNo)[0]).toMatchObject({ value: slipNo, source: 'barcode' });
    }
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);
  }, 240_000);

  it('a batch file import killed with SIGKILL at 10 moments, then repeated: each page in exactly one document, every part once', async () => {
    const { archive, dir } = newEnglishArchive();
    const pages = [...(await batchPages('KILL1', 'SO-2026-0811')), await blankSheet(), ...(await batchPages('KILL2', 'SO-2026-0812'))];
    const tiff = join(dir, 'killed-batch.tiff');
    writeFileSync(tiff, await multiPageTiff(pages));
    const command = [process.execPath, CLI_BIN, '--archive', archive, 'import', tiff];
    // Moments spread over the import (analysis of 11 pages, then one transaction); the same on every run.
    for (const delay of [80, 200, 350, 500, 700, 900, 1200, 1500, 1900, 2400]) {
      const child = spawn(command[0]!, command.slice(1), {
        stdio: 'ignore',
        env: { ...process.env, SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD },
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      // A run that ends before its moment (refused as a duplicate once one has committed) leaves nothing to kill.
      let moment: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (moment = setTimeout(resolve, delay)))]);
      clearTimeout(moment);
      child.kill('SIGKILL');
      await exited;
    }
    slipvault(command.slice(2)); // whatever the kills left undone (refused as a duplicate if a run committed)

    const db = new Database(join(archive, 'slipvault.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT p.document_id AS documentId, p.source_page AS sourcePage FROM pages p ORDER BY p.id').all() as {
        documentId: number;
        sourcePage: number;
      }[];
      // Pages 1, 5 and 7 are separator sheets; 8 pages in 6 documents: [0] [2] [3 4] [6] [8] [9 10].
      expect(rows.map((row) => row.sourcePage)).toEqual([0, 2, 3, 4, 6, 8, 9, 10]);
      const byDocument = new Map<number, number[]>();
      for (const row of rows) byDocument.set(row.documentId, [...(byDocument.get(row.documentId) ?? []), row.sourcePage]);
      expect([...byDocument.values()]).toEqual([[0], [2], [3, 4], [6], [8], [9, 10]]);
      expect(db.prepare('SELECT count(*) FROM source_files').pluck().get()).toBe(1);
      expect(db.prepare("SELECT count(*) FROM ocr_jobs WHERE status = 'queued'").pluck().get()).toBe(8);
    } finally {
      db.close();
    }
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);

    // The shared original gone: check names every part as affected, not only the first.
    const listed = slipvaultJson<DocumentList>(['--archive', archive, 'list'])
      .items.map((document) => document.archiveNo)
      .sort();
    expect(listed).toHaveLength(6);
    const [original] = documentsFrom(readInbox(archive), 'killed-batch.tiff')[0]!.files;
    rmSync(join(archive, 'blobs', original!.blobHash.slice(0, 2), original!.blobHash.slice(2)));
    const broken = slipvault(['--archive', archive, '--json', 'check']);
    expect(broken.status).toBe(1);
    const report = JSON.parse(broken.stdout) as CheckReport;
    expect(report.problems.find((problem) => problem.kind === 'blob-missing' && problem.blobHash === original!.blobHash)?.documents).toEqual(listed);
  }, 240_000);
});
