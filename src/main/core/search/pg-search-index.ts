/**
 * Full-text search on the PostgreSQL back end: the same query language (query-parser.ts), the same tokens
 * (pg-index-vectors.ts) and the same matching as SearchIndex on SQLite's FTS5, over the `search_index` table of
 * db/pg/schema.ts (tsvector columns under GIN indexes). tests/unit/pg-search-same-results.test.ts runs the same
 * queries on both back ends; `npm run bench:search-pg` times them side by side.
 *
 * Ranking is PostgreSQL's ts_rank, not FTS5's bm25, so the order of a relevance-sorted page may differ;
 * which documents match, their count, facets and every date-sorted page are the same.
 */
import type pg from 'pg';
import { SlipVaultError } from '../../../shared/errors';
import { inPgTransaction } from '../db/pg/transaction';
import { WRITER_LOCK } from '../db/pg-sync/pg-sync-database';
import { DOCUMENT_STATUSES, type FacetCount, type ReindexResult, type SearchFacets, type SearchResult } from '../../../shared/model';
import { compileTerms, type CompiledTerm } from './highlight';
import { indexVectors, statusQuery, termQuery } from './pg-index-vectors';
import { loadHits } from './pg-search-hits';
import { resolveTypeTerms, type KnownDocumentType } from './document-type-terms';
import { parseQuery, type ParsedQuery, type RecordField, type SearchSort, type TextField } from './query-parser';
import type { SearchOptions } from './search-index';

/** The documents a record filter (`auth:`, `location:`) selects, by id. */
export type PgRecordFilter = (field: RecordField, value: string) => Promise<number[]>;

const COLUMN_OF: Record<TextField, string> = { customer: 'si.customer', tag: 'si.tags', slip: 'si.slip', signer: 'si.signer' };
const FACET_SIZE = 20;
/** Documents per rebuild transaction: their text is read in three queries and written in one. */
const REINDEX_BATCH = 500;
/**
 * A broad query's page is ranked among its newest matches only: ts_rank reads every ranked document's vector,
 * and ranking all of 20,000 matches cost more than everything else a search does (bench:search-pg).
 */
const RANK_WINDOW = 2000;

interface DocumentText {
  id: number;
  title: string;
  notes: string;
  slipNo: string | null;
  signer: string | null;
  status: string;
  typeCode: string | null;
  signedDate: string | null;
  amountMinor: string | null;
  customer: string | null;
  aliases: string[] | null;
  tags: string[];
  pages: (string | null)[];
}

interface Plan {
  sort: SearchSort;
  positive: CompiledTerm[];
  from: string;
  whereSql: string;
  params: unknown[];
  /** The tsquery that ranks the matches (all positive terms), or null when nothing ranks them. */
  rankQuery: string | null;
}

/** Collects query parameters as $1, $2 … */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

export class PgSearchIndex {
  constructor(
    private readonly pool: pg.Pool,
    private readonly recordFilter?: PgRecordFilter,
  ) {}

  /** Replaces these documents' index entries with their current state. Call inside the writing transaction. */
  async indexDocuments(client: pg.ClientBase, documentIds: number[]): Promise<void> {
    const texts = await this.documentTexts(client, documentIds);
    await client.query('DELETE FROM search_index WHERE document_id = ANY($1::integer[])', [documentIds]);
    if (texts.length === 0) return;
    const params = new Params();
    const rows = texts.map((text) => {
      const values = [
        params.add(text.id),
        ...indexVectors(text).map((vector) => params.add(vector, '::tsvector')),
        params.add(text.typeCode),
        params.add(text.signedDate),
        params.add(text.amountMinor, '::bigint'),
        params.add(text.status),
      ];
      return `(${values.join(', ')})`;
    });
    await client.query(
      `INSERT INTO search_index (document_id, everything, customer, slip, signer, tags, type_code, signed_date, amount_minor, status) VALUES ${rows.join(', ')}`,
      params.values,
    );
  }

