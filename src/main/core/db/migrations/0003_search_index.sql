-- Full-text index over every document's current text (src/main/core/search/search-index.ts).
-- rowid = documents.id. Contentless: the text lives in the documents and pages tables; this holds only
-- the tokens, encoded by src/main/core/search/text-units.ts (CJK bigrams, normalised words).
-- prefix='1 2' answers 1-character CJK queries and short slip-number prefixes from the index.
-- `state` holds the document's status (inbox, filed, voided) so that the default "not voided" and
-- status: filters are answered by the index alone, without visiting every matching document row.
CREATE VIRTUAL TABLE `search_index` USING fts5(
	`title`, `body`, `customer`, `slip`, `signer`, `tags`, `state`,
	content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0', prefix='1 2'
);
--> statement-breakpoint
-- Progress of a (re)build of search_index: while `rebuild_after` is present, documents with a larger id
-- may be missing from the index; `slipvault reindex` continues from there.
CREATE TABLE `search_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
-- Archives that already hold documents need them indexed once.
INSERT INTO `search_state` (`key`, `value`) SELECT 'rebuild_after', 0 WHERE EXISTS (SELECT 1 FROM `documents`);
