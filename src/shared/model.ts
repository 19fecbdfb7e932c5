/** The archive's domain as both sides see it. Plain data only: no node:, no DOM. */
import type { CoreMessage } from './messages';

export const DOCUMENT_STATUSES = ['inbox', 'filed', 'voided'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const ROTATIONS = [0, 90, 180, 270] as const;
export type Rotation = (typeof ROTATIONS)[number];

/** Fields a clerk may change on a document; each change is a new version. */
export const EDITABLE_FIELDS = ['title', 'customer', 'type', 'signedDate', 'slipNo', 'amount', 'currency', 'signer', 'status', 'tags', 'notes'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** Metadata as stored in every version snapshot; amounts are decimal strings ("1234.50"). */
export interface DocumentMetadata {
  title: string;
  customer: string | null;
  type: string | null;
  signedDate: string | null;
  slipNo: string | null;
  amount: string | null;
  currency: string | null;
  signer: string | null;
  status: DocumentStatus;
  tags: string[];
  notes: string;
}

export interface PageSnapshot {
  pageId: number;
  blobHash: string;
  /** Index of the page inside its source file (TIFF frame, PDF page); 0 for single images. */
  sourcePage: number;
  rotation: Rotation;
  /** Recognised or corrected text; null until OCR has run. */
  text: string | null;
}

export interface DocumentSnapshot {
  metadata: DocumentMetadata;
  pages: PageSnapshot[];
  /** Present only once retention was extended or the document disposed, so older snapshots stay as they were. */
  retention?: SnapshotRetention;
  /** Code of the storage location holding the paper original; absent until one is set (issue 18). */
  location?: string;
}

export interface DocumentSummary {
  id: number;
  archiveNo: string;
  title: string;
  customer: string | null;
  type: string | null;
  signedDate: string | null;
  slipNo: string | null;
  amount: string | null;
  currency: string | null;
  /** Who signed the slip (the Inbox's filing form shows it, issue 19 item 2). */
  signer: string | null;
  status: DocumentStatus;
  pageCount: number;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface SourceFile {
  blobHash: string;
  filename: string;
  mime: string;
  size: number;
  pageCount: number;
  importedAt: string;
}

/** A page as the UI shows it: its versioned state plus derived data that is not versioned. */
export interface PageView extends PageSnapshot {
  /** Blob of a ~320 px wide JPEG of the page (served by the page-blob route like the original); null for pages imported before thumbnails existed. */
  thumbnailHash: string | null;
}

export interface DocumentDetail extends DocumentSummary {
  metadata: DocumentMetadata;
  pages: PageView[];
  files: SourceFile[];
  voidReason: string | null;
  /** Where the paper original is (a storage location code), or null. */
  location: string | null;
}

/** What documents:list can order by ('created': archive order, the default, newest first). */
export const DOCUMENT_SORT_FIELDS = ['created', 'archiveNo', 'title', 'customer', 'amount', 'signedDate', 'updatedAt', 'slipNo', 'type'] as const;
export type DocumentSortField = (typeof DOCUMENT_SORT_FIELDS)[number];
export interface DocumentSort {
  by: DocumentSortField;
  direction: 'asc' | 'desc';
}

export interface DocumentList {
  items: DocumentSummary[];
  /** Documents matching the filter, on all pages. */
  total: number;
  limit: number;
  offset: number;
}

export interface VersionSummary {
  number: number;
  createdAt: string;
  actor: string;
  action: string;
  reason: string | null;
}

export interface FieldChange {
  field: EditableField;
  from: DocumentMetadata[EditableField];
  to: DocumentMetadata[EditableField];
}

export type PageChange =
  | { kind: 'added'; pageId: number; position: number }
  | { kind: 'removed'; pageId: number; position: number }
  | { kind: 'moved'; pageId: number; from: number; to: number }
  | { kind: 'rotated'; pageId: number; from: Rotation; to: Rotation }
  | { kind: 'text'; pageId: number };

export interface TextDiffLine {
  op: 'equal' | 'added' | 'removed';
  line: string;
}

export interface VersionDiff {
  documentId: number;
  archiveNo: string;
  from: number;
  to: number;
  fields: FieldChange[];
  pages: PageChange[];
  /** Line diff of the document's text: every page's text in order, then the notes. */
  text: TextDiffLine[];
}

export interface ImportedDocument {
  file: string;
  document: DocumentSummary;
}

export interface ImportFailure {
  file: string;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface ImportResult {
  imported: ImportedDocument[];
  failed: ImportFailure[];
}

export interface CheckProblem {
  kind: 'database' | 'blob-missing' | 'blob-corrupt' | 'audit-chain' | 'version-mismatch' | 'foreign-key' | 'account';
  message: string;
  /** Archive numbers of the documents the problem affects, when any. */
  documents: string[];
  blobHash?: string;
  auditSeq?: number;
}

export interface CheckReport {
  ok: boolean;
  problems: CheckProblem[];
  counts: { documents: number; pages: number; blobs: number; versions: number; auditEvents: number };
}

export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface ArchiveStatus {
  archiveId: string;
  path: string;
  schemaVersion: number;
  createdAt: string;
  documents: number;
  auditHead: string;
  actor: string;
  /** The newest backup set this archive wrote, or null. */
  lastBackup?: BackupRecord | null;
  /** The newest backup that was decrypted and hash-checked, or null. */
  lastVerified?: BackupRecord | null;
  /** The newest backup that was restored into a scratch folder and passed `check`, or null. */
  lastVerifiedRestore?: BackupRecord | null;
}

export interface BackupRecord {
  setId: string;
  target: string;
  at: string;
}

export interface BackupSetInfo {
  setId: string;
  archiveId: string;
  createdAt: string;
  bytes: number;
  volumes: number;
  /** Sealed in the catalog: null unless the open archive made the set. */
  blobs: number | null;
  documents: number | null;
  dependsOn: string[];
  path: string;
}

export interface BackupResult {
  set: BackupSetInfo;
  /** Blobs already held by earlier sets on the target, so not written again. */
  blobsReused: number;
  /** Unfinished sets of interrupted runs that were cleaned up first. */
  leftoversRemoved: string[];
}

export interface BackupVerifyReport {
  sets: { setId: string; files: number; bytes: number }[];
  restoreChecked: boolean;
}

export interface RestoreResult {
  setId: string;
  path: string;
  files: number;
  bytes: number;
  setsRead: string[];
}

export interface CustomerRecord {
  id: number;
  name: string;
  aliases: string[];
  /** Names of the customer's registered signers (OCR matches them); absent where not loaded. */
  signers?: string[];
}

export interface DocumentTypeRecord {
  code: string;
  nameZh: string;
  nameEn: string;
  keywords: string[];
  /** Fields a document of this type must have to be filed (docs/filing-rules.md). */
  requiredFields: FilingField[];
}

/** A word box on a page image, in the page's pixel coordinates. */
export interface WordBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A page where the query matched, with the OCR word boxes that matched (empty when no words are stored). */
export interface SearchPageHit {
  pageId: number;
  /** 1-based position of the page in the document. */
  position: number;
  boxes: WordBox[];
}

/** A short piece of the document's text around the first match; `marks` are [start, end) offsets into `text`. */
export interface SearchSnippet {
  field: 'title' | 'notes' | 'customer' | 'slipNo' | 'signer' | 'tags' | 'page';
  text: string;
  marks: [number, number][];
}

export interface SearchHit {
  document: DocumentSummary;
  archiveNo: string;
  /** Higher is better; 0 when the query has no words (filters only). */
  score: number;
  snippet: SearchSnippet | null;
  pages: SearchPageHit[];
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchFacets {
  customer: FacetCount[];
  type: FacetCount[];
  year: FacetCount[];
}

/** One autocomplete proposal for the search box (`search:suggest`). */
export interface SearchSuggestion {
  kind: 'field' | 'customer' | 'type' | 'tag' | 'status' | 'slip';
  /** What the list shows. */
  label: string;
  /** Query text that replaces the word being typed. */
  insert: string;
  /** Secondary text: a customer's aliases, a type's English name. */
  detail?: string;
  /** Documents (not voided) of a customer. */
  count?: number;
}

export interface SearchResult {
  query: string;
  sort: 'relevance' | 'date' | 'date-asc';
  total: number;
  limit: number;
  offset: number;
  hits: SearchHit[];
  facets: SearchFacets;
  /** False while a rebuild of the index is unfinished (`slipvault reindex` completes it). */
  indexComplete: boolean;
  tookMs: number;
}

export interface SavedSearch {
  id: number;
  name: string;
  query: string;
  createdAt: string;
  updatedAt: string;
}

export interface ReindexResult {
  indexed: number;
  total: number;
  resumedAfter: number;
}

// ---- ingest, OCR and filing suggestions ----

export const OCR_JOB_STATUSES = ['queued', 'preprocessing', 'ocr', 'done', 'failed'] as const;
export type OcrJobStatus = (typeof OCR_JOB_STATUSES)[number];

/** One recognised word; bbox is [left, top, right, bottom] in pixels of the recognised image. */
export interface OcrWord {
  text: string;
  bbox: [number, number, number, number];
  confidence: number;
}

export interface PageText {
  text: string;
  words: OcrWord[];
  /** Mean word confidence 0–100; 100 for text taken from a PDF's text layer. */
  confidence: number;
  /** Where the text came from: OCR of the page image, or the PDF's own text layer. */
  source: 'ocr' | 'pdf-text';
}

/** A page's queue status and, once recognised, its words (for hit highlighting) and confidence. */
export interface PageRecognition {
  pageId: number;
  status: OcrJobStatus | null;
  error: string | null;
  source: PageText['source'] | null;
  confidence: number | null;
  words: OcrWord[];
}

/** signer, validFrom and validTo (a letter of authority's period) are suggested, never filed by themselves (issue 18). */
export const SUGGESTION_FIELDS = ['signedDate', 'amount', 'currency', 'slipNo', 'customer', 'type', 'signer', 'validFrom', 'validTo'] as const;
export type SuggestionField = (typeof SUGGESTION_FIELDS)[number];

/** A value the extractor proposes for a field, best first per field; confidence 0–1. */
export interface Suggestion {
  field: SuggestionField;
  value: string;
  confidence: number;
  /** The text it was read from, for the clerk to judge. */
  evidence: string;
  /** Where it was read: the page text (the default when absent) or a barcode / QR code on a page. */
  source?: 'text' | 'barcode';
  // ---- issue 19: the page beside the filing form ----
  /** The words it was read from, when the OCR's words show them: framed on the page beside the form. */
  box?: SuggestionBox;
}

/** A region of one page, [left, top, right, bottom] in the pixels of the recognised image (as OcrWord.bbox). */
export interface SuggestionBox {
  pageId: number;
  bbox: [number, number, number, number];
}

/** A barcode or QR code read on a page image. */
export interface PageBarcode {
  /** zxing's format name, e.g. QRCode, Code128. */
  format: string;
  text: string;
}

export interface FileOcrResult {
  file: string;
  pages: PageText[];
  suggestions: Suggestion[];
}

export interface QueueCounts {
  queued: number;
  preprocessing: number;
  ocr: number;
  done: number;
  failed: number;
}

export interface InboxItem {
  document: DocumentSummary;
  suggestions: Suggestion[];
  /** Pages whose OCR is finished / all pages. */
  pagesDone: number;
  pagesTotal: number;
  failedPages: { pageId: number; error: string }[];
  /** Lowest page confidence once OCR is done; pages below the review threshold need a look. */
  minConfidence: number | null;
  needsReview: boolean;
  /** Other documents with the same slip number (and customer): a hint, since a re-signed slip is legitimate. */
  warnings: CoreMessage[];
}

// --- scanner and hot folder (the app's capture sources) ---

export interface ScannerInfo {
  device: string;
  vendor: string;
  model: string;
  type: string;
}

export const SCAN_SOURCES = ['ADF', 'Flatbed'] as const;
export type ScanSource = (typeof SCAN_SOURCES)[number];

export interface ScanResult {
  /** Sheets the scanner delivered (blank separator sheets included). */
  pages: number;
  import: ImportResult;
}

export interface HotFolderStatus {
  watching: boolean;
  path: string | null;
  /** Files imported / refused since watching started. */
  done: number;
  failed: number;
  lastError: string | null;
  lastFile: string | null;
  lastScanAt: string | null;
}

/** The four roles; what each may call is src/shared/permissions.ts. */
export const ROLES = ['viewer', 'clerk', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** An account as admins see it (never its password hash). */
export interface UserRecord {
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  passwordChangedAt: string;
}

/** Who a connection is logged in as. */
export interface SessionUser {
  username: string;
  displayName: string;
  role: Role;
}

/** What a client learns before and after logging in. */
export interface AuthStatus {
  /** No account exists yet: the first start creates the first admin. */
  setupRequired: boolean;
  user: SessionUser | null;
  /** The window locks after this many idle minutes. */
  idleLockMinutes: number;
}

// --- Retention, holds and disposal (docs/retention.md) ---

/** When a type's retention period starts: the signing date, the day after its fiscal year ends, or the end of an authorization. */
export const RETENTION_START_EVENTS = ['signed-date', 'fiscal-year-end', 'authorization-end'] as const;
export type RetentionStartEvent = (typeof RETENTION_START_EVENTS)[number];
/** What happens when the period is over: a person reviews each document (default keep) or it is proposed for disposal. */
export const RETENTION_ACTIONS = ['review', 'dispose'] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];
export const HOLD_KINDS = ['dispute', 'unsettled-debt', 'audit', 'legal'] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];
export const DISPOSAL_DECISIONS = ['keep', 'extend', 'dispose'] as const;
export type DisposalDecision = (typeof DISPOSAL_DECISIONS)[number];

export interface RetentionSchedule {
  typeCode: string;
  startEvent: RetentionStartEvent;
  /** null: kept permanently. */
  years: number | null;
  action: RetentionAction;
  /** The rule the period follows. */
  basis: string;
  updatedAt: string;
}

/** A document's retention as a version records it: the extension in force and, once it happened, its disposal. */
export interface SnapshotRetention {
  retainUntil: string | null;
  disposed: { batchId: number; at: string } | null;
}

export interface HoldRecord {
  id: number;
  /** The held document's archive number, or null for a hold on a customer. */
  archiveNo: string | null;
  customer: string | null;
  kind: HoldKind;
  reason: string;
  placedBy: string;
  placedAt: string;
  liftedBy: string | null;
  liftedAt: string | null;
  liftReason: string | null;
}

/** One document's retention: its type's schedule, when the period started and ends, holds, disposal. */
export interface RetentionState {
  archiveNo: string;
  title: string;
  customer: string | null;
  typeCode: string | null;
  schedule: RetentionSchedule | null;
  /** null when the start event has not happened or is not known (no signing date, an authorization still in force). */
  startDate: string | null;
  /** The end of the type's period (null: permanent or start unknown). */
  typeDueDate: string | null;
  /** The longest extension on this document, if any. */
  retainUntil: string | null;
  /** The later of the two: the first day the document may be disposed of. */
  dueDate: string | null;
  /** Holds in force on the document or its customer. */
  holds: HoldRecord[];
  /** The open (requested) disposal batch it is in. */
  pendingBatch: number | null;
  disposed: { batchId: number; at: string } | null;
}

export interface DisposalItem {
  archiveNo: string;
  title: string;
  customer: string | null;
  decision: DisposalDecision;
  extendUntil: string | null;
  startDate: string;
  dueDate: string;
  years: number;
  /** SHA-256 of every original and thumbnail of the document (removed from the store once disposed). */
  blobs: string[];
}

/** A backup set that still holds disposed files: they stay there until the set is pruned. */
export interface DisposalBackupHolder {
  target: string;
  setId: string;
  createdAt: string;
  /** How many of the batch's files the set holds. */
  files: number;
}

export interface DisposalBatch {
  id: number;
  asOf: string;
  reason: string;
  status: 'requested' | 'approved' | 'rejected';
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  certificateSha256: string | null;
  items: DisposalItem[];
}

export interface DisposalApproval {
  batch: DisposalBatch;
  disposed: string[];
  extended: string[];
  kept: string[];
  filesRemoved: number;
  backupHolders: DisposalBackupHolder[];
  /** Backup folders that could not be read (a drive not plugged in): whether their sets hold the files is unknown. */
  backupTargetsUnchecked: string[];
}

// --- issue 19: batch edit and a slip as PDF ---

/** One document of a batch edit: edited as a version of its own, or refused with its own reason. */
export type BatchEditOutcome =
  { ref: string; ok: true; archiveNo: string; version: number } | { ref: string; ok: false; archiveNo: string | null; code: string; message: string };

export interface BatchEditResult {
  edited: number;
  failed: number;
  /** One entry per document asked for, in the order asked. */
  outcomes: BatchEditOutcome[];
}

/** A slip as one PDF: a cover page with its metadata, then its pages as stored (documents:exportPdf). */
export interface SlipPdf {
  archiveNo: string;
  /** A file name to save it under, e.g. SV-2026-000001.pdf. */
  filename: string;
  /** Pages in the PDF, the cover included. */
  pageCount: number;
  /** The PDF file, base64-encoded (a contract value is JSON). */
  pdfBase64: string;
}

// --- the slip ledger (issue 17, docs/ledger.md): slips that must come back signed ---

/** Where a slip is on its way back: out with the goods, signed by the customer, back at a branch, at the office, filed. */
export const CUSTODY_STEPS = ['sent', 'signed_at_customer', 'back_at_branch', 'at_office', 'filed'] as const;
export type CustodyStep = (typeof CUSTODY_STEPS)[number];
/** Steps at which the slip is still out: it is chased and aged until it reaches back_at_branch. */
export const OUTSTANDING_STEPS = ['sent', 'signed_at_customer'] as const satisfies readonly CustodyStep[];

export const LEDGER_EXCEPTIONS = ['lost', 'disputed', 'refused', 'partial', 'signature_problem'] as const;
export type LedgerException = (typeof LEDGER_EXCEPTIONS)[number];

/** Days past the expected-back date of an outstanding slip; not_due before that date. */
export const AGING_BUCKETS = ['not_due', '0-15', '16-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export interface LedgerRow {
  id: number;
  /** Normalised (upper case, no spaces, half-width) as slip numbers are everywhere in the archive. */
  slipNo: string;
  customer: string;
  issueDate: string;
  expectedBackDate: string;
  amount: string | null;
  currency: string | null;
  invoiceNo: string | null;
  /** The user who chases this slip. */
  owner: string | null;
  custody: CustodyStep;
  /** The day the slip first reached back_at_branch or a later step; null while it is out. */
  returnedOn: string | null;
  documentId: number | null;
  archiveNo: string | null;
  exception: LedgerException | null;
  exceptionReason: string | null;
  /** Cancelled rows stay for history; their slip number may be used again. */
  cancelledAt: string | null;
  cancelReason: string | null;
  createdAt: string;
  updatedAt: string;
  /** Days past expected-back on the day asked about (asOf); null when the slip is no longer outstanding. */
  daysOverdue: number | null;
  bucket: AgingBucket | null;
}

export interface LedgerHistoryEntry {
  at: string;
  actor: string;
  /** create, update, import, link, unlink, match, cancel */
  action: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  reason: string | null;
  /** The audit event that records this change. */
  auditSeq: number;
}

export interface LedgerRowDetail {
  row: LedgerRow;
  history: LedgerHistoryEntry[];
}

export const LEDGER_SORT_FIELDS = ['expectedBackDate', 'issueDate', 'slipNo', 'customer', 'amount', 'owner', 'updatedAt'] as const;
export type LedgerSortField = (typeof LEDGER_SORT_FIELDS)[number];

export interface LedgerList {
  items: LedgerRow[];
  total: number;
  limit: number;
  offset: number;
  asOf: string;
}

/** The fields an import can fill, each from one column of the file (a mapping: field → column header). */
export const LEDGER_IMPORT_FIELDS = [
  'slipNo',
  'customer',
  'issueDate',
  'expectedBackDate',
  'amount',
  'currency',
  'invoiceNo',
  'owner',
  'custody',
  'exception',
  'exceptionReason',
] as const;
export type LedgerImportField = (typeof LEDGER_IMPORT_FIELDS)[number];
/** Without these an import cannot make a row. */
export const LEDGER_REQUIRED_FIELDS = ['slipNo', 'customer', 'issueDate'] as const satisfies readonly LedgerImportField[];
export type LedgerMappingColumns = Partial<Record<LedgerImportField, string>>;

export const LEDGER_ENCODINGS = ['auto', 'utf-8', 'gb18030'] as const;
export type LedgerEncoding = (typeof LEDGER_ENCODINGS)[number];

export interface LedgerMapping {
  name: string;
  columns: LedgerMappingColumns;
  updatedAt: string;
}

/** Why a row of an import file cannot be used; `reason` says it in words, naming the value. */
export const LEDGER_ROW_PROBLEMS = [
  'missing-value',
  'duplicate-slip',
  'bad-date',
  'bad-amount',
  'negative-amount',
  'unknown-currency',
  'unknown-custody',
  'unknown-exception',
  'unknown-owner',
  'too-long',
] as const;
export type LedgerRowProblemCode = (typeof LEDGER_ROW_PROBLEMS)[number];

export interface LedgerRowProblem {
  /** 1-based line of the file (CSV: the line the record starts on; XLSX: the sheet row). */
  line: number;
  slipNo: string | null;
  field: LedgerImportField | null;
  problem: LedgerRowProblemCode;
  reason: string;
}

/** A row as the import would write it. */
export interface LedgerImportValues {
  slipNo: string;
  customer: string;
  issueDate: string;
  expectedBackDate: string | null;
  amount: string | null;
  currency: string | null;
  invoiceNo: string | null;
  owner: string | null;
  custody: CustodyStep | null;
  exception: LedgerException | null;
  exceptionReason: string | null;
}

export interface LedgerPreviewRow {
  line: number;
  /** null when the row has a problem. */
  values: LedgerImportValues | null;
  /** What importing it would do: a new row, an update of the live row with that slip number, nothing. */
  action: 'create' | 'update' | 'unchanged' | 'refused';
  problems: LedgerRowProblem[];
}

export interface LedgerImportPreview {
  format: 'csv' | 'xlsx';
  /** The encoding the file was read with (XLSX: utf-8). */
  encoding: 'utf-8' | 'gb18030';
  headers: string[];
  /** The mapping applied (the named one, the given one, or one guessed from the headers). */
  columns: LedgerMappingColumns;
  /** Required fields the mapping or the file does not have: nothing can be imported until they are mapped. */
  missingColumns: LedgerImportField[];
  totalRows: number;
  goodRows: number;
  /** The first rows, as asked. */
  rows: LedgerPreviewRow[];
  /** Every bad row of the whole file. */
  problems: LedgerRowProblem[];
}

export interface LedgerImportResult {
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'gb18030';
  totalRows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows left out (only with goodRows: without it a single bad row refuses the whole file). */
  skipped: LedgerRowProblem[];
  /** The audit event recording the import; null when nothing changed. */
  auditSeq: number | null;
}

export interface LedgerCandidate {
  row: LedgerRow;
  /** Edit distance between the document's slip number (or suggestion) and the row's. */
  distance: number;
  slipNo: string;
  /** Where the document's slip number came from. */
  source: 'document' | 'suggestion' | 'barcode';
  customerDiffers: boolean;
}

/** A filed document with a slip number that no ledger row expected. */
export interface UnexpectedSlip {
  document: DocumentSummary;
}

export const LEDGER_REPORTS = ['invoiced-not-back', 'back-no-invoice', 'partial', 'return-rate-by-customer', 'return-rate-by-month'] as const;
export type LedgerReportKind = (typeof LEDGER_REPORTS)[number];

export interface ReturnRateLine {
  /** A customer name or a month (YYYY-MM of the issue date). */
  key: string;
  issued: number;
  returned: number;
  /** returned / issued, 0–1. */
  rate: number;
  medianDaysToReturn: number | null;
}

export type LedgerReport =
  | { kind: 'invoiced-not-back' | 'back-no-invoice' | 'partial'; asOf: string; rows: LedgerRow[] }
  | { kind: 'return-rate-by-customer' | 'return-rate-by-month'; asOf: string; lines: ReturnRateLine[] };

/** A file handed back through the contract (the UI saves it, the CLI writes it). */
export interface ExportedFile {
  filename: string;
  mime: string;
  base64: string;
  rows: number;
}

/** Sums per currency, as decimal text ("1234.50"). */
export type AmountsByCurrency = Record<string, string>;

export interface OverdueGroup {
  /** Customer name or owner username; null: rows without an owner. */
  key: string | null;
  count: number;
  amounts: AmountsByCurrency;
}

export interface DueSummary {
  asOf: string;
  user: string;
  /** Outstanding slips of the calling user whose expected-back date is today. */
  myDueToday: LedgerRow[];
  myOverdue: number;
  buckets: { bucket: AgingBucket; count: number; amounts: AmountsByCurrency }[];
  overdueByCustomer: OverdueGroup[];
  overdueByOwner: OverdueGroup[];
  /** Back at a branch or at the office, not yet filed. */
  backNotFiled: number;
  /** Filed documents with a slip number no row expected. */
  unexpected: number;
  inbox: { olderThanDays: number; count: number };
  ocrReviewBacklog: number;
  backup: { olderThanDays: number; lastVerifiedAt: string | null; neverVerified: boolean; stale: boolean };
  unreadNotifications: number;
  /**
   * Authorizations (授权书) whose end in force — valid-to, or the review date of one valid until revoked — is at most
   * AUTHORIZATION_WARNING_DAYS away or already past, and that nobody revoked or superseded: the ones to renew or review.
   */
  authorizationsEnding: { withinDays: number; count: number };
}

/** How far ahead the due screen looks for authorizations to renew or review: the first expiry warning. */
export const AUTHORIZATION_WARNING_DAYS = 60;

/** Reminder levels: at expected-back to the owner, +7 days to the owner again, +30 days to every admin. */
export const REMINDER_LEVELS = ['due', 'overdue-owner', 'overdue-admin'] as const;
export type ReminderLevel = (typeof REMINDER_LEVELS)[number];

export interface AppNotification {
  id: number;
  recipient: string;
  level: ReminderLevel;
  ledgerRowId: number;
  slipNo: string;
  customer: string;
  expectedBackDate: string;
  /** The day this level of reminder fell due; daysOverdue counts to it. */
  dueOn: string;
  daysOverdue: number;
  /** An English sentence for the CLI; the UI writes its own from the fields. */
  text: string;
  createdAt: string;
  readAt: string | null;
}

export interface ReminderRun {
  asOf: string;
  created: AppNotification[];
}

// --- Filing rules and the signed check (issue 17 items 3 and 4): docs/filing-rules.md, docs/signed-check.md ---

/**
 * What a document type can require before a document of that type is filed: metadata fields, and
 * `signature` — a page found signed or sealed by the signed check (docs/signed-check.md).
 */
export const FILING_FIELDS = ['customer', 'signedDate', 'slipNo', 'amount', 'currency', 'signer', 'signature'] as const;
export type FilingField = (typeof FILING_FIELDS)[number];

/** A box on a page, in the pixels of the page as the viewer shows it (the same frame as OCR word boxes). */
export interface PageRegion extends WordBox {
  kind: 'signature' | 'seal';
  /** 0–1: how sure the detector is that this region is what `kind` says. */
  confidence: number;
}

/** What the signed check found on one page. */
export interface PageSignature {
  pageId: number;
  /** Handwritten ink that is not printed text, or a seal: the page carries an acknowledgement. */
  signed: boolean;
  signature: boolean;
  seal: boolean;
  /** 0–1: how sure the detector is of `signed` (either way). */
  confidence: number;
  regions: PageRegion[];
  /** Width and height of the frame the regions are in. */
  frame: { width: number; height: number };
  checkedAt: string;
}

/** A document's signed check: each page's result, and whether any page is signed. */
export interface DocumentSignature {
  archiveNo: string;
  signed: boolean;
  pages: PageSignature[];
}

// --- the slip ledger's dashboard: documents filed per week (issue 17 item 7) ---

/** Documents that became filed in one ISO week (`start` is its Monday). */
export interface FiledWeek {
  /** ISO week, e.g. 2026-W15. */
  week: string;
  start: string;
  count: number;
}

// --- issue 19 items 6 and 7: batch filing, the backup screen's test restore ---

/** One document of a batch filing: filed as a version of its own, or refused with its own reason. */
export type BatchFileOutcome =
  | { ref: string; ok: true; archiveNo: string; version: number }
  | { ref: string; ok: false; archiveNo: string | null; code: string; message: string; details?: Record<string, unknown> };

export interface BatchFileResult {
  filed: number;
  failed: number;
  /** One entry per document asked for, in the order asked. */
  outcomes: BatchFileOutcome[];
}

/** backup:testRestore: the newest set restored into a temporary folder and checked there; the folder is gone afterwards. */
export interface TestRestoreReport {
  target: string;
  setId: string;
  /** When the restored set was made. */
  createdAt: string;
  /** Sets read to rebuild it (it and the sets it builds on). */
  setsRead: string[];
  files: number;
  bytes: number;
  /** `check` on the restored copy. */
  check: CheckReport;
  /** Whether the temporary folder was removed afterwards (false only when the system refused). */
  removed: boolean;
  seconds: number;
}
