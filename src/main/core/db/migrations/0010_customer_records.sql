CREATE TABLE `authorizations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer NOT NULL,
	`status` text NOT NULL,
	`agents` text NOT NULL,
	`scope` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`review_date` text,
	`verification_method` text,
	`verification_attachments` text DEFAULT '[]' NOT NULL,
	`granting_document_id` integer,
	`revoking_document_id` integer,
	`revoked_on` text,
	`revoke_reason` text,
	`supersedes_id` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`granting_document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoking_document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "authorizations_status_valid" CHECK("authorizations"."status" IN ('draft', 'active', 'revoked', 'superseded')),
	CONSTRAINT "authorizations_valid_range" CHECK("authorizations"."valid_to" IS NULL OR "authorizations"."valid_from" <= "authorizations"."valid_to")
);
--> statement-breakpoint
CREATE INDEX `authorizations_customer_idx` ON `authorizations` (`customer_id`);--> statement-breakpoint
CREATE TABLE `customer_import_mappings` (
	`name` text PRIMARY KEY NOT NULL,
	`mapping` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `customer_profiles` (
	`customer_id` integer PRIMARY KEY NOT NULL,
	`code` text,
	`crm_id` text,
	`contacts` text DEFAULT '[]' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_profiles_code_idx` ON `customer_profiles` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `customer_profiles_crm_idx` ON `customer_profiles` (`crm_id`);--> statement-breakpoint
CREATE TABLE `document_locations` (
	`document_id` integer PRIMARY KEY NOT NULL,
	`location_code` text NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_code`) REFERENCES `storage_locations`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `signers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer NOT NULL,
	`name` text NOT NULL,
	`title` text,
	`contact` text,
	`valid_from` text,
	`valid_to` text,
	`signature_blob` text,
	`seal_blob` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "signers_valid_range" CHECK("signers"."valid_from" IS NULL OR "signers"."valid_to" IS NULL OR "signers"."valid_from" <= "signers"."valid_to")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signers_customer_name_idx` ON `signers` (`customer_id`,`name`);--> statement-breakpoint
CREATE TABLE `storage_locations` (
	`code` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`label` text DEFAULT '' NOT NULL,
	`parent_code` text,
	`created_at` text NOT NULL,
	CONSTRAINT "storage_locations_kind_valid" CHECK("storage_locations"."kind" IN ('cabinet', 'shelf', 'box'))
);
