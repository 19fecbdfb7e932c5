/**
 * The signed check of an archive's pages (docs/signed-check.md): computed from a page's stored bytes and its
 * OCR words, kept per page in page_signatures (derived data, like page_ocr: no version, no audit event of its
 * own), computed after OCR and on demand when missing. `requireSigned` is the gate for "returned": a slip
 * counts as signed when a page is, or when a clerk overrides with a reason (audited).
 */
import { and, asc, eq, isNotNull, or } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import type { DocumentSignature, OcrWord, PageRegion, PageSignature } from '../../../shared/model';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import { pageOcr, pages, pageSignatures, sourceFiles } from '../db/schema';
import { inTransaction } from '../db/transaction';
import type { DocumentRef, DocumentService } from '../documents/document-service';
import type { BlobStore } from '../store/blobs';
import { detectSignedPage, type RasterWord } from './detect';
import { pageRaster } from './page-raster';

export interface SignatureCheckDeps {
  connection: Connection;
  blobs: BlobStore;
  documents: DocumentService;
  audit: AuditLog;
  now: () => string;
}

/** How a slip passed the signed gate: found signed on a page, or let through by a clerk's override. */
export type SignedGate = { signed: true; pageIds: number[] } | { signed: false; override: string };

export class SignatureCheck {
  private readonly db: Connection['db'];

  constructor(private readonly deps: SignatureCheckDeps) {
    this.db = deps.connection.db;
  }

  stored(pageId: number): PageSignature | null {
    const row = this.db.select().from(pageSignatures).where(eq(pageSignatures.pageId, pageId)).get();
    if (!row) return null;
    return {
      pageId,
      signed: row.signature || row.seal,
      signature: row.signature,
      seal: row.seal,
      confidence: row.confidence,
      regions: row.regions,
      frame: { width: row.frameWidth, height: row.frameHeight },
      checkedAt: row.checkedAt,
    };
  }

  /** Whether a current page of the document is stored as signed (no check is run). */
  isSignedStored(documentId: number): boolean {
    return (
      this.db
        .select({ pageId: pageSignatures.pageId })
        .from(pageSignatures)
        .innerJoin(pages, eq(pages.id, pageSignatures.pageId))
        .where(and(eq(pages.documentId, documentId), isNotNull(pages.position), or(eq(pageSignatures.signature, true), eq(pageSignatures.seal, true))))
        .get() !== undefined
    );
  }

  /** Runs the check on one page's pixels and OCR words, and stores the result (replacing an older one). */
  async check(pageId: number): Promise<PageSignature> {
    const source = this.db
      .select({ blobHash: sourceFiles.blobHash, mime: sourceFiles.mime, sourcePage: pages.sourcePage })
      .from(pages)
      .innerJoin(sourceFiles, eq(sourceFiles.id, pages.sourceFileId))
      .where(eq(pages.id, pageId))
      .get();
    if (!source) throw new SlipVaultError('NOT_FOUND', `There is no page ${pageId}.`, { pageId }).withMessage('pages.notFound', { pageId });
    const raster = await pageRaster(await this.deps.blobs.read(source.blobHash), source.mime, source.sourcePage);
    const words = this.db.select({ words: pageOcr.words }).from(pageOcr).where(eq(pageOcr.pageId, pageId)).get()?.words ?? [];
    const found = detectSignedPage(
      raster,
      words.map((word) => rasterWord(word, raster.toFrame)),
    );
    const regions: PageRegion[] = found.regions.map(({ kind, confidence, ...box }) => ({
      kind,
      confidence,
      x0: Math.round(box.x0 * raster.toFrame),
      y0: Math.round(box.y0 * raster.toFrame),
      x1: Math.round(box.x1 * raster.toFrame),
      y1: Math.round(box.y1 * raster.toFrame),
    }));
    const row = {
      signature: found.signature,
      seal: found.seal,
      confidence: found.confidence,
      regions,
      frameWidth: raster.frame.width,
      frameHeight: raster.frame.height,
      checkedAt: this.deps.now(),
    };
    inTransaction(this.deps.connection.sqlite, () =>
      this.db
        .insert(pageSignatures)
        .values({ pageId, ...row })
        .onConflictDoUpdate({ target: pageSignatures.pageId, set: row })
        .run(),
    );
    return this.stored(pageId)!;
  }

  /** Every current page of a document, checked where no result is stored yet (or all again with `recheck`). */
  async ofDocument(ref: DocumentRef, recheck = false): Promise<DocumentSignature> {
    const document = this.deps.documents.summary(ref);
    const pageIds = this.db
      .select({ id: pages.id })
      .from(pages)
      .where(and(eq(pages.documentId, document.id), isNotNull(pages.position)))
      .orderBy(asc(pages.position))
      .all()
      .map((page) => page.id);
    const results: PageSignature[] = [];
    for (const pageId of pageIds) results.push((!recheck && this.stored(pageId)) || (await this.check(pageId)));
    return { archiveNo: document.archiveNo, signed: results.some((page) => page.signed), pages: results };
  }

  /**
   * The gate for marking a slip returned: passes when a page is signed; otherwise refused with NOT_SIGNED,
   * unless `override` gives a reason, which is audited (`document.signed-override`) in its own transaction.
   */
  async requireSigned(ref: DocumentRef, override?: string): Promise<SignedGate> {
    const result = await this.ofDocument(ref);
    if (result.signed) return { signed: true, pageIds: result.pages.filter((page) => page.signed).map((page) => page.pageId) };
    if (!override) {
      throw new SlipVaultError(
        'NOT_SIGNED',
        `${result.archiveNo} shows no signature or seal on its ${result.pages.length} page(s); check the paper, or give an override reason.`,
        { archiveNo: result.archiveNo },
      ).withMessage('signed.notSigned', { archiveNo: result.archiveNo, pages: result.pages.length });
    }
    inTransaction(this.deps.connection.sqlite, () =>
      this.deps.audit.append({
        action: 'document.signed-override',
        targetType: 'document',
        targetId: result.archiveNo,
        details: { reason: override, pages: result.pages.map((page) => ({ pageId: page.pageId, confidence: page.confidence })) },
      }),
    );
    return { signed: false, override };
  }
}

function rasterWord(word: OcrWord, toFrame: number): RasterWord {
  const [x0, y0, x1, y1] = word.bbox;
  return { text: word.text, confidence: word.confidence, box: { x0: x0 / toFrame, y0: y0 / toFrame, x1: x1 / toFrame, y1: y1 / toFrame } };
}
