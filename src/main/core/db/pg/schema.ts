/**
 * The archive's tables on PostgreSQL: the same tables and columns as ../schema.ts (SQLite), table for table
 * (tests/unit/pg-schema-in-step.test.ts keeps them so), in PostgreSQL's types. drizzle-kit generates the
 * migrations in ./migrations from this file (`npm run db:generate:pg`); never edit a committed migration.
 *
 * Where the types differ and why: ids are identity columns (copied ids are kept, `migrate` copies them);
 * JSON columns are jsonb; flags are boolean; amounts and file sizes are bigint, because SQLite's integer is
 * 64-bit and an amount in fen passes 2^31 at 21 million yuan; confidences are double precision like SQLite's
 * real. Timestamps and dates stay ISO text, as on SQLite: the audit chain hashes them as written.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, customType, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import {
  DISPOSAL_DECISIONS,
  HOLD_KINDS,
  RETENTION_ACTIONS,
  RETENTION_START_EVENTS,
  type FilingField,
  type OcrWord,
  type PageBarcode,
  type PageRegion,
  type Suggestion,
} from '../../../../shared/model';
import type { InboxFormField } from '../../../../shared/inbox-draft';

export const archiveMeta = pgTable('archive_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const customers = pgTable('customers', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull().unique(),
  aliases: jsonb('aliases')
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  createdAt: text('created_at').notNull(),
  /** Days a customer has to send a signed slip back (the slip ledger's expected-back date); migration 0009. */
  returnDeadlineDays: integer('return_deadline_days').notNull().default(15),
});

export const documentTypes = pgTable('document_types', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  keywords: jsonb('keywords')
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
});

/** Last archive number handed out per year; numbers are never reused because documents are never deleted. */
export const archiveNumberSequences = pgTable('archive_number_sequences', {
  year: integer('year').primaryKey(),
  lastValue: integer('last_value').notNull(),
});

export const documents = pgTable(
  'documents',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    archiveNo: text('archive_no').notNull().unique(),
    title: text('title').notNull(),
    customerId: integer('customer_id').references(() => customers.id),
    typeCode: text('type_code').references(() => documentTypes.code),
    signedDate: text('signed_date'),
    slipNo: text('slip_no'),
    amountMinor: bigint('amount_minor', { mode: 'number' }),
    currency: text('currency'),
    signer: text('signer'),
    status: text('status', { enum: ['inbox', 'filed', 'voided'] }).notNull(),
    notes: text('notes').notNull().default(''),
    voidReason: text('void_reason'),
    currentVersion: integer('current_version').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    index('documents_status_idx').on(table.status),
    index('documents_customer_idx').on(table.customerId),
    index('documents_slip_no_idx').on(table.slipNo),
    check('documents_amount_non_negative', sql`${table.amountMinor} IS NULL OR ${table.amountMinor} >= 0`),
  ],
);

export const tags = pgTable('tags', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull().unique(),
});

export const documentTags = pgTable(
  'document_tags',
  {
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id),
  },
  (table) => [primaryKey({ columns: [table.documentId, table.tagId] })],
);

/** Every file a user brought in, stored as a blob; refusing a second import of the same bytes. */
export const sourceFiles = pgTable(
  'source_files',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id),
    blobHash: text('blob_hash').notNull(),
    filename: text('filename').notNull(),
    mime: text('mime').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    pageCount: integer('page_count').notNull(),
    importedAt: text('imported_at').notNull(),
  },
  (table) => [uniqueIndex('source_files_blob_hash_idx').on(table.blobHash), index('source_files_document_idx').on(table.documentId)],
);

/**
 * Pages ever attached to a document. A page removed from the document keeps its row with
 * position NULL, so restoring an older version can bring it back.
 */
