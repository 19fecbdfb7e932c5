-- Default document types of a Chinese back office; users add their own in Settings.
INSERT INTO `document_types` (`code`, `name_zh`, `name_en`, `keywords`) VALUES
  ('delivery_receipt', '送货单', 'Delivery receipt', '["送货单","签收单","送货","签收","delivery","receipt","delivery note"]'),
  ('signed_back', '签回单', 'Signed-back slip', '["签回单","回单","签回","signed back","return slip"]'),
  ('authorization', '授权书', 'Authorization', '["授权书","授权","委托书","authorization","authorisation","power of attorney"]'),
  ('contract', '合同', 'Contract', '["合同","协议","contract","agreement"]'),
  ('invoice', '发票', 'Invoice', '["发票","invoice","tax invoice"]'),
  ('other', '其他', 'Other', '[]');
--> statement-breakpoint
-- History is never rewritten: versions and audit events are append-only at the database level too.
CREATE TRIGGER `document_versions_no_update` BEFORE UPDATE ON `document_versions`
BEGIN SELECT RAISE(ABORT, 'document versions are immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `document_versions_no_delete` BEFORE DELETE ON `document_versions`
BEGIN SELECT RAISE(ABORT, 'document versions are immutable'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events`
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_events_no_delete` BEFORE DELETE ON `audit_events`
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `documents_no_delete` BEFORE DELETE ON `documents`
BEGIN SELECT RAISE(ABORT, 'documents are voided, never deleted'); END;
