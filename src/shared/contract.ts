/**
 * The one map of every call the UI (or the CLI) can make: 'domain:verb' → { input schema, output type }.
 * Transports (IPC, preview WebSocket) and the generated client are generic over this map; the core's
 * handler table (src/main/core/api.ts) must implement exactly these keys.
 */
import { z } from 'zod';
import { documentRef } from './document-ref';
import { auditExportInput, auditQueryInput, recordViewInput, type AuditExport, type AuditPage } from './audit-view';
import { DOCUMENT_SORT_FIELDS, DOCUMENT_STATUSES, ROLES, ROTATIONS, SCAN_SOURCES } from './model';
import type { BackupScheduleStatus } from './backup-schedule';
import type { ArchiveSettings, ReviewPage, SettingsView } from './settings';
import { documentTypeInput, settingsChanges } from './settings-schema';
import type { ProofExportResult, ProofVerification } from './proof';
import { DISPOSAL_DECISIONS, HOLD_KINDS, RETENTION_ACTIONS, RETENTION_START_EVENTS } from './model';
import type { DisposalApproval, DisposalBatch, HoldRecord, RetentionSchedule, RetentionState } from './model';
import {
  authorizationListInput,
  authorizationRevokeInput,
  authorizationSaveInput,
  boxLabelInput,
  customerExportInput,
  customerImportInput,
  customerMergeInput,
  customerSaveInput,
  documentLocationInput,
  locationSaveInput,
  signerSaveInput,
  signingCheckInput,
  type AuthorizationRecord,
  type BoxLabelResult,
  type CustomerDetail,
  type CustomerImportResult,
  type CustomerMapping,
  type CustomerMergeResult,
  type SignerRecord,
  type SigningCheck,
  type StorageLocation,
} from './records';
import * as ledger from './ledger-schema';
// issue 20 item 5: moving an archive onto PostgreSQL
import type { PostgresMoveReport } from './postgres-move';
import { filingDraft, INBOX_ORDERS, type InboxDraft } from './inbox-draft';
import type {
  AppNotification,
  DueSummary,
  ExportedFile,
  FiledWeek,
  LedgerCandidate,
  LedgerImportPreview,
  LedgerImportResult,
  LedgerList,
  LedgerMapping,
  LedgerReport,
  LedgerRow,
  LedgerRowDetail,
  ReminderRun,
  UnexpectedSlip,
} from './model';
import type {
  ArchiveStatus,
  BackupResult,
  BackupSetInfo,
  BackupVerifyReport,
  RestoreResult,
  AuditEvent,
  AuthStatus,
  SessionUser,
  UserRecord,
  CheckReport,
  CustomerRecord,
  DocumentDetail,
  DocumentList,
  DocumentTypeRecord,
  DocumentSignature,
  ImportResult,
  ReindexResult,
  SavedSearch,
  SearchFacets,
  SearchResult,
  SearchSuggestion,
  InboxItem,
  PageRecognition,
  QueueCounts,
  VersionDiff,
  VersionSummary,
  HotFolderStatus,
  ScannerInfo,
  ScanResult,
  BatchEditResult,
  SlipPdf,
  // issue 19 items 6 and 7
  BatchFileResult,
  TestRestoreReport,
} from './model';

/** Phantom marker carrying an output type through a value-level map. */
export interface Output<T> {
  readonly __output?: T;
}
const output = <T>(): Output<T> => ({});

const optionalText = (max: number) => z.union([z.string().trim().max(max), z.null()]).transform((value) => (value === '' ? null : value));

export { documentRef };

export const decimalAmount = z
  .string()
  .trim()
  .regex(/^\d{1,13}(\.\d{1,2})?$/, 'amount must be a non-negative number with at most 2 decimals, e.g. 1234.50');

export const isoDate = z.iso.date({ message: 'date must be a real calendar date written YYYY-MM-DD' });

export const metadataChanges = z
  .object({
    title: z.string().trim().min(1, 'title cannot be empty').max(300),
    customer: optionalText(200),
    type: z.union([
      z
        .string()
        .trim()
        .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'type is a document type code'),
      z.null(),
    ]),
    signedDate: z.union([isoDate, z.null()]),
    slipNo: optionalText(100),
    amount: z.union([decimalAmount, z.null()]),
    currency: z.union([
      z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{3}$/, 'currency is a 3-letter code such as CNY'),
      z.null(),
    ]),
    signer: optionalText(200),
    status: z.enum(DOCUMENT_STATUSES.filter((s) => s !== 'voided') as ['inbox', 'filed'], {
      message: 'status is inbox or filed (use void to void a document)',
    }),
    tags: z.array(z.string().trim().min(1).max(60)).max(50),
    notes: z.string().max(20_000),
  })
  .partial()
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, 'at least one field must be changed');

