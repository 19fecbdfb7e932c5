-- Copies of each document's type, signed date, amount and status beside its search vectors, so a fielded
-- term and a type or date filter meet in one table (search/pg-search-index.ts). Rows indexed before this
-- migration get their values from `documents` here; indexDocuments writes them from now on.
ALTER TABLE "search_index" ADD COLUMN "type_code" text;--> statement-breakpoint
ALTER TABLE "search_index" ADD COLUMN "signed_date" text;--> statement-breakpoint
ALTER TABLE "search_index" ADD COLUMN "amount_minor" bigint;--> statement-breakpoint
ALTER TABLE "search_index" ADD COLUMN "status" text;--> statement-breakpoint
UPDATE "search_index" si SET "type_code" = d."type_code", "signed_date" = d."signed_date", "amount_minor" = d."amount_minor", "status" = d."status"
  FROM "documents" d WHERE d."id" = si."document_id";--> statement-breakpoint
ALTER TABLE "search_index" ALTER COLUMN "status" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "search_index_type_date_idx" ON "search_index" USING btree ("type_code","signed_date");--> statement-breakpoint
CREATE INDEX "search_index_date_idx" ON "search_index" USING btree ("signed_date");