  private async documentTexts(client: pg.ClientBase, ids: number[]): Promise<DocumentText[]> {
    const result = await client.query<DocumentText>(
      `SELECT d.id, d.title, d.notes, d.slip_no AS "slipNo", d.signer, d.status, d.type_code AS "typeCode", d.signed_date AS "signedDate",
              d.amount_minor AS "amountMinor", c.name AS customer, c.aliases,
              ARRAY(SELECT t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id WHERE dt.document_id = d.id ORDER BY t.name) AS tags,
              ARRAY(SELECT p.text FROM pages p WHERE p.document_id = d.id AND p.position IS NOT NULL ORDER BY p.position) AS pages
       FROM documents d LEFT JOIN customers c ON c.id = d.customer_id WHERE d.id = ANY($1::integer[])`,
      [ids],
    );
    return result.rows;
  }

  /**
   * Re-indexes every document in batches, each one transaction that also records how far it got, so an
   * interrupted rebuild continues from there (`restart` starts over). Each batch takes the archive's writer
   * lock, as the synchronous connection's writes do: a document edited meanwhile is either indexed by its own
   * write after the batch or read by the batch after that write, never overwritten with its older text.
   * `beforeEachWrite` runs before each batch, outside any transaction.
   */
  async reindex(onProgress: (done: number, total: number) => void, options: { restart: boolean; beforeEachWrite?: () => void }): Promise<ReindexResult> {
    const beforeEachWrite = options.beforeEachWrite ?? (() => undefined);
    const client = await this.pool.connect();
    try {
      const locked = <T>(work: () => Promise<T>) =>
        inPgTransaction(client, async () => {
          await client.query('SELECT pg_advisory_xact_lock($1)', [WRITER_LOCK]);
          return work();
        });
      const setCursor = (value: number) =>
        client.query("INSERT INTO search_state (key, value) VALUES ('rebuild_after', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [value]);
      const stored = await client.query<{ value: number }>("SELECT value FROM search_state WHERE key = 'rebuild_after'");
      const startAfter = options.restart ? 0 : (stored.rows[0]?.value ?? 0);
      let cursor = startAfter;
      beforeEachWrite();
      await locked(() => setCursor(cursor));
      const total = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM documents WHERE id > $1', [cursor])).rows[0]!.n);
      let done = 0;
      onProgress(0, total);
      for (;;) {
        const ids = (await client.query<{ id: number }>('SELECT id FROM documents WHERE id > $1 ORDER BY id LIMIT $2', [cursor, REINDEX_BATCH])).rows.map(
          (row) => row.id,
        );
        if (ids.length === 0) break;
        beforeEachWrite();
        await locked(async () => {
          await this.indexDocuments(client, ids);
          cursor = ids[ids.length - 1]!;
          await setCursor(cursor);
        });
        done += ids.length;
        // The last report waits until the rebuild is finished and recorded, so "done = total" means done.
        if (done < total) onProgress(done, total);
      }
      beforeEachWrite();
      await locked(() => client.query("DELETE FROM search_state WHERE key = 'rebuild_after'"));
      // Fresh statistics, so the planner knows how selective each token is, and a visibility map, so counting
      // the matches of an index lookup need not visit the rows.
      await client.query('VACUUM (ANALYZE) search_index');
      onProgress(done, total);
      return { indexed: done, total, resumedAfter: startAfter };
    } finally {
      client.release();
    }
  }

  private async resolveTypes(client: pg.ClientBase, parsed: ParsedQuery): Promise<{ code: string; negated: boolean }[]> {
    if (parsed.types.length === 0) return [];
    const known = (await client.query<KnownDocumentType>('SELECT code, name_zh AS zh, name_en AS en FROM document_types')).rows;
    return resolveTypeTerms(parsed.types, known);
  }

  /** The condition that a document's index row matches one term: in its field, or anywhere. */
  private static termCondition(term: CompiledTerm, params: Params): string {
    const column = term.term.field ? COLUMN_OF[term.term.field] : 'si.everything';
    return `${column} @@ ${params.add(termQuery(term), '::tsquery')}`;
  }

  /** Parses and compiles a query into SQL, mirroring SearchIndex.plan condition for condition. */
  private async plan(client: pg.ClientBase, options: { query: string; sort?: SearchSort | undefined }): Promise<Plan> {
    const parsed = parseQuery(options.query);
    const sort = options.sort ?? parsed.sort ?? 'relevance';
    const compiled = compileTerms(parsed.terms);
    const positive = compiled.filter((term) => !term.term.negated);
    const negative = compiled.filter((term) => term.term.negated);
    const params = new Params();

    // With words, the filters read search_index's copies of the document columns, so the planner can combine a
    // fielded term's index with the type and date index; without words they read documents.
    const on = positive.length > 0 ? 'si' : 'd';
    const idColumn = on === 'si' ? 'si.document_id' : 'd.id';
    const filters: string[] = [];
    const types = await this.resolveTypes(client, parsed);
    const includedTypes = types.filter((type) => !type.negated).map((type) => type.code);
    if (includedTypes.length > 0) filters.push(`${on}.type_code = ANY(${params.add(includedTypes, '::text[]')})`);
    for (const type of types.filter((candidate) => candidate.negated)) filters.push(`(${on}.type_code IS NULL OR ${on}.type_code <> ${params.add(type.code)})`);
    for (const range of parsed.dates) {
      if (range.from) filters.push(`${on}.signed_date >= ${params.add(range.from)}`);
      if (range.to) filters.push(`${on}.signed_date <= ${params.add(range.to)}`);
    }
    for (const amount of parsed.amounts) filters.push(`${on}.amount_minor ${amount.op} ${params.add(amount.minor)}`);
    for (const record of parsed.records) {
      if (!this.recordFilter)
        throw new SlipVaultError('VALIDATION', `Search query problem: ${record.field}: is not available here.`, { field: record.field }).withMessage(
          'search.fieldNotAvailable',
          { field: record.field },
        );
      const ids = params.add(await this.recordFilter(record.field, record.value), '::integer[]');
      filters.push(record.negated ? `NOT (${idColumn} = ANY(${ids}))` : `${idColumn} = ANY(${ids})`);
    }
    for (const amount of parsed.plainAmounts) {
      const spellings = [...new Set([amount.text, amount.text.replace(/,/g, '')])];
      const asText = compileTerms(spellings.map((text) => ({ text, prefix: false, negated: false })));
      const minor = params.add(amount.minor);
      filters.push(
        asText.length > 0
          ? `(${on}.amount_minor = ${minor} OR ${idColumn} IN (SELECT document_id FROM search_index WHERE everything @@ ${params.add(asText.map(termQuery).join(' | '), '::tsquery')}))`
          : `${on}.amount_minor = ${minor}`,
      );
    }
    const included = parsed.statuses.filter((status) => !status.negated).map((status) => status.status);
    const excluded = parsed.statuses.filter((status) => status.negated).map((status) => status.status);
    if (included.length === 0) excluded.push('voided');

    const where: string[] = [];
    let from: string;
    let rankQuery: string | null = null;
    if (positive.length > 0) {
      // Unfielded terms, their exclusions and the statuses are one tsquery on `everything`; each fielded term is its own.
      const statuses = (included.length > 0 ? included : DOCUMENT_STATUSES).filter((status) => !excluded.includes(status));
      const unfielded = [
        ...positive.filter((term) => !term.term.field).map(termQuery),
        ...negative.filter((term) => !term.term.field).map((term) => `!${termQuery(term)}`),
      ];
      // With fielded terms only, the status comes from its column: as a lexeme it would match nearly every
      // document and make PostgreSQL read `everything` for each candidate of the fielded terms.
      if (unfielded.length === 0) {
        where.push(`si.status = ANY(${params.add(statuses, '::text[]')})`);
      } else {
        const status = statuses.length > 0 ? statusQuery(statuses) : `!${statusQuery(DOCUMENT_STATUSES)}`;
        where.push(`si.everything @@ ${params.add([...unfielded, status].join(' & '), '::tsquery')}`);
      }
      for (const term of positive.filter((candidate) => candidate.term.field)) where.push(PgSearchIndex.termCondition(term, params));
      for (const term of negative.filter((candidate) => candidate.term.field)) where.push(`NOT (${PgSearchIndex.termCondition(term, params)})`);
      where.push(...filters);
      const needsDocuments = sort !== 'relevance';
      from = needsDocuments ? 'search_index si JOIN documents d ON d.id = si.document_id' : 'search_index si';
      rankQuery = positive.map(termQuery).join(' & ');
    } else {
      where.push(...filters);
      if (negative.length > 0) {
        const matches = negative.map((term) => PgSearchIndex.termCondition(term, params)).join(' OR ');
        where.push(`d.id NOT IN (SELECT si.document_id FROM search_index si WHERE ${matches})`);
      }
      if (included.length > 0) where.push(`d.status = ANY(${params.add(included, '::text[]')})`);
      for (const status of excluded) where.push(`d.status <> ${params.add(status)}`);
      from = 'documents d';
    }
    return { sort, positive, from, whereSql: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params: params.values, rankQuery };
  }

  private static idOf(from: string): string {
    return from === 'search_index si' ? 'si.document_id' : 'd.id';
  }

  /** The id of every document the query matches, ascending. */
  async matchingIds(queryText: string): Promise<number[]> {
    const client = await this.pool.connect();
    try {
      const plan = await this.plan(client, { query: queryText });
      const result = await client.query<{ id: number }>(
        `SELECT ${PgSearchIndex.idOf(plan.from)} AS id FROM ${plan.from} ${plan.whereSql} ORDER BY 1`,
        plan.params,
      );
      return result.rows.map((row) => row.id);
    } finally {
      client.release();
    }
  }

  async search(options: SearchOptions): Promise<SearchResult> {
    const started = performance.now();
    const client = await this.pool.connect();
    try {
      const plan = await this.plan(client, options);
      const { total, rows, complete } = await PgSearchIndex.page(client, plan, options);
      const stats = options.facets ? await this.stats(client, plan.from, plan.whereSql, plan.params, true) : null;
      const hits = await loadHits(client, rows, plan.positive);
      return {
        query: options.query,
        sort: plan.sort,
        total: stats?.total ?? total,
        limit: options.limit,
        offset: options.offset,
        hits,
        facets: stats?.facets ?? { customer: [], type: [], year: [] },
        indexComplete: complete,
        tookMs: Math.round((performance.now() - started) * 100) / 100,
      };
    } finally {
      client.release();
    }
  }

  /**
   * The total and one page of a query in one statement. The matches are found once — for a phrase that means
   * rechecking every candidate row's positions, the costliest step of a broad search — and kept as ids, which
   * both the count and the page read; counting and paging as two statements paid that step twice. Whether the
   * index is complete comes along, saving a round trip.
   */
  private static async page(
    client: pg.ClientBase,
    { sort, from, whereSql, params, rankQuery }: Plan,
    { limit, offset }: { limit: number; offset: number },
  ): Promise<{ total: number; rows: { id: number; score: number }[]; complete: boolean }> {
    const id = PgSearchIndex.idOf(from);
    const page = `LIMIT ${Number(limit)} OFFSET ${Number(offset)}`;
    let matches: string;
    let ordered: string;
    let order = 'paged.score DESC, paged.id DESC';
    if (sort === 'relevance' && rankQuery !== null) {
      const rank = `$${params.length + 1}::tsquery`;
      params = [...params, rankQuery];
      // Ranking the newest matches reads their vectors again by primary key; ranking every match of a deep page
      // reads them while matching.
      if (Number(offset) + Number(limit) <= RANK_WINDOW) {
        matches = `SELECT ${id} AS id FROM ${from} ${whereSql}`;
        ordered = `SELECT newest.id, ts_rank(si.everything, ${rank})::float8 AS score
                   FROM (SELECT id FROM matches ORDER BY id DESC LIMIT ${RANK_WINDOW}) newest JOIN search_index si ON si.document_id = newest.id
                   ORDER BY score DESC, newest.id DESC ${page}`;
      } else {
        matches = `SELECT ${id} AS id, ts_rank(si.everything, ${rank})::float8 AS score FROM ${from} ${whereSql}`;
        ordered = `SELECT id, score FROM matches ORDER BY score DESC, id DESC ${page}`;
      }
    } else {
      const direction = sort === 'date-asc' ? 'ASC' : 'DESC';
      matches = `SELECT d.id, d.signed_date FROM ${from} ${whereSql}`;
      ordered = `SELECT id, 0::float8 AS score, signed_date FROM matches ORDER BY signed_date IS NULL, signed_date ${direction}, id ${direction} ${page}`;
      order = `paged.signed_date IS NULL, paged.signed_date ${direction}, paged.id ${direction}`;
    }
    const result = await client.query<{ total: number; complete: boolean; id: number | null; score: number | null }>(
      `WITH matches AS MATERIALIZED (${matches})
       SELECT counted.total, counted.complete, paged.id, paged.score
       FROM (SELECT count(*)::integer AS total, NOT EXISTS (SELECT 1 FROM search_state WHERE key = 'rebuild_after') AS complete FROM matches) counted
       LEFT JOIN LATERAL (${ordered}) paged ON true ORDER BY ${order}`,
      params,
    );
    return {
      total: result.rows[0]!.total,
      complete: result.rows[0]!.complete,
      rows: result.rows.filter((row) => row.id !== null).map((row) => ({ id: row.id!, score: row.score! })),
    };
  }

  /** The sidebar's counts, as SearchIndex.facets. */
  async facets(query: string): Promise<{ total: number; facets: SearchFacets }> {
    const client = await this.pool.connect();
    try {
      const { from, whereSql, params } = await this.plan(client, { query });
      return await this.stats(client, from, whereSql, params, true);
    } finally {
      client.release();
    }
  }

  private async stats(
    client: pg.ClientBase,
    from: string,
    whereSql: string,
    params: unknown[],
    withFacets: boolean,
  ): Promise<{ total: number; facets: SearchFacets }> {
    const empty = { customer: [], type: [], year: [] };
    if (!withFacets) {
      const total = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${from} ${whereSql}`, params);
      return { total: Number(total.rows[0]!.n), facets: empty };
    }
    const joined = from === 'search_index si' ? 'search_index si JOIN documents d ON d.id = si.document_id' : from;
    const result = await client.query<{ facet: string; value: string | null; n: string }>(
      `WITH hits AS MATERIALIZED (SELECT d.customer_id AS customer, d.type_code AS type, substr(d.signed_date, 1, 4) AS year FROM ${joined} ${whereSql})
         SELECT 'total' AS facet, NULL AS value, count(*) AS n FROM hits
         UNION ALL SELECT 'customer', c.name, count(*) FROM hits JOIN customers c ON c.id = hits.customer GROUP BY c.name
         UNION ALL SELECT 'type', type, count(*) FROM hits WHERE type IS NOT NULL GROUP BY type
         UNION ALL SELECT 'year', year, count(*) FROM hits WHERE year IS NOT NULL GROUP BY year`,
      params,
    );
    const top = (facet: string): FacetCount[] =>
      result.rows
        .filter((row) => row.facet === facet && row.value !== null)
        .map((row) => ({ value: row.value!, count: Number(row.n) }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
        .slice(0, FACET_SIZE);
    return {
      total: Number(result.rows.find((row) => row.facet === 'total')?.n ?? 0),
      facets: { customer: top('customer'), type: top('type'), year: top('year') },
    };
  }
}