export const pages = pgTable(
  'pages',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id),
    sourceFileId: integer('source_file_id')
      .notNull()
      .references(() => sourceFiles.id),
    sourcePage: integer('source_page').notNull(),
    position: integer('position'),
    rotation: integer('rotation').notNull().default(0),
    text: text('text'),
    /** A small JPEG of the page (derived at import, a blob like any other), for lists and page strips; not versioned. */
    thumbnailHash: text('thumbnail_hash'),
  },
  (table) => [
    uniqueIndex('pages_document_position_idx').on(table.documentId, table.position),
    check('pages_rotation_valid', sql`${table.rotation} IN (0, 90, 180, 270)`),
  ],
);

/** Immutable: one row per change, holding the full snapshot of metadata and page list after it. */
export const documentVersions = pgTable(
  'document_versions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id),
    number: integer('number').notNull(),
    createdAt: text('created_at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    reason: text('reason'),
    snapshot: text('snapshot').notNull(),
  },
  (table) => [uniqueIndex('document_versions_document_number_idx').on(table.documentId, table.number)],
);

/** Append-only, hash-chained: hash = SHA-256(prev_hash ‖ canonical(event)). */
export const auditEvents = pgTable('audit_events', {
  seq: integer('seq').primaryKey(),
  at: text('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  targetType: text('target_type'),
  targetId: text('target_id'),
  details: text('details').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/** Named search queries (the query text is re-run each time); removed ones keep their row with removed_at. */
export const savedSearches = pgTable(
  'saved_searches',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    query: text('query').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    removedAt: text('removed_at'),
  },
  (table) => [
    uniqueIndex('saved_searches_live_name_idx')
      .on(table.name)
      .where(sql`${table.removedAt} IS NULL`),
  ],
);
/**
 * The durable ingest queue: one row per page, created in the import transaction. A page's text, its
 * `done` status and its new document version are written in one transaction, so a killed process
 * redoes at most the page it was working on, and a page is only ever recognised into its own document.
 * A claim names its holder (the claiming owner: host and folder) and runs until `lease_until`, which the
 * holder renews while it works: a page is taken back from a holder only once its lease ran out.
 */
export const ocrJobs = pgTable(
  'ocr_jobs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    pageId: integer('page_id')
      .notNull()
      .references(() => pages.id),
    status: text('status', { enum: ['queued', 'preprocessing', 'ocr', 'done', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    queuedAt: text('queued_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    holder: text('holder'),
    leaseUntil: text('lease_until'),
  },
  (table) => [
    uniqueIndex('ocr_jobs_page_idx').on(table.pageId),
    index('ocr_jobs_status_idx').on(table.status),
    check('ocr_jobs_status_valid', sql`${table.status} IN ('queued', 'preprocessing', 'ocr', 'done', 'failed')`),
  ],
);

/** What recognition found on a page: words with boxes for hit highlighting, and the page's confidence. */
export const pageOcr = pgTable('page_ocr', {
  pageId: integer('page_id')
    .primaryKey()
    .references(() => pages.id),
  source: text('source', { enum: ['ocr', 'pdf-text'] }).notNull(),
  confidence: doublePrecision('confidence').notNull(),
  words: jsonb('words').$type<OcrWord[]>().notNull(),
  recognisedAt: text('recognised_at').notNull(),
  /** Barcodes and QR codes read on the page; one carrying a slip number is that document's best slip-number suggestion. */
  barcodes: jsonb('barcodes')
    .$type<PageBarcode[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
});

/** Filing suggestions derived from a document's text; recomputed whenever its text changes. */
export const documentSuggestions = pgTable('document_suggestions', {
  documentId: integer('document_id')
    .primaryKey()
    .references(() => documents.id),
  suggestions: jsonb('suggestions').$type<Suggestion[]>().notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * Archive settings, one JSON text per key (src/shared/settings.ts; JSON null included, so stored as text);
 * every change is audited with old and new values.
 */
export const archiveSettings = pgTable('archive_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * Who may log in. Passwords are stored only as self-describing argon2id strings; failed logins are counted
 * here so that the slowdown survives a restart. Users are disabled, never deleted: audit events name them.
 */
export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: ['viewer', 'clerk', 'admin', 'auditor'] }).notNull(),
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    failedLogins: integer('failed_logins').notNull().default(0),
    lastFailedAt: text('last_failed_at'),
    passwordChangedAt: text('password_changed_at').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('users_username_unique').on(sql`lower(${table.username})`),
    check('users_role_known', sql`${table.role} IN ('viewer', 'clerk', 'admin', 'auditor')`),
  ],
);

// --- Retention, holds and disposal (docs/retention.md; src/main/core/retention/) ---

/** How long each document type is kept: from a start event, N years (NULL: permanently), then reviewed or disposed. */
export const retentionSchedules = pgTable(
  'retention_schedules',
  {
    typeCode: text('type_code')
      .primaryKey()
      .references(() => documentTypes.code),
    startEvent: text('start_event', { enum: RETENTION_START_EVENTS }).notNull(),
    years: integer('years'),
    action: text('action', { enum: RETENTION_ACTIONS }).notNull(),
    /** The rule the period follows, shown beside it (e.g. 会计档案管理办法 第十四条、附表一). */
    basis: text('basis').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    check('retention_schedules_start_event_known', sql`${table.startEvent} IN ('signed-date', 'fiscal-year-end', 'authorization-end')`),
    check('retention_schedules_action_known', sql`${table.action} IN ('review', 'dispose')`),
    check('retention_schedules_years_positive', sql`${table.years} IS NULL OR ${table.years} BETWEEN 1 AND 200`),
  ],
);

/** A document kept longer than its type says; append-only, the latest (longest) one applies. */
export const retentionExtensions = pgTable(
  'retention_extensions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id),
    retainUntil: text('retain_until').notNull(),
    reason: text('reason').notNull(),
    actor: text('actor').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('retention_extensions_document_idx').on(table.documentId)],
);

/** A hold on one document or on every document of a customer; lifted (never deleted) with a reason. */
export const holds = pgTable(
  'holds',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    documentId: integer('document_id').references(() => documents.id),
    customerId: integer('customer_id').references(() => customers.id),
    kind: text('kind', { enum: HOLD_KINDS }).notNull(),
    reason: text('reason').notNull(),
    placedBy: text('placed_by').notNull(),
    placedAt: text('placed_at').notNull(),
    liftedBy: text('lifted_by'),
    liftedAt: text('lifted_at'),
    liftReason: text('lift_reason'),
  },
  (table) => [
    check('holds_one_target', sql`(${table.documentId} IS NULL) <> (${table.customerId} IS NULL)`),
    check('holds_kind_known', sql`${table.kind} IN ('dispute', 'unsettled-debt', 'audit', 'legal')`),
    check('holds_lifted_whole', sql`(${table.liftedAt} IS NULL) = (${table.liftedBy} IS NULL) AND (${table.liftedAt} IS NULL) = (${table.liftReason} IS NULL)`),
  ],
);

/** A disposal batch: requested by one administrator on a given day, approved (or rejected) by another. */
export const disposalBatches = pgTable(
  'disposal_batches',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    asOf: text('as_of').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['requested', 'approved', 'rejected'] }).notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: text('requested_at').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    decisionReason: text('decision_reason'),
    /** The SHA-256 of the disposal certificate (销毁清册) PDF, a blob kept permanently. */
    certificateHash: text('certificate_hash'),
  },
  (table) => [
    check('disposal_batches_status_known', sql`${table.status} IN ('requested', 'approved', 'rejected')`),
    // Separation of duties, also for whoever writes the database directly.
    check('disposal_batches_two_people', sql`${table.decidedBy} IS NULL OR lower(${table.decidedBy}) <> lower(${table.requestedBy})`),
  ],
);

