/**
 * Composition root: opens an archive folder and wires every service over one database connection.
 * The process that opens an archive holds its writer lock until close().
 */
import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { asc } from 'drizzle-orm';
import { SlipVaultError } from '../../shared/errors';
import type { EventName, EventPayload } from '../../shared/events';
import type { ArchiveStatus, BackupRecord, CheckReport, CustomerRecord, DocumentTypeRecord } from '../../shared/model';
import { Accounts } from './accounts/accounts';
import { actingUser, SYSTEM_ACTOR } from './accounts/acting-user';
import { AuditLog } from './audit/audit-log';
import { isWorthAuditing, type ReadAction } from './audit/read-actions';
import { checkArchive } from './check';
import { openConnection, type Connection } from './db/connection';
import { migratePgDatabase, noArchiveIn, onPostgres, openPgConnection, redactedUrl } from './db/pg-sync/pg-connection';
import { PgSyncSearchIndex } from './search/pg-sync-search-index';
import { schemaVersionOf } from './db/migrate';
import { archiveMeta, customers } from './db/schema';
import { DocumentService } from './documents/document-service';
import { Records } from './records';
import { SavedSearches } from './search/saved-searches';
import { SearchIndex } from './search/search-index';
import { pageWordsFromOcr } from './search/page-words';
import { Inbox } from './ingest/inbox';
import { ocrHolderOf, OcrQueue } from './ingest/ocr-queue';
import { OcrPool } from './ocr/ocr-pool';
import { reviewPages } from './review/review-list';
import { DocumentTypeStore } from './settings/document-types';
import { SettingsStore } from './settings/settings-store';
import { toStorageError } from './fs-errors';
import { acquireWriterLock, LOCK_FILE, LOCK_HOLDER_FILE, type ArchiveLock } from './lock';
import { BlobStore } from './store/blobs';
import { inTransaction } from './db/transaction';
import { localDay } from './ledger/days';
import { LedgerService } from './ledger/ledger-service';
import { SignatureCheck } from './signature/signature-check';

export const DATABASE_FILE = 'slipvault.db';

export interface ArchiveOptions {
  /**
   * Who acts when no logged-in user does (work the archive starts by itself; code that drives the core
   * directly, as tests do); default "system". Calls through the contract always act as their session's user.
   */
  actor?: string;
  /** Named in "archive is in use by …" messages. */
  program?: string;
  /** OCR worker threads; default one per core. */
  ocrWorkers?: number;
  /** The clock the slip ledger's automatic matching dates returns by; default the system's. */
  clock?: () => Date;
  /** How long an OCR claim lasts unrenewed (ingest/ocr-queue.ts OCR_LEASE_MS); tests shorten it. */
  ocrLeaseMs?: number;
}

export type BackupRecordKey = 'last_backup' | 'last_verified' | 'last_verified_restore';

type Listener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export class ArchiveEvents {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(name, payload);
  }
}

export class Archive {
  readonly events = new ArchiveEvents();
  readonly audit: AuditLog;
  readonly documents: DocumentService;
  readonly search: SearchIndex;
  readonly savedSearches: SavedSearches;
  readonly ocrQueue: OcrQueue;
  readonly inbox: Inbox;
  readonly settings: SettingsStore;
  readonly types: DocumentTypeStore;
  readonly accounts: Accounts;
  /** Customers, signers, authorizations and paper locations (issue 18). */
  readonly records: Records;
  readonly ledger: LedgerService;
  /** The signed check of pages (issue 17 item 3, docs/signed-check.md). */
  readonly signatures: SignatureCheck;
  private pool: OcrPool | undefined;
  /** Queue drains running on `pool`: a pool is only replaced (new OCR languages) while none is. */
  private poolUsers = 0;

