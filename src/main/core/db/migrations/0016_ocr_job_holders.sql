-- Who holds an OCR job's claim (the claiming owner: host and folder) and until when (the database's clock,
-- renewed while the holder works), so that an owner opening the archive puts back only the pages of holders
-- that are gone (ingest/ocr-queue.ts). Claims made before this migration name no holder and count as expired.
ALTER TABLE `ocr_jobs` ADD `holder` text;--> statement-breakpoint
ALTER TABLE `ocr_jobs` ADD `lease_until` text;
