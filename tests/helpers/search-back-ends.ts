/**
 * Search tests on both back ends: a generated corpus loaded into either, and the archive's search awaited the
 * way the API reaches it — SearchIndex in-process on SQLite, PgSearchIndex on its pool on PostgreSQL
 * (`asynchronous()`).
 */
import type { ReindexResult, SearchFacets, SearchResult } from '../../src/shared/model';
import type { Archive } from '../../src/main/core/archive';
import { onPostgres } from '../../src/main/core/db/pg-sync/pg-connection';
import type { SearchOptions } from '../../src/main/core/search/search-index';
import type { Corpus } from '../../bench/search-corpus';
import { loadCorpus } from '../../bench/search-fixture';

/** Rows per INSERT on PostgreSQL, where every statement is a round trip. */
const ROWS_PER_INSERT = 500;

function insertRows(archive: Archive, table: string, columns: string[], rows: unknown[][]): void {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    archive.connection.sqlite.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`).run(...chunk.flat());
  }
}

/**
 * Loads a generated corpus as bench/search-fixture.ts does, without indexing it. On PostgreSQL the rows go in
 * several hundred per statement, with their ids given, and each identity then continues after the largest id.
 */
export function loadCorpusInto(archive: Archive, corpus: Corpus): void {
  const sqlite = archive.connection.sqlite;
  if (!onPostgres(sqlite)) {
    loadCorpus(sqlite, corpus);
    return;
  }
  const now = '2026-04-17T00:00:00.000Z';
  const tagNames = [...new Set(corpus.documents.flatMap((document) => document.tags))];
  const tagIds = new Map(tagNames.map((name, index) => [name, index + 1]));
  sqlite
    .transaction(() => {
      insertRows(
        archive,
        'customers',
        ['id', 'name', 'aliases', 'created_at'],
        corpus.customers.map((customer, index) => [index + 1, customer.name, JSON.stringify(customer.aliases), now]),
      );
      insertRows(
        archive,
        'tags',
        ['id', 'name'],
        tagNames.map((name) => [tagIds.get(name), name]),
      );
      insertRows(
        archive,
        'documents',
        [
          'id',
          'archive_no',
          'title',
          'customer_id',
          'type_code',
          'signed_date',
          'slip_no',
          'amount_minor',
          'currency',
          'signer',
          'status',
          'notes',
          'void_reason',
          'current_version',
          'created_at',
          'updated_at',
        ],
        corpus.documents.map((d) => [
          d.id,
          `SV-${2000 + Math.floor(d.id / 1_000_000)}-${String(d.id % 1_000_000).padStart(6, '0')}`,
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
          1,
          now,
          now,
        ]),
      );
      insertRows(
        archive,
        'source_files',
        ['id', 'document_id', 'blob_hash', 'filename', 'mime', 'size', 'page_count', 'imported_at'],
        corpus.documents.map((d) => [d.id, d.id, d.id.toString(16).padStart(64, '0'), 'scan.jpg', 'image/jpeg', 1, d.pages.length, now]),
      );
      insertRows(
        archive,
        'pages',
        ['document_id', 'source_file_id', 'source_page', 'position', 'rotation', 'text'],
        corpus.documents.flatMap((d) => d.pages.map((text, index) => [d.id, d.id, index, index + 1, 0, text])),
      );
      insertRows(
        archive,
        'document_tags',
        ['document_id', 'tag_id'],
        corpus.documents.flatMap((d) => d.tags.map((name) => [d.id, tagIds.get(name)])),
      );
      for (const table of ['customers', 'tags', 'documents', 'source_files']) {
        sqlite.prepare(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`).get();
      }
    })
    .immediate();
}

/** The archive's search, awaited on either back end. */
export interface AwaitedSearch {
  search(options: SearchOptions): Promise<SearchResult>;
  facets(query: string): Promise<{ total: number; facets: SearchFacets }>;
  matchingIds(query: string): Promise<number[]>;
}

export function searchOf(archive: Archive): AwaitedSearch {
  const elsewhere = archive.search.asynchronous();
  if (elsewhere) return elsewhere;
  return {
    search: async (options) => archive.search.search(options),
    facets: async (query) => archive.search.facets(query),
    matchingIds: async (query) => archive.search.matchingIds(query),
  };
}

/** Rebuilds the archive's index as `search:reindex` does (on a worker thread), without progress. */
export function rebuildIndex(archive: Archive, restart = true): Promise<ReindexResult> {
  return archive.search.reindexInBackground({ restart, onProgress: () => undefined });
}
