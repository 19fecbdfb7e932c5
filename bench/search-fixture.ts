/**
 * Loads a generated corpus (bench/search-corpus.ts) into an archive's tables, as the documents service would
 * have left them, without indexing it; the benchmarks then build the index as the app does.
 */
import type Database from 'better-sqlite3';
import type { Corpus } from './search-corpus';

export function loadCorpus(sqlite: Database.Database, corpus: Corpus): void {
  const now = '2026-04-17T00:00:00.000Z';
  sqlite.pragma('synchronous = NORMAL'); // loading the fixture only; the index build runs as in the app
  sqlite.transaction(() => {
    const customer = sqlite.prepare('INSERT INTO customers (id, name, aliases, created_at) VALUES (?, ?, ?, ?)');
    corpus.customers.forEach((c, index) => customer.run(index + 1, c.name, JSON.stringify(c.aliases), now));
    const tagIds = new Map<string, number>();
    const tag = sqlite.prepare('INSERT INTO tags (name) VALUES (?)');
    const docTag = sqlite.prepare('INSERT INTO document_tags (document_id, tag_id) VALUES (?, ?)');
    const doc = sqlite.prepare(
      `INSERT INTO documents (id, archive_no, title, customer_id, type_code, signed_date, slip_no, amount_minor, currency, signer, status, notes, void_reason, current_version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    );
    const file = sqlite.prepare(
      `INSERT INTO source_files (id, document_id, blob_hash, filename, mime, size, page_count, imported_at) VALUES (?, ?, ?, 'scan.jpg', 'image/jpeg', 1, ?, ?)`,
    );
    const page = sqlite.prepare('INSERT INTO pages (document_id, source_file_id, source_page, position, rotation, text) VALUES (?, ?, ?, ?, 0, ?)');
    for (const d of corpus.documents) {
      const archiveNo = `SV-${2000 + Math.floor(d.id / 1_000_000)}-${String(d.id % 1_000_000).padStart(6, '0')}`;
      doc.run(
        d.id,
        archiveNo,
        d.title,
        d.customer === null ? null : d.customer + 1,
        d.type,
        d.signedDate,
        d.slipNo,
        d.amountMinor,
        d.amountMinor === null ? null : 'CNY',
        d.signer,
        d.voided ? 'voided' : 'filed',
        d.notes,
        d.voided ? 'bench' : null,
        now,
        now,
      );
      file.run(d.id, d.id, d.id.toString(16).padStart(64, '0'), d.pages.length, now);
      d.pages.forEach((text, index) => page.run(d.id, d.id, index, index + 1, text));
      for (const name of d.tags) {
        if (!tagIds.has(name)) tagIds.set(name, Number(tag.run(name).lastInsertRowid));
        docTag.run(d.id, tagIds.get(name));
      }
    }
  })();
  sqlite.pragma('synchronous = FULL');
}
