/**
 * Works through the durable OCR queue (table ocr_jobs, one row per page): claim a queued page, prepare
 * its image, recognise it, then in ONE transaction store its words, write its text as a new document
 * version, refresh the document's filing suggestions and mark the job done. A process killed at any
 * point leaves the page `preprocessing`/`ocr`; `resumeInterrupted` (run on open) queues it again.
 *
 * Several servers may share one PostgreSQL database, so a claim names its holder and carries a lease the
 * holder renews while it works: opening, and the sweep a serving owner runs, put back only pages whose
 * holder is gone (its lease ran out), never a live server's pages in flight. An owner's own pages from an
 * earlier run of itself are put back at open at once; on SQLite the writer lock allows one owner, so every
 * page in flight at open is a dead process's.
 */
import { hostname } from 'node:os';
import { and, asc, count, eq, inArray, isNull, lt, ne, or, type SQL } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import type { JobProgress } from '../../../shared/events';
import type { CustomerRecord, DocumentTypeRecord, OcrJobStatus, PageBarcode, PageRecognition, PageText, QueueCounts, Suggestion } from '../../../shared/model';
import type { Connection } from '../db/connection';
import { documentSuggestions, ocrJobs, pageOcr, pages, sourceFiles } from '../db/schema';
import type { DocumentService } from '../documents/document-service';
import { readPages } from '../documents/snapshot';
import { extractSuggestions } from '../extract/suggest';
import { withSourceBoxes, type RecognisedPage } from '../extract/suggestion-boxes';
import type { OcrPool } from '../ocr/ocr-pool';
import { recognisePage } from '../ocr/recognise-file';
import type { BlobStore } from '../store/blobs';
import { MAX_BARCODE_SIDE, readPageBarcodes, slipNumbersOf } from './barcodes';
import { pageImage } from './page-image';
import { inTransaction } from '../db/transaction';
import { onPostgres } from '../db/pg-sync/pg-connection';

/** A decoded barcode is exact (checksummed), unlike text read by OCR. */
const BARCODE_CONFIDENCE = 0.99;
/** As many slip-number suggestions as the extractor gives per field. */
const SLIP_SUGGESTIONS = 3;
/**
 * How long a claim stays the holder's without renewal. Long against the stalls of a busy owner's thread
 * (a large import or check runs on it for seconds, and a renewal waits for it), short against a clerk
 * waiting for the pages of a server that died.
 */
export const OCR_LEASE_MS = 60_000;
const IN_FLIGHT = ['preprocessing', 'ocr'] as const;

/**
 * The queue owner opening an archive folder (an archive's, or a PostgreSQL server's files folder): the
 * folder's writer lock lets one process at a time be it, so pages it holds at open are from a run of itself
 * that died.
 */
export function ocrHolderOf(folder: string): string {
  return `${hostname()}:${folder}`;
}

export interface OcrQueueDeps {
  connection: Connection;
  documents: DocumentService;
  blobs: BlobStore;
  now: () => string;
  customers: () => CustomerRecord[];
  documentTypes: () => DocumentTypeRecord[];
  slipPatterns: () => string[] | undefined;
  onProgress: (progress: JobProgress) => void;
  /** A document's filing suggestions were recomputed after OCR, inside the page's transaction (the slip ledger matches on them). */
  onSuggestions?: (documentId: number) => void;
  /** Derived work on a page once it is recognised (the signed check); a failure leaves it to be done on demand. */
  afterRecognised?: (pageId: number) => Promise<unknown>;
  /** Who this queue's claims name (`ocrHolderOf`). */
  holder: string;
  /** How long a claim lasts unrenewed; default OCR_LEASE_MS. */
  leaseMs?: number;
}

interface ClaimedPage {
  jobId: number;
  /** The claim's number: a job taken back and claimed again has a higher one, so a late result of this claim is not written. */
  attempt: number;
  pageId: number;
  sourcePage: number;
  blobHash: string;
  mime: string;
  filename: string;
}

export class OcrQueue {
  private readonly db: Connection['db'];
  readonly holder: string;
  private readonly leaseMs: number;
  /** How often a draining holder renews its leases and a serving owner looks for expired ones. */
  readonly leaseCheckMs: number;

  constructor(private readonly deps: OcrQueueDeps) {
    this.db = deps.connection.db;
    this.holder = deps.holder;
    this.leaseMs = deps.leaseMs ?? OCR_LEASE_MS;
    this.leaseCheckMs = Math.max(1, Math.floor(this.leaseMs / 4));
  }

