-- What SQLite's migrations 0001, 0009, 0011, 0012, 0013 and 0014 add by hand, for PostgreSQL: the default
-- document types, retention schedules and filing rules, the triggers that keep history append-only, the
-- trigger that ends an inbox draft, and the trigram index the ledger's slip and invoice search uses.

-- Default document types of a Chinese back office; users add their own in Settings.
INSERT INTO "document_types" ("code", "name_zh", "name_en", "keywords") VALUES
  ('delivery_receipt', '送货单', 'Delivery receipt', '["送货单","签收单","送货","签收","delivery","receipt","delivery note"]'),
  ('signed_back', '签回单', 'Signed-back slip', '["签回单","回单","签回","signed back","return slip"]'),
  ('authorization', '授权书', 'Authorization', '["授权书","授权","委托书","authorization","authorisation","power of attorney"]'),
  ('contract', '合同', 'Contract', '["合同","协议","contract","agreement"]'),
  ('invoice', '发票', 'Invoice', '["发票","invoice","tax invoice"]'),
  ('other', '其他', 'Other', '[]');
--> statement-breakpoint
-- Default schedules (docs/retention.md says which rule each follows); administrators may change them.
INSERT INTO "retention_schedules" ("type_code", "start_event", "years", "action", "basis", "updated_at")
SELECT "code", "start_event", "years", "action", "basis", '2015-12-11T00:00:00.000Z' FROM "document_types" JOIN (
  SELECT 'delivery_receipt' AS "type", 'fiscal-year-end' AS "start_event", 30 AS "years", 'dispose' AS "action",
    '会计档案管理办法（2015）第十四条、第十五条、附表一：原始凭证（记账凭证所附送货单、签收单）保管30年，自会计年度终了后第一天起算' AS "basis"
  UNION ALL SELECT 'signed_back', 'fiscal-year-end', 30, 'dispose',
    '会计档案管理办法（2015）第十四条、第十五条、附表一：原始凭证（记账凭证所附签回单）保管30年，自会计年度终了后第一天起算'
  UNION ALL SELECT 'invoice', 'fiscal-year-end', 30, 'dispose',
    '会计档案管理办法（2015）第十四条、第十五条、附表一：发票为原始凭证，保管30年，自会计年度终了后第一天起算'
  UNION ALL SELECT 'contract', 'fiscal-year-end', 30, 'review',
    '比照会计档案管理办法（2015）附表一原始凭证30年（合同作为记账依据），长于民法典第一百八十八条最长20年保护期；到期先鉴定'
  UNION ALL SELECT 'authorization', 'authorization-end', 30, 'review',
    '授权书证明其所支持单据的签署权：自授权终止（撤销或到期）起保管30年，与原始凭证同长（会计档案管理办法附表一；民法典第一百八十八条）；到期先鉴定'
  UNION ALL SELECT 'other', 'signed-date', NULL, 'review', '未定保管期限：永久保管，直到管理员设定期限'
) AS "defaults" ON "type" = "code";
--> statement-breakpoint
-- Sensible defaults for the seeded types: what a back office needs to find and match a slip later.
INSERT INTO "document_type_rules" ("type_code", "required_fields")
  SELECT "code", (CASE "code"
    WHEN 'delivery_receipt' THEN '["customer","signedDate","slipNo"]'
    WHEN 'signed_back' THEN '["customer","signedDate","slipNo","signature"]'
    WHEN 'invoice' THEN '["customer","signedDate","amount"]'
    WHEN 'contract' THEN '["customer","signedDate"]'
    WHEN 'authorization' THEN '["customer","signedDate","signer"]'
  END)::jsonb
  FROM "document_types"
  WHERE "code" IN ('delivery_receipt', 'signed_back', 'invoice', 'contract', 'authorization');