/** One document of a batch, with the decision and the retention facts as they were at the request. */
export const disposalItems = pgTable(
  'disposal_items',
  {
    batchId: integer('batch_id')
      .notNull()
      .references(() => disposalBatches.id),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id),
    decision: text('decision', { enum: DISPOSAL_DECISIONS }).notNull(),
    extendUntil: text('extend_until'),
    startDate: text('start_date').notNull(),
    dueDate: text('due_date').notNull(),
    years: integer('years').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.batchId, table.documentId] }),
    // Every document's retention state looks up its batches.
    index('disposal_items_document_idx').on(table.documentId),
    check('disposal_items_decision_known', sql`${table.decision} IN ('keep', 'extend', 'dispose')`),
    check('disposal_items_extend_has_date', sql`(${table.decision} = 'extend') = (${table.extendUntil} IS NOT NULL)`),
  ],
);

/** A disposed document's tombstone: the document row, its versions and audit events stay; this says when and by which batch. */
export const disposedDocuments = pgTable('disposed_documents', {
  documentId: integer('document_id')
    .primaryKey()
    .references(() => documents.id),
  batchId: integer('batch_id')
    .notNull()
    .references(() => disposalBatches.id),
  disposedAt: text('disposed_at').notNull(),
});

/** Tombstones: a blob removed from the store by an approved disposal; its hash and origin stay. */
export const disposedBlobs = pgTable('disposed_blobs', {
  blobHash: text('blob_hash').primaryKey(),
  batchId: integer('batch_id')
    .notNull()
    .references(() => disposalBatches.id),
  documentId: integer('document_id')
    .notNull()
    .references(() => documents.id),
  kind: text('kind', { enum: ['original', 'thumbnail'] }).notNull(),
  disposedAt: text('disposed_at').notNull(),
});

