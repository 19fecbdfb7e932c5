CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`last_failed_at` text,
	`password_changed_at` text NOT NULL,
	`created_at` text NOT NULL,
	CONSTRAINT "users_role_known" CHECK("users"."role" IN ('viewer', 'clerk', 'admin', 'auditor'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (lower("username"));