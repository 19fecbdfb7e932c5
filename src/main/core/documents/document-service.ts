/**
 * Documents, their pages and their versions. Every mutation goes through `mutate`, which runs one
 * transaction that applies the change, writes the new immutable version (full snapshot) and appends the
 * audit event (docs/architecture.md, "The one write path").
 */
import { and, asc, count, desc, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { MetadataChanges } from '../../../shared/contract';
import { SlipVaultError } from '../../../shared/errors';
import type {
  DocumentDetail,
  DocumentList,
  DocumentMetadata,
  DocumentSnapshot,
  DocumentSort,
  DocumentSortField,
  DocumentStatus,
  DocumentSummary,
  Rotation,
  SourceFile,
  VersionDiff,
  VersionSummary,
} from '../../../shared/model';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import { archiveNumberSequences, customers, documents, documentVersions, ocrJobs, pages, sourceFiles } from '../db/schema';
import type { BatchPart } from '../ingest/batch-split';
import { splitFile, wholeFile, type SplitOptions } from '../ingest/file-split';
import { inspectFile, type InspectedFile } from '../ingest/inspect';
import { pageThumbnails } from '../ingest/thumbnails';
import type { BlobStore } from '../store/blobs';
import { diffFields, diffPages, diffText } from '../versions/diff';
import { readMetadata, readSnapshot, writeLocation, writeMetadata, writePages } from './snapshot';
import { refuseIfDisposed } from '../retention/snapshot-retention';
import { fromMinorUnits } from './amount';
import { inReadSnapshot, inTransaction } from '../db/transaction';
import { refuseIfChangedSince, type ConflictSource } from './edit-conflict';

export type DocumentRef = number | string;

export interface DocumentServiceDeps {
  connection: Connection;
  audit: AuditLog;
  blobs: BlobStore;
  now: () => string;
  actor: () => string;
  onChanged: (change: { documentId: number; archiveNo: string; version: number }) => void;
  /** Brings the search index up to date with the document's current state (inside the same transaction). */
  indexDocument: (documentId: number) => void;
  /** The archive's slip-number patterns: a barcode page matching one starts a new document in a batch file. */
  slipPatterns?: () => string[];
}

type DocumentRow = typeof documents.$inferSelect;

/** A file whose original and page thumbnails are in the blob store, not yet attached to a document. */
interface StoredFile {
  file: InspectedFile;
  hash: string;
  /** One JPEG thumbnail blob per page, in page order. */
  thumbnails: string[];
}

const ARCHIVE_NO_PATTERN = /^SV-(\d{4})-(\d{6})$/i;

export function formatArchiveNumber(year: number, sequence: number): string {
  return `SV-${year}-${String(sequence).padStart(6, '0')}`;
}

const SORT_COLUMNS: Record<Exclude<DocumentSortField, 'created'>, SQLiteColumn> = {
  archiveNo: documents.archiveNo,
  title: documents.title,
  customer: customers.name,
  amount: documents.amountMinor,
  signedDate: documents.signedDate,
  updatedAt: documents.updatedAt,
  slipNo: documents.slipNo,
  type: documents.typeCode,
};

/** `text` as a LIKE pattern that matches it anywhere, its own % and _ taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/** The list's order: the field with empty values last, then archive order in the same direction (ids are unique). */
function listOrder({ by, direction }: DocumentSort): SQL[] {
  const tieBreak = direction === 'asc' ? asc(documents.id) : desc(documents.id);
  if (by === 'created') return [tieBreak];
  const column = SORT_COLUMNS[by];
  return [sql`${column} is null`, direction === 'asc' ? asc(column) : desc(column), tieBreak];
}

export class DocumentService {
  private readonly db: Connection['db'];

  constructor(private readonly deps: DocumentServiceDeps) {
    this.db = deps.connection.db;
  }

  private transaction<T>(work: () => T): T {
    return inTransaction(this.deps.connection.sqlite, work);
  }

  private find(ref: DocumentRef): DocumentRow {
    const text = String(ref).trim();
    const row = ARCHIVE_NO_PATTERN.test(text)
      ? this.db.select().from(documents).where(eq(documents.archiveNo, text.toUpperCase())).get()
      : /^\d+$/.test(text)
        ? this.db
            .select()
            .from(documents)
            .where(eq(documents.id, Number(text)))
            .get()
        : undefined;
    if (!row)
      throw new SlipVaultError('NOT_FOUND', `There is no document ${text} in this archive.`, { ref: text }).withMessage('documents.notFound', { ref: text });
    return row;
  }

  /**
   * Summaries of the documents matching `where`, in `order`: one statement for the whole page (the
   * customer joined, the current pages counted per document), whatever the number of rows.
   */
  private summaries(where: SQL | undefined, order: SQL[], window?: { limit: number; offset: number }): DocumentSummary[] {
    const query = this.db
      .select({
        document: documents,
        customer: customers.name,
        pageCount: sql<number>`(select count(*) from ${pages} where ${pages.documentId} = ${documents.id} and ${pages.position} is not null)`,
      })
      .from(documents)
      .leftJoin(customers, eq(customers.id, documents.customerId))
      .where(where)
      .orderBy(...order);
    const rows = window ? query.limit(window.limit).offset(window.offset).all() : query.all();
    return rows.map(({ document: row, customer, pageCount }) => ({
      id: row.id,
      archiveNo: row.archiveNo,
      title: row.title,
      customer,
      type: row.typeCode,
      signedDate: row.signedDate,
      slipNo: row.slipNo,
      amount: row.amountMinor === null ? null : fromMinorUnits(row.amountMinor),
      currency: row.currency,
      signer: row.signer,
      status: row.status,
      pageCount,
      currentVersion: row.currentVersion,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    }));
  }

  private summaryOf(row: DocumentRow): DocumentSummary {
    return this.summaries(eq(documents.id, row.id), [])[0]!;
  }

  private detailOf(row: DocumentRow): DocumentDetail {
    const snapshot = readSnapshot(this.db, row.id);
    const files: SourceFile[] = this.db
      .select({
        blobHash: sourceFiles.blobHash,
        filename: sourceFiles.filename,
        mime: sourceFiles.mime,
        size: sourceFiles.size,
        pageCount: sourceFiles.pageCount,
        importedAt: sourceFiles.importedAt,
      })
      .from(sourceFiles)
      // A part of a split batch file shares the original attached to the batch's first document.
      .where(
        or(
          eq(sourceFiles.documentId, row.id),
          inArray(sourceFiles.id, this.db.select({ id: pages.sourceFileId }).from(pages).where(eq(pages.documentId, row.id))),
        ),
      )
      .orderBy(asc(sourceFiles.id))
      .all();
    const thumbnails = new Map(
      this.db
        .select({ id: pages.id, thumbnailHash: pages.thumbnailHash })
        .from(pages)
        .where(eq(pages.documentId, row.id))
        .all()
        .map((page) => [page.id, page.thumbnailHash]),
    );
    const pageViews = snapshot.pages.map((page) => ({ ...page, thumbnailHash: thumbnails.get(page.pageId) ?? null }));
    return { ...this.summaryOf(row), metadata: snapshot.metadata, pages: pageViews, files, voidReason: row.voidReason, location: snapshot.location ?? null };
  }

  private nextArchiveNumber(now: string): string {
    const year = new Date(now).getFullYear();
    const next = this.db
      .insert(archiveNumberSequences)
      .values({ year, lastValue: 1 })
      .onConflictDoUpdate({ target: archiveNumberSequences.year, set: { lastValue: sql`${archiveNumberSequences.lastValue} + 1` } })
      .returning({ lastValue: archiveNumberSequences.lastValue })
      .get();
    if (next.lastValue > 999_999) {
      throw new SlipVaultError('CONFLICT', `The archive numbers for ${year} are used up (SV-${year}-999999 was the last one).`).withMessage(
        'documents.numbersUsedUp',
        { year },
      );
    }
    return formatArchiveNumber(year, next.lastValue);
  }

  private writeVersion(documentId: number, number: number, action: string, reason: string | null, now: string): void {
    this.db
      .insert(documentVersions)
      .values({
        documentId,
        number,
        createdAt: now,
        actor: this.deps.actor(),
        action,
        reason,
        snapshot: JSON.stringify(readSnapshot(this.db, documentId)),
      })
      .run();
    this.deps.indexDocument(documentId);
  }

  private refuseDuplicate(file: InspectedFile, hash: string): void {
    const existing = this.db
      .select({ archiveNo: documents.archiveNo, documentId: documents.id, importedAt: sourceFiles.importedAt })
      .from(sourceFiles)
      .innerJoin(documents, eq(documents.id, sourceFiles.documentId))
      .where(eq(sourceFiles.blobHash, hash))
      .get();
    if (existing) {
      throw new SlipVaultError('DUPLICATE', `${file.filename} is already in the archive as ${existing.archiveNo} (imported ${existing.importedAt}).`, {
        file: file.path,
        archiveNo: existing.archiveNo,
        documentId: existing.documentId,
      }).withMessage('documents.duplicateFile', { file: file.filename, archiveNo: existing.archiveNo });
    }
  }

  private attachFile(documentId: number, stored: StoredFile, now: string, firstPosition: number): number[] {
    const sourceFileId = this.insertSourceFile(documentId, stored, now);
    return this.attachPages(
      documentId,
      sourceFileId,
      stored,
      Array.from({ length: stored.file.pageCount }, (_, index) => index),
      now,
      firstPosition,
    );
  }

  private insertSourceFile(documentId: number, { file, hash }: StoredFile, now: string): number {
    return this.db
      .insert(sourceFiles)
      .values({ documentId, blobHash: hash, filename: file.filename, mime: file.mime, size: file.bytes.length, pageCount: file.pageCount, importedAt: now })
      .returning({ id: sourceFiles.id })
      .get().id;
  }

  /** The given pages of a stored file (indexes into it) become the document's pages from `firstPosition` on. */
  private attachPages(
    documentId: number,
    sourceFileId: number,
    { thumbnails }: StoredFile,
    sourcePages: number[],
    now: string,
    firstPosition: number,
  ): number[] {
    const pageIds: number[] = [];
    sourcePages.forEach((sourcePage, offset) => {
      const page = this.db
        .insert(pages)
        .values({ documentId, sourceFileId, sourcePage, position: firstPosition + offset, rotation: 0, thumbnailHash: thumbnails[sourcePage] ?? null })
        .returning({ id: pages.id })
        .get();
      pageIds.push(page.id);
    });
    // Queued in the same transaction as the pages: an imported page is never left without OCR.
    if (pageIds.length > 0) {
      this.db
        .insert(ocrJobs)
        .values(pageIds.map((pageId) => ({ pageId, status: 'queued' as const, queuedAt: now, updatedAt: now })))
        .run();
    }
    return pageIds;
  }

  /**
   * Stores each file's bytes and its page thumbnails, runs `work`, and if `work` fails removes the blobs
   * this call created that no committed row refers to — a refused import leaves the blob store as it was.
   */
  private async withStoredFiles<T>(paths: string[], work: (stored: StoredFile[]) => T): Promise<T> {
    const created: string[] = [];
    const store = (bytes: Buffer) => {
      const blob = this.deps.blobs.store(bytes);
      if (blob.created) created.push(blob.hash);
      return blob.hash;
    };
    try {
      const stored: StoredFile[] = [];
      for (const path of paths) {
        const file = await inspectFile(path);
        const hash = store(file.bytes);
        this.refuseDuplicate(file, hash);
        stored.push({ file, hash, thumbnails: await pageThumbnails(file, store) });
      }
      return await work(stored);
    } catch (error) {
      for (const hash of created) {
        const original = this.db.select({ id: sourceFiles.id }).from(sourceFiles).where(eq(sourceFiles.blobHash, hash)).get();
        const thumbnail = this.db.select({ id: pages.id }).from(pages).where(eq(pages.thumbnailHash, hash)).get();
        if (!original && !thumbnail) this.deps.blobs.discard(hash);
      }
      throw error;
    }
  }

  /** One file becomes one document (status inbox) with one page per image frame / PDF page. */
  async importFile(path: string): Promise<DocumentSummary> {
    const [row] = await this.withStoredFiles([path], ([stored]) => this.createDocuments(stored!, [wholeFile(stored!.file, null)]));
    this.deps.onChanged({ documentId: row!.id, archiveNo: row!.archiveNo, version: 1 });
    return this.summaryOf(row!);
  }

  /**
   * A scanned batch in one file: one document per part when blank separator sheets or slip-number
   * barcodes divide it (ingest/file-split.ts), else one document. All parts are created in one
   * transaction, so a killed import leaves all of them or none; separator sheets stay in the stored
   * original (attached to the first part), which every part's pages refer to.
   */
  async importBatch(path: string, options: SplitOptions = {}): Promise<DocumentSummary[]> {
    const rows = await this.withStoredFiles([path], async ([stored]) =>
      this.createDocuments(stored!, await splitFile(stored!.file, this.deps.slipPatterns?.(), options)),
    );
    for (const row of rows) this.deps.onChanged({ documentId: row.id, archiveNo: row.archiveNo, version: 1 });
    return rows.map((row) => this.summaryOf(row));
  }

  private createDocuments(stored: StoredFile, parts: BatchPart[]): DocumentRow[] {
    const { file, hash } = stored;
    return this.transaction(() => {
      // Checked again inside the transaction: another import of the same bytes may have won the race.
      this.refuseDuplicate(file, hash);
      const now = this.deps.now();
      const stem = file.filename.replace(/\.[^.]+$/, '') || file.filename;
      let sourceFileId: number | null = null;
      return parts.map((part, index) => {
        const archiveNo = this.nextArchiveNumber(now);
        const title = parts.length > 1 ? `${stem}-${index + 1}` : stem;
        const created = this.db
          .insert(documents)
          .values({ archiveNo, title, status: 'inbox', notes: '', currentVersion: 1, createdAt: now, updatedAt: now })
          .returning()
          .get();
        sourceFileId ??= this.insertSourceFile(created.id, stored, now);
        this.attachPages(created.id, sourceFileId, stored, part.pages, now, 1);
        this.writeVersion(created.id, 1, 'import', null, now);
        const split = parts.length > 1 ? { part: index + 1, parts: parts.length, sourcePages: part.pages.map((page) => page + 1) } : {};
        this.deps.audit.append({
          action: 'document.import',
          targetType: 'document',
          targetId: archiveNo,
          details: { file: file.filename, blobHash: hash, mime: file.mime, pages: part.pages.length, ...split, version: 1 },
        });
        return created;
      });
    });
  }

  /**
   * The single write path for existing documents: applies `change`, refuses a change that changes
   * nothing, then records the version and the audit event in the same transaction.
   */
  private mutate(
    ref: DocumentRef,
    action: string,
    reason: string | null,
    change: (row: DocumentRow, now: string) => Record<string, unknown>,
    /**
     * Which documents the change applies to: 'current' (not voided), 'voided' (un-voiding, the one change a
     * voided document takes from a clerk), or 'any' (retention and disposal: a voided slip is kept as long as any other).
     */
    applies: 'current' | 'voided' | 'any' = 'current',
    /** The version the change was made from, when the caller knows it (edit-conflict.ts). */
    baseVersion?: number,
  ): DocumentDetail {
    const result = this.transaction(() => {
      const row = this.find(ref);
      refuseIfChangedSince(baseVersion, this.conflictSource(row));
      if (applies === 'current' && row.status === 'voided') {
        throw new SlipVaultError('CONFLICT', `${row.archiveNo} is voided and can no longer be changed.`, { archiveNo: row.archiveNo }).withMessage(
          'documents.voided',
          { archiveNo: row.archiveNo },
        );
      }
      if (applies === 'voided' && row.status !== 'voided') {
        throw new SlipVaultError('CONFLICT', `${row.archiveNo} is not voided.`, { archiveNo: row.archiveNo, status: row.status }).withMessage(
          'documents.notVoided',
          { archiveNo: row.archiveNo },
        );
      }
      refuseIfDisposed(this.db, row.id, row.archiveNo);
      const before = readSnapshot(this.db, row.id);
      const now = this.deps.now();
      const details = change(row, now);
      if (JSON.stringify(readSnapshot(this.db, row.id)) === JSON.stringify(before)) {
        throw new SlipVaultError('CONFLICT', `Nothing changed: ${row.archiveNo} already has these values.`, { archiveNo: row.archiveNo }).withMessage(
          'documents.nothingChanged',
          { archiveNo: row.archiveNo },
        );
      }
      const version = row.currentVersion + 1;
      this.db.update(documents).set({ currentVersion: version, updatedAt: now }).where(eq(documents.id, row.id)).run();
      this.writeVersion(row.id, version, action, reason, now);
      this.deps.audit.append({
        action: `document.${action}`,
        targetType: 'document',
        targetId: row.archiveNo,
        details: { ...details, version, ...(reason ? { reason } : {}) },
      });
      return this.find(row.id);
    });
    this.deps.onChanged({ documentId: result.id, archiveNo: result.archiveNo, version: result.currentVersion });
    return this.detailOf(result);
  }

  /**
   * A change another module makes to a document, through the one write path: retention extensions and
   * disposals, which apply to voided documents too (a voided slip is kept as long as any other).
   */
  recordChange(ref: DocumentRef, action: string, reason: string | null, change: (row: DocumentRow, now: string) => Record<string, unknown>): DocumentDetail {
    return this.mutate(ref, action, reason, change, 'any');
  }

  edit(ref: DocumentRef, changes: MetadataChanges, reason: string | null, baseVersion?: number): DocumentDetail {
    return this.mutate(
      ref,
      'edit',
      reason,
      (row, now) => {
        const before = readMetadata(this.db, row.id);
        writeMetadata(this.db, row.id, changes as Partial<DocumentMetadata>, now);
        const after = readMetadata(this.db, row.id);
        const fields = (Object.keys(after) as (keyof DocumentMetadata)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
        return { fields: Object.fromEntries(fields.map((field) => [field, { from: before[field], to: after[field] }])) };
      },
      'current',
      baseVersion,
    );
  }

  /** Refuses with EDIT_CONFLICT when the document is no longer at `baseVersion` (checked again when the edit is written). */
  assertVersion(ref: DocumentRef, baseVersion: number | undefined): void {
    refuseIfChangedSince(baseVersion, this.conflictSource(this.find(ref)));
  }

  private conflictSource(row: DocumentRow): ConflictSource {
    return {
      archiveNo: row.archiveNo,
      currentVersion: row.currentVersion,
      latest: () => this.history(row.id).at(-1)!,
      diff: (from, to) => this.diff(row.id, from, to),
    };
  }

  void(ref: DocumentRef, reason: string): DocumentDetail {
    return this.mutate(ref, 'void', reason, (row, now) => {
      this.db.update(documents).set({ status: 'voided', voidReason: reason, updatedAt: now }).where(eq(documents.id, row.id)).run();
      return { previousStatus: row.status };
    });
  }

  /** Takes a void back as a new version: the document returns to the status it had before it was voided. */
  unvoid(ref: DocumentRef, reason: string): DocumentDetail {
    return this.mutate(
      ref,
      'unvoid',
      reason,
      (row, now) => {
        const status = this.statusBeforeVoid(row);
        this.db.update(documents).set({ status, voidReason: null, updatedAt: now }).where(eq(documents.id, row.id)).run();
        return { voidReason: row.voidReason, status };
      },
      'voided',
    );
  }

  private statusBeforeVoid(row: DocumentRow): Exclude<DocumentStatus, 'voided'> {
    const voided = this.db
      .select({ number: documentVersions.number })
      .from(documentVersions)
      .where(and(eq(documentVersions.documentId, row.id), eq(documentVersions.action, 'void')))
      .orderBy(desc(documentVersions.number))
      .get();
    const before = voided ? this.snapshotAt(row, voided.number - 1).metadata.status : 'filed';
    return before === 'voided' ? 'filed' : before;
  }

  rotatePage(ref: DocumentRef, pageId: number, rotation: Rotation, reason: string | null): DocumentDetail {
    return this.mutate(ref, 'page.rotate', reason, (row) => {
      const current = readSnapshot(this.db, row.id).pages;
      const page = current.find((candidate) => candidate.pageId === pageId);
      if (!page)
        throw new SlipVaultError('NOT_FOUND', `${row.archiveNo} has no page ${pageId}.`, { pageId }).withMessage('pages.notInDocument', {
          archiveNo: row.archiveNo,
          pageId,
        });
      writePages(
        this.db,
        row.id,
        current.map((candidate) => (candidate.pageId === pageId ? { ...candidate, rotation } : candidate)),
      );
      return { pageId, from: page.rotation, to: rotation };
    });
  }

  removePage(ref: DocumentRef, pageId: number, reason: string | null): DocumentDetail {
    return this.mutate(ref, 'page.remove', reason, (row) => {
      const current = readSnapshot(this.db, row.id).pages;
      const position = current.findIndex((candidate) => candidate.pageId === pageId);
      if (position < 0)
        throw new SlipVaultError('NOT_FOUND', `${row.archiveNo} has no page ${pageId}.`, { pageId }).withMessage('pages.notInDocument', {
          archiveNo: row.archiveNo,
          pageId,
        });
      if (current.length === 1) {
        throw new SlipVaultError('CONFLICT', `${row.archiveNo} has only this page; void the document instead of removing its last page.`).withMessage(
          'pages.lastPage',
          { archiveNo: row.archiveNo },
        );
      }
      writePages(
        this.db,
        row.id,
        current.filter((candidate) => candidate.pageId !== pageId),
      );
      return { pageId, position: position + 1 };
    });
  }

  reorderPages(ref: DocumentRef, pageIds: number[], reason: string | null): DocumentDetail {
    return this.mutate(ref, 'page.reorder', reason, (row) => {
      const current = readSnapshot(this.db, row.id).pages;
      const byId = new Map(current.map((page) => [page.pageId, page]));
      const sameSet = pageIds.length === current.length && new Set(pageIds).size === pageIds.length && pageIds.every((id) => byId.has(id));
      if (!sameSet) {
        throw new SlipVaultError(
          'VALIDATION',
          `A new page order must list each of ${row.archiveNo}'s pages exactly once: ${current.map((p) => p.pageId).join(', ')}.`,
        ).withMessage('pages.orderIncomplete', { archiveNo: row.archiveNo });
      }
      writePages(
        this.db,
        row.id,
        pageIds.map((id) => byId.get(id)!),
      );
      return { from: current.map((page) => page.pageId), to: pageIds };
    });
  }

  async addPages(ref: DocumentRef, paths: string[], reason: string | null): Promise<DocumentDetail> {
    const target = this.find(ref);
    if (target.status === 'voided') {
      throw new SlipVaultError('CONFLICT', `${target.archiveNo} is voided and can no longer be changed.`, { archiveNo: target.archiveNo }).withMessage(
        'documents.voided',
        { archiveNo: target.archiveNo },
      );
    }
    return this.withStoredFiles(paths, (stored) =>
      this.mutate(target.id, 'page.add', reason, (row, now) => {
        const added: number[] = [];
        let next = readSnapshot(this.db, row.id).pages.length + 1;
        for (const file of stored) {
          this.refuseDuplicate(file.file, file.hash);
          added.push(...this.attachFile(row.id, file, now, next));
          next += file.file.pageCount;
        }
        return { files: stored.map(({ file }) => file.filename), pageIds: added };
      }),
    );
  }

  /**
   * Sets a page's text as a new version: action 'ocr' for recognition results, 'page.text' for a
   * clerk's correction. OCR of a page no longer in a current document (voided, page removed) or that
   * finds the text already there changes nothing and returns null; a correction then is an error.
   */
  setPageText(pageId: number, text: string, action: 'ocr' | 'page.text', reason: string | null): DocumentDetail | null {
    const page = this.db.select({ documentId: pages.documentId, position: pages.position, text: pages.text }).from(pages).where(eq(pages.id, pageId)).get();
    if (!page) throw new SlipVaultError('NOT_FOUND', `There is no page ${pageId} in this archive.`, { pageId }).withMessage('pages.notInArchive', { pageId });
    const row = this.find(page.documentId);
    if (action === 'ocr' && (row.status === 'voided' || page.position === null || page.text === text)) return null;
    if (page.position === null) {
      throw new SlipVaultError('CONFLICT', `Page ${pageId} was removed from ${row.archiveNo}; restore it before correcting its text.`, { pageId }).withMessage(
        'pages.removedText',
        { pageId, archiveNo: row.archiveNo },
      );
    }
    return this.mutate(row.id, action, reason, () => {
      this.db.update(pages).set({ text }).where(eq(pages.id, pageId)).run();
      return { pageId, characters: Array.from(text).length };
    });
  }

  /** Where the paper original is kept: a storage location code, or null to clear it; a new version. */
  setLocation(ref: DocumentRef, code: string | null, reason: string | null): DocumentDetail {
    return this.mutate(ref, 'location', reason, (row) => {
      const from = readSnapshot(this.db, row.id).location ?? null;
      writeLocation(this.db, row.id, code);
      return { from, to: code };
    });
  }

  /**
   * One change to a record that documents name (a customer renamed or merged), in one transaction: runs
   * `change` once, then every listed document whose snapshot it changed gets a new version and an audit
   * event. Voided documents too: the customer row they name may be gone after the change, and their version
   * must still equal their current state. Returns the archive numbers that got a version.
   */
  followRecordChange(documentIds: number[], action: string, reason: string | null, change: () => Record<string, unknown>): string[] {
    const changed = this.transaction(() => {
      const before = new Map(documentIds.map((id) => [id, JSON.stringify(readSnapshot(this.db, id))]));
      const details = change();
      const now = this.deps.now();
      const versions: { documentId: number; archiveNo: string; version: number }[] = [];
      for (const documentId of documentIds) {
        if (JSON.stringify(readSnapshot(this.db, documentId)) === before.get(documentId)) continue;
        const row = this.find(documentId);
        const version = row.currentVersion + 1;
        this.db.update(documents).set({ currentVersion: version, updatedAt: now }).where(eq(documents.id, documentId)).run();
        this.writeVersion(documentId, version, action, reason, now);
        this.deps.audit.append({
          action: `document.${action}`,
          targetType: 'document',
          targetId: row.archiveNo,
          details: { ...details, version, ...(reason ? { reason } : {}) },
        });
        versions.push({ documentId, archiveNo: row.archiveNo, version });
      }
      return versions;
    });
    for (const version of changed) this.deps.onChanged(version);
    return changed.map((version) => version.archiveNo);
  }

  /** The document a page belongs to, by id. */
  documentOfPage(pageId: number): DocumentSummary {
    const page = this.db.select({ documentId: pages.documentId }).from(pages).where(eq(pages.id, pageId)).get();
    if (!page) throw new SlipVaultError('NOT_FOUND', `There is no page ${pageId} in this archive.`, { pageId }).withMessage('pages.notInArchive', { pageId });
    return this.summaryOf(this.find(page.documentId));
  }

  summary(ref: DocumentRef): DocumentSummary {
    return this.summaryOf(this.find(ref));
  }

  private snapshotAt(row: DocumentRow, number: number): DocumentSnapshot {
    const version = this.db
      .select({ snapshot: documentVersions.snapshot })
      .from(documentVersions)
      .where(and(eq(documentVersions.documentId, row.id), eq(documentVersions.number, number)))
      .get();
    if (!version) {
      throw new SlipVaultError('NOT_FOUND', `${row.archiveNo} has no version ${number} (it has versions 1 to ${row.currentVersion}).`, {
        archiveNo: row.archiveNo,
        version: number,
      }).withMessage('documents.noVersion', { archiveNo: row.archiveNo, version: number, latest: row.currentVersion });
    }
    return JSON.parse(version.snapshot) as DocumentSnapshot;
  }

  restoreVersion(ref: DocumentRef, number: number, reason: string | null): DocumentDetail {
    return this.mutate(ref, 'restore', reason, (row, now) => {
      const target = this.snapshotAt(row, number);
      writeMetadata(this.db, row.id, target.metadata, now);
      writePages(this.db, row.id, target.pages);
      writeLocation(this.db, row.id, target.location ?? null);
      return { restoredVersion: number };
    });
  }

  // ---- reads ----
  // Not audited here: screens fetch documents to draw themselves (thumbnails, refreshes). A person opening a
  // document or viewing a page is recorded once per action by audit:recordView (audit/record-view.ts).

  /** One read transaction, so the pages, files and fields shown belong to the same moment. */
  private snapshotRead<T>(read: () => T): T {
    return inReadSnapshot(this.deps.connection.sqlite, read);
  }

  get(ref: DocumentRef): DocumentDetail {
    return this.snapshotRead(() => this.detailOf(this.find(ref)));
  }

  list(options: {
    status?: DocumentStatus | undefined;
    includeVoided: boolean;
    limit: number;
    offset: number;
    sort?: DocumentSort;
    /** Narrows the list to documents whose archive number, title, customer, slip number or signer contain it. */
    text?: string | undefined;
  }): DocumentList {
    const byStatus = options.status ? eq(documents.status, options.status) : options.includeVoided ? undefined : ne(documents.status, 'voided');
    const pattern = options.text ? containing(options.text) : null;
    const byText =
      pattern === null
        ? undefined
        : or(
            ...[documents.archiveNo, documents.title, documents.slipNo, documents.signer].map((column) => sql`${column} LIKE ${pattern} ESCAPE '\\'`),
            inArray(
              documents.customerId,
              this.db
                .select({ id: customers.id })
                .from(customers)
                .where(sql`${customers.name} LIKE ${pattern} ESCAPE '\\'`),
            ),
          );
    const where = and(byStatus, byText);
    return this.snapshotRead(() => {
      const items = this.summaries(where, listOrder(options.sort ?? { by: 'created', direction: 'desc' }), { limit: options.limit, offset: options.offset });
      const total = this.db.select({ n: count() }).from(documents).where(where).get()?.n ?? 0;
      return { items, total, limit: options.limit, offset: options.offset };
    });
  }

  history(ref: DocumentRef): VersionSummary[] {
    const row = this.find(ref);
    return this.db
      .select({
        number: documentVersions.number,
        createdAt: documentVersions.createdAt,
        actor: documentVersions.actor,
        action: documentVersions.action,
        reason: documentVersions.reason,
      })
      .from(documentVersions)
      .where(eq(documentVersions.documentId, row.id))
      .orderBy(asc(documentVersions.number))
      .all();
  }

  diff(ref: DocumentRef, from: number, to: number): VersionDiff {
    const row = this.find(ref);
    const a = this.snapshotAt(row, from);
    const b = this.snapshotAt(row, to);
    return {
      documentId: row.id,
      archiveNo: row.archiveNo,
      from,
      to,
      fields: diffFields(a, b),
      pages: diffPages(a, b),
      text: diffText(a, b),
    };
  }
}
