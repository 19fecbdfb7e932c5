/**
 * The full-text index (FTS5 table `search_index`, rowid = document id) and the search over it.
 * `indexDocument` is called by DocumentService.writeVersion inside the transaction that writes the
 * version, so the index always shows exactly the committed current state of every document.
 */
import type Database from 'better-sqlite3';
import { SlipVaultError } from '../../../shared/errors';
import type { FacetCount, ReindexResult, SearchHit, SearchPageHit, SearchFacets, SearchResult, SearchSnippet } from '../../../shared/model';
import type { Connection } from '../db/connection';
import { fromMinorUnits } from '../documents/amount';
import { compileTerms, matchSpans, snippetOf, wordBoxesForTerms, type CompiledTerm, type OcrWord } from './highlight';
import { resolveTypeTerms, type KnownDocumentType } from './document-type-terms';
import { parseQuery, type ParsedQuery, type RecordField, type SearchSort, type TextField } from './query-parser';
import { reindexOnWorker, type ReindexDatabase } from './reindex-job';
import { SearchSuggester } from './suggest';
import { encodeForIndex, encodeTerm } from './text-units';
import { inTransaction } from '../db/transaction';
import { writePriorityCounter } from '../db/write-priority';
import { pauseAutomerge, resumeAutomerge } from './automerge';

export interface SearchOptions {
  query: string;
  limit: number;
  offset: number;
  sort?: SearchSort | undefined;
  facets: boolean;
}

/** The documents a record filter (`auth:`, `location:`) selects, by id. */
export type RecordFilter = (field: RecordField, value: string) => number[];

/** Searching an archive whose index another connection answers (PgSearchIndex over a pool). */
export interface AsynchronousSearch {
  search(options: SearchOptions): Promise<SearchResult>;
  facets(query: string): Promise<{ total: number; facets: SearchFacets }>;
  /** The id of every document the query matches, ascending (as SearchIndex.matchingIds). */
  matchingIds(query: string): Promise<number[]>;
}

/** Loads the OCR words of the given pages (empty when none are stored). */
export type PageWordsLoader = (pageIds: number[]) => OcrWord[];

const COLUMN_OF: Record<TextField, string> = { customer: 'customer', tag: 'tags', slip: 'slip', signer: 'signer' };
/** bm25 weights in column order: title, body, customer, slip, signer, tags, state. */
const BM25 = 'bm25(search_index, 8.0, 1.0, 4.0, 6.0, 3.0, 3.0, 0.0)';
const FACET_SIZE = 20;
/** Documents per rebuild transaction: small enough that a search waiting for the write lock waits a few ms. */
const REINDEX_BATCH = 200;
const MERGE_PAGES_PER_STEP = 250;
const CACHED_STATEMENTS = 200;
const SMALL_RESULT = 1000;
const INDEX_WITH_DOCUMENTS = 'search_index JOIN documents d ON d.id = search_index.rowid';
/**
 * Version of what the index holds (tokenisation, columns). Raise it when a change makes existing indexes
 * wrong: an archive opened with an older `format` in search_state is rebuilt automatically (see `openIndex`).
 * 1 = CJK bigrams + normalised words, columns title … state.
 */
export const SEARCH_INDEX_FORMAT = 1;

interface DocumentText {
  title: string;
  status: string;
  notes: string;
  slipNo: string | null;
  signer: string | null;
  customer: string | null;
  aliases: string | null;
}

interface PageText {
  id: number;
  position: number;
  text: string | null;
}

const quoteToken = (token: string) => `"${token.replace(/"/g, '""')}"`;

/** One term as an FTS5 expression; every token is quoted, so user text can never be FTS5 syntax. */
function termExpression(compiled: CompiledTerm): string {
  const phrase = encodeTerm(compiled.units, compiled.term.prefix)
    .map((token) => `${quoteToken(token.text)}${token.prefix ? ' *' : ''}`)
    .join(' + ');
  return compiled.term.field ? `{${COLUMN_OF[compiled.term.field]}} : (${phrase})` : `(${phrase})`;
}

interface SearchPlan {
  sort: SearchSort;
  /** The terms a document must match (they rank it and are highlighted). */
  positive: CompiledTerm[];
  from: string;
  whereSql: string;
  params: unknown[];
  /** The SQL expressions of the document id and its relevance score. */
  id: string;
  score: string;
}