  constructor(
    readonly dir: string,
    readonly connection: Connection,
    readonly blobs: BlobStore,
    private readonly lock: ArchiveLock,
    private readonly fallbackActor: string,
    private readonly ocrWorkers?: number,
    clock: () => Date = () => new Date(),
    ocrLeaseMs?: number,
  ) {
    const now = () => new Date().toISOString();
    const actor = () => this.actor();
    this.audit = new AuditLog(connection, actor, now);
    this.accounts = new Accounts({ connection, audit: this.audit, now: () => new Date() });
    const searchIndexOn = onPostgres(connection.sqlite) ? PgSyncSearchIndex : SearchIndex;
    this.search = new searchIndexOn(connection, pageWordsFromOcr(connection.sqlite), (field, value) => this.records.documentIds(field, value));
    this.savedSearches = new SavedSearches(connection, this.audit, now);
    this.documents = new DocumentService({
      connection,
      audit: this.audit,
      blobs,
      now,
      actor,
      onChanged: (change) => this.events.emit('documents:changed', change),
      indexDocument: (documentId) => this.search.indexDocument(documentId),
      slipPatterns: () => this.slipPatterns(),
    });
    // Changed slip patterns or type keywords apply to the suggestions of documents still in the inbox.
    this.settings = new SettingsStore({
      connection,
      audit: this.audit,
      now,
      onChanged: (keys) => keys.includes('slipNumberPatterns') && this.refreshInboxSuggestions(),
    });
    this.types = new DocumentTypeStore({ connection, audit: this.audit, onChanged: () => this.refreshInboxSuggestions() });
    this.ocrQueue = new OcrQueue({
      connection,
      documents: this.documents,
      blobs,
      now,
      customers: () => this.customers(),
      documentTypes: () => this.documentTypes(),
      slipPatterns: () => this.slipPatterns(),
      onProgress: (progress) => this.events.emit('jobs:progress', progress),
      onSuggestions: (documentId) => this.ledger.suggestionsChanged(documentId),
      afterRecognised: (pageId) => this.signatures.check(pageId),
      holder: ocrHolderOf(dir),
      ...(ocrLeaseMs ? { leaseMs: ocrLeaseMs } : {}),
    });
    this.signatures = new SignatureCheck({ connection, blobs, documents: this.documents, audit: this.audit, now });
    this.inbox = new Inbox(connection, this.documents, this.ocrQueue, () => this.settings.get().reviewConfidenceThreshold);
    this.records = new Records({
      connection,
      audit: this.audit,
      blobs,
      documents: this.documents,
      now,
      reindex: (documentId) => this.search.indexDocument(documentId),
    });
    // The slip ledger (docs/ledger.md): a filed, edited or recognised document is matched to the slips expected back.
    this.ledger = new LedgerService({
      connection,
      audit: this.audit,
      documents: this.documents,
      inbox: this.inbox,
      now,
      actor,
      today: () => localDay(clock()),
      notify: (notifications) => this.events.emit('notifications:new', { notifications }),
    });
    this.events.subscribe((name, payload) => {
      if (name === 'documents:changed') this.ledger.documentChanged((payload as EventPayload<'documents:changed'>).documentId);
    });
    // Pages a killed process was recognising go back to the queue (the queue resumes on open); on a database
    // other servers share, only the pages of holders that are gone.
    this.ocrQueue.resumeInterrupted();
  }

  /** The logged-in user of the call running now, else the archive's own actor. */
  actor(): string {
    return actingUser() ?? this.fallbackActor;
  }

  private refreshInboxSuggestions(): void {
    const inboxDocuments = this.connection.sqlite
      .prepare(`SELECT s.document_id FROM document_suggestions s JOIN documents d ON d.id = s.document_id WHERE d.status = 'inbox'`)
      .pluck()
      .all() as number[];
    for (const documentId of inboxDocuments) this.ocrQueue.refreshSuggestions(documentId);
  }

  /** The archive's slip-number patterns (settings), used by extraction and barcode splitting. */
  slipPatterns(): string[] {
    return this.settings.get().slipNumberPatterns;
  }

  /** The OCR worker pool, started on first use with the archive's OCR languages, engine and model (settings). */
  ocrPool(): OcrPool {
    const { ocrLanguages, ocrEngine: engine, ocrModel: model } = this.settings.get();
    const languages = ocrLanguages.join('+');
    const changed = this.pool && (this.pool.languages.join('+') !== languages || this.pool.engine !== engine || this.pool.model !== model);
    if (this.pool && changed && this.poolUsers === 0) {
      void this.pool.terminate();
      this.pool = undefined;
    }
    this.pool ??= new OcrPool({ languages, engine, model, ...(this.ocrWorkers ? { workers: this.ocrWorkers } : {}) });
    return this.pool;
  }

  /** Recognises every queued page, then returns the queue's counts. */
  async processQueue() {
    const pool = this.ocrPool();
    this.poolUsers += 1;
    try {
      return await this.ocrQueue.drain(pool);
    } finally {
      this.poolUsers -= 1;
    }
  }

  /** Pages of inbox documents below the archive's review threshold or whose OCR failed. */
  reviewList(limit: number) {
    return reviewPages(this.connection.sqlite, this.settings.get().reviewConfidenceThreshold, limit);
  }

