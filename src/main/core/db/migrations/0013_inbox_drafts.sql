CREATE TABLE `inbox_drafts` (
	`document_id` integer PRIMARY KEY NOT NULL,
	`field_values` text NOT NULL,
	`accepted` integer NOT NULL,
	`override` text,
	`saved_by` text NOT NULL,
	`saved_at` text NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);

--> statement-breakpoint
-- A draft lives while its document is in the inbox: filing or voiding it, by any path, ends the draft.
CREATE TRIGGER `inbox_drafts_end_outside_inbox` AFTER UPDATE OF `status` ON `documents`
WHEN NEW.`status` <> 'inbox'
BEGIN DELETE FROM `inbox_drafts` WHERE `document_id` = NEW.`id`; END;
