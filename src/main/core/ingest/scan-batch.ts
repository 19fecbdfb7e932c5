/**
 * The one scanning path. The contract's scanner:scan and pages:scan run it, and every program reaches it
 * through them (the app's Inbox, the command line's `scan`), so a batch is split the same way wherever it
 * was started: the whole batch becomes one multi-page TIFF, imported as a batch file is
 * (DocumentService.importBatch → file-split.ts), with the archive's slip-number patterns. A window working on a
 * server scans on its own computer and sends that file to the server, which imports it here
 * (`uploads:importScan`, `uploads:addPages`), so the split is the server's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { DocumentDetail, ImportResult, ScanResult } from '../../../shared/model';
import type { DocumentRef, DocumentService } from '../documents/document-service';
import { toErrorPayload } from '../error-payload';
import { sharp } from '../native-libraries';
import { isBlankPage } from './batch-split';
import { captureBatch, type ScanOptions } from './sane';

/**
 * Writes the sheets as one TIFF in a temporary folder, runs `use` on its path and removes the folder. A
 * workstation scanning for a server (host/server-scans.ts) sends this same file.
 */
export async function withBatchFile<T>(sheets: Buffer[], use: (path: string) => Promise<T>): Promise<T> {
  const work = mkdtempSync(join(tmpdir(), 'slipvault-scan-'));
  try {
    const path = join(work, `scan-${new Date().toISOString().replace(/[:.]/g, '-')}.tiff`);
    // sharp joins two or more images only; a single sheet (the flatbed) is its own one-page TIFF.
    const image = sheets.length === 1 ? sharp(sheets[0]) : sharp(sheets, { join: { animated: true } });
    writeFileSync(path, await image.tiff({ compression: 'lzw' }).toBuffer());
    return await use(path);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A scanned batch file into the inbox: one document per part between blank separator sheets and slip-number
 * barcodes (the archive's patterns), all created in one transaction; the batch as scanned is kept as their
 * original. A refusal is the batch's failure entry, as an import's is.
 */
export async function importScannedBatch(docs: DocumentService, file: string): Promise<ImportResult> {
  try {
    const created = await docs.importBatch(file, { scanned: true });
    return { imported: created.map((document) => ({ file, document })), failed: [] };
  } catch (error) {
    return { imported: [], failed: [{ file, ...toErrorPayload(error) }] };
  }
}

/** Scans a batch into the inbox (importScannedBatch). */
export async function scanIntoInbox(docs: DocumentService, options: ScanOptions, env: NodeJS.ProcessEnv = process.env): Promise<ScanResult> {
  const sheets = await captureBatch(options, env);
  return { pages: sheets.length, import: await withBatchFile(sheets, (file) => importScannedBatch(docs, file)) };
}

/** The sheets that go into an existing document: blank separator sheets are left out; none left is refused. */
export async function contentSheets(sheets: Buffer[]): Promise<Buffer[]> {
  const content: Buffer[] = [];
  for (const sheet of sheets) if (!(await isBlankPage(sheet))) content.push(sheet);
  if (content.length === 0)
    throw new SlipVaultError('NOT_FOUND', `All ${sheets.length} scanned page(s) are blank.`, { pages: sheets.length }).withMessage('scan.allBlank', {
      pages: sheets.length,
    });
  return content;
}

/** Scans sheets into an existing document as one new version; blank separator sheets are left out. */
export async function scanIntoDocument(
  docs: DocumentService,
  ref: DocumentRef,
  options: ScanOptions,
  reason: string | null,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DocumentDetail> {
  docs.summary(ref); // an unknown document is refused before the scanner moves
  const content = await contentSheets(await captureBatch(options, env));
  return withBatchFile(content, (file) => docs.addPages(ref, [file], reason));
}
