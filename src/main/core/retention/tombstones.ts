/**
 * The files `check` accepts as absent: those an approved disposal removed. Trusted only as the audit chain
 * records them (each `document.dispose` event names its files, and `check` verifies the chain), so a
 * tombstone row written into the database by hand does not excuse a missing file.
 */
import type Database from 'better-sqlite3';

export function disposedFiles(sqlite: Database.Database): Set<string> {
  // The events' JSON is read here rather than in SQL, so the same statements run on SQLite and PostgreSQL.
  const tombstones = new Set(sqlite.prepare('SELECT blob_hash FROM disposed_blobs').pluck().all() as string[]);
  const details = sqlite.prepare("SELECT details FROM audit_events WHERE action = 'document.dispose'").pluck().all() as string[];
  const recorded = details.flatMap((text) => {
    const files = (JSON.parse(text) as { files?: unknown }).files;
    return Array.isArray(files) ? files.filter((file): file is string => typeof file === 'string' && tombstones.has(file)) : [];
  });
  return new Set(recorded);
}
