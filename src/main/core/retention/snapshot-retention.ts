/**
 * The part of a document's snapshot that retention owns: the extension in force and the disposal. It is
 * only present once there is one, so the snapshots of documents retention never touched stay as they were
 * written (and `check` still finds every document equal to its latest version).
 */
import { inArray, sql } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import type { SnapshotRetention } from '../../../shared/model';
import type { ArchiveDb } from '../db/connection';
import { disposedDocuments, retentionExtensions } from '../db/schema';

/** The retention part of each of the documents that has one (one query per table for all of them). */
export function snapshotRetentions(db: ArchiveDb, documentIds: readonly number[]): Map<number, SnapshotRetention> {
  const retentions = new Map<number, SnapshotRetention>();
  if (documentIds.length === 0) return retentions;
  const ids = [...documentIds];
  const extensions = db
    .select({ documentId: retentionExtensions.documentId, retainUntil: sql<string>`max(${retentionExtensions.retainUntil})` })
    .from(retentionExtensions)
    .where(inArray(retentionExtensions.documentId, ids))
    .groupBy(retentionExtensions.documentId)
    .all();
  const disposals = db
    .select({ documentId: disposedDocuments.documentId, batchId: disposedDocuments.batchId, at: disposedDocuments.disposedAt })
    .from(disposedDocuments)
    .where(inArray(disposedDocuments.documentId, ids))
    .all();
  for (const { documentId, retainUntil } of extensions) retentions.set(documentId, { retainUntil, disposed: null });
  for (const { documentId, batchId, at } of disposals) {
    retentions.set(documentId, { retainUntil: retentions.get(documentId)?.retainUntil ?? null, disposed: { batchId, at } });
  }
  return retentions;
}

/** A disposed document is a tombstone: its files are gone, so nothing may change it any more. */
export function refuseIfDisposed(db: ArchiveDb, documentId: number, archiveNo: string): void {
  const disposed = db.get<{ disposed: number }>(sql`SELECT count(*) AS disposed FROM disposed_documents WHERE document_id = ${documentId}`);
  if (disposed?.disposed) {
    throw new SlipVaultError('CONFLICT', `${archiveNo} was disposed of; it is kept only as a record and can no longer be changed.`, { archiveNo }).withMessage(
      'documents.disposed',
      { archiveNo },
    );
  }
}
