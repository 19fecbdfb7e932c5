/**
 * The search index of an archive opened on PostgreSQL through the synchronous connection (db/pg-sync). The
 * write path indexes each document inside its writing transaction, as on SQLite, writing the same rows as
 * PgSearchIndex.indexDocuments (tsvector text of the same tokens, the filter copies). Searches are answered by
 * PgSearchIndex on a small pool of its own (`asynchronous()`: the API awaits it), which gives SQLite's results
 * for the same query language (tests/unit/pg-search-same-results.test.ts). The rebuild is PgSearchIndex's too,
 * run by the same worker thread as SQLite's (reindex-worker.ts) on a connection of its own to the database's URL.
 * The synchronous search entry points are refused with a sentence saying so, never answered from SQLite's FTS5
 * tables, which do not exist here.
 */
import { SlipVaultError } from '../../../shared/errors';
import { indexVectors } from './pg-index-vectors';
import type { Connection } from '../db/connection';
import { connectionLost } from '../db/pg-sync/pg-errors';
import type { PgSyncDatabase } from '../db/pg-sync/pg-sync-database';
import { PgSearchIndex } from './pg-search-index';
import { searchPool } from './pg-search-pool';
import type { ReindexDatabase } from './reindex-job';
import { SearchIndex, type AsynchronousSearch, type RecordFilter, type SearchOptions } from './search-index';

type SearchIndexArguments = ConstructorParameters<typeof SearchIndex> extends [Connection, ...infer Rest] ? Rest : never;

interface DocumentText {
  title: string;
  notes: string;
  slipNo: string | null;
  signer: string | null;
  status: string;
  typeCode: string | null;
  signedDate: string | null;
  amountMinor: number | null;
  customer: string | null;
  aliases: string | null;
  tags: string;
  pages: string;
}

const DOCUMENT_TEXT = `SELECT d.title, d.notes, d.slip_no AS slipNo, d.signer, d.status, d.type_code AS typeCode, d.signed_date AS signedDate,
       d.amount_minor AS amountMinor, c.name AS customer, c.aliases,
       coalesce((SELECT json_agg(t.name ORDER BY t.name) FROM document_tags dt JOIN tags t ON t.id = dt.tag_id WHERE dt.document_id = d.id), '[]') AS tags,
       coalesce((SELECT json_agg(coalesce(p.text, '') ORDER BY p.position) FROM pages p WHERE p.document_id = d.id AND p.position IS NOT NULL), '[]') AS pages
FROM documents d LEFT JOIN customers c ON c.id = d.customer_id WHERE d.id = ?`;

const INSERT_ROW = `INSERT INTO search_index (document_id, everything, customer, slip, signer, tags, type_code, signed_date, amount_minor, status)
VALUES (?, CAST(? AS tsvector), CAST(? AS tsvector), CAST(? AS tsvector), CAST(? AS tsvector), CAST(? AS tsvector), ?, ?, ?, ?)`;

function notHere(): SlipVaultError {
  return new SlipVaultError(
    'NOT_SUPPORTED',
    'Searching an archive on PostgreSQL goes through the server’s asynchronous search (PgSearchIndex); this synchronous archive connection does not search yet.',
  ).withMessage('postgres.searchNotHere');
}

/** Connections of the server's search pool (PostgreSQL's default max_connections is 100). */
const SEARCH_CONNECTIONS = 10;

/** PgSearchIndex on a pool of its own, made at the first search (pg is loaded only then). */
class PooledSearch implements AsynchronousSearch {
  private index: Promise<PgSearchIndex> | null = null;
  private pool: { end(): Promise<void> } | null = null;

  constructor(
    private readonly database: PgSyncDatabase,
    private readonly recordFilter: RecordFilter | undefined,
  ) {}

  search(options: SearchOptions) {
    return this.answer((index) => index.search(options));
  }

  facets(query: string) {
    return this.answer((index) => index.facets(query));
  }

  matchingIds(query: string) {
    return this.answer((index) => index.matchingIds(query));
  }

  close(): void {
    void this.pool?.end().catch(() => undefined);
  }

  private async answer<T>(ask: (index: PgSearchIndex) => Promise<T>): Promise<T> {
    try {
      return await ask(await this.ready());
    } catch (error) {
      if (error instanceof SlipVaultError) throw error;
      const code = (error as { code?: string }).code ?? '';
      // Connection refused or cut, or the server shutting down: the same refusal as the archive's own connection.
      if (/^(E[A-Z]+|08\w{3}|57P0[1-3])$/.test(code)) throw connectionLost(this.database.name, code);
      throw error;
    }
  }

  private ready(): Promise<PgSearchIndex> {
    // A search holds its connection for all its round trips, and between them waits for the server's one event
    // loop; with 4 connections, an office's searches queued for a connection longer than they searched.
    this.index ??= searchPool(this.database.url, SEARCH_CONNECTIONS).then((pool) => {
      // An idle client whose server goes away must not crash the process; the next search reports it.
      pool.on('error', () => undefined);
      this.pool = pool;
      const filter = this.recordFilter;
      return new PgSearchIndex(pool, filter && ((field, value) => Promise.resolve(filter(field, value))));
    });
    return this.index;
  }
}

export class PgSyncSearchIndex extends SearchIndex {
  private readonly database: Connection['sqlite'];
  private readonly pooled: PooledSearch;

  constructor(connection: Connection, ...rest: SearchIndexArguments) {
    super(connection, ...rest);
    this.database = connection.sqlite;
    this.pooled = new PooledSearch(connection.sqlite as unknown as PgSyncDatabase, this.recordFilter);
  }

  override asynchronous(): AsynchronousSearch {
    return this.pooled;
  }

  override close(): void {
    this.pooled.close();
  }

  override indexDocument(documentId: number): void {
    const sqlite = this.database;
    const text = sqlite.prepare(DOCUMENT_TEXT).get(documentId) as DocumentText | undefined;
    sqlite.prepare('DELETE FROM search_index WHERE document_id = ?').run(documentId);
    if (!text) return;
    const vectors = indexVectors({
      ...text,
      aliases: text.aliases === null ? null : (JSON.parse(text.aliases) as string[]),
      tags: JSON.parse(text.tags) as string[],
      pages: JSON.parse(text.pages) as string[],
    });
    sqlite.prepare(INSERT_ROW).run(documentId, ...vectors, text.typeCode, text.signedDate, text.amountMinor, text.status);
  }

  /** SQLite's FTS5 format upgrade: PostgreSQL's index has no such format to upgrade. */
  override startFormatUpgrade(): null {
    return null;
  }

  override search(): never {
    throw notHere();
  }

  override facets(): never {
    throw notHere();
  }

  override matchingIds(): never {
    throw notHere();
  }

  /** Rebuilding goes through `reindexInBackground`: PgSearchIndex's rebuild on a worker thread's own connection. */
  override reindex(): never {
    throw notHere();
  }

  protected override rebuildDatabase(): ReindexDatabase {
    return { kind: 'postgres', url: (this.database as unknown as PgSyncDatabase).url };
  }
}