  /** Runs a read and records it in the audit trail, in one transaction. */
  auditedRead<T>(action: ReadAction, details: Record<string, unknown>, read: () => T): T {
    // Lists, counts and screen refreshes are not worth an event (core/audit/read-actions.ts says which are).
    if (!isWorthAuditing(action, details)) return read();
    return inTransaction(this.connection.sqlite, () => {
      const result = read();
      this.audit.append({ action, details });
      return result;
    });
  }

  private meta(key: string): string {
    return this.connection.sqlite.prepare('SELECT value FROM archive_meta WHERE key = ?').pluck().get(key) as string;
  }

  private backupRecord(key: BackupRecordKey): BackupRecord | null {
    const value = this.connection.sqlite.prepare('SELECT value FROM archive_meta WHERE key = ?').pluck().get(key) as string | undefined;
    return value === undefined ? null : (JSON.parse(value) as BackupRecord);
  }

  /** Remembers a backup milestone (shown by status) together with its audit event. */
  recordBackup(key: BackupRecordKey, record: BackupRecord, details: Record<string, unknown> = {}): void {
    inTransaction(this.connection.sqlite, () => {
      this.connection.sqlite
        .prepare('INSERT INTO archive_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
        .run(key, JSON.stringify(record));
      this.audit.append({ action: `backup.${key}`, details: { ...record, ...details } });
    });
  }

  status(): ArchiveStatus {
    return {
      archiveId: this.meta('archive_id'),
      path: this.dir,
      schemaVersion: schemaVersionOf(this.connection.sqlite),
      createdAt: this.meta('created_at'),
      documents: this.connection.sqlite.prepare('SELECT count(*) FROM documents').pluck().get() as number,
      auditHead: this.audit.head().hash,
      actor: this.actor(),
      lastBackup: this.backupRecord('last_backup'),
      lastVerified: this.backupRecord('last_verified'),
      lastVerifiedRestore: this.backupRecord('last_verified_restore'),
    };
  }

  async check(): Promise<CheckReport> {
    const report = await checkArchive(this.connection, this.blobs, this.audit);
    return this.auditedRead('archive.check', { ok: report.ok, problems: report.problems.length }, () => report);
  }

  customers(): CustomerRecord[] {
    const signersOf = new Map<number, string[]>();
    for (const signer of this.records.signers.list()) signersOf.set(signer.customerId, [...(signersOf.get(signer.customerId) ?? []), signer.name]);
    return this.connection.db
      .select({ id: customers.id, name: customers.name, aliases: customers.aliases })
      .from(customers)
      .orderBy(asc(customers.name))
      .all()
      .map((customer) => ({ ...customer, signers: signersOf.get(customer.id) ?? [] }));
  }

  documentTypes(): DocumentTypeRecord[] {
    return this.types.list();
  }

  close(): void {
    void this.pool?.terminate();
    this.search.close();
    if (this.connection.sqlite.open) this.audit.anchoring.record('close');
    if (this.connection.sqlite.open) this.connection.sqlite.close();
    this.lock.release();
  }
}

function assertWritable(dir: string): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw toStorageError(error, `The archive folder ${dir} cannot be written`);
  }
}

/** Takes the folder's writer lock, then opens the database with `connect` and wires the archive over it. */
function assemble(dir: string, options: ArchiveOptions, connect: () => Connection): Archive {
  const lock = acquireWriterLock(dir, options.program ?? 'SlipVault');
  let connection: Connection | undefined;
  try {
    connection = connect();
    const blobs = new BlobStore(dir);
    blobs.prepare();
    return new Archive(dir, connection, blobs, lock, options.actor ?? SYSTEM_ACTOR, options.ocrWorkers, options.clock, options.ocrLeaseMs);
  } catch (error) {
    connection?.sqlite.close();
    lock.release();
    throw error instanceof SlipVaultError ? error : toStorageError(error, `Could not open the archive ${dir}`);
  }
}

/** Whether `folder` holds an archive (its database file). */
export function isArchive(folder: string): boolean {
  return existsSync(join(resolve(folder), DATABASE_FILE));
}

export async function openArchive(folder: string, options: ArchiveOptions = {}): Promise<Archive> {
  const dir = resolve(folder);
  if (!existsSync(join(dir, DATABASE_FILE))) {
    throw new SlipVaultError(
      'NOT_AN_ARCHIVE',
      existsSync(dir)
        ? `${dir} is not a SlipVault archive (it has no ${DATABASE_FILE}). Create one with \`slipvault init\`.`
        : `${dir} does not exist. Create an archive there with \`slipvault init\`.`,
      { archive: dir },
    ).withMessage('archive.notAnArchive', { archive: dir });
  }
  assertWritable(dir);
  return assemble(dir, options, () => openConnection(join(dir, DATABASE_FILE), { create: false }));
}

