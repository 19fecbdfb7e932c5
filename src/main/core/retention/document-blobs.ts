/**
 * Which blobs a document's content lives in: its originals (its own source files and those its pages were
 * cut from, for the parts of a split batch) and its pages' thumbnails, removed pages included. A blob is
 * shared when another document refers to it too: a split batch's parts share the one original.
 */
import type Database from 'better-sqlite3';

export interface DocumentBlob {
  hash: string;
  kind: 'original' | 'thumbnail';
}

export function blobsOfDocument(sqlite: Database.Database, documentId: number): DocumentBlob[] {
  return sqlite
    .prepare(
      `SELECT blob_hash AS hash, 'original' AS kind FROM source_files
         WHERE document_id = @id OR id IN (SELECT source_file_id FROM pages WHERE document_id = @id)
       UNION
       SELECT thumbnail_hash, 'thumbnail' FROM pages WHERE document_id = @id AND thumbnail_hash IS NOT NULL
       ORDER BY kind, hash`,
    )
    .all({ id: documentId }) as DocumentBlob[];
}

/** Every document referring to the blob, by id. */
export function documentsReferring(sqlite: Database.Database, hash: string): number[] {
  return sqlite
    .prepare(
      `SELECT document_id FROM source_files WHERE blob_hash = @id
       UNION SELECT p.document_id FROM pages p JOIN source_files s ON s.id = p.source_file_id WHERE s.blob_hash = @id
       UNION SELECT document_id FROM pages WHERE thumbnail_hash = @id`,
    )
    .pluck()
    .all({ id: hash }) as number[];
}