  private transaction<T>(work: () => T): T {
    return inTransaction(this.deps.connection.sqlite, work);
  }

  /**
   * Leases are read against the database's clock on PostgreSQL, so servers whose own clocks differ still agree
   * on when a lease ran out; an archive folder has one owner, whose clock is the only one.
   */
  private leaseClock(): number {
    const sqlite = this.deps.connection.sqlite;
    if (!onPostgres(sqlite)) return Date.now();
    return Date.parse(sqlite.prepare(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`).pluck().get() as string);
  }

  private leaseFrom(now: number): string {
    return new Date(now + this.leaseMs).toISOString();
  }

  /** Claims whose holder is gone: its lease ran out, or it named none (claimed before holders were recorded). */
  private expiredClaim(): SQL {
    return or(isNull(ocrJobs.holder), isNull(ocrJobs.leaseUntil), lt(ocrJobs.leaseUntil, new Date(this.leaseClock()).toISOString()))!;
  }

  private putBack(which: SQL | undefined): number {
    return this.transaction(
      () =>
        this.db
          .update(ocrJobs)
          .set({ status: 'queued', holder: null, leaseUntil: null, updatedAt: this.deps.now() })
          .where(and(inArray(ocrJobs.status, IN_FLIGHT), which))
          .run().changes,
    );
  }

  /**
   * At open: pages a killed process was working on go back to the queue — on SQLite every page in flight (the
   * writer lock admits one owner), on PostgreSQL this owner's own and those of holders whose lease ran out.
   */
  resumeInterrupted(): number {
    if (!onPostgres(this.deps.connection.sqlite)) return this.putBack(undefined);
    return this.putBack(or(eq(ocrJobs.holder, this.holder), this.expiredClaim()));
  }

  /** While serving: pages of other holders whose lease ran out (a server that died) go back to the queue. */
  takeOverExpired(): number {
    return this.putBack(and(or(isNull(ocrJobs.holder), ne(ocrJobs.holder, this.holder)), this.expiredClaim()));
  }

  /** Extends the lease of every page this holder is working on; a drain does it every `leaseCheckMs`. */
  private renewLeases(): void {
    this.transaction(() =>
      this.db
        .update(ocrJobs)
        .set({ leaseUntil: this.leaseFrom(this.leaseClock()) })
        .where(and(eq(ocrJobs.holder, this.holder), inArray(ocrJobs.status, IN_FLIGHT)))
        .run(),
    );
  }

  counts(): QueueCounts {
    const counts: QueueCounts = { queued: 0, preprocessing: 0, ocr: 0, done: 0, failed: 0 };
    for (const row of this.db.select({ status: ocrJobs.status, n: count() }).from(ocrJobs).groupBy(ocrJobs.status).all()) {
      counts[row.status as OcrJobStatus] = row.n;
    }
    return counts;
  }

  /**
   * Moves a claimed job on, only while it is still this claim's (in flight, same attempt): a job taken back
   * after its lease ran out, or failed by a disposal, is not this claim's to change any more. A transaction
   * of its own, like every write of this thread, so that the reindex worker lets it go first.
   */
  private setStatus(claimed: ClaimedPage, status: OcrJobStatus, error: string | null = null): void {
    this.transaction(() =>
      this.db
        .update(ocrJobs)
        .set({ status, error, updatedAt: this.deps.now() })
        .where(and(this.stillClaimed(claimed), inArray(ocrJobs.status, IN_FLIGHT)))
        .run(),
    );
  }

  private stillClaimed(claimed: ClaimedPage): SQL {
    return and(eq(ocrJobs.id, claimed.jobId), eq(ocrJobs.attempts, claimed.attempt))!;
  }

  private claim(): ClaimedPage | null {
    return this.transaction(() => {
      const next = this.db
        .select({
          jobId: ocrJobs.id,
          pageId: ocrJobs.pageId,
          attempts: ocrJobs.attempts,
          sourcePage: pages.sourcePage,
          blobHash: sourceFiles.blobHash,
          mime: sourceFiles.mime,
          filename: sourceFiles.filename,
        })
        .from(ocrJobs)
        .innerJoin(pages, eq(pages.id, ocrJobs.pageId))
        .innerJoin(sourceFiles, eq(sourceFiles.id, pages.sourceFileId))
        .where(eq(ocrJobs.status, 'queued'))
        .orderBy(asc(ocrJobs.id))
        .limit(1)
        .get();
      if (!next) return null;
      const attempt = next.attempts + 1;
      this.db
        .update(ocrJobs)
        .set({ status: 'preprocessing', attempts: attempt, holder: this.holder, leaseUntil: this.leaseFrom(this.leaseClock()), updatedAt: this.deps.now() })
        .where(eq(ocrJobs.id, next.jobId))
        .run();
      return { ...next, attempt };
    });
  }

  /** Slip numbers carried by barcodes on the given pages, in page order, as the best slip-number suggestions. */
  private barcodeSuggestions(pageIds: number[], slipPatterns: string[] | undefined): Suggestion[] {
    if (pageIds.length === 0) return [];
    const rows = this.db.select({ pageId: pageOcr.pageId, barcodes: pageOcr.barcodes }).from(pageOcr).where(inArray(pageOcr.pageId, pageIds)).all();
    const byPage = new Map(rows.map((row) => [row.pageId, row.barcodes]));
    const suggestions: Suggestion[] = [];
    pageIds.forEach((pageId, index) => {
      for (const barcode of byPage.get(pageId) ?? []) {
        for (const value of slipNumbersOf([barcode], slipPatterns)) {
          if (suggestions.some((suggestion) => suggestion.value === value)) continue;
          const evidence = `${barcode.format} on page ${index + 1}: ${barcode.text}`.slice(0, 200);
          suggestions.push({ field: 'slipNo', value, confidence: BARCODE_CONFIDENCE, evidence, source: 'barcode' });
        }
      }
    });
    return suggestions;
  }

  /** The OCR words of the given pages, in page order (pages not recognised yet have none). */
  private recognisedWords(pageIds: number[]): RecognisedPage[] {
    if (pageIds.length === 0) return [];
    const rows = this.db.select({ pageId: pageOcr.pageId, words: pageOcr.words }).from(pageOcr).where(inArray(pageOcr.pageId, pageIds)).all();
    const byPage = new Map(rows.map((row) => [row.pageId, row.words]));
    return pageIds.map((pageId) => ({ pageId, words: byPage.get(pageId) ?? [] }));
  }

  /** Recomputes a document's suggestions from the text and barcodes of its current pages. */
  refreshSuggestions(documentId: number): void {
    const current = readPages(this.db, documentId);
    const text = current.map((page) => page.text ?? '').join('\n');
    const slipPatterns = this.deps.slipPatterns();
    const fromText = extractSuggestions(text, {
      customers: this.deps.customers(),
      documentTypes: this.deps.documentTypes(),
      ...(slipPatterns ? { slipPatterns } : {}),
    });
    const fromBarcodes = this.barcodeSuggestions(
      current.map((page) => page.pageId),
      slipPatterns,
    );
    const barcodeValues = new Set(fromBarcodes.map((suggestion) => suggestion.value));
    const textSlipNumbers = fromText.filter((suggestion) => suggestion.field === 'slipNo' && !barcodeValues.has(suggestion.value));
    const suggestions = withSourceBoxes(
      [
        ...[...fromBarcodes, ...textSlipNumbers].slice(0, Math.max(fromBarcodes.length, SLIP_SUGGESTIONS)),
        ...fromText.filter((suggestion) => suggestion.field !== 'slipNo'),
      ],
      this.recognisedWords(current.map((page) => page.pageId)),
    );
    const now = this.deps.now();
    this.db
      .insert(documentSuggestions)
      .values({ documentId, suggestions, updatedAt: now })
      .onConflictDoUpdate({ target: documentSuggestions.documentId, set: { suggestions, updatedAt: now } })
      .run();
  }

  private finish(claimed: ClaimedPage, result: PageText, barcodes: PageBarcode[]): void {
    this.transaction(() => {
      const job = this.db.select({ status: ocrJobs.status }).from(ocrJobs).where(this.stillClaimed(claimed)).get();
      if (job?.status !== 'ocr') return;
      const now = this.deps.now();
      const recognised = { source: result.source, confidence: result.confidence, words: result.words, barcodes, recognisedAt: now };
      this.db
        .insert(pageOcr)
        .values({ pageId: claimed.pageId, ...recognised })
        .onConflictDoUpdate({ target: pageOcr.pageId, set: recognised })
        .run();
      this.deps.documents.setPageText(claimed.pageId, result.text, 'ocr', null);
      const page = this.db.select({ documentId: pages.documentId }).from(pages).where(eq(pages.id, claimed.pageId)).get()!;
      this.refreshSuggestions(page.documentId);
      this.deps.onSuggestions?.(page.documentId);
      this.setStatus(claimed, 'done');
    });
  }

  /** Recognises one claimed page; whether it was recognised (a failure is recorded on its job). */
  private async work(pool: OcrPool, claimed: ClaimedPage): Promise<boolean> {
    try {
      const bytes = await this.deps.blobs.read(claimed.blobHash);
      const result = await recognisePage(pool, bytes, claimed.mime, claimed.sourcePage, claimed.filename, () => this.setStatus(claimed, 'ocr'));
      const barcodes = await readPageBarcodes(await pageImage(bytes, claimed.mime, claimed.sourcePage, MAX_BARCODE_SIDE));
      this.finish(claimed, result, barcodes);
    } catch (error) {
      const reason = error instanceof SlipVaultError ? error.message : `OCR failed: ${(error as Error).message ?? String(error)}`;
      this.setStatus(claimed, 'failed', reason);
      return false;
    }
    return true;
  }

  /**
   * Recognises queued pages until none is left (or `shouldStop` says so: pages in flight finish, no new
   * one is claimed), `pool.size` at a time, reporting progress. Pages queued while it runs are taken too
   * and counted into the total. Resolves with the queue's counts.
   */
  async drain(pool: OcrPool, jobId = 'ocr-queue', shouldStop: () => boolean = () => false): Promise<QueueCounts> {
    let done = 0;
    let inFlight = 0;
    const started = Date.now();
    const report = () => {
      const total = done + inFlight + this.counts().queued;
      const elapsed = Date.now() - started;
      this.deps.onProgress({ jobId, phase: 'ocr', done, total, ...(done > 0 ? { etaMs: Math.round((elapsed / done) * (total - done)) } : {}) });
    };
    report();
    const next = () => (shouldStop() ? null : this.claim());
    const lane = async () => {
      for (let claimed = next(); claimed; claimed = next()) {
        inFlight += 1;
        const recognised = await this.work(pool, claimed);
        inFlight -= 1;
        done += 1;
        report();
        // Derived data (the signed check) after the page counts as done; a page it fails on is checked again when
        // someone asks for it.
        if (recognised) await this.deps.afterRecognised?.(claimed.pageId).catch(() => undefined);
      }
    };
    const renewal = setInterval(() => {
      try {
        this.renewLeases();
      } catch {
        // The database cannot be reached now: the next renewal tries again. A lease that runs out meanwhile lets
        // another server take the page, and this claim's result is then not written (setStatus, finish).
      }
    }, this.leaseCheckMs);
    try {
      await Promise.all(Array.from({ length: pool.size }, lane));
    } finally {
      clearInterval(renewal);
    }
    return this.counts();
  }

  /** Per document: pages done / total, failures and lowest confidence, for the inbox. */
  progressOf(documentId: number): { done: number; total: number; failed: { pageId: number; error: string }[]; minConfidence: number | null } {
    const rows = this.db
      .select({ pageId: ocrJobs.pageId, status: ocrJobs.status, error: ocrJobs.error, confidence: pageOcr.confidence })
      .from(ocrJobs)
      .innerJoin(pages, eq(pages.id, ocrJobs.pageId))
      .leftJoin(pageOcr, eq(pageOcr.pageId, ocrJobs.pageId))
      .where(and(eq(pages.documentId, documentId)))
      .all();
    const confidences = rows.filter((row) => row.status === 'done' && row.confidence !== null).map((row) => row.confidence!);
    return {
      done: rows.filter((row) => row.status === 'done').length,
      total: rows.length,
      failed: rows.filter((row) => row.status === 'failed').map((row) => ({ pageId: row.pageId, error: row.error ?? 'unknown error' })),
      minConfidence: confidences.length === 0 ? null : Math.min(...confidences),
    };
  }

  recognitionOf(pageId: number): PageRecognition {
    const job = this.db.select({ status: ocrJobs.status, error: ocrJobs.error }).from(ocrJobs).where(eq(ocrJobs.pageId, pageId)).get();
    const result = this.db.select().from(pageOcr).where(eq(pageOcr.pageId, pageId)).get();
    return {
      pageId,
      status: job?.status ?? null,
      error: job?.error ?? null,
      source: result?.source ?? null,
      confidence: result?.confidence ?? null,
      words: result?.words ?? [],
    };
  }
}