/** Creates a new archive in an empty (or not yet existing) folder. */
export async function initArchive(folder: string, options: ArchiveOptions = {}): Promise<Archive> {
  const dir = resolve(folder);
  if (existsSync(join(dir, DATABASE_FILE))) {
    throw new SlipVaultError('ARCHIVE_EXISTS', `${dir} already holds a SlipVault archive.`, { archive: dir }).withMessage('archive.exists', { archive: dir });
  }
  prepareEmptyFolder(dir);
  const archive = assemble(dir, options, () => openConnection(join(dir, DATABASE_FILE), { create: true }));
  recordCreation(archive);
  return archive;
}

/** Makes `dir` a writable, empty folder for a new archive (a lock file left by a crashed init may stay). */
function prepareEmptyFolder(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      throw new SlipVaultError('VALIDATION', `${dir} is a file, not a folder.`, { archive: dir }).withMessage('archive.isFile', { archive: dir });
    const leftovers = readdirSync(dir).filter((name) => name !== LOCK_FILE && name !== LOCK_HOLDER_FILE);
    if (leftovers.length > 0) {
      throw new SlipVaultError('VALIDATION', `${dir} is not empty; choose an empty or new folder for a new archive.`, { archive: dir }).withMessage(
        'archive.notEmpty',
        { archive: dir },
      );
    }
  } else {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw toStorageError(error, `Could not create the folder ${dir}`);
    }
  }
  assertWritable(dir);
}

/** The new archive's identity and its first audit event. */
function recordCreation(archive: Archive): void {
  const now = new Date().toISOString();
  inTransaction(archive.connection.sqlite, () => {
    archive.connection.db
      .insert(archiveMeta)
      .values([
        { key: 'archive_id', value: randomUUID() },
        { key: 'created_at', value: now },
      ])
      .run();
    archive.audit.append({ action: 'archive.init', details: { path: archive.dir } });
  });
}

// --- An archive on PostgreSQL (issue 20, docs/server-postgres.md): the rows in a database, the files in a folder. ---

/** Whether the database at `url` (already migrated) holds an archive. */
function holdsArchive(connection: Connection): boolean {
  return connection.sqlite.prepare("SELECT count(*) FROM archive_meta WHERE key = 'archive_id'").pluck().get() === 1;
}

/**
 * Opens the archive whose rows are in the PostgreSQL database at `url` and whose files are in `filesFolder`
 * (a folder laid out as an archive folder's blobs, as `slipvault migrate --files` writes it). The database is
 * brought up to date first; the folder's writer lock is held until close(), as for an archive folder.
 */
export async function openArchiveOnPostgres(filesFolder: string, url: string, options: ArchiveOptions = {}): Promise<Archive> {
  const dir = resolve(folder(filesFolder));
  await migratePgDatabase(url, { existing: true });
  if (!existsSync(dir)) {
    throw new SlipVaultError('NOT_AN_ARCHIVE', `The archive's files folder ${dir} does not exist.`, { archive: dir }).withMessage(
      'postgres.filesFolderMissing',
      {
        folder: dir,
      },
    );
  }
  assertWritable(dir);
  return assemble(dir, options, () => {
    const connection = openPgConnection(url);
    if (!holdsArchive(connection)) {
      connection.sqlite.close();
      throw noArchiveIn(redactedUrl(url));
    }
    return connection;
  });
}

/** Creates a new archive in the empty PostgreSQL database at `url`, with its files in the empty (or new) `filesFolder`. */
export async function initArchiveOnPostgres(filesFolder: string, url: string, options: ArchiveOptions = {}): Promise<Archive> {
  const dir = resolve(folder(filesFolder));
  await migratePgDatabase(url, { existing: false });
  prepareEmptyFolder(dir);
  const archive = assemble(dir, options, () => {
    const connection = openPgConnection(url);
    if (holdsArchive(connection)) {
      connection.sqlite.close();
      const target = redactedUrl(url);
      throw new SlipVaultError('ARCHIVE_EXISTS', `The database ${target} already holds a SlipVault archive.`, { target }).withMessage('postgres.holdsArchive', {
        target,
      });
    }
    return connection;
  });
  recordCreation(archive);
  return archive;
}

function folder(path: string): string {
  if (path.trim() === '')
    throw new SlipVaultError('VALIDATION', 'Name the folder for the archive’s files.', { field: 'filesFolder' }).withMessage('postgres.noFilesFolder');
  return path;
}