--> statement-breakpoint
-- One function refuses every forbidden change; each trigger passes the sentence to say (SQLite: RAISE(ABORT, …)).
CREATE FUNCTION "slipvault_refuse"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
-- History is never rewritten: versions and audit events are append-only at the database level too.
CREATE TRIGGER "document_versions_no_update" BEFORE UPDATE ON "document_versions"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('document versions are immutable');
--> statement-breakpoint
CREATE TRIGGER "document_versions_no_delete" BEFORE DELETE ON "document_versions"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('document versions are immutable');
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_update" BEFORE UPDATE ON "audit_events"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('audit events are append-only');
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_delete" BEFORE DELETE ON "audit_events"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('audit events are append-only');
--> statement-breakpoint
-- Row triggers do not fire on TRUNCATE; statement triggers refuse it for the append-only tables.
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
FOR EACH STATEMENT EXECUTE FUNCTION "slipvault_refuse"('audit events are append-only');
--> statement-breakpoint
CREATE TRIGGER "document_versions_no_truncate" BEFORE TRUNCATE ON "document_versions"
FOR EACH STATEMENT EXECUTE FUNCTION "slipvault_refuse"('document versions are immutable');
--> statement-breakpoint
CREATE TRIGGER "documents_no_delete" BEFORE DELETE ON "documents"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('documents are voided, never deleted');
--> statement-breakpoint
-- Tombstones, disposal decisions and retention extensions are records of what happened: never changed or removed.
CREATE TRIGGER "disposed_blobs_no_update" BEFORE UPDATE ON "disposed_blobs"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('disposal tombstones are append-only');
--> statement-breakpoint
CREATE TRIGGER "disposed_blobs_no_delete" BEFORE DELETE ON "disposed_blobs"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('disposal tombstones are append-only');
--> statement-breakpoint
CREATE TRIGGER "disposal_items_no_update" BEFORE UPDATE ON "disposal_items"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('disposal items are append-only');
--> statement-breakpoint
CREATE TRIGGER "disposal_items_no_delete" BEFORE DELETE ON "disposal_items"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('disposal items are append-only');
--> statement-breakpoint
CREATE TRIGGER "disposal_batches_no_delete" BEFORE DELETE ON "disposal_batches"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('disposal batches are kept');
--> statement-breakpoint
CREATE TRIGGER "disposal_batches_decided_final" BEFORE UPDATE ON "disposal_batches"
FOR EACH ROW WHEN (OLD."status" <> 'requested') EXECUTE FUNCTION "slipvault_refuse"('a decided disposal batch cannot change');
--> statement-breakpoint
CREATE TRIGGER "retention_extensions_no_update" BEFORE UPDATE ON "retention_extensions"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('retention extensions are append-only');
--> statement-breakpoint
CREATE TRIGGER "retention_extensions_no_delete" BEFORE DELETE ON "retention_extensions"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('retention extensions are append-only');
--> statement-breakpoint
CREATE TRIGGER "holds_no_delete" BEFORE DELETE ON "holds"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('holds are lifted, never deleted');
--> statement-breakpoint
-- Only a customer merge may move a lifted hold, to the surviving customer.
CREATE TRIGGER "holds_lifted_final" BEFORE UPDATE ON "holds"
FOR EACH ROW WHEN (OLD."lifted_at" IS NOT NULL AND (
  NEW."id" IS DISTINCT FROM OLD."id" OR NEW."document_id" IS DISTINCT FROM OLD."document_id" OR NEW."kind" IS DISTINCT FROM OLD."kind" OR
  NEW."reason" IS DISTINCT FROM OLD."reason" OR NEW."placed_by" IS DISTINCT FROM OLD."placed_by" OR NEW."placed_at" IS DISTINCT FROM OLD."placed_at" OR
  NEW."lifted_by" IS DISTINCT FROM OLD."lifted_by" OR NEW."lifted_at" IS DISTINCT FROM OLD."lifted_at" OR NEW."lift_reason" IS DISTINCT FROM OLD."lift_reason"))
EXECUTE FUNCTION "slipvault_refuse"('a lifted hold cannot change');
--> statement-breakpoint
CREATE TRIGGER "disposed_documents_no_update" BEFORE UPDATE ON "disposed_documents"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('disposal tombstones are append-only');
--> statement-breakpoint
CREATE TRIGGER "disposed_documents_no_delete" BEFORE DELETE ON "disposed_documents"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('disposal tombstones are append-only');
--> statement-breakpoint
CREATE TRIGGER "ledger_history_no_update" BEFORE UPDATE ON "ledger_history"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('ledger history is append-only');
--> statement-breakpoint
CREATE TRIGGER "ledger_history_no_delete" BEFORE DELETE ON "ledger_history"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('ledger history is append-only');
--> statement-breakpoint
CREATE TRIGGER "ledger_rows_no_delete" BEFORE DELETE ON "ledger_rows"
FOR EACH ROW EXECUTE FUNCTION "slipvault_refuse"('ledger rows are cancelled, never deleted');
--> statement-breakpoint
-- A draft lives while its document is in the inbox: filing or voiding it, by any path, ends the draft.
CREATE FUNCTION "inbox_drafts_end"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "inbox_drafts" WHERE "document_id" = NEW."id";
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "inbox_drafts_end_outside_inbox" AFTER UPDATE OF "status" ON "documents"
FOR EACH ROW WHEN (NEW."status" <> 'inbox') EXECUTE FUNCTION "inbox_drafts_end"();
--> statement-breakpoint
-- The ledger's "slip or invoice number contains" search (SQLite: the FTS5 trigram table ledger_rows_text).
-- pg_trgm is a trusted extension: the archive database's owner may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";
--> statement-breakpoint
CREATE INDEX "ledger_rows_text_idx" ON "ledger_rows" USING gin ("slip_no" gin_trgm_ops, "invoice_no" gin_trgm_ops);
