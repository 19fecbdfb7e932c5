DROP INDEX `ledger_rows_custody_due_idx`;--> statement-breakpoint
CREATE INDEX `ledger_rows_outstanding_due_idx` ON `ledger_rows` (`expected_back_date`) WHERE "ledger_rows"."cancelled_at" IS NULL AND "ledger_rows"."custody" IN ('sent', 'signed_at_customer');--> statement-breakpoint
CREATE INDEX `ledger_rows_outstanding_amount_idx` ON `ledger_rows` (`amount_minor`,`expected_back_date`) WHERE "ledger_rows"."cancelled_at" IS NULL AND "ledger_rows"."custody" IN ('sent', 'signed_at_customer');--> statement-breakpoint
CREATE INDEX `ledger_rows_outstanding_groups_idx` ON `ledger_rows` (`customer_id`,`owner`,`currency`,`expected_back_date`,`amount_minor`,`custody`,`cancelled_at`) WHERE "ledger_rows"."cancelled_at" IS NULL AND "ledger_rows"."custody" IN ('sent', 'signed_at_customer');--> statement-breakpoint
CREATE INDEX `ledger_rows_outstanding_currency_idx` ON `ledger_rows` (`currency`,`expected_back_date`,`amount_minor`,`custody`,`cancelled_at`) WHERE "ledger_rows"."cancelled_at" IS NULL AND "ledger_rows"."custody" IN ('sent', 'signed_at_customer');--> statement-breakpoint
CREATE INDEX `ledger_rows_back_idx` ON `ledger_rows` (`custody`) WHERE "ledger_rows"."cancelled_at" IS NULL AND "ledger_rows"."custody" IN ('back_at_branch', 'at_office');--> statement-breakpoint
-- The ledger list's text filter (slip or invoice number containing a text) without reading every row: a
-- trigram index over ledger_rows, kept by triggers. Rows are never deleted (migration 0011), so inserts and
-- changes of either number are all it has to follow.
CREATE VIRTUAL TABLE `ledger_rows_text` USING fts5(slip_no, invoice_no, content='ledger_rows', content_rowid='id', tokenize='trigram');
--> statement-breakpoint
INSERT INTO `ledger_rows_text` (`ledger_rows_text`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `ledger_rows_text_insert` AFTER INSERT ON `ledger_rows` BEGIN
  INSERT INTO `ledger_rows_text` (rowid, slip_no, invoice_no) VALUES (new.id, new.slip_no, new.invoice_no);
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_rows_text_update` AFTER UPDATE OF `slip_no`, `invoice_no` ON `ledger_rows` BEGIN
  INSERT INTO `ledger_rows_text` (`ledger_rows_text`, rowid, slip_no, invoice_no) VALUES ('delete', old.id, old.slip_no, old.invoice_no);
  INSERT INTO `ledger_rows_text` (rowid, slip_no, invoice_no) VALUES (new.id, new.slip_no, new.invoice_no);
END;
