CREATE TABLE `document_type_rules` (
	`type_code` text PRIMARY KEY NOT NULL,
	`required_fields` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`type_code`) REFERENCES `document_types`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `page_signatures` (
	`page_id` integer PRIMARY KEY NOT NULL,
	`signature` integer NOT NULL,
	`seal` integer NOT NULL,
	`confidence` real NOT NULL,
	`regions` text NOT NULL,
	`frame_width` integer NOT NULL,
	`frame_height` integer NOT NULL,
	`checked_at` text NOT NULL,
	FOREIGN KEY (`page_id`) REFERENCES `pages`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "page_signatures_confidence_range" CHECK("page_signatures"."confidence" BETWEEN 0 AND 1)
);
--> statement-breakpoint
-- Sensible defaults for the seeded types: what a back office needs to find and match a slip later.
INSERT INTO `document_type_rules` (`type_code`, `required_fields`)
  SELECT `code`, CASE `code`
    WHEN 'delivery_receipt' THEN '["customer","signedDate","slipNo"]'
    WHEN 'signed_back' THEN '["customer","signedDate","slipNo","signature"]'
    WHEN 'invoice' THEN '["customer","signedDate","amount"]'
    WHEN 'contract' THEN '["customer","signedDate"]'
    WHEN 'authorization' THEN '["customer","signedDate","signer"]'
  END
  FROM `document_types`
  WHERE `code` IN ('delivery_receipt', 'signed_back', 'invoice', 'contract', 'authorization');