export type MetadataChanges = z.output<typeof metadataChanges>;

const reason = z.string().trim().max(500).optional();
/** A reason that must be given (retention, holds and disposal are decisions someone must explain). */
const requiredReason = (what: string) => z.string().trim().min(1, `${what} is required`).max(500);
/** Files a document that lacks fields its type requires (docs/filing-rules.md); kept in the version's reason and audited. */
const filingOverride = z.string().trim().min(1, 'an override needs a reason').max(500).optional();
const backupTarget = z.string().min(1, 'a backup target folder is required').max(4096);
const backupPassphrase = z.string().min(1).max(1024).optional();

/** Mirrors MAX_QUERY_LENGTH and SORTS of the core's query parser (the query language is in README "Search"). */
const searchQuery = z.string().max(1000, 'a search query can be at most 1000 characters long');
const searchSort = z.enum(['relevance', 'date', 'date-asc'], { message: 'sort is relevance, date or date-asc' });
const searchPage = {
  limit: z.number().int().min(1).max(200).default(20),
  offset: z.number().int().min(0).max(100_000).default(0),
};
const savedSearchName = z.string().trim().min(1, 'a saved search needs a name').max(100);
const versionNumber = z.number().int().positive();
/** A SANE device name (test:0, epson2:net:10.0.0.5): never an option for scanimage, no control characters. */
const scannerDevice = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^-\s\p{Cc}][^\s\p{Cc}]*$/u, 'a scanner is named by its SANE device name, e.g. test:0 (see scanner:list)');
/** What one scan asks of the scanner (scanner:scan into the inbox, pages:scan into a document). */
const scanFields = {
  device: scannerDevice.optional(),
  source: z.enum(SCAN_SOURCES, { message: 'source is ADF or Flatbed' }).default('Flatbed'),
  duplex: z.boolean().default(false),
  resolution: z.number().int().min(50, 'resolution is at least 50 dpi').max(1200, 'resolution is at most 1200 dpi').default(300),
  pages: z.number().int().min(1).max(500).optional(),
};
const duplexNeedsFeeder = (scan: { duplex: boolean; source: string }) => !scan.duplex || scan.source === 'ADF';
const duplexNeedsFeederIssue = { message: 'duplex scanning needs the ADF source', path: ['duplex'] };

/** Mirrors the core's account rules (core/accounts/accounts.ts). */
export const MIN_PASSWORD_LENGTH = 8;
/**
 * The most of a file one call carries, either way — a `blobs:read` answer, an `uploads:append` piece: base64 of it
 * stays well inside a 4 MiB frame.
 */
export const FILE_PIECE_BYTES = 1024 * 1024;

/** `blobs:read`: `base64` holds the bytes from the offset asked for; `total` is the whole file's size. */
export interface BlobChunk {
  total: number;
  base64: string;
}
// --- issue 20 item 4: uploads from a workstation to a server, a piece per call like blobs:read ---
const UPLOAD_PIECE_BASE64_CHARS = 4 * Math.ceil(FILE_PIECE_BYTES / 3);
/** `uploads:begin`: the id the pieces and the import name; known only to the connection that began it. */
export interface UploadBegun {
  uploadId: string;
}
/** `uploads:append`: the bytes of the upload received so far. */
export interface UploadProgress {
  received: number;
}
/** `uploads:checkScan`: the document a scan would add pages to, or null for the inbox. */
export interface ScanDestination {
  archiveNo: string | null;
}
const username = z
  .string()
  .trim()
  .min(1, 'a user name is required')
  .max(64, 'a user name can be at most 64 characters long')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, 'a user name is letters, digits, dot, dash or underscore, starting with a letter or digit');
