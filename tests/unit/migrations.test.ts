/**
 * One test per migration (Signal-Desktop style): each migration is applied to a real SQLite file that
 * holds exactly the schema before it, and the test asserts what that migration is for. Adding a
 * migration without adding its check here fails the suite. Plus: the embedded migrations module is
 * current, the journal and the SQL files agree, a database from the future is refused untouched, and a
 * migration that fails halfway leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, initArchive, openArchive } from '../../src/main/core/archive';
import { migrate, schemaVersionOf, SCHEMA_VERSION, type Migration } from '../../src/main/core/db/migrate';
import { MIGRATIONS } from '../../src/main/core/db/migrations.generated';
import { SlipVaultError } from '../../src/shared/errors';
import { tempDir } from '../helpers/fixtures';

const ROOT = resolve(__dirname, '../..');
const MIGRATIONS_DIR = join(ROOT, 'src/main/core/db/migrations');

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function freshDatabase(): Database.Database {
  const db = new Database(join(tempDir('slipvault-migrations-'), 'test.db'));
  open.push(db);
  return db;
}

const names = (db: Database.Database, type: 'table' | 'index' | 'trigger'): string[] =>
  db.prepare(`SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all(type) as string[];

const FOUNDATION_TABLES = [
  'archive_meta',
  'archive_number_sequences',
  'audit_events',
  'customers',
  'document_tags',
  'document_types',
  'document_versions',
  'documents',
  'pages',
  'source_files',
  'tags',
];

const FOUNDATION_INDEXES = [
  'customers_name_unique',
  'document_versions_document_number_idx',
  'documents_archive_no_unique',
  'documents_customer_idx',
  'documents_slip_no_idx',
  'documents_status_idx',
  'pages_document_position_idx',
  'source_files_blob_hash_idx',
  'source_files_document_idx',
  'tags_name_unique',
];

const APPEND_ONLY_TRIGGERS = [
  'audit_events_no_delete',
  'audit_events_no_update',
  'document_versions_no_delete',
  'document_versions_no_update',
  'documents_no_delete',
];

/** A document with one version and one audit event, written raw (no service code involved). */
function insertHistory(db: Database.Database): void {
  db.prepare(
    `INSERT INTO documents (id, archive_no, title, status, notes, current_version, created_at, updated_at)
     VALUES (1, 'SV-2026-000001', 'slip', 'inbox', '', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
  ).run();
  db.prepare(
    `INSERT INTO document_versions (id, document_id, number, created_at, actor, action, reason, snapshot)
     VALUES (1, 1, 1, '2026-01-01T00:00:00Z', 'clerk', 'import', NULL, '{}')`,
  ).run();
  db.prepare(
    `INSERT INTO audit_events (seq, at, actor, action, target_type, target_id, details, prev_hash, hash)
     VALUES (1, '2026-01-01T00:00:00Z', 'clerk', 'document.import', 'document', 'SV-2026-000001', '{}', ?, ?)`,
  ).run('0'.repeat(64), 'f'.repeat(64));
}

/** What each migration is for, checked right after it is applied. `before` runs on the schema before it. */
const CHECKS: Record<string, { before?: (db: Database.Database) => void; after: (db: Database.Database) => void }> = {
  '0000_foundation': {
    before: (db) => {
      expect(names(db, 'table')).toEqual([]);
    },
    after: (db) => {
      expect(names(db, 'table')).toEqual(FOUNDATION_TABLES);
      expect(names(db, 'index')).toEqual(FOUNDATION_INDEXES);
      expect(schemaVersionOf(db)).toBe(1);
      // The constraints the archive relies on are in the schema, not just in code.
      insertHistory(db);
      expect(() => db.prepare('UPDATE documents SET amount_minor = -1 WHERE id = 1').run()).toThrow(/CHECK constraint failed/);
      expect(() =>
        db
          .prepare(
            `INSERT INTO documents (archive_no, title, status, current_version, created_at, updated_at) VALUES ('SV-2026-000001', 'x', 'inbox', 1, 'a', 'a')`,
          )
          .run(),
      ).toThrow(/UNIQUE constraint failed: documents.archive_no/);
      expect(() =>
        db.prepare(`INSERT INTO document_versions (document_id, number, created_at, actor, action, snapshot) VALUES (1, 1, 'a', 'a', 'edit', '{}')`).run(),
      ).toThrow(/UNIQUE constraint failed/);
      // Before 0001 history is not yet protected by triggers.
      expect(names(db, 'trigger')).toEqual([]);
      expect(db.prepare('SELECT count(*) FROM document_types').pluck().get()).toBe(0);
    },
  },
  '0001_seed_types_and_append_only': {
    before: (db) => {
      expect(db.prepare('SELECT count(*) FROM document_types').pluck().get()).toBe(0);
      expect(names(db, 'trigger')).toEqual([]);
      insertHistory(db);
    },
    after: (db) => {
      expect(schemaVersionOf(db)).toBe(2);
      const types = db.prepare('SELECT code, name_zh AS zh, name_en AS en, keywords FROM document_types ORDER BY code').all() as {
        code: string;
        zh: string;
        en: string;
        keywords: string;
      }[];
      expect(types.map((type) => type.code)).toEqual(['authorization', 'contract', 'delivery_receipt', 'invoice', 'other', 'signed_back']);
      const delivery = types.find((type) => type.code === 'delivery_receipt');
      expect(delivery?.zh).toBe('送货单');
      expect(delivery?.en).toBe('Delivery receipt');
      expect(JSON.parse(delivery!.keywords)).toContain('送货单');
      for (const type of types) expect(Array.isArray(JSON.parse(type.keywords)), type.code).toBe(true);

      expect(names(db, 'trigger')).toEqual(APPEND_ONLY_TRIGGERS);
      // History written before the migration is protected by it.
      expect(() => db.prepare('UPDATE document_versions SET snapshot = \'{"x":1}\' WHERE id = 1').run()).toThrow(/document versions are immutable/);
      expect(() => db.prepare('DELETE FROM document_versions WHERE id = 1').run()).toThrow(/document versions are immutable/);
      expect(() => db.prepare('UPDATE audit_events SET details = \'{"x":1}\' WHERE seq = 1').run()).toThrow(/audit events are append-only/);
      expect(() => db.prepare('DELETE FROM audit_events WHERE seq = 1').run()).toThrow(/audit events are append-only/);
      expect(() => db.prepare('DELETE FROM documents WHERE id = 1').run()).toThrow(/documents are voided, never deleted/);
      expect(db.prepare('SELECT snapshot FROM document_versions WHERE id = 1').pluck().get()).toBe('{}');
      expect(db.prepare('SELECT details FROM audit_events WHERE seq = 1').pluck().get()).toBe('{}');
      expect(db.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(1);
      // Append-only, not frozen: new versions and events are still written, and a document's current
      // state still changes (each change backed by a new version).
      db.prepare(`INSERT INTO document_versions (document_id, number, created_at, actor, action, snapshot) VALUES (1, 2, 'b', 'clerk', 'edit', '{}')`).run();
      db.prepare(`INSERT INTO audit_events (seq, at, actor, action, details, prev_hash, hash) VALUES (2, 'b', 'clerk', 'document.edit', '{}', ?, ?)`).run(
        'f'.repeat(64),
        'e'.repeat(64),
      );
      db.prepare("UPDATE documents SET title = 'renamed', current_version = 2 WHERE id = 1").run();
      expect(db.prepare('SELECT title FROM documents WHERE id = 1').pluck().get()).toBe('renamed');
    },
  },
  '0002_saved_searches': {
    before: (db) => {
      expect(names(db, 'table')).not.toContain('saved_searches');
    },
    after: (db) => {
      expect(schemaVersionOf(db)).toBe(3);
      expect(names(db, 'table')).toContain('saved_searches');
      const insert = db.prepare(`INSERT INTO saved_searches (name, query, created_at, updated_at, removed_at) VALUES (?, ?, 'a', 'a', ?)`);
      insert.run('本月签收', 'type:delivery_receipt', null);
      // A name is unique among live searches only: a removed one may share it.
      expect(() => insert.run('本月签收', 'x', null)).toThrow(/UNIQUE constraint failed/);
      db.prepare(`UPDATE saved_searches SET removed_at = 'b' WHERE name = '本月签收'`).run();
      insert.run('本月签收', 'y', null);
      expect(db.prepare('SELECT count(*) FROM saved_searches').pluck().get()).toBe(2);
    },
  },
  '0003_search_index': {
    before: (db) => {
      insertHistory(db);
    },
    after: (db) => {
      expect(schemaVersionOf(db)).toBe(4);
      expect(names(db, 'table')).toEqual(expect.arrayContaining(['search_index', 'search_state']));
      // The archive already held a document, so the index is marked for a rebuild from the first one.
      expect(db.prepare("SELECT value FROM search_state WHERE key = 'rebuild_after'").pluck().get()).toBe(0);
      // Contentless with delete support, bigram tokens and a 1-character prefix index.
      db.prepare('INSERT INTO search_index (rowid, title, body, customer, slip, signer, tags, state) VALUES (1, ?, ?, ?, ?, ?, ?, ?)').run(
        '签收 收单 单',
        '',
        '',
        'so 2026 0417',
        '',
        '',
        'filed',
      );
      expect(db.prepare(`SELECT rowid FROM search_index WHERE search_index MATCH '"签"*'`).pluck().all()).toEqual([1]);
      expect(db.prepare(`SELECT rowid FROM search_index WHERE search_index MATCH '{slip} : ("so" + "2026" + "04" *)'`).pluck().all()).toEqual([1]);
      expect(db.prepare(`SELECT rowid FROM search_index WHERE search_index MATCH '"签收" NOT {state} : "voided"'`).pluck().all()).toEqual([1]);
      db.prepare('DELETE FROM search_index WHERE rowid = 1').run();
      expect(db.prepare(`SELECT count(*) FROM search_index WHERE search_index MATCH '"签收"'`).pluck().get()).toBe(0);
    },
  },
  '0004_ocr_queue': {
    before: (db) => {
      expect(names(db, 'table')).not.toContain('ocr_jobs');
      insertHistory(db);
    },
    after: (db) => {
      expect(schemaVersionOf(db)).toBe(5);
      expect(names(db, 'table')).toEqual(expect.arrayContaining(['ocr_jobs', 'page_ocr', 'document_suggestions']));
      expect(names(db, 'index')).toEqual(expect.arrayContaining(['ocr_jobs_page_idx', 'ocr_jobs_status_idx']));
      // Existing documents are untouched.
      expect(db.prepare('SELECT title FROM documents WHERE id = 1').pluck().get()).toBe('slip');
      db.prepare(
        "INSERT INTO source_files (id, document_id, blob_hash, filename, mime, size, page_count, imported_at) VALUES (1, 1, 'h', 'a.png', 'image/png', 1, 1, 'a')",
      ).run();
      db.prepare('INSERT INTO pages (id, document_id, source_file_id, source_page, position) VALUES (1, 1, 1, 0, 1)').run();
      db.prepare("INSERT INTO ocr_jobs (page_id, status, queued_at, updated_at) VALUES (1, 'queued', 'a', 'a')").run();
      // One job per page: a page cannot be queued (and so recognised) twice.
      expect(() => db.prepare("INSERT INTO ocr_jobs (page_id, status, queued_at, updated_at) VALUES (1, 'queued', 'a', 'a')").run()).toThrow(
        /UNIQUE constraint failed: ocr_jobs.page_id/,
      );
      expect(() => db.prepare("UPDATE ocr_jobs SET status = 'lost' WHERE page_id = 1").run()).toThrow(/CHECK constraint failed/);
      expect(db.prepare('SELECT attempts FROM ocr_jobs WHERE page_id = 1').pluck().get()).toBe(0);
    },
  },
  '0005_page_barcodes': {
    before: (db) => {
      insertHistory(db);
      db.prepare(
        "INSERT INTO source_files (id, document_id, blob_hash, filename, mime, size, page_count, imported_at) VALUES (1, 1, 'h', 'a.png', 'image/png', 1, 1, 'a')",
      ).run();
      db.prepare('INSERT INTO pages (id, document_id, source_file_id, source_page, position) VALUES (1, 1, 1, 0, 1)').run();
      db.prepare("INSERT INTO page_ocr (page_id, source, confidence, words, recognised_at) VALUES (1, 'ocr', 91, '[]', 'a')").run();
    },
    after: (db) => {
      expect(schemaVersionOf(db)).toBe(6);
      // Pages recognised before barcodes were read keep their row, with no barcodes.
      expect(db.prepare('SELECT confidence, barcodes FROM page_ocr WHERE page_id = 1').get()).toEqual({ confidence: 91, barcodes: '[]' });
      db.prepare('UPDATE page_ocr SET barcodes = ? WHERE page_id = 1').run(JSON.stringify([{ format: 'QRCode', text: 'SO-2026-0417' }]));
      expect(JSON.parse(db.prepare('SELECT barcodes FROM page_ocr WHERE page_id = 1').pluck().get() as string)).toEqual([
        { format: 'QRCode', text: 'SO-2026-0417' },
      ]);
      expect(() => db.prepare('UPDATE page_ocr SET barcodes = NULL WHERE page_id = 1').run()).toThrow(/NOT NULL constraint failed/);
    },
  },
  '0006_page_thumbnails': {
    before: (db) => {
      insertHistory(db);
      db.prepare(
        "INSERT INTO source_files (id, document_id, blob_hash, filename, mime, size, page_count, imported_at) VALUES (1, 1, 'h', 'a.png', 'image/png', 1, 1, 'a')",
      ).run();
      db.prepare("INSERT INTO pages (id, document_id, source_file_id, source_page, position, text) VALUES (1, 1, 1, 0, 1, 'old text')").run();
    },
    after: (db) => {
      expect(schemaVersionOf(db)).toBe(7);
      // Pages imported before thumbnails existed keep everything and have none.
      expect(db.prepare('SELECT text, thumbnail_hash AS thumbnailHash FROM pages WHERE id = 1').get()).toEqual({ text: 'old text', thumbnailHash: null });
      db.prepare("UPDATE pages SET thumbnail_hash = 't' WHERE id = 1").run();
      expect(db.prepare('SELECT thumbnail_hash FROM pages WHERE id = 1').pluck().get()).toBe('t');
    },
  },
  '0007_settings': {
    before: (db) => {
      expect(names(db, 'table')).not.toContain('archive_settings');
      insertHistory(db);
    },
    after: (db) => {
      expect(schemaVersionOf(db)).toBe(8);
      expect(names(db, 'table')).toContain('archive_settings');
      // No rows: an archive without stored settings runs on the built-in defaults.
      expect(db.prepare('SELECT count(*) FROM archive_settings').pluck().get()).toBe(0);
      const insert = db.prepare("INSERT INTO archive_settings (key, value, updated_at) VALUES (?, ?, 'a')");
      insert.run('ocrLanguages', '["eng"]');
      // One value per key.
      expect(() => insert.run('ocrLanguages', '["chi_sim"]')).toThrow(/UNIQUE constraint failed: archive_settings.key/);
      expect(() => db.prepare("INSERT INTO archive_settings (key, value, updated_at) VALUES ('x', NULL, 'a')").run()).toThrow(/NOT NULL/);
      expect(db.prepare('SELECT title FROM documents WHERE id = 1').pluck().get()).toBe('slip');
    },
  },
  '0008_accounts': {
    before: (db) => {
      expect(names(db, 'table')).not.toContain('users');
      insertHistory(db);
    },
    after: (db) => {
      expect(schemaVersionOf(db)).toBe(9);
      // An upgraded archive has no accounts: its first start asks for the first admin (no default password).
      expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
      const insert = db.prepare(
        "INSERT INTO users (username, display_name, role, password_hash, password_changed_at, created_at) VALUES (?, ?, ?, 'h', 'a', 'a')",
      );
      insert.run('Li.Na', 'Li Na', 'clerk');
      // User names are unique without regard to case, and only the four roles exist.
      expect(() => insert.run('li.na', 'Li Na', 'viewer')).toThrow(/UNIQUE constraint failed/);
      expect(() => insert.run('wang', 'Wang', 'root')).toThrow(/CHECK constraint failed/);
      expect(db.prepare('SELECT disabled, failed_logins FROM users').get()).toEqual({ disabled: 0, failed_logins: 0 });
      expect(db.prepare('SELECT title FROM documents WHERE id = 1').pluck().get()).toBe('slip');
    },
  },
  '0009_retention': {
    before: (db) => {
      expect(names(db, 'table')).not.toContain('retention_schedules');
      insertHistory(db);
    },
    after: (db) => {
      expect(schemaVersionOf(db)).toBe(10);
      // Default schedules for the seeded types: accounting vouchers' attachments 30 years from the fiscal year's end.
      const schedules = db.prepare('SELECT type_code AS typeCode, start_event AS startEvent, years, action FROM retention_schedules ORDER BY type_code').all();
      expect(schedules).toEqual([
        { typeCode: 'authorization', startEvent: 'authorization-end', years: 30, action: 'review' },
        { typeCode: 'contract', startEvent: 'fiscal-year-end', years: 30, action: 'review' },
        { typeCode: 'delivery_receipt', startEvent: 'fiscal-year-end', years: 30, action: 'dispose' },
        { typeCode: 'invoice', startEvent: 'fiscal-year-end', years: 30, action: 'dispose' },
        { typeCode: 'other', startEvent: 'signed-date', years: null, action: 'review' },
        { typeCode: 'signed_back', startEvent: 'fiscal-year-end', years: 30, action: 'dispose' },
      ]);
      // A hold names one document or one customer; lifted holds are final and no hold is deleted.
      expect(() => db.prepare("INSERT INTO holds (kind, reason, placed_by, placed_at) VALUES ('legal', 'r', 'a', 'a')").run()).toThrow(
        /CHECK constraint failed/,
      );
      db.prepare("INSERT INTO holds (document_id, kind, reason, placed_by, placed_at) VALUES (1, 'legal', 'r', 'a', 'a')").run();
      db.prepare("UPDATE holds SET lifted_by = 'b', lifted_at = 'b', lift_reason = 'settled' WHERE id = 1").run();
      expect(() => db.prepare("UPDATE holds SET lift_reason = 'other' WHERE id = 1").run()).toThrow(/a lifted hold cannot change/);
      expect(() => db.prepare('DELETE FROM holds').run()).toThrow(/holds are lifted, never deleted/);
      // The approver is never the requester, whatever writes the row; a decided batch is final.
      db.prepare("INSERT INTO disposal_batches (as_of, reason, status, requested_by, requested_at) VALUES ('2060-01-01', 'r', 'requested', 'Li', 'a')").run();
      expect(() => db.prepare("UPDATE disposal_batches SET status = 'approved', decided_by = 'li' WHERE id = 1").run()).toThrow(/CHECK constraint failed/);
      db.prepare("UPDATE disposal_batches SET status = 'approved', decided_by = 'wang', decided_at = 'b' WHERE id = 1").run();
      expect(() => db.prepare("UPDATE disposal_batches SET reason = 'x' WHERE id = 1").run()).toThrow(/a decided disposal batch cannot change/);
      // Tombstones stay.
      db.prepare("INSERT INTO disposed_blobs (blob_hash, batch_id, document_id, kind, disposed_at) VALUES ('h', 1, 1, 'original', 'b')").run();
      expect(() => db.prepare('DELETE FROM disposed_blobs').run()).toThrow(/append-only/);
      expect(db.prepare('SELECT title FROM documents WHERE id = 1').pluck().get()).toBe('slip');
    },
  },
  '0010_customer_records': {
    before: (db) => {
      expect(names(db, 'table')).not.toContain('authorizations');
      insertHistory(db);
      db.prepare("INSERT INTO customers (id, name, aliases, created_at) VALUES (1, '华南贸易', '[]', 'a')").run();
    },
    after: (db) => {
      expect(schemaVersionOf(db)).toBe(11);
      // Existing customers have no profile yet: the register shows them with no code, no contacts.
      expect(db.prepare('SELECT count(*) FROM customer_profiles').pluck().get()).toBe(0);
      const profile = db.prepare("INSERT INTO customer_profiles (customer_id, code, updated_at) VALUES (?, ?, 'a')");
      profile.run(1, 'C001');
      db.prepare("INSERT INTO customers (id, name, aliases, created_at) VALUES (2, '北方物流', '[]', 'a')").run();
      // A customer code belongs to one customer.
      expect(() => profile.run(2, 'C001')).toThrow(/UNIQUE constraint failed: customer_profiles.code/);
      const authorization = db.prepare(
        "INSERT INTO authorizations (customer_id, status, agents, scope, valid_from, valid_to, created_at, updated_at) VALUES (1, ?, '[]', '{}', ?, ?, 'a', 'a')",
      );
      // An authorization cannot end before it starts, and has one of the stored lifecycle states.
      expect(() => authorization.run('active', '2026-05-01', '2026-04-01')).toThrow(/CHECK constraint failed: authorizations_valid_range/);
      expect(() => authorization.run('expiring', '2026-01-01', null)).toThrow(/CHECK constraint failed: authorizations_status_valid/);
      authorization.run('active', '2026-01-01', null);
      // A document's location must be on the location list.
      db.pragma('foreign_keys = ON');
      expect(() => db.prepare("INSERT INTO document_locations (document_id, location_code) VALUES (1, 'B-1')").run()).toThrow(/FOREIGN KEY/);
      db.prepare("INSERT INTO storage_locations (code, kind, created_at) VALUES ('B-1', 'box', 'a')").run();
      db.prepare("INSERT INTO document_locations (document_id, location_code) VALUES (1, 'B-1')").run();
      expect(db.prepare('SELECT title FROM documents WHERE id = 1').pluck().get()).toBe('slip');
    },
  },
  // The slip ledger (issue 17): rows, their history, mappings, notifications, a customer's return deadline.
  '0011_ledger': {
    before: (db) => {
      db.prepare(`INSERT INTO customers (name, aliases, created_at) VALUES ('华南贸易', '[]', '2026-01-01T00:00:00Z')`).run();
    },
    after: (db) => {
      expect(db.prepare('SELECT return_deadline_days FROM customers').pluck().get()).toBe(15);
      const insert = db.prepare(
        `INSERT INTO ledger_rows (slip_no, customer_id, issue_date, expected_back_date, custody, amount_minor, created_at, updated_at)
         VALUES (?, 1, '2026-03-01', '2026-03-16', ?, ?, 'now', 'now')`,
      );
      insert.run('SO-1', 'sent', 100);
      // One live row per slip number; a cancelled one frees it.
      expect(() => insert.run('SO-1', 'sent', 100)).toThrow(/UNIQUE constraint failed/);
      db.prepare(`UPDATE ledger_rows SET cancelled_at = 'now' WHERE slip_no = 'SO-1'`).run();
      insert.run('SO-1', 'sent', 100);
      expect(() => insert.run('SO-2', 'lost', 100)).toThrow(/CHECK constraint failed/);
      expect(() => insert.run('SO-3', 'sent', -1)).toThrow(/CHECK constraint failed/);
      expect(() => db.prepare('DELETE FROM ledger_rows WHERE id = 1').run()).toThrow(/never deleted/);
      db.prepare(`INSERT INTO ledger_history (row_id, at, actor, action, changes, audit_seq) VALUES (1, 'now', 'li', 'create', '{}', 1)`).run();
      expect(() => db.prepare(`UPDATE ledger_history SET actor = 'x'`).run()).toThrow(/append-only/);
      const notify = db.prepare(`INSERT INTO notifications (recipient, level, ledger_row_id, due_on, created_at) VALUES ('li', ?, 1, '2026-03-16', 'now')`);
      notify.run('due');
      expect(() => notify.run('due')).toThrow(/UNIQUE constraint failed/);
      expect(() => notify.run('later')).toThrow(/CHECK constraint failed/);
    },
  },
  // --- filing rules and the signed check (docs/filing-rules.md, docs/signed-check.md) ---
  '0012_filing_rules_signed_check': {
    before: (db) => {
      expect(names(db, 'table')).not.toContain('document_type_rules');
      db.prepare("INSERT INTO document_types (code, name_zh, name_en, keywords) VALUES ('waybill', '运单', 'Waybill', '[]')").run();
      insertHistory(db);
    },
    after: (db) => {
      expect(schemaVersionOf(db)).toBe(13);
      db.pragma('foreign_keys = ON');
      // The seeded types get their default rule; a type an archive added itself requires nothing.
      const rules = db.prepare('SELECT type_code AS code, required_fields AS fields FROM document_type_rules ORDER BY type_code').all();
      expect(rules).toEqual([
        { code: 'authorization', fields: '["customer","signedDate","signer"]' },
        { code: 'contract', fields: '["customer","signedDate"]' },
        { code: 'delivery_receipt', fields: '["customer","signedDate","slipNo"]' },
        { code: 'invoice', fields: '["customer","signedDate","amount"]' },
        { code: 'signed_back', fields: '["customer","signedDate","slipNo","signature"]' },
      ]);
      expect(() => db.prepare("INSERT INTO document_type_rules (type_code) VALUES ('waybill')").run()).not.toThrow();
      expect(() => db.prepare("INSERT INTO document_type_rules (type_code) VALUES ('nonexistent')").run()).toThrow(/FOREIGN KEY constraint failed/);
      // A signed check belongs to a page and keeps its confidence in 0–1.
      db.prepare(
        "INSERT INTO source_files (id, document_id, blob_hash, filename, mime, size, page_count, imported_at) VALUES (1, 1, 'h', 'a.png', 'image/png', 1, 1, 'a')",
      ).run();
      db.prepare('INSERT INTO pages (id, document_id, source_file_id, source_page, position) VALUES (1, 1, 1, 0, 1)').run();
      const insert = db.prepare(
        "INSERT INTO page_signatures (page_id, signature, seal, confidence, regions, frame_width, frame_height, checked_at) VALUES (?, 1, 0, ?, '[]', 100, 50, 'a')",
      );
      insert.run(1, 0.9);
      expect(() => insert.run(1, 0.9)).toThrow(/UNIQUE constraint failed/);
      expect(() => db.prepare('UPDATE page_signatures SET confidence = 1.5 WHERE page_id = 1').run()).toThrow(/CHECK constraint failed/);
      expect(() => insert.run(99, 0.5)).toThrow(/FOREIGN KEY constraint failed/);
    },
  },
  // --- Inbox filing drafts (issue 19 item 3): docs/inbox-drafts.md ---
  '0013_inbox_drafts': {
    before: (db) => {
      expect(names(db, 'table')).not.toContain('inbox_drafts');
      insertHistory(db);
    },
    after: (db) => {
      db.pragma('foreign_keys = ON');
      const save = db.prepare("INSERT INTO inbox_drafts (document_id, field_values, accepted, saved_by, saved_at) VALUES (?, '{}', 0, 'li', 'a')");
      // One draft per document, of a document the archive has.
      save.run(1);
      expect(() => save.run(1)).toThrow(/UNIQUE constraint failed/);
      expect(() => save.run(99)).toThrow(/FOREIGN KEY constraint failed/);
      // Another change of an inbox document keeps it; leaving the inbox ends it.
      db.prepare("UPDATE documents SET title = 'renamed', status = 'inbox' WHERE id = 1").run();
      expect(db.prepare('SELECT count(*) FROM inbox_drafts').pluck().get()).toBe(1);
      db.prepare("UPDATE documents SET status = 'filed' WHERE id = 1").run();
      expect(db.prepare('SELECT count(*) FROM inbox_drafts').pluck().get()).toBe(0);
    },
  },
  // --- the slip ledger's due screen at scale (docs/ledger.md#performance) ---
  '0014_ledger_due_speed': {
    before: (db) => {
      db.prepare(`INSERT INTO customers (name, aliases, created_at) VALUES ('华南贸易', '[]', 'now')`).run();
      db.prepare(
        `INSERT INTO ledger_rows (slip_no, customer_id, issue_date, expected_back_date, custody, invoice_no, created_at, updated_at)
         VALUES ('DN-0012345', 1, '2026-03-01', '2026-03-16', 'sent', 'INV-77', 'now', 'now')`,
      ).run();
    },
    after: (db) => {
      const found = (text: string) => db.prepare('SELECT rowid FROM ledger_rows_text WHERE ledger_rows_text MATCH ? ORDER BY rowid').pluck().all(`"${text}"`);
      // Rows from before the migration are in the text index, found by any part of either number.
      expect(found('00123')).toEqual([1]);
      expect(found('inv-7')).toEqual([1]);
      db.prepare(
        `INSERT INTO ledger_rows (slip_no, customer_id, issue_date, expected_back_date, custody, created_at, updated_at)
         VALUES ('DN-0012399', 1, '2026-03-01', '2026-03-16', 'sent', 'now', 'now')`,
      ).run();
      expect(found('00123')).toEqual([1, 2]);
      // A changed number is found by its new text only.
      db.prepare(`UPDATE ledger_rows SET invoice_no = 'INV-88' WHERE id = 1`).run();
      expect(found('INV-77')).toEqual([]);
      expect(found('INV-88')).toEqual([1]);
      expect(names(db, 'index')).not.toContain('ledger_rows_custody_due_idx');
      expect(names(db, 'index')).toEqual(
        expect.arrayContaining(['ledger_rows_outstanding_due_idx', 'ledger_rows_outstanding_groups_idx', 'ledger_rows_back_idx']),
      );
    },
  },
  // --- the due summary's running totals (docs/ledger.md#performance) ---
  '0015_ledger_due_totals': {
    before: (db) => {
      db.prepare(`INSERT INTO customers (name, aliases, created_at) VALUES ('华南贸易', '[]', 'now'), ('东方物流', '[]', 'now')`).run();
      const row = db.prepare(
        `INSERT INTO ledger_rows (slip_no, customer_id, issue_date, expected_back_date, custody, owner, currency, amount_minor, cancelled_at, created_at, updated_at)
         VALUES (?, ?, '2026-03-01', ?, ?, ?, ?, ?, ?, 'now', 'now')`,
      );
      row.run('DN-1', 1, '2026-03-16', 'sent', 'li.na', 'CNY', 1000, null);
      row.run('DN-2', 1, '2026-03-16', 'signed_at_customer', 'li.na', 'CNY', null, null);
      row.run('DN-3', 2, '2026-03-20', 'sent', null, null, 250, null);
      // Neither counts: filed, and cancelled.
      row.run('DN-4', 1, '2026-03-16', 'filed', 'li.na', 'CNY', 7000, null);
      row.run('DN-5', 1, '2026-03-16', 'sent', 'li.na', 'CNY', 9000, 'now');
    },
    after: (db) => {
      const groups = () =>
        db
          .prepare('SELECT customer_id, owner, currency, rows, amount_minor, amounts FROM ledger_outstanding_groups WHERE rows > 0 ORDER BY 1, 2, 3')
          .raw()
          .all();
      const days = () =>
        db.prepare('SELECT currency, expected_back_date, rows, amount_minor, amounts FROM ledger_outstanding_days WHERE rows > 0 ORDER BY 1, 2').raw().all();
      // The rows already there are counted; no owner and no currency are ''.
      expect(groups()).toEqual([
        [1, 'li.na', 'CNY', 2, 1000, 1],
        [2, '', '', 1, 250, 1],
      ]);
      expect(days()).toEqual([
        ['', '2026-03-20', 1, 250, 1],
        ['CNY', '2026-03-16', 2, 1000, 1],
      ]);
      // A new outstanding row is added; a row that leaves (filed) or moves (owner, date, amount) follows.
      db.prepare(
        `INSERT INTO ledger_rows (slip_no, customer_id, issue_date, expected_back_date, custody, owner, currency, amount_minor, created_at, updated_at)
         VALUES ('DN-6', 2, '2026-03-01', '2026-03-20', 'sent', NULL, NULL, 50, 'now', 'now')`,
      ).run();
      db.prepare(`UPDATE ledger_rows SET custody = 'filed' WHERE slip_no = 'DN-1'`).run();
      db.prepare(`UPDATE ledger_rows SET owner = 'wang.fang', expected_back_date = '2026-03-18', amount_minor = 300 WHERE slip_no = 'DN-2'`).run();
      // A change of a column the totals do not count by changes nothing.
      db.prepare(`UPDATE ledger_rows SET exception = 'disputed' WHERE slip_no = 'DN-3'`).run();
      expect(groups()).toEqual([
        [1, 'wang.fang', 'CNY', 1, 300, 1],
        [2, '', '', 2, 300, 2],
      ]);
      expect(days()).toEqual([
        ['', '2026-03-20', 2, 300, 2],
        ['CNY', '2026-03-18', 1, 300, 1],
      ]);
      expect(names(db, 'trigger')).toEqual(
        expect.arrayContaining(['ledger_outstanding_insert', 'ledger_outstanding_update_from', 'ledger_outstanding_update_to']),
      );
      // The summary's group and currency indexes gave way to one of the outstanding rows by date.
      expect(names(db, 'index')).not.toContain('ledger_rows_outstanding_groups_idx');
      expect(names(db, 'index')).not.toContain('ledger_rows_outstanding_currency_idx');
      expect(names(db, 'index')).toContain('ledger_rows_outstanding_by_date_idx');
    },
  },
  // --- OCR claims name their holder and carry a lease (ingest/ocr-queue.ts) ---
  '0016_ocr_job_holders': {
    before: (db) => {
      insertHistory(db);
      db.prepare(
        "INSERT INTO source_files (id, document_id, blob_hash, filename, mime, size, page_count, imported_at) VALUES (1, 1, 'h', 'a.pdf', 'application/pdf', 1, 2, 'a')",
      ).run();
      db.prepare('INSERT INTO pages (id, document_id, source_file_id, source_page, position) VALUES (1, 1, 1, 0, 1), (2, 1, 1, 1, 2)').run();
      db.prepare("INSERT INTO ocr_jobs (page_id, status, attempts, queued_at, updated_at) VALUES (1, 'ocr', 1, 'a', 'a'), (2, 'queued', 0, 'a', 'a')").run();
    },
    after: (db) => {
      // A claim made before the migration names no holder and no lease: the queue counts it as expired.
      expect(db.prepare('SELECT page_id AS pageId, status, attempts, holder, lease_until AS leaseUntil FROM ocr_jobs ORDER BY page_id').all()).toEqual([
        { pageId: 1, status: 'ocr', attempts: 1, holder: null, leaseUntil: null },
        { pageId: 2, status: 'queued', attempts: 0, holder: null, leaseUntil: null },
      ]);
      db.prepare(
        "UPDATE ocr_jobs SET status = 'preprocessing', attempts = 1, holder = 'host:/archive', lease_until = '2026-12-08T01:00:00.000Z' WHERE page_id = 2",
      ).run();
      expect(db.prepare('SELECT holder, lease_until AS leaseUntil FROM ocr_jobs WHERE page_id = 2').get()).toEqual({
        holder: 'host:/archive',
        leaseUntil: '2026-12-08T01:00:00.000Z',
      });
    },
  },
};

describe('each migration', () => {
  it('has a check in this file (add one with every new migration)', () => {
    expect(Object.keys(CHECKS).sort()).toEqual(MIGRATIONS.map((migration) => migration.tag).sort());
  });

  MIGRATIONS.forEach((migration, index) => {
    it(`${migration.tag} (schema ${index} → ${index + 1})`, () => {
      const db = freshDatabase();
      expect(migrate(db, MIGRATIONS.slice(0, index))).toEqual({ from: 0, to: index });
      expect(schemaVersionOf(db)).toBe(index);
      const check = CHECKS[migration.tag];
      expect(check, `no check for migration ${migration.tag}`).toBeDefined();
      check!.before?.(db);
      expect(migrate(db, MIGRATIONS.slice(0, index + 1))).toEqual({ from: index, to: index + 1 });
      check!.after(db);
      // Applying again is a no-op.
      expect(migrate(db, MIGRATIONS.slice(0, index + 1))).toEqual({ from: index + 1, to: index + 1 });
    });
  });

  it('all of them on a fresh file reach SCHEMA_VERSION, the same schema as step by step', () => {
    const all = freshDatabase();
    expect(migrate(all)).toEqual({ from: 0, to: SCHEMA_VERSION });
    const stepwise = freshDatabase();
    for (let index = 1; index <= MIGRATIONS.length; index += 1) migrate(stepwise, MIGRATIONS.slice(0, index));
    const schemaOf = (db: Database.Database) => db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all();
    expect(schemaOf(stepwise)).toEqual(schemaOf(all));
    expect(schemaVersionOf(stepwise)).toBe(SCHEMA_VERSION);
  });
});

describe('embedded migrations', () => {
  it('equal what scripts/embed-migrations.mjs renders now (re-run `npm run db:generate` if this fails)', async () => {
    const script = pathToFileURL(join(ROOT, 'scripts/embed-migrations.mjs')).href;
    const { renderEmbeddedMigrations } = (await import(script)) as { renderEmbeddedMigrations: () => string };
    const onDisk = readFileSync(join(ROOT, 'src/main/core/db/migrations.generated.ts'), 'utf8');
    expect(onDisk).toBe(renderEmbeddedMigrations());
  });

  it('match the journal and the SQL files, in order, with every journal entry present on disk', () => {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as {
      entries: { idx: number; tag: string }[];
    };
    expect(journal.entries.length).toBeGreaterThan(0);
    expect(journal.entries.map((entry) => entry.idx)).toEqual(journal.entries.map((_, index) => index));
    const sqlFiles = readdirSync(MIGRATIONS_DIR)
      .filter((name) => name.endsWith('.sql'))
      .sort();
    for (const entry of journal.entries) expect(sqlFiles, `journal lists ${entry.tag} but ${entry.tag}.sql is missing`).toContain(`${entry.tag}.sql`);
    // …and no SQL file is left out of the journal (drizzle-kit would never apply it).
    expect(sqlFiles).toEqual(journal.entries.map((entry) => `${entry.tag}.sql`).sort());
    expect(MIGRATIONS.map((migration) => migration.tag)).toEqual(journal.entries.map((entry) => entry.tag));
    for (const migration of MIGRATIONS) {
      expect(migration.sql).toBe(readFileSync(join(MIGRATIONS_DIR, `${migration.tag}.sql`), 'utf8'));
    }
  });
});

describe('a database from a newer SlipVault', () => {
  it('is refused by openArchive with ARCHIVE_FROM_FUTURE and its bytes are unchanged', async () => {
    const dir = join(tempDir(), 'archive');
    (await initArchive(dir, { actor: 'clerk' })).close();
    const file = join(dir, DATABASE_FILE);
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.pragma('journal_mode = DELETE'); // fold the WAL back in, so the file alone is the database
    raw.close();
    const sidecars = () => readdirSync(dir).filter((name) => name.startsWith(`${DATABASE_FILE}-`));
    expect(sidecars()).toEqual([]);
    const digest = () => createHash('sha256').update(readFileSync(file)).digest('hex');
    const before = digest();

    const error = await openArchive(dir, { actor: 'clerk' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SlipVaultError);
    expect((error as SlipVaultError).code).toBe('ARCHIVE_FROM_FUTURE');
    expect((error as SlipVaultError).message).toMatch(/newer version of SlipVault/);
    expect((error as SlipVaultError).details).toEqual({ schemaVersion: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION });

    expect(digest()).toBe(before);
    expect(sidecars()).toEqual([]); // not even switched to WAL
    // The refusal released the writer lock: an older SlipVault may try again (and is refused again).
    await expect(openArchive(dir)).rejects.toMatchObject({ code: 'ARCHIVE_FROM_FUTURE' });
    expect(digest()).toBe(before);
  });

  it('is refused by migrate() itself before anything is written', () => {
    const db = freshDatabase();
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => migrate(db, MIGRATIONS)).toThrow(expect.objectContaining({ code: 'ARCHIVE_FROM_FUTURE' }));
    expect(names(db, 'table')).toEqual([]);
    expect(schemaVersionOf(db)).toBe(SCHEMA_VERSION + 1);
  });
});

describe('a migration that fails halfway', () => {
  const broken: Migration = {
    tag: '9999_broken',
    sql: 'CREATE TABLE `half_done` (`x` integer);\n--> statement-breakpoint\nTHIS IS NOT SQL AT ALL;\n--> statement-breakpoint\nCREATE TABLE `never` (`y` integer);',
  };

  it('leaves the schema at the previous version with no partial table', () => {
    const db = freshDatabase();
    migrate(db, MIGRATIONS);
    const schemaBefore = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all();
    const typesBefore = db.prepare('SELECT * FROM document_types ORDER BY code').all();

    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(/syntax error/);

    expect(schemaVersionOf(db)).toBe(MIGRATIONS.length);
    expect(names(db, 'table')).not.toContain('half_done');
    expect(names(db, 'table')).not.toContain('never');
    expect(db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all()).toEqual(schemaBefore);
    expect(db.prepare('SELECT * FROM document_types ORDER BY code').all()).toEqual(typesBefore);
    expect(db.inTransaction).toBe(false);
  });

  it('rolls back every pending migration with it, not just the broken one (all in one transaction)', () => {
    const db = freshDatabase();
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(/syntax error/);
    expect(schemaVersionOf(db)).toBe(0);
    expect(names(db, 'table')).toEqual([]);
    expect(names(db, 'trigger')).toEqual([]);
    // The database is still usable and migrates normally afterwards.
    expect(migrate(db, MIGRATIONS)).toEqual({ from: 0, to: MIGRATIONS.length });
  });
});
