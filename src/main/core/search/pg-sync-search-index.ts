/**
 * The search index of an archive opened on PostgreSQL through the synchronous connection (db/pg-sync). The
 * write path indexes each document inside its writing transaction, as on SQLite, writing the same rows as
 * PgSearchIndex.indexDocuments (tsvector text of the same tokens, the filter copies). Searching itself is
 * PgSearchIndex's (asynchronous, node-postgres) and is not reachable through this synchronous archive yet:
 * those calls are refused with a sentence saying so, never answered from SQLite's FTS5 tables, which do not
 * exist here.
 */
import { SlipVaultError } from '../../../shared/errors';
import type { ReindexResult } from '../../../shared/model';
import { combinedVector, columnVector } from './pg-index-vectors';
import { customerText } from './pg-search-hits';
import type { Connection } from '../db/connection';
import { SearchIndex } from './search-index';

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

export class PgSyncSearchIndex extends SearchIndex {
  private readonly database: Connection['sqlite'];

  constructor(connection: Connection, ...rest: SearchIndexArguments) {
    super(connection, ...rest);
    this.database = connection.sqlite;
  }

  override indexDocument(documentId: number): void {
    const sqlite = this.database;
    const text = sqlite.prepare(DOCUMENT_TEXT).get(documentId) as DocumentText | undefined;
    sqlite.prepare('DELETE FROM search_index WHERE document_id = ?').run(documentId);
    if (!text) return;
    const customer = customerText(text.customer, text.aliases === null ? null : (JSON.parse(text.aliases) as string[]));
    const body = [text.notes, ...(JSON.parse(text.pages) as string[])].join('\n');
    const tags = (JSON.parse(text.tags) as string[]).join('\n');
    sqlite
      .prepare(INSERT_ROW)
      .run(
        documentId,
        combinedVector([text.title, body, customer, text.slipNo ?? '', text.signer ?? '', tags, text.status], text.status),
        columnVector(customer),
        columnVector(text.slipNo ?? ''),
        columnVector(text.signer ?? ''),
        columnVector(tags),
        text.typeCode,
        text.signedDate,
        text.amountMinor,
        text.status,
      );
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

  override reindex(): never {
    throw notHere();
  }

  override reindexInBackground(): Promise<ReindexResult> {
    return Promise.reject(notHere());
  }
}
