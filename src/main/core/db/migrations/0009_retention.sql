CREATE TABLE `disposal_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`as_of` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` text NOT NULL,
	`decided_by` text,
	`decided_at` text,
	`decision_reason` text,
	`certificate_hash` text,
	CONSTRAINT "disposal_batches_status_known" CHECK("disposal_batches"."status" IN ('requested', 'approved', 'rejected')),
	CONSTRAINT "disposal_batches_two_people" CHECK("disposal_batches"."decided_by" IS NULL OR lower("disposal_batches"."decided_by") <> lower("disposal_batches"."requested_by"))
);
--> statement-breakpoint
CREATE TABLE `disposal_items` (
	`batch_id` integer NOT NULL,
	`document_id` integer NOT NULL,
	`decision` text NOT NULL,
	`extend_until` text,
	`start_date` text NOT NULL,
	`due_date` text NOT NULL,
	`years` integer NOT NULL,
	PRIMARY KEY(`batch_id`, `document_id`),
	FOREIGN KEY (`batch_id`) REFERENCES `disposal_batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "disposal_items_decision_known" CHECK("disposal_items"."decision" IN ('keep', 'extend', 'dispose')),
	CONSTRAINT "disposal_items_extend_has_date" CHECK(("disposal_items"."decision" = 'extend') = ("disposal_items"."extend_until" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX `disposal_items_document_idx` ON `disposal_items` (`document_id`);--> statement-breakpoint
CREATE TABLE `disposed_blobs` (
	`blob_hash` text PRIMARY KEY NOT NULL,
	`batch_id` integer NOT NULL,
	`document_id` integer NOT NULL,
	`kind` text NOT NULL,
	`disposed_at` text NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `disposal_batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `disposed_documents` (
	`document_id` integer PRIMARY KEY NOT NULL,
	`batch_id` integer NOT NULL,
	`disposed_at` text NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `disposal_batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `holds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` integer,
	`customer_id` integer,
	`kind` text NOT NULL,
	`reason` text NOT NULL,
	`placed_by` text NOT NULL,
	`placed_at` text NOT NULL,
	`lifted_by` text,
	`lifted_at` text,
	`lift_reason` text,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "holds_one_target" CHECK(("holds"."document_id" IS NULL) <> ("holds"."customer_id" IS NULL)),
	CONSTRAINT "holds_kind_known" CHECK("holds"."kind" IN ('dispute', 'unsettled-debt', 'audit', 'legal')),
	CONSTRAINT "holds_lifted_whole" CHECK(("holds"."lifted_at" IS NULL) = ("holds"."lifted_by" IS NULL) AND ("holds"."lifted_at" IS NULL) = ("holds"."lift_reason" IS NULL))
);
--> statement-breakpoint
CREATE TABLE `retention_extensions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` integer NOT NULL,
	`retain_until` text NOT NULL,
	`reason` text NOT NULL,
	`actor` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `retention_extensions_document_idx` ON `retention_extensions` (`document_id`);--> statement-breakpoint
CREATE TABLE `retention_schedules` (
	`type_code` text PRIMARY KEY NOT NULL,
	`start_event` text NOT NULL,
	`years` integer,
	`action` text NOT NULL,
	`basis` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`type_code`) REFERENCES `document_types`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "retention_schedules_start_event_known" CHECK("retention_schedules"."start_event" IN ('signed-date', 'fiscal-year-end', 'authorization-end')),
	CONSTRAINT "retention_schedules_action_known" CHECK("retention_schedules"."action" IN ('review', 'dispose')),
	CONSTRAINT "retention_schedules_years_positive" CHECK("retention_schedules"."years" IS NULL OR "retention_schedules"."years" BETWEEN 1 AND 200)
);
--> statement-breakpoint
-- Default schedules (docs/retention.md says which rule each follows); administrators may change them.
-- 会计档案管理办法（财政部 国家档案局令第79号，2015）: 原始凭证 30 years, counted from the first day after the fiscal year ends (第十四条).
INSERT INTO `retention_schedules` (`type_code`, `start_event`, `years`, `action`, `basis`, `updated_at`)
SELECT `code`, `start_event`, `years`, `action`, `basis`, '2015-12-11T00:00:00.000Z' FROM `document_types` JOIN (
  SELECT 'delivery_receipt' AS `type`, 'fiscal-year-end' AS `start_event`, 30 AS `years`, 'dispose' AS `action`,
    '会计档案管理办法（2015）第十四条、第十五条、附表一：原始凭证（记账凭证所附送货单、签收单）保管30年，自会计年度终了后第一天起算' AS `basis`
  UNION ALL SELECT 'signed_back', 'fiscal-year-end', 30, 'dispose',
    '会计档案管理办法（2015）第十四条、第十五条、附表一：原始凭证（记账凭证所附签回单）保管30年，自会计年度终了后第一天起算'
  UNION ALL SELECT 'invoice', 'fiscal-year-end', 30, 'dispose',
    '会计档案管理办法（2015）第十四条、第十五条、附表一：发票为原始凭证，保管30年，自会计年度终了后第一天起算'
  UNION ALL SELECT 'contract', 'fiscal-year-end', 30, 'review',
    '比照会计档案管理办法（2015）附表一原始凭证30年（合同作为记账依据），长于民法典第一百八十八条最长20年保护期；到期先鉴定'
  UNION ALL SELECT 'authorization', 'authorization-end', 30, 'review',
    '授权书证明其所支持单据的签署权：自授权终止（撤销或到期）起保管30年，与原始凭证同长（会计档案管理办法附表一；民法典第一百八十八条）；到期先鉴定'
  UNION ALL SELECT 'other', 'signed-date', NULL, 'review', '未定保管期限：永久保管，直到管理员设定期限'
) ON `type` = `code`;
--> statement-breakpoint
-- Tombstones, disposal decisions and retention extensions are records of what happened: never changed or removed.
CREATE TRIGGER `disposed_blobs_no_update` BEFORE UPDATE ON `disposed_blobs`
BEGIN SELECT RAISE(ABORT, 'disposal tombstones are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `disposed_blobs_no_delete` BEFORE DELETE ON `disposed_blobs`
BEGIN SELECT RAISE(ABORT, 'disposal tombstones are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `disposal_items_no_update` BEFORE UPDATE ON `disposal_items`
BEGIN SELECT RAISE(ABORT, 'disposal items are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `disposal_items_no_delete` BEFORE DELETE ON `disposal_items`
BEGIN SELECT RAISE(ABORT, 'disposal items are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `disposal_batches_no_delete` BEFORE DELETE ON `disposal_batches`
BEGIN SELECT RAISE(ABORT, 'disposal batches are kept'); END;
--> statement-breakpoint
CREATE TRIGGER `disposal_batches_decided_final` BEFORE UPDATE ON `disposal_batches` WHEN OLD.`status` <> 'requested'
BEGIN SELECT RAISE(ABORT, 'a decided disposal batch cannot change'); END;
--> statement-breakpoint
CREATE TRIGGER `retention_extensions_no_update` BEFORE UPDATE ON `retention_extensions`
BEGIN SELECT RAISE(ABORT, 'retention extensions are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `retention_extensions_no_delete` BEFORE DELETE ON `retention_extensions`
BEGIN SELECT RAISE(ABORT, 'retention extensions are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `holds_no_delete` BEFORE DELETE ON `holds`
BEGIN SELECT RAISE(ABORT, 'holds are lifted, never deleted'); END;
--> statement-breakpoint
CREATE TRIGGER `holds_lifted_final` BEFORE UPDATE ON `holds` WHEN OLD.`lifted_at` IS NOT NULL AND (
  NEW.`id` IS NOT OLD.`id` OR NEW.`document_id` IS NOT OLD.`document_id` OR NEW.`kind` IS NOT OLD.`kind` OR
  NEW.`reason` IS NOT OLD.`reason` OR NEW.`placed_by` IS NOT OLD.`placed_by` OR NEW.`placed_at` IS NOT OLD.`placed_at` OR
  NEW.`lifted_by` IS NOT OLD.`lifted_by` OR NEW.`lifted_at` IS NOT OLD.`lifted_at` OR NEW.`lift_reason` IS NOT OLD.`lift_reason`)
-- Only a customer merge may move a lifted hold, to the surviving customer.
BEGIN SELECT RAISE(ABORT, 'a lifted hold cannot change'); END;
--> statement-breakpoint
CREATE TRIGGER `disposed_documents_no_update` BEFORE UPDATE ON `disposed_documents`
BEGIN SELECT RAISE(ABORT, 'disposal tombstones are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `disposed_documents_no_delete` BEFORE DELETE ON `disposed_documents`
BEGIN SELECT RAISE(ABORT, 'disposal tombstones are append-only'); END;
