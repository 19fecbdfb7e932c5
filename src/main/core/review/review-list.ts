/**
 * The review list: pages of documents still in the inbox whose OCR failed or whose mean word confidence
 * is below the archive's threshold, lowest confidence first. Filing the document is the clerk's review,
 * so filed and voided documents leave the list; text-layer PDF pages never enter it.
 */
import type Database from 'better-sqlite3';
import type { ReviewPage } from '../../../shared/settings';

export function reviewPages(sqlite: Database.Database, threshold: number, limit: number): ReviewPage[] {
  return sqlite
    .prepare(
      `SELECT d.id AS documentId, d.archive_no AS archiveNo, d.title AS title, p.id AS pageId, p.position AS position,
              CASE WHEN j.status = 'failed' THEN 'failed' ELSE 'low-confidence' END AS reason,
              o.confidence AS confidence, CASE WHEN j.status = 'failed' THEN j.error END AS error
         FROM pages p
         JOIN documents d ON d.id = p.document_id
         JOIN ocr_jobs j ON j.page_id = p.id
         LEFT JOIN page_ocr o ON o.page_id = p.id
        WHERE d.status = 'inbox' AND p.position IS NOT NULL
          AND (j.status = 'failed' OR (j.status = 'done' AND o.source = 'ocr' AND o.confidence < ?))
        ORDER BY j.status = 'failed' DESC, o.confidence ASC, d.id, p.position
        LIMIT ?`,
    )
    .all(threshold, limit) as ReviewPage[];
}
