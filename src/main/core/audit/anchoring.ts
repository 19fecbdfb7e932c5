/**
 * Anchoring one open archive: records signed heads of its audit chain in the anchor folder (at close, at
 * each backup and after every ANCHOR_EVERY appends) and compares the live chain with them. Recording never
 * gets in the way of work: a folder that cannot be written is remembered and reported by `check`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '../db/connection';
import { anchorFilePath, appendAnchor, readAnchorFile } from './anchor-file';
import { anchorFolder } from './anchor-folder';
import { createAnchorKey, readAnchorKey, type AnchorKey } from './anchor-key';
import type { AuditLog } from './audit-log';
import { chainDivergence, describeDivergence, type RecordedHead } from './chain-divergence';
import { DIGEST_CHARS, isSignedHead, recordSignatureValid, signRecord, type Anchor, type ChainHead, type SignedHead } from './signed-head';

/** An fsync per hundred events: a read is an event, so this bounds the cost of browsing too. */
export const ANCHOR_EVERY = 100;

/** archive_meta key under which an anchor key's public half is registered. */
export const ANCHOR_KEY_META_PREFIX = 'audit_anchor_key:';

export interface AnchorProblem {
  /** The first audit event affected, when there is one. */
  seq: number | null;
  message: string;
  targetType: string | null;
  targetId: string | null;
}

/** A head recorded elsewhere (a backup set's catalog), named for messages. */
export interface ForeignHead {
  source: string;
  head: unknown;
}

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

  /** The database file anchors are recorded for, however the archive's folder was named when opened. */
  get database(): string {
    this.databasePath ??= realpathSync.native(this.connection.sqlite.name);
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
    const note = (message: string, seq: number | null = null) => problems.push({ seq, message, targetType: null, targetId: null });
    if (this.failure) note(`Anchors of the audit chain cannot be recorded in ${this.folder}: ${this.failure}`);
    const archiveId = this.archiveId();
    if (archiveId === null) return problems;
    let heads: RecordedHead[];
    let others: AnchorProblem[];
    try {
      heads = this.recordedHeads(archiveId, note);
      others = this.otherArchivesHere(archiveId);
    } catch (error) {
      // A folder that cannot be used is reported once, by the failure to record in it.
      if (!this.failure) note(`The anchors in ${this.folder} cannot be read: ${(error as Error).message}`);
      return problems;
    }
    problems.push(...this.divergenceProblems(heads), ...others);
    return problems;
  }

  /**
   * Compares the live chain with heads carried by backup catalogs: heads that are not validly signed, and
   * where the chain first leaves them.
   */
  verifyForeignHeads(foreign: ForeignHead[]): AnchorProblem[] {
    const problems: AnchorProblem[] = [];
    const note = (message: string) => problems.push({ seq: null, message, targetType: null, targetId: null });
    const archiveId = this.archiveId();
    if (archiveId === null) return problems;
    const heads: RecordedHead[] = [];
    for (const { source, head } of foreign) {
      if (head === undefined) continue;
      if (!isSignedHead(head)) {
        note(`${source} carries an audit chain head that is not well-formed`);
        continue;
      }
      if (head.archiveId !== archiveId) {
        note(`${source} carries the audit chain head of another archive (${head.archiveId})`);
        continue;
      }
      const publicKey = this.publicKeyFor(archiveId, head.keyId);
      if (!publicKey) note(`${source} carries an audit chain head signed by a key this archive does not know (${head.keyId})`);
      else if (!recordSignatureValid(head, publicKey)) note(`${source} carries an audit chain head whose signature is invalid`);
      else heads.push({ seq: head.seq, hash: head.hash, source });
    }
    if (heads.length === 0 || !chainDivergence(this.connection, heads)) return problems;
    // The catalogs' heads only bound where the chain changed; this folder's anchors name the first event.
    try {
      heads.push(...this.recordedHeads(archiveId, () => undefined));
    } catch {
      // Without the anchor folder the bound is what can be said.
    }
    problems.push(...this.divergenceProblems(heads));
    return problems;
  }

  private divergenceProblems(heads: RecordedHead[]): AnchorProblem[] {
    const divergence = chainDivergence(this.connection, heads);
    if (!divergence) return [];
    return [
      {
        seq: divergence.seq,
        message: describeDivergence(divergence),
        targetType: divergence.event?.targetType ?? null,
        targetId: divergence.event?.targetId ?? null,
      },
    ];
  }

  /**
   * Anchors another archive id recorded for this very database file. A database whose `archive_id` was
   * rewritten would otherwise look like a new archive that nothing was recorded for.
   */
  private otherArchivesHere(archiveId: string): AnchorProblem[] {
    const problems: AnchorProblem[] = [];
    if (!existsSync(this.folder)) return problems;
    for (const name of readdirSync(this.folder)) {
      const otherId = /^(.+)\.jsonl$/.exec(name)?.[1];
      if (otherId === undefined || otherId === archiveId) continue;
      let newest: Anchor | undefined;
      try {
        // Most files are about other databases entirely: only those naming this one are parsed and verified.
        if (!readFileSync(join(this.folder, name), 'utf8').includes(JSON.stringify(this.database))) continue;
        newest = readAnchorFile(this.folder, otherId, readAnchorKey(this.folder, otherId)).anchors.filter((anchor) => anchor.database === this.database).at(-1);
      } catch {
        continue; // not an anchor file of SlipVault's
      }
      if (!newest) continue;
      problems.push({
        seq: null,
        message:
          `The anchor folder holds anchors of archive ${otherId} for this database file (the newest of ${newest.at}, up to audit event ${newest.seq.toLocaleString('en-US')}), ` +
          `but the database now names itself archive ${archiveId}: its archive id was changed, or another archive replaced it ` +
          `(if it was replaced on purpose, move ${name} out of ${this.folder})`,
        targetType: null,
        targetId: null,
      });
    }
    return problems;
  }

  /** This database's anchors as heads to compare with; bad lines go to `note`. */
  private recordedHeads(archiveId: string, note: (message: string) => void): RecordedHead[] {
    const key = readAnchorKey(this.folder, archiveId);
    const file = readAnchorFile(this.folder, archiveId, key);
    const path = anchorFilePath(this.folder, archiveId);
    for (const problem of file.problems) note(`Anchor line ${problem.line} of ${path} ${problem.message}`);
    return file.anchors
      .filter((anchor) => anchor.database === this.database)
      .map((anchor) => ({ seq: anchor.seq, hash: anchor.hash, from: anchor.from, digests: anchor.digests, source: `the anchor of ${anchor.at} (${anchor.reason})` }));
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
    if (digests.length !== (recorded.seq - from) * DIGEST_CHARS) throw new Error(`the audit chain has gaps between ${from} and ${recorded.seq}; no anchor recorded`);
    const anchor = signRecord(key, { archiveId, database: this.database, seq: recorded.seq, hash: recorded.hash, at: new Date().toISOString(), reason, from, digests });
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

  /** The public key (base64 DER) with this id: the anchor folder's, else the one registered in the archive. */
  private publicKeyFor(archiveId: string, keyId: string): string | null {
    let local: AnchorKey | null = null;
    try {
      local = readAnchorKey(this.folder, archiveId);
    } catch {
      // An unreadable local key leaves the registered one.
    }
    if (local?.keyId === keyId) return local.publicKey;
    return (this.connection.sqlite.prepare('SELECT value FROM archive_meta WHERE key = ?').pluck().get(`${ANCHOR_KEY_META_PREFIX}${keyId}`) as string | undefined) ?? null;
  }
}