// ---- customer register, signers, authorizations, paper locations (issue 18, items 1–4) ----

/**
 * What the register knows about a customer beyond its name and aliases: its own code, the CRM's id,
 * contacts and notes. One row per customer, kept apart from `customers` so matching keeps reading one table.
 */
export const customerProfiles = pgTable(
  'customer_profiles',
  {
    customerId: integer('customer_id')
      .primaryKey()
      .references(() => customers.id),
    code: text('code'),
    crmId: text('crm_id'),
    contacts: jsonb('contacts')
      .$type<{ name: string; phone?: string; email?: string; role?: string }[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    notes: text('notes').notNull().default(''),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [uniqueIndex('customer_profiles_code_idx').on(table.code), uniqueIndex('customer_profiles_crm_idx').on(table.crmId)],
);

/** Column mappings saved by name for customer imports (a CRM preset is a mapping shipped with the app). */
export const customerImportMappings = pgTable('customer_import_mappings', {
  name: text('name').primaryKey(),
  mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** People who sign for a customer, with their specimen signature and seal kept as blobs. */
export const signers = pgTable(
  'signers',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    name: text('name').notNull(),
    title: text('title'),
    contact: text('contact'),
    validFrom: text('valid_from'),
    validTo: text('valid_to'),
    signatureBlob: text('signature_blob'),
    sealBlob: text('seal_blob'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('signers_customer_name_idx').on(table.customerId, table.name),
    check('signers_valid_range', sql`${table.validFrom} IS NULL OR ${table.validTo} IS NULL OR ${table.validFrom} <= ${table.validTo}`),
  ],
);

/**
 * Letters of authority (授权书). `status` is the stored lifecycle (draft, active, revoked, superseded);
 * expiring and expired are computed from the dates on a clock (core/authorizations/states.ts).
 */
export const authorizations = pgTable(
  'authorizations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    status: text('status', { enum: ['draft', 'active', 'revoked', 'superseded'] }).notNull(),
    agents: jsonb('agents').$type<{ name: string; idNumber?: string }[]>().notNull(),
    scope: jsonb('scope').$type<{ matters: string[]; documentTypes: string[]; sites: string[]; amountCapMinor: number | null }>().notNull(),
    validFrom: text('valid_from').notNull(),
    validTo: text('valid_to'),
    reviewDate: text('review_date'),
    verificationMethod: text('verification_method'),
    verificationAttachments: jsonb('verification_attachments')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    grantingDocumentId: integer('granting_document_id').references(() => documents.id),
    revokingDocumentId: integer('revoking_document_id').references(() => documents.id),
    revokedOn: text('revoked_on'),
    revokeReason: text('revoke_reason'),
    supersedesId: integer('supersedes_id'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    index('authorizations_customer_idx').on(table.customerId),
    check('authorizations_status_valid', sql`${table.status} IN ('draft', 'active', 'revoked', 'superseded')`),
    check('authorizations_valid_range', sql`${table.validTo} IS NULL OR ${table.validFrom} <= ${table.validTo}`),
  ],
);

/** The archive's list of places paper is kept: cabinets hold shelves, shelves hold boxes. */
export const storageLocations = pgTable(
  'storage_locations',
  {
    code: text('code').primaryKey(),
    kind: text('kind', { enum: ['cabinet', 'shelf', 'box'] }).notNull(),
    label: text('label').notNull().default(''),
    parentCode: text('parent_code'),
    createdAt: text('created_at').notNull(),
  },
  (table) => [check('storage_locations_kind_valid', sql`${table.kind} IN ('cabinet', 'shelf', 'box')`)],
);

/** Where a document's paper original is; part of every version snapshot (documents/snapshot.ts). */
export const documentLocations = pgTable('document_locations', {
  documentId: integer('document_id')
    .primaryKey()
    .references(() => documents.id),
  locationCode: text('location_code')
    .notNull()
    .references(() => storageLocations.code),
});
// --- the slip ledger (issue 17, docs/ledger.md): migration 0009 ---

/**
 * Slips that must come back signed. Rows are never deleted: a row entered by mistake is cancelled, which
 * frees its slip number. Every change is a ledger_history entry pointing at its audit event.
 */
export const ledgerRows = pgTable(
  'ledger_rows',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** Normalised: NFKC, no spaces, upper case (core/ledger/slip-key.ts). */
    slipNo: text('slip_no').notNull(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    issueDate: text('issue_date').notNull(),
    expectedBackDate: text('expected_back_date').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }),
    currency: text('currency'),
    invoiceNo: text('invoice_no'),
    owner: text('owner'),
    custody: text('custody', { enum: ['sent', 'signed_at_customer', 'back_at_branch', 'at_office', 'filed'] }).notNull(),
    returnedOn: text('returned_on'),
    documentId: integer('document_id').references(() => documents.id),
    exception: text('exception', { enum: ['lost', 'disputed', 'refused', 'partial', 'signature_problem'] }),
    exceptionReason: text('exception_reason'),
    cancelledAt: text('cancelled_at'),
    cancelReason: text('cancel_reason'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('ledger_rows_live_slip_idx')
      .on(table.slipNo)
      .where(sql`${table.cancelledAt} IS NULL`),
    uniqueIndex('ledger_rows_live_document_idx')
      .on(table.documentId)
      .where(sql`${table.documentId} IS NOT NULL AND ${table.cancelledAt} IS NULL`),
    // Outstanding rows (live, sent or signed at the customer) by what the due screen walks (migrations
    // ledger_due_speed, ledger_due_totals): aging ranges in date order, a bucket in amount order, and the rows
    // not yet due with what the due summary subtracts from its running totals, so none of them sorts. Their
    // WHERE must be the queries' OUTSTANDING text (ledger/outstanding.ts) word for word for SQLite to use them;
    // the summary's also holds custody and cancelled_at, which SQLite reads to check that WHERE, so it never
    // visits the table.
    index('ledger_rows_outstanding_due_idx')
      .on(table.expectedBackDate)
      .where(sql`${table.cancelledAt} IS NULL AND ${table.custody} IN ('sent', 'signed_at_customer')`),
    index('ledger_rows_outstanding_amount_idx')
      .on(table.amountMinor, table.expectedBackDate)
      .where(sql`${table.cancelledAt} IS NULL AND ${table.custody} IN ('sent', 'signed_at_customer')`),
    index('ledger_rows_outstanding_by_date_idx')
      .on(table.expectedBackDate, table.customerId, table.owner, table.currency, table.amountMinor, table.custody, table.cancelledAt)
      .where(sql`${table.cancelledAt} IS NULL AND ${table.custody} IN ('sent', 'signed_at_customer')`),
    index('ledger_rows_back_idx')
      .on(table.custody)
      .where(sql`${table.cancelledAt} IS NULL AND ${table.custody} IN ('back_at_branch', 'at_office')`),
    index('ledger_rows_customer_idx').on(table.customerId, table.expectedBackDate),
    index('ledger_rows_owner_idx').on(table.owner, table.expectedBackDate),
    index('ledger_rows_expected_idx').on(table.expectedBackDate),
    check('ledger_rows_custody_known', sql`${table.custody} IN ('sent', 'signed_at_customer', 'back_at_branch', 'at_office', 'filed')`),
    check(
      'ledger_rows_exception_known',
      sql`${table.exception} IS NULL OR ${table.exception} IN ('lost', 'disputed', 'refused', 'partial', 'signature_problem')`,
    ),
    check('ledger_rows_amount_non_negative', sql`${table.amountMinor} IS NULL OR ${table.amountMinor} >= 0`),
  ],
);

/** What changed on a ledger row, when and by whom; auditSeq is the audit event that records it. */
export const ledgerHistory = pgTable(
  'ledger_history',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    rowId: integer('row_id')
      .notNull()
      .references(() => ledgerRows.id),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    changes: text('changes').notNull(),
    reason: text('reason'),
    auditSeq: integer('audit_seq').notNull(),
  },
  (table) => [index('ledger_history_row_idx').on(table.rowId)],
);

/** Saved column mappings of ERP exports (target field → column header), by name. */
export const ledgerMappings = pgTable('ledger_mappings', {
  name: text('name').primaryKey(),
  columns: text('columns').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** Reminders for users (the ledger's escalation); one per row, level and recipient. */
export const notifications = pgTable(
  'notifications',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    recipient: text('recipient').notNull(),
    level: text('level', { enum: ['due', 'overdue-owner', 'overdue-admin'] }).notNull(),
    ledgerRowId: integer('ledger_row_id')
      .notNull()
      .references(() => ledgerRows.id),
    /** The day the reminder was due on (its text counts the days overdue on that day). */
    dueOn: text('due_on').notNull(),
    createdAt: text('created_at').notNull(),
    readAt: text('read_at'),
  },
  (table) => [
    uniqueIndex('notifications_once_idx').on(table.ledgerRowId, table.level, table.recipient),
    index('notifications_recipient_idx').on(table.recipient, table.readAt),
    check('notifications_level_known', sql`${table.level} IN ('due', 'overdue-owner', 'overdue-admin')`),
  ],
);

// --- Filing rules and the signed check (issue 17 items 3 and 4): docs/filing-rules.md, docs/signed-check.md ---

/** The fields a document type requires before a document of that type is filed; no row: none. */
export const documentTypeRules = pgTable('document_type_rules', {
  typeCode: text('type_code')
    .primaryKey()
    .references(() => documentTypes.code),
  requiredFields: jsonb('required_fields')
    .$type<FilingField[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
});

/**
 * What the signed check found on a page (derived from the page's stored bytes and OCR words, so it can be
 * computed again; not versioned). Regions are boxes in the frame of the page's OCR word boxes.
 */
export const pageSignatures = pgTable(
  'page_signatures',
  {
    pageId: integer('page_id')
      .primaryKey()
      .references(() => pages.id),
    signature: boolean('signature').notNull(),
    seal: boolean('seal').notNull(),
    confidence: doublePrecision('confidence').notNull(),
    regions: jsonb('regions').$type<PageRegion[]>().notNull(),
    frameWidth: integer('frame_width').notNull(),
    frameHeight: integer('frame_height').notNull(),
    checkedAt: text('checked_at').notNull(),
  },
  (table) => [check('page_signatures_confidence_range', sql`${table.confidence} BETWEEN 0 AND 1`)],
);

// --- Inbox filing drafts (issue 19 item 3): docs/inbox-drafts.md ---

/**
 * What a clerk typed into or accepted in an inbox document's filing form, not filed yet: one per document,
 * replaced on every save. Working state, not a document change: no version, no audit event per save. A trigger
 * (migration) deletes it when the document leaves the inbox, so whichever path files or voids it ends the draft.
 */
export const inboxDrafts = pgTable('inbox_drafts', {
  documentId: integer('document_id')
    .primaryKey()
    .references(() => documents.id),
  fieldValues: jsonb('field_values').$type<Partial<Record<InboxFormField, string>>>().notNull(),
  accepted: boolean('accepted').notNull(),
  override: text('override'),
  savedBy: text('saved_by').notNull(),
  savedAt: text('saved_at').notNull(),
});

// --- the due summary's running totals (issue 17, docs/ledger.md#performance): migration ledger_due_totals ---

/**
 * Outstanding ledger rows (live, sent or signed at the customer: ledger/outstanding.ts) counted per customer ×
 * owner × currency, and per currency × expected-back date, so the due summary adds up a few thousand totals
 * instead of reading every outstanding row. Kept by triggers on ledger_rows (the migration's SQL, plpgsql
 * functions doing what SQLite's triggers do), so no writer has to remember them. A missing owner or currency
 * is stored as '' (a key column cannot be NULL); `amounts` counts the rows that have an amount, so a sum over
 * none reads as "no amount", not as 0. Sums of amounts are bigint, as amounts are.
 */
export const ledgerOutstandingGroups = pgTable(
  'ledger_outstanding_groups',
  {
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    owner: text('owner').notNull(),
    currency: text('currency').notNull(),
    rows: integer('rows').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    amounts: integer('amounts').notNull(),
  },
  (table) => [primaryKey({ columns: [table.customerId, table.owner, table.currency] })],
);

export const ledgerOutstandingDays = pgTable(
  'ledger_outstanding_days',
  {
    currency: text('currency').notNull(),
    expectedBackDate: text('expected_back_date').notNull(),
    rows: integer('rows').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    amounts: integer('amounts').notNull(),
  },
  (table) => [primaryKey({ columns: [table.currency, table.expectedBackDate] })],
);

// --- Full-text search (src/main/core/search/pg-search-index.ts; SQLite's FTS5 table search_index) ---

/** A tsvector as PostgreSQL's text form ('token':1,4 …); the indexer builds it from our own tokens. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * One row per document: the tokens of text-units.ts (CJK bigrams, normalised words) with their positions.
 * `everything` holds every column's tokens, each column's positions apart from the next so that no phrase
 * spans two columns (as in FTS5), and the document's status as a marker lexeme no text can produce, so the
 * default "not voided" is part of the same index lookup; the fielded columns answer `customer:` `slip:`
 * `signer:` `tag:`. The document's type, signed date, amount and status are copied beside them, written in
 * the same statement, so that a fielded term and a type or date filter combine their indexes (a BitmapAnd)
 * before any row is read, instead of joining `documents` for every candidate of the term.
 */
export const searchIndex = pgTable(
  'search_index',
  {
    documentId: integer('document_id')
      .primaryKey()
      .references(() => documents.id),
    everything: tsvector('everything').notNull(),
    customer: tsvector('customer').notNull(),
    slip: tsvector('slip').notNull(),
    signer: tsvector('signer').notNull(),
    tags: tsvector('tags').notNull(),
    typeCode: text('type_code'),
    signedDate: text('signed_date'),
    amountMinor: bigint('amount_minor', { mode: 'number' }),
    status: text('status', { enum: ['inbox', 'filed', 'voided'] }).notNull(),
  },
  (table) => [
    index('search_index_everything_idx').using('gin', table.everything),
    index('search_index_customer_idx').using('gin', table.customer),
    index('search_index_slip_idx').using('gin', table.slip),
    index('search_index_signer_idx').using('gin', table.signer),
    index('search_index_tags_idx').using('gin', table.tags),
    index('search_index_type_date_idx').on(table.typeCode, table.signedDate),
    index('search_index_date_idx').on(table.signedDate),
  ],
);

/** Progress of a (re)build of search_index, as on SQLite: while `rebuild_after` is present the index may be incomplete. */
export const searchState = pgTable('search_state', {
  key: text('key').primaryKey(),
  value: integer('value').notNull(),
});