export class SearchIndex {
  private readonly sqlite: Database.Database;
  readonly suggester: SearchSuggester;
  /** The index was written by an older format and is being (or must be) rebuilt. */
  private formatUpgradePending: boolean;
  private runningJob: Promise<ReindexResult> | null = null;
  /** Least recently used first. */
  private readonly preparedStatements = new Map<string, Database.Statement>();
  private readonly statements: {
    documentText: Database.Statement<[number], DocumentText>;
    tags: Database.Statement<[number], string>;
    pages: Database.Statement<[number], PageText>;
    remove: Database.Statement<[number]>;
    insert: Database.Statement<[number, string, string, string, string, string, string, string]>;
    summary: Database.Statement<[number], SearchHit['document'] & { amountMinor: number | null }>;
  };

  constructor(
    connection: Connection,
    private readonly loadPageWords: PageWordsLoader = () => [],
    protected readonly recordFilter?: RecordFilter,
  ) {
    this.sqlite = connection.sqlite;
    this.suggester = new SearchSuggester(this.sqlite);
    this.formatUpgradePending = this.checkFormat();
    this.statements = {
      documentText: this.sqlite.prepare(
        `SELECT d.title, d.notes, d.slip_no AS slipNo, d.signer, d.status, c.name AS customer, c.aliases
         FROM documents d LEFT JOIN customers c ON c.id = d.customer_id WHERE d.id = ?`,
      ),
      tags: this.sqlite
        .prepare('SELECT t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id WHERE dt.document_id = ? ORDER BY t.name')
        .pluck() as Database.Statement<[number], string>,
      pages: this.sqlite.prepare('SELECT id, position, text FROM pages WHERE document_id = ? AND position IS NOT NULL ORDER BY position'),
      remove: this.sqlite.prepare('DELETE FROM search_index WHERE rowid = ?'),
      summary: this.sqlite.prepare(
        `SELECT d.id, d.archive_no AS archiveNo, d.title, c.name AS customer, d.type_code AS type, d.signed_date AS signedDate,
                d.slip_no AS slipNo, d.amount_minor AS amountMinor, d.currency, d.signer, d.status,
                (SELECT count(*) FROM pages p WHERE p.document_id = d.id AND p.position IS NOT NULL) AS pageCount,
                d.current_version AS currentVersion, d.created_at AS createdAt, d.updated_at AS updatedAt
         FROM documents d LEFT JOIN customers c ON c.id = d.customer_id WHERE d.id = ?`,
      ),
      insert: this.sqlite.prepare('INSERT INTO search_index (rowid, title, body, customer, slip, signer, tags, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    };
  }

  private customerText(row: DocumentText): string {
    if (row.customer === null) return '';
    const aliases = JSON.parse(row.aliases ?? '[]') as string[];
    return [row.customer, ...aliases].join(' / ');
  }

  /** Replaces the document's index entry with its current state. Call inside the writing transaction. */
  indexDocument(documentId: number): void {
    const row = this.statements.documentText.get(documentId);
    this.statements.remove.run(documentId);
    if (!row) return;
    const pageTexts = this.statements.pages.all(documentId).map((page) => page.text ?? '');
    this.statements.insert.run(
      documentId,
      encodeForIndex(row.title),
      encodeForIndex([row.notes, ...pageTexts].join('\n')),
      encodeForIndex(this.customerText(row)),
      encodeForIndex(row.slipNo ?? ''),
      encodeForIndex(row.signer ?? ''),
      encodeForIndex(this.statements.tags.all(documentId).join('\n')),
      row.status,
    );
  }

  private storedFormat(): number | undefined {
    return this.sqlite.prepare("SELECT value FROM search_state WHERE key = 'format'").pluck().get() as number | undefined;
  }

  private writeFormat(): void {
    this.sqlite
      .prepare("INSERT INTO search_state (key, value) VALUES ('format', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(SEARCH_INDEX_FORMAT);
  }

  /**
   * On open: an index of an older format is marked for a full rebuild (kept marked until a rebuild finishes,
   * so a rebuild cut short is detected again next time). Archives from before the marker hold format 1.
   */
  private checkFormat(): boolean {
    const stored = this.storedFormat();
    if (stored === undefined) {
      this.writeFormat();
      return false;
    }
    if (stored >= SEARCH_INDEX_FORMAT) return false;
    if (this.rebuildAfter() === null) {
      this.sqlite.prepare("INSERT INTO search_state (key, value) VALUES ('rebuild_after', 0)").run();
    }
    return true;
  }

  /**
   * Rebuilds on a worker thread (its own connection), so this thread keeps answering searches; a second call
   * while one runs joins it. Progress carries an ETA from the rate so far.
   */
  reindexInBackground(options: {
    restart: boolean;
    onProgress: (progress: { done: number; total: number; etaMs?: number }) => void;
    background?: boolean;
  }): Promise<ReindexResult> {
    if (this.runningJob) return this.runningJob;
    const started = performance.now();
    const job = reindexOnWorker(this.rebuildDatabase(), writePriorityCounter(this.sqlite), {
      restart: options.restart,
      background: options.background ?? false,
      onProgress: (done, total) => {
        const elapsed = performance.now() - started;
        options.onProgress({ done, total, ...(done > 0 ? { etaMs: Math.round((elapsed / done) * (total - done)) } : {}) });
      },
    }).finally(() => {
      this.runningJob = null;
    });
    this.runningJob = job;
    return job;
  }

  /** The database the rebuild's worker connects to by itself. */
  protected rebuildDatabase(): ReindexDatabase {
    return { kind: 'sqlite', file: this.sqlite.name };
  }

  /** Starts the rebuild an index-format upgrade needs (no-op otherwise), in the background. */
  startFormatUpgrade(onProgress: (progress: { done: number; total: number; etaMs?: number }) => void): Promise<ReindexResult> | null {
    if (!this.formatUpgradePending) return null;
    this.formatUpgradePending = false;
    // Not awaited by anyone: a failure leaves the index marked incomplete, and `slipvault reindex` finishes it.
    const job = this.reindexInBackground({ restart: false, onProgress, background: true });
    job.catch(() => undefined);
    return job;
  }

  /** Document ids after which the index may be incomplete, or null when it is complete. */
  private rebuildAfter(): number | null {
    const value = this.statement("SELECT value FROM search_state WHERE key = 'rebuild_after'").pluck().get() as number | undefined;
    return value ?? null;
  }

  isComplete(): boolean {
    return this.rebuildAfter() === null;
  }

  /**
   * Re-indexes every document in batches, each batch one transaction that also records how far it got;
   * an interrupted run continues from there the next time (`restart` starts over from the first document).
   * FTS5's automatic merging is off until the last transaction (automerge.ts says why). `beforeEachWrite`
   * runs before each batch and each merge step, outside any transaction.
   */
  reindex(onProgress: (done: number, total: number) => void, options: { restart: boolean; beforeEachWrite?: () => void }): ReindexResult {
    const beforeEachWrite = options.beforeEachWrite ?? (() => undefined);
    const startAfter = options.restart ? 0 : (this.rebuildAfter() ?? 0);
    const setCursor = this.sqlite.prepare(
      "INSERT INTO search_state (key, value) VALUES ('rebuild_after', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
    beforeEachWrite();
    inTransaction(this.sqlite, () => {
      setCursor.run(startAfter);
      pauseAutomerge(this.sqlite);
    });
    const total = this.sqlite.prepare('SELECT count(*) FROM documents WHERE id > ?').pluck().get(startAfter) as number;
    const nextBatch = this.sqlite.prepare('SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT ?').pluck();
    let cursor = startAfter;
    let done = 0;
    onProgress(0, total);
    for (;;) {
      const ids = nextBatch.all(cursor, REINDEX_BATCH) as number[];
      if (ids.length === 0) break;
      beforeEachWrite();
      inTransaction(this.sqlite, () => {
        for (const id of ids) this.indexDocument(id);
        cursor = ids[ids.length - 1]!;
        setCursor.run(cursor);
      });
      done += ids.length;
      // The last report waits until the rebuild is finished and recorded, so "done = total" means done.
      if (done < total) onProgress(done, total);
    }
    this.mergeSegments(beforeEachWrite);
    beforeEachWrite();
    inTransaction(this.sqlite, () => {
      this.sqlite.prepare("DELETE FROM search_state WHERE key = 'rebuild_after'").run();
      this.writeFormat();
      resumeAutomerge(this.sqlite);
    });
    onProgress(done, total);
    return { indexed: done, total, resumedAfter: startAfter };
  }

  /**
   * Batched inserts leave many small segments; merging them into one b-tree makes later queries read one
   * doclist per token instead of one per segment (phrase queries at 100k documents: about 25 % faster). FTS5's
   * 'merge' with a negative page count merges toward one segment a step at a time, each step its own short
   * transaction, so searches on other connections never wait long for the write lock (one 'optimize' would
   * hold it for seconds at a million documents). A step that changed fewer than 2 rows had nothing left to merge.
   */
  private mergeSegments(beforeEachWrite: () => void): void {
    const merge = this.sqlite.prepare("INSERT INTO search_index (search_index, rank) VALUES ('merge', ?)");
    const changes = this.sqlite.prepare('SELECT total_changes()').pluck();
    for (;;) {
      beforeEachWrite();
      const before = changes.get() as number;
      merge.run(-MERGE_PAGES_PER_STEP);
      if ((changes.get() as number) - before < 2) break;
    }
  }

  /**
   * Queries differ only in how many terms and filters they have, so a few hundred SQL shapes cover what users
   * type; preparing them once saves the parse and plan on every keystroke.
   */
  private statement(sql: string): Database.Statement {
    let statement = this.preparedStatements.get(sql);
    if (statement) {
      this.preparedStatements.delete(sql);
    } else {
      statement = this.sqlite.prepare(sql);
      if (this.preparedStatements.size >= CACHED_STATEMENTS) this.preparedStatements.delete(this.preparedStatements.keys().next().value!);
    }
    this.preparedStatements.set(sql, statement);
    return statement;
  }

  private resolveTypes(parsed: ParsedQuery): { codes: string[]; negated: boolean }[] {
    if (parsed.types.length === 0) return [];
    const known = this.statement('SELECT code, name_zh AS zh, name_en AS en FROM document_types').all() as KnownDocumentType[];
    return resolveTypeTerms(parsed.types, known).map(({ code, negated }) => ({ codes: [code], negated }));
  }

  /**
   * The id of every document the query matches (ascending), without ranking or hit details: the same SQL
   * conditions `search` pages through, for checking a whole result set (bench:search's truth comparison).
   */
  matchingIds(queryText: string): number[] {
    const plan = this.plan({ query: queryText });
    return this.statement(`SELECT ${plan.id} FROM ${plan.from} ${plan.whereSql} ORDER BY 1`)
      .pluck()
      .all(...plan.params) as number[];
  }

  /** Parses and compiles a query into the SQL parts `search` and `matchingIds` run. */
  private plan(options: { query: string; sort?: SearchSort | undefined }): SearchPlan {
    const parsed = parseQuery(options.query);
    const sort = options.sort ?? parsed.sort ?? 'relevance';
    const compiled = compileTerms(parsed.terms);
    const positive = compiled.filter((term) => !term.term.negated);
    const negative = compiled.filter((term) => term.term.negated);

    // Conditions on the documents table (type, date, amount), and on status when there are no words.
    const filters: string[] = [];
    const filterParams: unknown[] = [];
    const types = this.resolveTypes(parsed);
    const includedTypes = types.filter((type) => !type.negated).flatMap((type) => type.codes);
    if (includedTypes.length > 0) {
      filters.push(`d.type_code IN (${includedTypes.map(() => '?').join(', ')})`);
      filterParams.push(...includedTypes);
    }
    for (const type of types.filter((candidate) => candidate.negated)) {
      filters.push('(d.type_code IS NULL OR d.type_code <> ?)');
      filterParams.push(type.codes[0]);
    }
    for (const range of parsed.dates) {
      if (range.from) {
        filters.push('d.signed_date >= ?');
        filterParams.push(range.from);
      }
      if (range.to) {
        filters.push('d.signed_date <= ?');
        filterParams.push(range.to);
      }
    }
    for (const amount of parsed.amounts) {
      filters.push(`d.amount_minor ${amount.op} ?`);
      filterParams.push(amount.minor);
    }
    for (const record of parsed.records) {
      if (!this.recordFilter)
        throw new SlipVaultError('VALIDATION', `Search query problem: ${record.field}: is not available here.`, { field: record.field }).withMessage(
          'search.fieldNotAvailable',
          { field: record.field },
        );
      filters.push(`d.id ${record.negated ? 'NOT IN' : 'IN'} (SELECT value FROM json_each(?))`);
      filterParams.push(JSON.stringify(this.recordFilter(record.field, record.value)));
    }
    for (const amount of parsed.plainAmounts) {
      // The page may print the amount with or without thousands separators, whichever way it was typed.
      const spellings = [...new Set([amount.text, amount.text.replace(/,/g, '')])];
      const asText = compileTerms(spellings.map((text) => ({ text, prefix: false, negated: false })));
      if (asText.length > 0) {
        filters.push('(d.amount_minor = ? OR d.id IN (SELECT rowid FROM search_index WHERE search_index MATCH ?))');
        filterParams.push(amount.minor, asText.map(termExpression).join(' OR '));
      } else {
        filters.push('d.amount_minor = ?');
        filterParams.push(amount.minor);
      }
    }
    const included = parsed.statuses.filter((status) => !status.negated).map((status) => status.status);
    const excluded = parsed.statuses.filter((status) => status.negated).map((status) => status.status);
    if (included.length === 0) excluded.push('voided');

    let query: { from: string; where: string[]; params: unknown[] };
    let score = '0';
    if (positive.length > 0) {
      // Status is in the index (column `state`), so with no other filters the index answers alone.
      const statusIn = included.length > 0 ? ` AND {state} : (${included.map(quoteToken).join(' OR ')})` : '';
      const match =
        `(${positive.map(termExpression).join(' AND ')}${statusIn})` +
        [...negative.map((term) => ` NOT ${termExpression(term)}`), ...excluded.map((status) => ` NOT {state} : ${quoteToken(status)}`)].join('');
      // Facets join the documents in their own query (stats); ranking by relevance needs only the index.
      const needsDocuments = filters.length > 0 || sort !== 'relevance';
      query = needsDocuments
        ? { from: INDEX_WITH_DOCUMENTS, where: ['search_index MATCH ?', ...filters], params: [match, ...filterParams] }
        : { from: 'search_index', where: ['search_index MATCH ?'], params: [match] };
      score = `-${BM25}`;
    } else {
      const where = [...filters];
      const params = [...filterParams];
      if (negative.length > 0) {
        where.push('d.id NOT IN (SELECT rowid FROM search_index WHERE search_index MATCH ?)');
        params.push(negative.map(termExpression).join(' OR '));
      }
      if (included.length > 0) {
        where.push(`d.status IN (${included.map(() => '?').join(', ')})`);
        params.push(...included);
      }
      for (const status of excluded) {
        where.push('d.status <> ?');
        params.push(status);
      }
      query = { from: 'documents d', where, params };
    }

    const { from, params } = query;
    const whereSql = query.where.length > 0 ? `WHERE ${query.where.join(' AND ')}` : '';
    const id = from === 'search_index' ? 'search_index.rowid' : 'd.id';
    return { sort, positive, from, whereSql, params, id, score };
  }

  /** Where searches of this archive are answered asynchronously instead (PostgreSQL); null: here, synchronously. */
  asynchronous(): AsynchronousSearch | null {
    return null;
  }

  /** Lets go of what searching holds beyond the archive's own connection. */
  close(): void {}

  search(options: SearchOptions): SearchResult {
    const started = performance.now();
    const { sort, positive, from, whereSql, params, id, score } = this.plan(options);
    const order =
      sort === 'relevance' && positive.length > 0
        ? 'score DESC, id DESC'
        : sort === 'date-asc'
          ? 'd.signed_date IS NULL, d.signed_date ASC, d.id ASC'
          : 'd.signed_date IS NULL, d.signed_date DESC, d.id DESC';
    const select = `SELECT ${id} AS id, ${score} AS score FROM ${from} ${whereSql}`;
    let rows: { id: number; score: number }[];
    let stats: { total: number; facets: SearchResult['facets'] };
    // With filters on the documents table, counting visits every matching document row just as ranking
    // does, so a small result (the usual case for field searches) is read once, ranked here, and counted.
    const few =
      from !== 'search_index' && positive.length > 0 && sort === 'relevance' && !options.facets
        ? (this.statement(`${select} LIMIT ${SMALL_RESULT + 1}`).all(...params) as { id: number; score: number }[])
        : null;
    if (few && few.length <= SMALL_RESULT) {
      rows = few.sort((a, b) => b.score - a.score || b.id - a.id).slice(options.offset, options.offset + options.limit);
      stats = { total: few.length, facets: { customer: [], type: [], year: [] } };
    } else {
      // From the index alone, counting reads only the doclists (no columns, no ranking), a fraction of
      // ranking the same matches; the page query then runs only when the page is not past the end.
      stats = this.stats(from, whereSql, params, options.facets);
      rows =
        stats.total > options.offset
          ? (this.statement(`${select} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params, options.limit, options.offset) as { id: number; score: number }[])
          : [];
    }
    const hits = rows.map((row) => this.hitOf(row.id, row.score, positive));
    return {
      query: options.query,
      sort,
      total: stats.total,
      limit: options.limit,
      offset: options.offset,
      hits,
      facets: stats.facets,
      indexComplete: this.isComplete(),
      tookMs: Math.round((performance.now() - started) * 100) / 100,
    };
  }

  /**
   * The sidebar's counts as a call of their own: counting a broad query's matches costs more than ranking
   * its first page, so the UI shows the results first and fills the sidebar when this returns.
   */
  facets(query: string): { total: number; facets: SearchFacets } {
    const { from, whereSql, params } = this.plan({ query });
    return this.stats(from, whereSql, params, true);
  }

  /** Total and facet counts over every match, in one pass over the matches. */
  private stats(from: string, whereSql: string, params: unknown[], withFacets: boolean): { total: number; facets: SearchResult['facets'] } {
    const empty = { customer: [], type: [], year: [] };
    if (!withFacets) {
      const total = this.statement(`SELECT count(*) FROM ${from} ${whereSql}`)
        .pluck()
        .get(...params) as number;
      return { total, facets: empty };
    }
    const rows = this.statement(
      `WITH hits AS MATERIALIZED (SELECT d.customer_id AS customer, d.type_code AS type, substr(d.signed_date, 1, 4) AS year FROM ${from === 'search_index' ? INDEX_WITH_DOCUMENTS : from} ${whereSql})
         SELECT 'total' AS facet, NULL AS value, count(*) AS n FROM hits
         UNION ALL SELECT 'customer', customer, count(*) FROM hits WHERE customer IS NOT NULL GROUP BY customer
         UNION ALL SELECT 'type', type, count(*) FROM hits WHERE type IS NOT NULL GROUP BY type
         UNION ALL SELECT 'year', year, count(*) FROM hits WHERE year IS NOT NULL GROUP BY year`,
    ).all(...params) as { facet: string; value: string | number | null; n: number }[];
    const top = (facet: string, name: (value: string | number) => string): FacetCount[] =>
      rows
        .filter((row) => row.facet === facet && row.value !== null)
        .map((row) => ({ value: name(row.value!), count: row.n }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
        .slice(0, FACET_SIZE);
    const customerIds = rows.filter((row) => row.facet === 'customer').map((row) => row.value as number);
    const names = new Map<number, string>();
    if (customerIds.length > 0) {
      const lookup = this.sqlite.prepare('SELECT name FROM customers WHERE id = ?').pluck();
      for (const id of customerIds) names.set(id, lookup.get(id) as string);
    }
    return {
      total: rows.find((row) => row.facet === 'total')?.n ?? 0,
      facets: { customer: top('customer', (id) => names.get(id as number) ?? String(id)), type: top('type', String), year: top('year', String) },
    };
  }

  private hitOf(documentId: number, score: number, terms: CompiledTerm[]): SearchHit {
    const summary = this.summary(documentId);
    const row = this.statements.documentText.get(documentId)!;
    const pages = this.statements.pages.all(documentId);
    const anyField = terms.filter((term) => !term.term.field);
    const inField = (field: TextField) => terms.filter((term) => term.term.field === field || !term.term.field);
    const candidates: [SearchSnippet['field'], string, CompiledTerm[]][] = [
      ['title', row.title, anyField],
      ['customer', this.customerText(row), inField('customer')],
      ['slipNo', row.slipNo ?? '', inField('slip')],
      ['signer', row.signer ?? '', inField('signer')],
      ['tags', this.statements.tags.all(documentId).join(', '), inField('tag')],
      ['notes', row.notes, anyField],
      ...pages.map((page): [SearchSnippet['field'], string, CompiledTerm[]] => ['page', page.text ?? '', anyField]),
    ];
    let snippet: SearchSnippet | null = null;
    for (const [field, text, fieldTerms] of candidates) {
      snippet = snippetOf(field, text, matchSpans(text, fieldTerms));
      if (snippet) break;
    }
    const matchedPages = pages.filter((page) => matchSpans(page.text ?? '', anyField).length > 0);
    const words = matchedPages.length > 0 ? this.loadPageWords(matchedPages.map((page) => page.id)) : [];
    const pageHits: SearchPageHit[] = matchedPages.map((page) => ({
      pageId: page.id,
      position: page.position,
      boxes: wordBoxesForTerms(
        anyField,
        words.filter((word) => word.pageId === page.id),
      ),
    }));
    return { document: summary, archiveNo: summary.archiveNo, score: Math.round(score * 1000) / 1000, snippet, pages: pageHits };
  }

  private summary(documentId: number): SearchHit['document'] {
    const row = this.statements.summary.get(documentId)!;
    const { amountMinor, ...rest } = row;
    return { ...rest, amount: amountMinor === null ? null : fromMinorUnits(amountMinor) };
  }
}
