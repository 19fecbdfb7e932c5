/**
 * Anchoring one open archive: records signed heads of its audit chain in the anchor folder (at close, at
 * each backup and after every ANCHOR_EVERY appends); anchor-checks.ts compares the live chain with them.
 * Recording never gets in the way of work: a folder that cannot be written is remembered and reported by
 * `check`.
 */
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import type { Connection } from '../db/connection';
import { onPostgres } from '../db/pg-sync/pg-connection';
import { ANCHOR_KEY_META_PREFIX, checkAnchors, checkForeignHeads, type AnchorProblem, type AnchorScope, type ForeignHead } from './anchor-checks';
import { anchorFilePath, appendAnchor, readAnchorFile } from './anchor-file';
import { anchorFolder } from './anchor-folder';
import { createAnchorKey, readAnchorKey, type AnchorKey } from './anchor-key';
import type { AuditLog } from './audit-log';
import { DIGEST_CHARS, signRecord, type Anchor, type ChainHead, type SignedHead } from './signed-head';

/** An fsync per hundred events: a read is an event, so this bounds the cost of browsing too. */
export const ANCHOR_EVERY = 100;

export class AuditAnchoring {
  private appendsSinceAnchor = 0;
  private scheduled = false;
  private failure: string | null = null;
  /** The newest head this database recorded; undefined until read from the anchor file. */
  private last: ChainHead | null | undefined;
  private loadedKey: AnchorKey | undefined;
  private databasePath: string | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly audit: AuditLog,
    readonly folder: string = anchorFolder(),
  ) {}

  /**
   * The database file anchors are recorded for, however the archive's folder was named when opened; on
   * PostgreSQL, the database's URL without its password.
   */
  get database(): string {
    const { sqlite } = this.connection;
    this.databasePath ??= onPostgres(sqlite) ? sqlite.name : realpathSync.native(sqlite.name);
    return this.databasePath;
  }

  /** Called after each append; records an anchor once the transaction it ran in has ended. */
  noteAppend(): void {
    this.appendsSinceAnchor += 1;
    if (this.appendsSinceAnchor < ANCHOR_EVERY || this.scheduled) return;
    this.scheduled = true;
    // Appends run inside the caller's transaction; a head recorded before its commit could be rolled back.
    const later = () => {
      if (this.connection.sqlite.open && this.connection.sqlite.inTransaction) return void setImmediate(later);
      // Reset first, so that a folder that cannot be written is tried again only after the next period.
      this.appendsSinceAnchor = 0;
      if (this.connection.sqlite.open) this.record('appends');
      this.scheduled = false;
    };
    setImmediate(later);
  }

  /**
   * Records the committed head; returns the anchor, or null when there was nothing new to record or it
   * could not be recorded (the reason kept for check).
   */
  record(reason: string): Anchor | null {
    return this.attempt(() => {
      const archiveId = this.archiveId();
      // Not initialised yet: the init transaction has not committed.
      if (archiveId === null) return null;
      const key = this.key(archiveId);
      this.register(key);
      return this.recordHead(archiveId, key, this.audit.head(), reason);
    });
  }

  /**
   * Signs `head` (the live one, or a backup snapshot's, at or behind it) to be carried outside the archive —
   * a backup catalog, a proof package — and records it as an anchor too; null when no key could be used
   * (the reason kept for check).
   */
  signHead(head: ChainHead, reason: string): SignedHead | null {
    return this.attempt(() => {
      const archiveId = this.archiveId();
      if (archiveId === null) return null;
      const key = this.key(archiveId);
      this.register(key);
      this.recordHead(archiveId, key, head, reason);
      return signRecord(key, { archiveId, seq: head.seq, hash: head.hash, at: new Date().toISOString() });
    });
  }

  /** The last failure to record, if recording has not worked since. */
  recordingFailure(): string | null {
    return this.failure;
  }

  /** Everything `check` reports about anchors: failures to record, bad lines, and where the chain diverges. */
  verify(): AnchorProblem[] {
    const problems: AnchorProblem[] = [];
    if (this.failure)
      problems.push({
        seq: null,
        message: `Anchors of the audit chain cannot be recorded in ${this.folder}: ${this.failure}`,
        targetType: null,
        targetId: null,
      });
    const scope = this.scope();
    if (!scope) return problems;
    try {
      return [...problems, ...checkAnchors(scope)];
    } catch (error) {
      // A folder that cannot be used is reported once, by the failure to record in it.
      if (!this.failure)
        problems.push({ seq: null, message: `The anchors in ${this.folder} cannot be read: ${(error as Error).message}`, targetType: null, targetId: null });
      return problems;
    }
  }

  /** What verify-backup reports about the heads the sets' catalogs carry. */
  verifyForeignHeads(foreign: ForeignHead[]): AnchorProblem[] {
    const scope = this.scope();
    return scope ? checkForeignHeads(scope, foreign) : [];
  }

  private scope(): AnchorScope | null {
    const archiveId = this.archiveId();
    return archiveId === null ? null : { connection: this.connection, folder: this.folder, archiveId, database: this.database };
  }

  private attempt<T>(work: () => T | null): T | null {
    try {
      const result = work();
      this.failure = null;
      return result;
    } catch (error) {
      this.failure = (error as Error).message;
      return null;
    }
  }

  private archiveId(): string | null {
    const id = this.connection.sqlite.prepare("SELECT value FROM archive_meta WHERE key = 'archive_id'").pluck().get() as string | undefined;
    return id ?? null;
  }

  private recordHead(archiveId: string, key: AnchorKey, recorded: ChainHead, reason: string): Anchor | null {
    const last = this.lastRecorded(archiveId, key);
    if (last && last.seq === recorded.seq && last.hash === recorded.hash) return null;
    const from = last ? Math.min(last.seq, recorded.seq) : 0;
    const digests = (
      this.connection.sqlite.prepare('SELECT hash FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq').pluck().all(from, recorded.seq) as string[]
    )
      .map((hash) => hash.slice(0, DIGEST_CHARS))
      .join('');
    if (digests.length !== (recorded.seq - from) * DIGEST_CHARS)
      throw new Error(`the audit chain has gaps between ${from} and ${recorded.seq}; no anchor recorded`);
    const anchor = signRecord(key, {
      archiveId,
      database: this.database,
      seq: recorded.seq,
      hash: recorded.hash,
      at: new Date().toISOString(),
      reason,
      from,
      digests,
    });
    appendAnchor(this.folder, anchor);
    this.last = recorded;
    // The period counts appends since the newest anchor, whatever recorded it.
    this.appendsSinceAnchor = 0;
    return anchor;
  }

  private key(archiveId: string): AnchorKey {
    if (this.loadedKey) return this.loadedKey;
    const existing = readAnchorKey(this.folder, archiveId);
    if (!existing && existsSync(anchorFilePath(this.folder, archiveId))) {
      // A new key would leave every earlier anchor unverifiable; the missing key must be reported instead.
      throw new Error(`the anchor key of this archive is missing from ${this.folder} although its anchors are there`);
    }
    if (existing) return (this.loadedKey = existing);
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    return (this.loadedKey = createAnchorKey(this.folder, archiveId));
  }

  /**
   * Puts the key's public half into archive_meta unless it is there already. No audit event: anchors are
   * recorded between other work, and an event appearing there would change the history being anchored;
   * nor would one add trust, since whoever can rewrite this row can rewrite events too.
   */
  private register(key: AnchorKey): void {
    const metaKey = `${ANCHOR_KEY_META_PREFIX}${key.keyId}`;
    const sqlite = this.connection.sqlite;
    // Read first: even an insert that ignores takes the write lock, which another connection may hold.
    if (sqlite.prepare('SELECT 1 FROM archive_meta WHERE key = ?').get(metaKey)) return;
    sqlite.prepare('INSERT OR IGNORE INTO archive_meta (key, value) VALUES (?, ?)').run(metaKey, key.publicKey);
  }

  private lastRecorded(archiveId: string, key: AnchorKey): ChainHead | null {
    if (this.last !== undefined) return this.last;
    const mine = readAnchorFile(this.folder, archiveId, key).anchors.filter((anchor) => anchor.database === this.database);
    const newest = mine.at(-1);
    this.last = newest ? { seq: newest.seq, hash: newest.hash } : null;
    return this.last;
  }
}
