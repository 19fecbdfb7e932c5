/** The archive's domain as both sides see it. Plain data only: no node:, no DOM. */

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
}

/** What documents:list can order by ('created': archive order, the default, newest first). */
export const DOCUMENT_SORT_FIELDS = ['created', 'archiveNo', 'title', 'customer', 'amount', 'signedDate', 'updatedAt'] as const;
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

export const SUGGESTION_FIELDS = ['signedDate', 'amount', 'currency', 'slipNo', 'customer', 'type'] as const;
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
  warnings: string[];
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
