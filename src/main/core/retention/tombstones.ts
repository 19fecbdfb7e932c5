/**
 * The files `check` accepts as absent: those an approved disposal removed. Trusted only as the audit chain
 * records them (each `document.dispose` event names its files, and `check` verifies the chain), so a
 * tombstone row written into the database by hand does not excuse a missing file.
 */
import type Database from 'better-sqlite3';

export function disposedFiles(sqlite: Database.Database): Set<string> {
  const recorded = sqlite
    .prepare(
      `SELECT f.value FROM audit_events e, json_each(e.details, '$.files') f
        WHERE e.action = 'document.dispose' AND f.value IN (SELECT blob_hash FROM disposed_blobs)`,
    )
    .pluck()
    .all() as string[];
  return new Set(recorded);
}
