CREATE TABLE `ledger_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`row_id` integer NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`changes` text NOT NULL,
	`reason` text,
	`audit_seq` integer NOT NULL,
	FOREIGN KEY (`row_id`) REFERENCES `ledger_rows`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ledger_history_row_idx` ON `ledger_history` (`row_id`);--> statement-breakpoint
CREATE TABLE `ledger_mappings` (
	`name` text PRIMARY KEY NOT NULL,
	`columns` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ledger_rows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slip_no` text NOT NULL,
	`customer_id` integer NOT NULL,
	`issue_date` text NOT NULL,
	`expected_back_date` text NOT NULL,
	`amount_minor` integer,
	`currency` text,
	`invoice_no` text,
	`owner` text,
	`custody` text NOT NULL,
	`returned_on` text,
	`document_id` integer,
	`exception` text,
	`exception_reason` text,
	`cancelled_at` text,
	`cancel_reason` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_rows_custody_known" CHECK("ledger_rows"."custody" IN ('sent', 'signed_at_customer', 'back_at_branch', 'at_office', 'filed')),
	CONSTRAINT "ledger_rows_exception_known" CHECK("ledger_rows"."exception" IS NULL OR "ledger_rows"."exception" IN ('lost', 'disputed', 'refused', 'partial', 'signature_problem')),
	CONSTRAINT "ledger_rows_amount_non_negative" CHECK("ledger_rows"."amount_minor" IS NULL OR "ledger_rows"."amount_minor" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_rows_live_slip_idx` ON `ledger_rows` (`slip_no`) WHERE "ledger_rows"."cancelled_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_rows_live_document_idx` ON `ledger_rows` (`document_id`) WHERE "ledger_rows"."document_id" IS NOT NULL AND "ledger_rows"."cancelled_at" IS NULL;--> statement-breakpoint
CREATE INDEX `ledger_rows_custody_due_idx` ON `ledger_rows` (`custody`,`expected_back_date`,`customer_id`,`owner`,`currency`,`amount_minor`) WHERE "ledger_rows"."cancelled_at" IS NULL;--> statement-breakpoint
CREATE INDEX `ledger_rows_customer_idx` ON `ledger_rows` (`customer_id`,`expected_back_date`);--> statement-breakpoint
CREATE INDEX `ledger_rows_owner_idx` ON `ledger_rows` (`owner`,`expected_back_date`);--> statement-breakpoint
CREATE INDEX `ledger_rows_expected_idx` ON `ledger_rows` (`expected_back_date`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`recipient` text NOT NULL,
	`level` text NOT NULL,
	`ledger_row_id` integer NOT NULL,
	`due_on` text NOT NULL,
	`created_at` text NOT NULL,
	`read_at` text,
	FOREIGN KEY (`ledger_row_id`) REFERENCES `ledger_rows`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "notifications_level_known" CHECK("notifications"."level" IN ('due', 'overdue-owner', 'overdue-admin'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_once_idx` ON `notifications` (`ledger_row_id`,`level`,`recipient`);--> statement-breakpoint
CREATE INDEX `notifications_recipient_idx` ON `notifications` (`recipient`,`read_at`);--> statement-breakpoint
ALTER TABLE `customers` ADD `return_deadline_days` integer DEFAULT 15 NOT NULL;--> statement-breakpoint
CREATE TRIGGER `ledger_history_no_update` BEFORE UPDATE ON `ledger_history`
BEGIN SELECT RAISE(ABORT, 'ledger history is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `ledger_history_no_delete` BEFORE DELETE ON `ledger_history`
BEGIN SELECT RAISE(ABORT, 'ledger history is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `ledger_rows_no_delete` BEFORE DELETE ON `ledger_rows`
BEGIN SELECT RAISE(ABORT, 'ledger rows are cancelled, never deleted'); END;
