/**
 * The archive bench:server serves: a generated corpus of N documents (bench/search-corpus.ts, loaded in SQL as
 * bench:search does, then given a real file and a version 1 each, so `check` holds it to the same rules as an
 * archive built by imports), some real page images imported through the contract (thumbnails, versions and
 * audit events as a scan makes them; they wait in the inbox to be filed), the search index built as the app
 * builds it, and one clerk account per simulated client.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import sharp from 'sharp';
import { initArchive, type Archive } from '../src/main/core/archive';
import { readSnapshot } from '../src/main/core/documents/snapshot';
import { sha256 } from '../src/main/core/store/blobs';
import type { ImportResult } from '../src/shared/model';
import { adminClient, ensureUser } from '../tests/helpers/sessions';
import { generateCorpus, queryMix, type Corpus } from './search-corpus';
import { loadCorpus } from './search-fixture';

export const ADMIN = 'bench-admin';

export interface ServerArchive {
  dir: string;
  clerks: string[];
  /** The bench:search query mix over this corpus. */
  queries: string[];
  /** Every document's archive number. */
  documents: string[];
  /**
   * The few filed documents the whole office is working on today (of a type without required fields): every client
   * edits these, so two clerks saving the same one from the same version happens, as it does in an office.
   */
  editable: string[];
  /** Imported scans waiting in the inbox, for filing. */
  inbox: string[];
}

/** A page as a scanner gives it: white paper, printed lines, a number that makes each page distinct. */
async function scanPage(index: number): Promise<Buffer> {
  const [width, height] = [1240, 1754];
  const lines = Array.from(
    { length: 24 },
    (_, line) =>
      `<text x="120" y="${260 + line * 52}" font-size="30" font-family="sans-serif">送货单 DN-${index}-${line} 货物已签收 pallet ${line * 17}</text>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fbfaf6"/><text x="120" y="160" font-size="56">签收单 No. ${index}</text>${lines}</svg>`;
  return sharp(Buffer.from(svg)).grayscale().jpeg({ quality: 85 }).toBuffer();
}

/** A thumbnail-sized scan; each generated document stores it with its id after the image's end, so every file is distinct. */
function smallScan(): Promise<Buffer> {
  return sharp({ create: { width: 48, height: 68, channels: 3, background: { r: 250, g: 249, b: 244 } } })
    .jpeg({ quality: 60 })
    .toBuffer();
}

/**
 * Gives every generated document's source file a real stored file. Written straight into the blob folder without
 * BlobStore's fsync per file: 100,000 fsyncs would take minutes, and a fixture lost to a crash is simply made again.
 */
function storeSmallScans(archive: Archive, sqlite: Database.Database, image: Buffer): void {
  const files = sqlite.prepare('SELECT id FROM source_files ORDER BY id').pluck().all() as number[];
  const update = sqlite.prepare('UPDATE source_files SET blob_hash = ?, size = ? WHERE id = ?');
  sqlite.transaction(() => {
    for (const id of files) {
      const bytes = Buffer.concat([image, Buffer.from(`\nslipvault bench file ${id}\n`)]);
      const hash = sha256(bytes);
      const path = archive.blobs.pathOf(hash);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes);
      update.run(hash, bytes.length, id);
    }
  })();
}

export async function buildServerArchive(
  root: string,
  options: { documents: number; images: number; clients: number },
  log: (line: string) => void,
): Promise<ServerArchive> {
  const dir = join(root, 'archive');
  const archive = await initArchive(dir, { actor: 'bench' });
  try {
    log(`loading ${options.documents} documents…`);
    const corpus: Corpus = generateCorpus(options.documents);
    const sqlite = archive.connection.sqlite;
    loadCorpus(sqlite, corpus);
    log('storing a file for each…');
    storeSmallScans(archive, sqlite, await smallScan());
    log('writing version 1 of each…');
    const now = '2026-04-17T00:00:00.000Z';
    const version = sqlite.prepare(
      `INSERT INTO document_versions (document_id, number, created_at, actor, action, snapshot) VALUES (?, 1, ?, 'bench', 'import', ?)`,
    );
    sqlite.transaction(() => {
      for (const document of corpus.documents) version.run(document.id, now, JSON.stringify(readSnapshot(archive.connection.db, document.id)));
    })();
    log('building the search index…');
    archive.search.reindex(() => undefined, { restart: true });

    log(`importing ${options.images} page images…`);
    const admin = await adminClient(archive, ADMIN);
    const scans = join(root, 'scans');
    mkdirSync(scans, { recursive: true });
    const paths: string[] = [];
    for (let index = 1; index <= options.images; index += 1) {
      const path = join(scans, `scan-${index}.jpg`);
      writeFileSync(path, await scanPage(index));
      paths.push(path);
    }
    const imported = await admin.invoke('documents:import', { paths });
    if (!imported.ok) throw new Error(`import failed: ${imported.error.message}`);
    const result = imported.value as ImportResult;
    if (result.failed.length > 0) throw new Error(`import refused ${result.failed.length} file(s): ${result.failed[0]!.message}`);
    // Sessions end after the archive's idle time; a long run must not log its clients out.
    const settings = await admin.invoke('settings:update', { changes: { idleLockMinutes: 240 } });
    if (!settings.ok) throw new Error(`settings:update failed: ${settings.error.message}`);

    const clerks = Array.from({ length: options.clients }, (_, index) => `clerk-${String(index + 1).padStart(2, '0')}`);
    for (const clerk of clerks) await ensureUser(archive, clerk, 'clerk');

    const documents = sqlite.prepare('SELECT archive_no FROM documents ORDER BY id').pluck().all() as string[];
    const editable = sqlite
      .prepare(`SELECT archive_no FROM documents WHERE status = 'filed' AND (type_code IS NULL OR type_code = 'other') ORDER BY id LIMIT 10`)
      .pluck()
      .all() as string[];
    const inbox = result.imported.map((entry) => entry.document.archiveNo);
    return { dir, clerks, queries: queryMix(corpus).map((query) => query.query), documents, editable, inbox };
  } finally {
    archive.close();
  }
}