const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `a password has at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, 'a password can be at most 1024 characters long');
const givenPassword = z.string().min(1, 'a password is required').max(1024);
const displayName = z.string().trim().min(1, 'a display name cannot be empty').max(100);
const role = z.enum(ROLES, { message: 'a role is viewer, clerk, admin or auditor' });

export const contract = {
  // --- accounts and sessions: who a connection is (src/shared/permissions.ts says what each role may call) ---
  'auth:status': { input: z.object({}).strict(), output: output<AuthStatus>() },
  /** Creates the first admin of an archive that has no account yet, and logs this connection in as them. */
  'auth:setup': {
    input: z.object({ username, displayName: displayName.optional(), password: newPassword }).strict(),
    output: output<SessionUser>(),
  },
  'auth:login': { input: z.object({ username, password: givenPassword }).strict(), output: output<SessionUser>() },
  'auth:logout': { input: z.object({}).strict(), output: output<AuthStatus>() },
  'auth:changePassword': {
    input: z.object({ currentPassword: givenPassword, newPassword }).strict(),
    output: output<SessionUser>(),
  },
  'users:list': { input: z.object({}).strict(), output: output<UserRecord[]>() },
  'users:create': {
    input: z.object({ username, displayName: displayName.optional(), role, password: newPassword }).strict(),
    output: output<UserRecord>(),
  },
  'users:update': {
    input: z
      .object({ username, displayName: displayName.optional(), role: role.optional(), disabled: z.boolean().optional() })
      .strict()
      .refine(
        (update) => update.displayName !== undefined || update.role !== undefined || update.disabled !== undefined,
        'change at least one of displayName, role, disabled',
      ),
    output: output<UserRecord>(),
  },
  'users:resetPassword': { input: z.object({ username, password: newPassword }).strict(), output: output<UserRecord>() },
  'archive:status': { input: z.object({}).strict(), output: output<ArchiveStatus>() },
  'archive:check': { input: z.object({}).strict(), output: output<CheckReport>() },
  'audit:list': {
    input: z.object({ afterSeq: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    output: output<AuditEvent[]>(),
  },
  // The audit viewer, its CSV export, and the reads worth an event (src/shared/audit-view.ts).
  'audit:query': { input: auditQueryInput, output: output<AuditPage>() },
  'audit:export': { input: auditExportInput, output: output<AuditExport>() },
  'audit:recordView': { input: recordViewInput, output: output<AuditEvent>() },
  'documents:import': {
    input: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000) }).strict(),
    output: output<ImportResult>(),
  },
  'documents:list': {
    input: z
      .object({
        status: z.enum(DOCUMENT_STATUSES).optional(),
        includeVoided: z.boolean().default(false),
        limit: z.number().int().min(1).max(1000).default(100),
        offset: z.number().int().min(0).default(0),
        /** Only documents whose archive number, title, customer, slip number or signer contain this text. */
        text: z.string().trim().max(200).optional(),
        /** Empty values last in either direction; documents that tie stay in archive order, so pages never overlap. */
        sort: z
          .object({
            by: z.enum(DOCUMENT_SORT_FIELDS, { message: `sort.by is one of ${DOCUMENT_SORT_FIELDS.join(', ')}` }),
            direction: z.enum(['asc', 'desc'], { message: 'sort.direction is asc or desc' }).default('desc'),
          })
          .strict()
          .default({ by: 'created', direction: 'desc' }),
      })
      .strict(),
    output: output<DocumentList>(),
  },
  'documents:get': { input: z.object({ ref: documentRef }).strict(), output: output<DocumentDetail>() },
  'documents:edit': {
    input: z
      .object({
        ref: documentRef,
        changes: metadataChanges,
        reason,
        filingOverride,
        /** The version the clerk started from: a save over someone else's newer version is refused (EDIT_CONFLICT). */
        baseVersion: versionNumber.optional(),
      })
      .strict(),
    output: output<DocumentDetail>(),
  },
  'documents:void': {
    input: z.object({ ref: documentRef, reason: z.string().trim().min(1, 'a reason is required to void a document').max(500) }).strict(),
    output: output<DocumentDetail>(),
  },
  'documents:history': { input: z.object({ ref: documentRef }).strict(), output: output<VersionSummary[]>() },
  'documents:diff': {
    input: z.object({ ref: documentRef, from: versionNumber, to: versionNumber }).strict(),
    output: output<VersionDiff>(),
  },
  'documents:restoreVersion': {
    input: z.object({ ref: documentRef, version: versionNumber, reason }).strict(),
    output: output<DocumentDetail>(),
  },
  'pages:rotate': {
    input: z
      .object({
        ref: documentRef,
        pageId: z.number().int().positive(),
        rotation: z.union(ROTATIONS.map((r) => z.literal(r)) as [z.ZodLiteral<0>, z.ZodLiteral<90>, z.ZodLiteral<180>, z.ZodLiteral<270>]),
        reason,
      })
      .strict(),
    output: output<DocumentDetail>(),
  },
  'pages:remove': {
    input: z.object({ ref: documentRef, pageId: z.number().int().positive(), reason }).strict(),
    output: output<DocumentDetail>(),
  },
  'pages:reorder': {
    input: z.object({ ref: documentRef, pageIds: z.array(z.number().int().positive()).min(1), reason }).strict(),
    output: output<DocumentDetail>(),
  },
  'pages:add': {
    input: z.object({ ref: documentRef, paths: z.array(z.string().min(1).max(4096)).min(1).max(100), reason }).strict(),
    output: output<DocumentDetail>(),
  },
  'backup:create': {
    input: z
      .object({
        target: backupTarget,
        passphrase: backupPassphrase,
        recipients: z
          .array(
            z
              .string()
              .trim()
              .regex(/^age1[02-9ac-hj-np-z]+$/, 'a recipient is an age public key (age1…)'),
          )
          .max(20)
          .optional(),
        volumeBytes: z.number().int().positive().optional(),
        full: z.boolean().default(false),
      })
      .strict(),
    output: output<BackupResult>(),
  },
  'backup:verify': {
    input: z
      .object({
        target: backupTarget,
        passphrase: backupPassphrase,
        identities: z.array(z.string().min(1).max(100_000)).max(20).optional(),
        restoreCheck: z.boolean().default(false),
      })
      .strict(),
    output: output<BackupVerifyReport>(),
  },
  'backup:list': { input: z.object({ target: backupTarget }).strict(), output: output<BackupSetInfo[]>() },
  'backup:restore': {
    input: z
      .object({
        target: backupTarget,
        into: z.string().min(1, 'an empty or new folder to restore into is required').max(4096),
        setId: z
          .string()
          .regex(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/, 'a backup set id such as 20260101T120000000Z-a1b2c3')
          .optional(),
        passphrase: backupPassphrase,
        identities: z.array(z.string().min(1).max(100_000)).max(20).optional(),
        signers: z
          .array(
            z
              .string()
              .trim()
              .regex(/^slipvault-signer1[02-9ac-hj-np-z]{58}$/, 'a backup signer is slipvault-signer1…'),
          )
          .max(20)
          .optional(),
      })
      .strict(),
    output: output<RestoreResult>(),
  },
  /** The open archive's backup signer: what a restore elsewhere trusts for sets made to public keys. */
  'backup:signer': { input: z.object({}).strict(), output: output<{ signer: string }>() },
  'backup:prune': {
    input: z.object({ target: backupTarget, keep: z.number().int().min(1, 'keep at least one backup set') }).strict(),
    output: output<{ removed: string[]; kept: string[] }>(),
  },
  /** The backup schedule (setting backupSchedule): next run, last problem, whether the last verified backup is too old. */
  'backup:scheduleStatus': { input: z.object({}).strict(), output: output<BackupScheduleStatus>() },
  /** Hands the scheduled backups' passphrase to the host's keychain (never to the archive); answers where it went. */
  'backup:saveSchedulePassphrase': { input: z.object({ passphrase: z.string().min(1).max(1024) }).strict(), output: output<{ place: string }>() },
  'search:query': {
    input: z.object({ query: searchQuery, ...searchPage, sort: searchSort.optional(), facets: z.boolean().default(false) }).strict(),
    output: output<SearchResult>(),
  },
  /** Total and sidebar counts (customer, type, year) over every match of a query, without ranking a page. */
  'search:facets': {
    input: z.object({ query: searchQuery }).strict(),
    output: output<{ total: number; facets: SearchFacets }>(),
  },
  'search:reindex': {
    input: z.object({ restart: z.boolean().default(false) }).strict(),
    output: output<ReindexResult>(),
  },
  'search:suggest': {
    input: z
      .object({ prefix: z.string().max(200, 'a suggestion prefix can be at most 200 characters long'), limit: z.number().int().min(1).max(50).default(10) })
      .strict(),
    output: output<SearchSuggestion[]>(),
  },
  'savedSearches:list': { input: z.object({}).strict(), output: output<SavedSearch[]>() },
  'savedSearches:save': {
    input: z.object({ name: savedSearchName, query: searchQuery }).strict(),
    output: output<SavedSearch>(),
  },
  'savedSearches:remove': { input: z.object({ name: savedSearchName }).strict(), output: output<{ removed: string }>() },
  'savedSearches:run': {
    input: z.object({ name: savedSearchName, ...searchPage }).strict(),
    output: output<SearchResult>(),
  },
  'pages:setText': {
    input: z.object({ ref: documentRef, pageId: z.number().int().positive(), text: z.string().max(200_000), reason }).strict(),
    output: output<DocumentDetail>(),
  },
  'inbox:list': {
    input: z
      .object({
        limit: z.number().int().min(1).max(1000).default(100),
        // Scan order (oldest first) is the order of the paper stack on the clerk's desk.
        order: z.enum(INBOX_ORDERS, { message: 'order is scan or newest' }).default('scan'),
      })
      .strict(),
    output: output<InboxItem[]>(),
  },
  'inbox:file': {
    input: z.object({ ref: documentRef, changes: metadataChanges.optional(), acceptSuggestions: z.boolean().default(true), reason, filingOverride }).strict(),
    output: output<DocumentDetail>(),
  },
  'ocr:queue': { input: z.object({}).strict(), output: output<QueueCounts>() },
  'ocr:page': {
    input: z.object({ ref: documentRef, pageId: z.number().int().positive() }).strict(),
    output: output<PageRecognition>(),
  },
  'ocr:process': { input: z.object({}).strict(), output: output<QueueCounts>() },
  'customers:list': { input: z.object({}).strict(), output: output<CustomerRecord[]>() },
  'documentTypes:list': { input: z.object({}).strict(), output: output<DocumentTypeRecord[]>() },
  // Archive settings (src/shared/settings.ts), document types with their keywords, the OCR review list.
  'settings:get': { input: z.object({}).strict(), output: output<SettingsView>() },
  'settings:update': { input: z.object({ changes: settingsChanges }).strict(), output: output<ArchiveSettings>() },
  'documentTypes:save': { input: documentTypeInput, output: output<DocumentTypeRecord>() },
  'ocr:review': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: output<ReviewPage[]>(),
  },
  // --- capture: SANE scanner and the hot folder (run by the UI host while the archive is open) ---
  'scanner:list': { input: z.object({}).strict(), output: output<ScannerInfo[]>() },
  'scanner:scan': {
    input: z.object(scanFields).strict().refine(duplexNeedsFeeder, duplexNeedsFeederIssue),
    output: output<ScanResult>(),
  },
  /** Scans straight into an existing document: the scanned pages are added as one new version. */
  'pages:scan': {
    input: z
      .object({ ref: documentRef, ...scanFields, reason })
      .strict()
      .refine(duplexNeedsFeeder, duplexNeedsFeederIssue),
    output: output<DocumentDetail>(),
  },
  'hotFolder:status': { input: z.object({}).strict(), output: output<HotFolderStatus>() },
  'hotFolder:watch': {
    input: z.object({ path: z.string().trim().min(1, 'a hot folder path is required').max(4096) }).strict(),
    output: output<HotFolderStatus>(),
  },
  'hotFolder:stop': { input: z.object({}).strict(), output: output<HotFolderStatus>() },
  // --- proof packages (以备查证): docs/proof-package.md ---
  'proof:export': {
    input: z
      .object({
        documents: z.array(documentRef).min(1, 'name at least one document').max(1000),
        out: z.string().min(1, 'a file to write the package to is required').max(4096),
      })
      .strict(),
    output: output<ProofExportResult>(),
  },
  'proof:verify': {
    input: z
      .object({
        path: z.string().min(1, 'a proof package file is required').max(4096),
        expectedHead: z
          .string()
          .regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 of 64 hex digits')
          .optional(),
      })
      .strict(),
    output: output<ProofVerification>(),
  },
  // --- logs: docs/logs.md ---
  /**
   * The archive's log folder (its calls and unexpected errors) and the app's. The core cannot open a folder on
   * anyone's desktop and answers opened: false; the Electron shell opens `folder` and answers opened: true; a
   * browser preview shows the paths.
   */
  'app:openLogFolder': { input: z.object({}).strict(), output: output<{ folder: string; appFolder: string; opened: boolean }>() },
  // --- retention, holds and disposal: docs/retention.md ---
  'retention:schedules': { input: z.object({}).strict(), output: output<RetentionSchedule[]>() },
  'retention:setSchedule': {
    input: z
      .object({
        typeCode: z.string().trim().min(1, 'a document type code is required').max(40),
        startEvent: z.enum(RETENTION_START_EVENTS),
        /** null: kept permanently. */
        years: z.union([z.number().int().min(1, 'a retention period is at least 1 year').max(200), z.null()]),
        action: z.enum(RETENTION_ACTIONS),
        basis: requiredReason('the rule the period follows'),
      })
      .strict(),
    output: output<RetentionSchedule>(),
  },
  'retention:document': { input: z.object({ ref: documentRef }).strict(), output: output<RetentionState>() },
  /** Documents whose retention has ended on `asOf` (default today), held ones included and flagged. */
  'retention:due': { input: z.object({ asOf: isoDate.optional() }).strict(), output: output<{ asOf: string; items: RetentionState[] }>() },
  'retention:extend': {
    input: z.object({ ref: documentRef, until: isoDate, reason: requiredReason('why the document is kept longer') }).strict(),
    output: output<RetentionState>(),
  },
  'holds:list': {
    input: z.object({ ref: documentRef.optional(), includeLifted: z.boolean().default(false) }).strict(),
    output: output<HoldRecord[]>(),
  },
  'holds:add': {
    input: z
      .object({
        ref: documentRef.optional(),
        customer: z.string().trim().min(1).max(200).optional(),
        kind: z.enum(HOLD_KINDS),
        reason: requiredReason('why the hold is placed'),
      })
      .strict()
      .refine((input) => (input.ref === undefined) !== (input.customer === undefined), {
        message: 'name either a document (ref) or a customer, not both',
        path: ['ref'],
      }),
    output: output<HoldRecord>(),
  },
  'holds:lift': {
    input: z.object({ id: z.number().int().positive(), reason: requiredReason('why the hold is lifted') }).strict(),
    output: output<HoldRecord>(),
  },
  'disposal:list': { input: z.object({}).strict(), output: output<DisposalBatch[]>() },
  'disposal:request': {
    input: z
      .object({
        asOf: isoDate.optional(),
        items: z
          .array(
            z
              .object({ ref: documentRef, decision: z.enum(DISPOSAL_DECISIONS), extendUntil: isoDate.optional() })
              .strict()
              .refine((item) => (item.decision === 'extend') === (item.extendUntil !== undefined), {
                message: 'extendUntil is given with the decision extend, and only then',
                path: ['extendUntil'],
              }),
          )
          .min(1, 'name at least one document')
          .max(10_000),
        reason: requiredReason('why the batch is requested'),
      })
      .strict(),
    output: output<DisposalBatch>(),
  },
  'disposal:approve': {
    input: z
      .object({
        batch: z.number().int().positive(),
        reason: requiredReason('the approval'),
        /** Backup folders to look for sets still holding the files; default: every folder this archive backed up to. */
        backupTargets: z.array(z.string().min(1).max(4096)).max(100).optional(),
      })
      .strict(),
    output: output<DisposalApproval>(),
  },
  'disposal:reject': {
    input: z.object({ batch: z.number().int().positive(), reason: requiredReason('why the batch is rejected') }).strict(),
    output: output<DisposalBatch>(),
  },
  'disposal:certificate': {
    input: z.object({ batch: z.number().int().positive(), out: z.string().min(1, 'a file to write the certificate to is required').max(4096) }).strict(),
    output: output<{ path: string; sha256: string; bytes: number }>(),
  },
  // --- customers, signers, authorizations, paper locations (issue 18): src/shared/records.ts, docs/customers.md ---
  /** Every customer with code, CRM id, contacts, signers and document count (the Customers screen). */
  'customers:register': { input: z.object({}).strict(), output: output<CustomerDetail[]>() },
  'customers:get': {
    input: z.object({ customer: z.union([z.number().int().positive(), z.string().trim().min(1).max(200)]) }).strict(),
    output: output<CustomerDetail>(),
  },
  /** Creates (no id) or changes a customer; a new name renames it: its documents get a new version, the old name becomes an alias. */
  'customers:save': { input: customerSaveInput, output: output<CustomerDetail>() },
  'customers:merge': { input: customerMergeInput, output: output<CustomerMergeResult>() },
  'customers:import': { input: customerImportInput, output: output<CustomerImportResult>() },
  'customers:export': { input: customerExportInput, output: output<{ path: string; customers: number }>() },
  /** The built-in CRM presets and the saved mappings, by name. */
  'customers:mappings': {
    input: z.object({}).strict(),
    output: output<{ presets: Record<string, CustomerMapping>; saved: Record<string, CustomerMapping> }>(),
  },
  'signers:save': { input: signerSaveInput, output: output<SignerRecord>() },
  'authorizations:list': { input: authorizationListInput, output: output<AuthorizationRecord[]>() },
  'authorizations:save': { input: authorizationSaveInput, output: output<AuthorizationRecord>() },
  'authorizations:revoke': { input: authorizationRevokeInput, output: output<AuthorizationRecord>() },
  /** The filing form's green / amber / red: was the signer authorized for this customer, type and amount on the signing date? */
  'authorizations:check': { input: signingCheckInput, output: output<SigningCheck>() },
  'locations:list': { input: z.object({}).strict(), output: output<StorageLocation[]>() },
  'locations:save': { input: locationSaveInput, output: output<StorageLocation>() },
  /** Where a document's paper original is: a new version of the document. */
  'documents:setLocation': { input: documentLocationInput, output: output<DocumentDetail>() },
  'locations:boxLabel': { input: boxLabelInput, output: output<BoxLabelResult>() },
  // --- issue 19: un-void, batch edit, a slip as PDF (docs/clerk-day.md) ---
  'documents:unvoid': {
    input: z.object({ ref: documentRef, reason: z.string().trim().min(1, 'a reason is required to un-void a document').max(500) }).strict(),
    output: output<DocumentDetail>(),
  },
  /** The same changes to several documents: each gets its own version and audit event; refusals are listed per document. */
  'documents:editMany': {
    input: z
      .object({
        refs: z.array(documentRef).min(1, 'choose at least one document').max(500, 'a batch edit takes at most 500 documents'),
        changes: metadataChanges,
        reason,
      })
      .strict(),
    output: output<BatchEditResult>(),
  },
  /** The slip as a PDF (cover page with its metadata, then its pages), to save ('export') or to print ('print'); audited as either. */
  'documents:exportPdf': {
    input: z.object({ ref: documentRef, purpose: z.enum(['export', 'print'], { message: 'purpose is export or print' }) }).strict(),
    output: output<SlipPdf>(),
  },
  // --- the slip ledger (issue 17, docs/ledger.md): expected slips, import, matching, aging, reminders, reports ---
  'ledger:list': { input: ledger.ledgerListInput, output: output<LedgerList>() },
  'ledger:get': { input: z.object({ row: ledger.ledgerRowRef }).strict(), output: output<LedgerRowDetail>() },
  'ledger:create': { input: ledger.ledgerCreateInput, output: output<LedgerRow>() },
  'ledger:update': {
    input: z.object({ row: ledger.ledgerRowRef, changes: ledger.ledgerChanges, reason: z.string().trim().max(500).optional() }).strict(),
    output: output<LedgerRow>(),
  },
  /** A row entered by mistake: kept for its history, its slip number free again. */
  'ledger:cancel': { input: ledger.ledgerCancelInput, output: output<LedgerRow>() },
  /** Reads the file and checks every row; writes nothing. */
  'ledger:importPreview': { input: ledger.ledgerImportPreviewInput, output: output<LedgerImportPreview>() },
  'ledger:import': { input: ledger.ledgerImportInput, output: output<LedgerImportResult>() },
  'ledger:mappings': { input: z.object({}).strict(), output: output<LedgerMapping[]>() },
  'ledger:saveMapping': { input: ledger.ledgerSaveMappingInput, output: output<LedgerMapping>() },
  /** Open rows a document's slip number nearly matches (1–2 characters off, or another customer), for the clerk to confirm. */
  'ledger:candidates': { input: ledger.ledgerCandidatesInput, output: output<LedgerCandidate[]>() },
  'ledger:link': { input: ledger.ledgerLinkInput, output: output<LedgerRow>() },
  'ledger:unlink': { input: ledger.ledgerUnlinkInput, output: output<LedgerRow>() },
  /** Filed documents with a slip number no row expected. */
  'ledger:unexpected': { input: ledger.ledgerUnexpectedInput, output: output<{ items: UnexpectedSlip[]; total: number }>() },
  'ledger:report': { input: ledger.ledgerReportInput, output: output<LedgerReport>() },
  'ledger:export': { input: ledger.ledgerExportInput, output: output<ExportedFile>() },
  /** A reminder letter with the list of a customer's outstanding slips, as PDF. */
  'ledger:reminderPdf': { input: ledger.reminderPdfInput, output: output<ExportedFile>() },
  /** Creates the reminders due on asOf (each at most once per row and level) and pushes notifications:new. */
  'ledger:remind': { input: ledger.reminderRunInput, output: output<ReminderRun>() },
  'due:summary': { input: ledger.dueSummaryInput, output: output<DueSummary>() },
  'notifications:list': { input: ledger.notificationsListInput, output: output<AppNotification[]>() },
  'notifications:markRead': { input: ledger.notificationsMarkReadInput, output: output<{ marked: number }>() },
  // --- the signed check (issue 17 item 3): docs/signed-check.md ---
  /** Each current page's signed check (run where none is stored, or on every page with `recheck`). */
  'documents:signatureCheck': {
    input: z.object({ ref: documentRef, recheck: z.boolean().default(false) }).strict(),
    output: output<DocumentSignature>(),
  },
  /**
   * The gate for "returned": passes when a page is signed or sealed; otherwise NOT_SIGNED, unless `override`
   * gives a reason (audited as document.signed-override). For the ledger's custody step and the UI.
   */
  'documents:requireSigned': {
    input: z.object({ ref: documentRef, override: z.string().trim().min(1, 'an override needs a reason').max(500).optional() }).strict(),
    output: output<{ signed: true; pageIds: number[] } | { signed: false; override: string }>(),
  },
  // --- Inbox filing drafts (issue 19 item 3): docs/inbox-drafts.md ---
  /** The drafts of the documents still in the inbox. */
  'inbox:drafts': { input: z.object({}).strict(), output: output<InboxDraft[]>() },
  /** Replaces the document's draft; CONFLICT when the document is not in the inbox. */
  'inbox:saveDraft': { input: z.object({ ref: documentRef, draft: filingDraft }).strict(), output: output<InboxDraft>() },
  /** Removes the document's draft (audited); `discarded` is false when there was none. */
  'inbox:discardDraft': { input: z.object({ ref: documentRef }).strict(), output: output<{ archiveNo: string; discarded: boolean }>() },
  // --- issue 18 (records, part 2): a box label handed back to the window, which downloads it ---
  'locations:boxLabelPdf': { input: boxLabelInput.pick({ box: true }).strict(), output: output<ExportedFile>() },
  // --- the slip ledger's dashboard (issue 17 item 7): docs/ledger-ui.md ---
  /** Documents filed per ISO week, counted from the versions that moved a document's status to filed. */
  'due:filedPerWeek': { input: ledger.filedPerWeekInput, output: output<FiledWeek[]>() },
  // --- issue 19 items 6 and 7: batch filing (docs/clerk-day.md), the backup screen's test restore (docs/backup.md) ---
  /** Files several inbox documents with shared fields given once; each is filed as by inbox:file, refusals listed per document. */
  'inbox:fileMany': {
    input: z
      .object({
        items: z
          .array(z.object({ ref: documentRef, changes: metadataChanges.optional() }).strict())
          .min(1, 'choose at least one inbox document')
          .max(500, 'a batch filing takes at most 500 documents'),
        shared: metadataChanges.optional(),
        acceptSuggestions: z.boolean().default(true),
        reason,
        filingOverride,
      })
      .strict(),
    output: output<BatchFileResult>(),
  },
  /** Restores the target's newest set of this archive into a temporary folder, runs check there, removes the folder. */
  'backup:testRestore': {
    input: z
      .object({
        target: backupTarget,
        passphrase: backupPassphrase,
        identities: z.array(z.string().min(1).max(100_000)).max(20).optional(),
      })
      .strict(),
    output: output<TestRestoreReport>(),
  },
  // --- issue 20 item 3 (the desktop as a server's client): page images read through the host, in pieces ---
  /** Part of a stored file (a page image) by its hash: a window working on a server cannot read blobs/ itself. */
  'blobs:read': {
    input: z
      .object({
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 is 64 lower-case hex digits'),
        offset: z.number().int().min(0),
        length: z.number().int().min(1).max(FILE_PIECE_BYTES),
      })
      .strict(),
    output: output<BlobChunk>(),
  },
  // --- issue 20 item 5: moving this archive onto PostgreSQL (docs/server-postgres.md) ---
  /** Copies the archive into an empty PostgreSQL database and its files into an empty folder, then verifies both. */
  'archive:moveToPostgres': {
    input: z
      .object({
        to: z
          .string()
          .max(2048)
          .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'the target is a postgres:// URL'),
        filesDir: z.string().min(1, 'a folder for the files is required').max(4096),
      })
      .strict(),
    output: output<PostgresMoveReport>(),
  },
  // --- issue 20 item 4: a file on a workstation, sent to the server over the connection and imported there ---
  /** Starts an upload of `size` bytes whose SHA-256 is `sha256`; the bytes follow with uploads:append. */
  'uploads:begin': {
    input: z
      .object({
        name: z.string().trim().min(1, 'the file name is required').max(255),
        size: z.number().int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 is 64 lower-case hex digits'),
      })
      .strict(),
    output: output<UploadBegun>(),
  },
  /** The next piece of an upload, from `offset` (the bytes received so far). */
  'uploads:append': {
    input: z
      .object({
        uploadId: z.string().uuid('uploadId is the id uploads:begin answered'),
        offset: z.number().int().min(0),
        base64: z
          .string()
          .max(UPLOAD_PIECE_BASE64_CHARS, `a piece is at most ${FILE_PIECE_BYTES} bytes`)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'the piece is base64'),
      })
      .strict(),
    output: output<UploadProgress>(),
  },
  /** Checks the upload's SHA-256 and imports it as documents:import imports a file; the upload is gone afterwards. */
  'uploads:import': {
    input: z.object({ uploadId: z.string().uuid('uploadId is the id uploads:begin answered') }).strict(),
    output: output<ImportResult>(),
  },
  // --- issue 20 item 4: scanning at a workstation and adding its local pages to a server's document ---
  /** Before the workstation's scanner moves: whether this user may scan into the server, and into `ref` when given. */
  'uploads:checkScan': {
    input: z.object({ ref: documentRef.optional() }).strict(),
    output: output<ScanDestination>(),
  },
  /** A scanner batch uploaded from the workstation, imported as scanner:scan imports one (split with the server's settings). */
  'uploads:importScan': {
    input: z.object({ uploadId: z.string().uuid('uploadId is the id uploads:begin answered') }).strict(),
    output: output<ImportResult>(),
  },
  /** pages:add of uploaded files: their pages are added to the document as one new version. */
  'uploads:addPages': {
    input: z
      .object({
        ref: documentRef,
        uploadIds: z.array(z.string().uuid('uploadId is the id uploads:begin answered')).min(1).max(100),
        reason,
      })
      .strict(),
    output: output<DocumentDetail>(),
  },
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type InputOf<M extends Method> = z.input<Contract[M]['input']>;
export type ParsedInputOf<M extends Method> = z.output<Contract[M]['input']>;
export type OutputOf<M extends Method> = Contract[M]['output'] extends Output<infer T> ? T : never;

export const METHODS = Object.keys(contract) as Method[];

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** What every transport delivers back for one call. */
export type CallResult<M extends Method> = { ok: true; value: OutputOf<M> } | { ok: false; error: import('./errors').ErrorPayload };

/** The client the renderer sees as `window.slipvault`. */
export type SlipVaultClient = {
  call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>>;
  on<E extends import('./events').EventName>(event: E, listener: (payload: import('./events').EventPayload<E>) => void): () => void;
};
