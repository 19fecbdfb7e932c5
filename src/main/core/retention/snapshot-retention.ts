/**
 * The part of a document's snapshot that retention owns: the extension in force and the disposal. It is
 * only present once there is one, so the snapshots of documents retention never touched stay as they were
 * written (and `check` still finds every document equal to its latest version).
 */
import { sql } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import type { SnapshotRetention } from '../../../shared/model';
import type { ArchiveDb } from '../db/connection';

export function snapshotRetention(db: ArchiveDb, documentId: number): SnapshotRetention | null {
  const extension = db.get<{ retainUntil: string } | undefined>(
    sql`SELECT max(retain_until) AS retainUntil FROM retention_extensions WHERE document_id = ${documentId} HAVING count(*) > 0`,
  );
  const disposal = db.get<{ batchId: number; at: string } | undefined>(
    sql`SELECT batch_id AS batchId, disposed_at AS at FROM disposed_documents WHERE document_id = ${documentId}`,
  );
  if (!extension && !disposal) return null;
  return { retainUntil: extension?.retainUntil ?? null, disposed: disposal ?? null };
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
