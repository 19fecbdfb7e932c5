CREATE TABLE `ledger_outstanding_days` (
	`currency` text NOT NULL,
	`expected_back_date` text NOT NULL,
	`rows` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`amounts` integer NOT NULL,
	PRIMARY KEY(`currency`, `expected_back_date`)
);
--> statement-breakpoint
CREATE TABLE `ledger_outstanding_groups` (
	`customer_id` integer NOT NULL,
	`owner` text NOT NULL,
	`currency` text NOT NULL,
	`rows` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`amounts` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `owner`, `currency`),
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
DROP INDEX `ledger_rows_outstanding_groups_idx`;--> statement-breakpoint
DROP INDEX `ledger_rows_outstanding_currency_idx`;--> statement-breakpoint
CREATE INDEX `ledger_rows_outstanding_by_date_idx` ON `ledger_rows` (`expected_back_date`,`customer_id`,`owner`,`currency`,`amount_minor`,`custody`,`cancelled_at`) WHERE "ledger_rows"."cancelled_at" IS NULL AND "ledger_rows"."custody" IN ('sent', 'signed_at_customer');
--> statement-breakpoint
-- The totals start from the rows already there, then follow every insert and every change of a column they
-- count by (rows are never deleted: migration 0011). "Outstanding" is the text of core/ledger/outstanding.ts.
INSERT INTO `ledger_outstanding_groups` (customer_id, owner, currency, rows, amount_minor, amounts)
  SELECT customer_id, coalesce(owner, ''), coalesce(currency, ''), count(*), coalesce(sum(amount_minor), 0), count(amount_minor)
    FROM `ledger_rows` WHERE cancelled_at IS NULL AND custody IN ('sent', 'signed_at_customer')
   GROUP BY customer_id, coalesce(owner, ''), coalesce(currency, '');
--> statement-breakpoint
INSERT INTO `ledger_outstanding_days` (currency, expected_back_date, rows, amount_minor, amounts)
  SELECT coalesce(currency, ''), expected_back_date, count(*), coalesce(sum(amount_minor), 0), count(amount_minor)
    FROM `ledger_rows` WHERE cancelled_at IS NULL AND custody IN ('sent', 'signed_at_customer')
   GROUP BY coalesce(currency, ''), expected_back_date;
--> statement-breakpoint
CREATE TRIGGER `ledger_outstanding_insert` AFTER INSERT ON `ledger_rows`
WHEN new.cancelled_at IS NULL AND new.custody IN ('sent', 'signed_at_customer') BEGIN
  INSERT INTO `ledger_outstanding_groups` (customer_id, owner, currency, rows, amount_minor, amounts)
    VALUES (new.customer_id, coalesce(new.owner, ''), coalesce(new.currency, ''), 1, coalesce(new.amount_minor, 0), new.amount_minor IS NOT NULL)
    ON CONFLICT (customer_id, owner, currency) DO UPDATE
    SET rows = rows + 1, amount_minor = amount_minor + excluded.amount_minor, amounts = amounts + excluded.amounts;
  INSERT INTO `ledger_outstanding_days` (currency, expected_back_date, rows, amount_minor, amounts)
    VALUES (coalesce(new.currency, ''), new.expected_back_date, 1, coalesce(new.amount_minor, 0), new.amount_minor IS NOT NULL)
    ON CONFLICT (currency, expected_back_date) DO UPDATE
    SET rows = rows + 1, amount_minor = amount_minor + excluded.amount_minor, amounts = amounts + excluded.amounts;
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_outstanding_update_from` AFTER UPDATE OF customer_id, owner, currency, amount_minor, expected_back_date, custody, cancelled_at ON `ledger_rows`
WHEN old.cancelled_at IS NULL AND old.custody IN ('sent', 'signed_at_customer') BEGIN
  UPDATE `ledger_outstanding_groups`
     SET rows = rows - 1, amount_minor = amount_minor - coalesce(old.amount_minor, 0), amounts = amounts - (old.amount_minor IS NOT NULL)
   WHERE customer_id = old.customer_id AND owner = coalesce(old.owner, '') AND currency = coalesce(old.currency, '');
  UPDATE `ledger_outstanding_days`
     SET rows = rows - 1, amount_minor = amount_minor - coalesce(old.amount_minor, 0), amounts = amounts - (old.amount_minor IS NOT NULL)
   WHERE currency = coalesce(old.currency, '') AND expected_back_date = old.expected_back_date;
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_outstanding_update_to` AFTER UPDATE OF customer_id, owner, currency, amount_minor, expected_back_date, custody, cancelled_at ON `ledger_rows`
WHEN new.cancelled_at IS NULL AND new.custody IN ('sent', 'signed_at_customer') BEGIN
  INSERT INTO `ledger_outstanding_groups` (customer_id, owner, currency, rows, amount_minor, amounts)
    VALUES (new.customer_id, coalesce(new.owner, ''), coalesce(new.currency, ''), 1, coalesce(new.amount_minor, 0), new.amount_minor IS NOT NULL)
    ON CONFLICT (customer_id, owner, currency) DO UPDATE
    SET rows = rows + 1, amount_minor = amount_minor + excluded.amount_minor, amounts = amounts + excluded.amounts;
  INSERT INTO `ledger_outstanding_days` (currency, expected_back_date, rows, amount_minor, amounts)
    VALUES (coalesce(new.currency, ''), new.expected_back_date, 1, coalesce(new.amount_minor, 0), new.amount_minor IS NOT NULL)
    ON CONFLICT (currency, expected_back_date) DO UPDATE
    SET rows = rows + 1, amount_minor = amount_minor + excluded.amount_minor, amounts = amounts + excluded.amounts;
END;
