/**
 * A page of search hits on PostgreSQL, as SearchIndex.hitOf builds them on SQLite: the document summary, the
 * first snippet in the same field order, and the matched pages with their OCR word boxes. One query per kind
 * of row for the whole page, not per hit, since each is a round trip to the server.
 */
import type pg from 'pg';
import type { OcrWord as StoredWord, SearchHit, SearchPageHit, SearchSnippet } from '../../../shared/model';
import { fromMinorUnits } from '../documents/amount';
import { matchSpans, snippetOf, wordBoxesForTerms, type CompiledTerm } from './highlight';
import type { TextField } from './query-parser';

interface HitRow {
  id: number;
  archiveNo: string;
  title: string;
  notes: string;
  customer: string | null;
  aliases: string[] | null;
  type: string | null;
  signedDate: string | null;
  slipNo: string | null;
  amountMinor: string | null;
  currency: string | null;
  signer: string | null;
  status: SearchHit['document']['status'];
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  tags: string[];
  pages: { id: number; position: number; text: string | null }[];
}

interface PageRow {
  id: number;
  documentId: number;
  position: number;
  text: string | null;
}

export function customerText(customer: string | null, aliases: string[] | null): string {
  return customer === null ? '' : [customer, ...(aliases ?? [])].join(' / ');
}

export async function loadHits(client: pg.ClientBase, ranked: { id: number; score: number }[], terms: CompiledTerm[]): Promise<SearchHit[]> {
  if (ranked.length === 0) return [];
  const ids = ranked.map((row) => row.id);
  // Each document's pages come with it, as JSON: one round trip fewer per search, which on a busy server
  // costs as much as reading the pages.
  const documents = await client.query<HitRow>(
    `SELECT d.id, d.archive_no AS "archiveNo", d.title, d.notes, c.name AS customer, c.aliases, d.type_code AS type,
            d.signed_date AS "signedDate", d.slip_no AS "slipNo", d.amount_minor AS "amountMinor", d.currency, d.signer, d.status,
            d.current_version AS "currentVersion", d.created_at AS "createdAt", d.updated_at AS "updatedAt",
            ARRAY(SELECT t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id WHERE dt.document_id = d.id ORDER BY t.name) AS tags,
            (SELECT coalesce(json_agg(json_build_object('id', p.id, 'position', p.position, 'text', p.text) ORDER BY p.position), '[]')
             FROM pages p WHERE p.document_id = d.id AND p.position IS NOT NULL) AS pages
     FROM documents d LEFT JOIN customers c ON c.id = d.customer_id WHERE d.id = ANY($1::integer[])`,
    [ids],
  );
  const pages: PageRow[] = documents.rows.flatMap((row) => row.pages.map((page) => ({ ...page, documentId: row.id })));
  const anyField = terms.filter((term) => !term.term.field);
  const inField = (field: TextField) => terms.filter((term) => term.term.field === field || !term.term.field);
  const matchedPages = pages.filter((page) => matchSpans(page.text ?? '', anyField).length > 0);
  const words = await loadWords(
    client,
    matchedPages.map((page) => page.id),
  );
  const byId = new Map(documents.rows.map((row) => [row.id, row]));
  return ranked.map(({ id, score }) => {
    const row = byId.get(id)!;
    const ownPages = pages.filter((page) => page.documentId === id);
    const candidates: [SearchSnippet['field'], string, CompiledTerm[]][] = [
      ['title', row.title, anyField],
      ['customer', customerText(row.customer, row.aliases), inField('customer')],
      ['slipNo', row.slipNo ?? '', inField('slip')],
      ['signer', row.signer ?? '', inField('signer')],
      ['tags', row.tags.join(', '), inField('tag')],
      ['notes', row.notes, anyField],
      ...ownPages.map((page): [SearchSnippet['field'], string, CompiledTerm[]] => ['page', page.text ?? '', anyField]),
    ];
    let snippet: SearchSnippet | null = null;
    for (const [field, text, fieldTerms] of candidates) {
      snippet = snippetOf(field, text, matchSpans(text, fieldTerms));
      if (snippet) break;
    }
    const pageHits: SearchPageHit[] = matchedPages
      .filter((page) => page.documentId === id)
      .map((page) => ({ pageId: page.id, position: page.position, boxes: wordBoxesForTerms(anyField, words.get(page.id) ?? []) }));
    const { amountMinor, notes: _notes, aliases: _aliases, tags: _tags, pages: ownRows, ...summary } = row;
    return {
      document: { ...summary, pageCount: ownRows.length, amount: amountMinor === null ? null : fromMinorUnits(Number(amountMinor)) },
      archiveNo: row.archiveNo,
      score: Math.round(score * 1000) / 1000,
      snippet,
      pages: pageHits,
    };
  });
}

async function loadWords(
  client: pg.ClientBase,
  pageIds: number[],
): Promise<Map<number, { pageId: number; text: string; bbox: { x0: number; y0: number; x1: number; y1: number } }[]>> {
  const words = new Map<number, { pageId: number; text: string; bbox: { x0: number; y0: number; x1: number; y1: number } }[]>();
  if (pageIds.length === 0) return words;
  const stored = await client.query<{ pageId: number; words: StoredWord[] }>(
    'SELECT page_id AS "pageId", words FROM page_ocr WHERE page_id = ANY($1::integer[])',
    [pageIds],
  );
  for (const row of stored.rows) {
    words.set(
      row.pageId,
      row.words.map(({ text, bbox: [x0, y0, x1, y1] }) => ({ pageId: row.pageId, text, bbox: { x0, y0, x1, y1 } })),
    );
  }
  return words;
}
