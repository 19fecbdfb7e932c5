/**
 * FTS5's automatic merging, switched off while a rebuild writes its batches.
 *
 * After every commit FTS5 merges some of the index's segments into larger ones, inside that commit. A rebuild
 * over an existing index deletes and re-inserts every document, so those merges read segments full of entries
 * that the newer segments delete, and a batch's commit could hold the write lock the archive's own thread
 * waits for many times longer than the batch itself (docs/ui-latency.md). With automatic merging off, a commit
 * merges only when a level of the index reaches 16 segments (FTS5's crisis merge, on the small segments the
 * rebuild just wrote); the rebuild then merges everything in bounded steps of its own (SearchIndex.mergeSegments)
 * and switches automatic merging back on in its last transaction.
 *
 * The setting is stored in the index (search_index_config), so it holds for every connection; a rebuild cut
 * short leaves it off until the rebuild is continued and finishes. The index stays correct either way.
 */
import type Database from 'better-sqlite3';

/** FTS5's own default: merge once a level holds 4 segments. */
const FTS5_DEFAULT_AUTOMERGE = 4;

function setAutomerge(sqlite: Database.Database, segments: number): void {
  // FTS5 takes the value only as an SQL integer, and better-sqlite3 binds a JS number as a real.
  sqlite.prepare("INSERT INTO search_index (search_index, rank) VALUES ('automerge', ?)").run(BigInt(segments));
}

export function pauseAutomerge(sqlite: Database.Database): void {
  setAutomerge(sqlite, 0);
}

export function resumeAutomerge(sqlite: Database.Database): void {
  setAutomerge(sqlite, FTS5_DEFAULT_AUTOMERGE);
}

/** The stored setting, or FTS5's default when none was ever stored. */
export function automergeSetting(sqlite: Database.Database): number {
  const stored = sqlite.prepare("SELECT v FROM search_index_config WHERE k = 'automerge'").pluck().get() as number | undefined;
  return stored ?? FTS5_DEFAULT_AUTOMERGE;
}
