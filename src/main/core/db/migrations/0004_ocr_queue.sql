CREATE TABLE `document_suggestions` (
	`document_id` integer PRIMARY KEY NOT NULL,
	`suggestions` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `ocr_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`page_id` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`queued_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`page_id`) REFERENCES `pages`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ocr_jobs_status_valid" CHECK("ocr_jobs"."status" IN ('queued', 'preprocessing', 'ocr', 'done', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ocr_jobs_page_idx` ON `ocr_jobs` (`page_id`);--> statement-breakpoint
CREATE INDEX `ocr_jobs_status_idx` ON `ocr_jobs` (`status`);--> statement-breakpoint
CREATE TABLE `page_ocr` (
	`page_id` integer PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`confidence` real NOT NULL,
	`words` text NOT NULL,
	`recognised_at` text NOT NULL,
	FOREIGN KEY (`page_id`) REFERENCES `pages`(`id`) ON UPDATE no action ON DELETE no action
);
