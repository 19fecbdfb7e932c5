CREATE TABLE "ledger_outstanding_days" (
	"currency" text NOT NULL,
	"expected_back_date" text NOT NULL,
	"rows" integer NOT NULL,
	"amount_minor" bigint NOT NULL,
	"amounts" integer NOT NULL,
	CONSTRAINT "ledger_outstanding_days_currency_expected_back_date_pk" PRIMARY KEY("currency","expected_back_date")
);
--> statement-breakpoint
CREATE TABLE "ledger_outstanding_groups" (
	"customer_id" integer NOT NULL,
	"owner" text NOT NULL,
	"currency" text NOT NULL,
	"rows" integer NOT NULL,
	"amount_minor" bigint NOT NULL,
	"amounts" integer NOT NULL,
	CONSTRAINT "ledger_outstanding_groups_customer_id_owner_currency_pk" PRIMARY KEY("customer_id","owner","currency")
);
--> statement-breakpoint
DROP INDEX "ledger_rows_outstanding_groups_idx";--> statement-breakpoint
DROP INDEX "ledger_rows_outstanding_currency_idx";--> statement-breakpoint
ALTER TABLE "ledger_outstanding_groups" ADD CONSTRAINT "ledger_outstanding_groups_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_rows_outstanding_by_date_idx" ON "ledger_rows" USING btree ("expected_back_date","customer_id","owner","currency","amount_minor","custody","cancelled_at") WHERE "ledger_rows"."cancelled_at" IS NULL AND "ledger_rows"."custody" IN ('sent', 'signed_at_customer');--> statement-breakpoint
-- Written by hand, as SQLite's 0015_ledger_due_totals: the totals start from the rows already there, then
-- follow every insert and every change of a column they count by (rows are never deleted: 0001 refuses it).
-- "Outstanding" is the text of core/ledger/outstanding.ts.
INSERT INTO "ledger_outstanding_groups" ("customer_id", "owner", "currency", "rows", "amount_minor", "amounts")
  SELECT "customer_id", coalesce("owner", ''), coalesce("currency", ''), count(*), coalesce(sum("amount_minor"), 0), count("amount_minor")
    FROM "ledger_rows" WHERE "cancelled_at" IS NULL AND "custody" IN ('sent', 'signed_at_customer')
   GROUP BY "customer_id", coalesce("owner", ''), coalesce("currency", '');
--> statement-breakpoint
INSERT INTO "ledger_outstanding_days" ("currency", "expected_back_date", "rows", "amount_minor", "amounts")
  SELECT coalesce("currency", ''), "expected_back_date", count(*), coalesce(sum("amount_minor"), 0), count("amount_minor")
    FROM "ledger_rows" WHERE "cancelled_at" IS NULL AND "custody" IN ('sent', 'signed_at_customer')
   GROUP BY coalesce("currency", ''), "expected_back_date";
--> statement-breakpoint
-- A row that is outstanding (after an insert, or after an update: NEW) is added to its group and its day.
CREATE FUNCTION "ledger_outstanding_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ledger_outstanding_groups" AS t ("customer_id", "owner", "currency", "rows", "amount_minor", "amounts")
    VALUES (NEW."customer_id", coalesce(NEW."owner", ''), coalesce(NEW."currency", ''), 1, coalesce(NEW."amount_minor", 0), (NEW."amount_minor" IS NOT NULL)::integer)
    ON CONFLICT ("customer_id", "owner", "currency") DO UPDATE
    SET "rows" = t."rows" + 1, "amount_minor" = t."amount_minor" + EXCLUDED."amount_minor", "amounts" = t."amounts" + EXCLUDED."amounts";
  INSERT INTO "ledger_outstanding_days" AS t ("currency", "expected_back_date", "rows", "amount_minor", "amounts")
    VALUES (coalesce(NEW."currency", ''), NEW."expected_back_date", 1, coalesce(NEW."amount_minor", 0), (NEW."amount_minor" IS NOT NULL)::integer)
    ON CONFLICT ("currency", "expected_back_date") DO UPDATE
    SET "rows" = t."rows" + 1, "amount_minor" = t."amount_minor" + EXCLUDED."amount_minor", "amounts" = t."amounts" + EXCLUDED."amounts";
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A row that was outstanding before an update (OLD) is taken out of its group and its day; a total that
-- reaches no rows stays, with zeros, as on SQLite (the due summary reads rows > 0).
CREATE FUNCTION "ledger_outstanding_subtract"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ledger_outstanding_groups"
     SET "rows" = "rows" - 1, "amount_minor" = "amount_minor" - coalesce(OLD."amount_minor", 0), "amounts" = "amounts" - (OLD."amount_minor" IS NOT NULL)::integer
   WHERE "customer_id" = OLD."customer_id" AND "owner" = coalesce(OLD."owner", '') AND "currency" = coalesce(OLD."currency", '');
  UPDATE "ledger_outstanding_days"
     SET "rows" = "rows" - 1, "amount_minor" = "amount_minor" - coalesce(OLD."amount_minor", 0), "amounts" = "amounts" - (OLD."amount_minor" IS NOT NULL)::integer
   WHERE "currency" = coalesce(OLD."currency", '') AND "expected_back_date" = OLD."expected_back_date";
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "ledger_outstanding_insert" AFTER INSERT ON "ledger_rows"
FOR EACH ROW WHEN (NEW."cancelled_at" IS NULL AND NEW."custody" IN ('sent', 'signed_at_customer'))
EXECUTE FUNCTION "ledger_outstanding_add"();
--> statement-breakpoint
CREATE TRIGGER "ledger_outstanding_update_from"
AFTER UPDATE OF "customer_id", "owner", "currency", "amount_minor", "expected_back_date", "custody", "cancelled_at" ON "ledger_rows"
FOR EACH ROW WHEN (OLD."cancelled_at" IS NULL AND OLD."custody" IN ('sent', 'signed_at_customer'))
EXECUTE FUNCTION "ledger_outstanding_subtract"();
--> statement-breakpoint
CREATE TRIGGER "ledger_outstanding_update_to"
AFTER UPDATE OF "customer_id", "owner", "currency", "amount_minor", "expected_back_date", "custody", "cancelled_at" ON "ledger_rows"
FOR EACH ROW WHEN (NEW."cancelled_at" IS NULL AND NEW."custody" IN ('sent', 'signed_at_customer'))
EXECUTE FUNCTION "ledger_outstanding_add"();
