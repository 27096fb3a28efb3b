CREATE TABLE `data_versions` (
	`name` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- The directory's version (db/queries/directory.ts caches its pages until it moves): every write to the rows a
-- directory page is computed from moves it, in the writing transaction, whichever process writes. Supporters
-- (status, facts, capacity, open_requests — itself kept by triggers on support_requests), their attributes, and
-- the name and deactivation of their users. A sign-in rewrites the name unchanged, so users count only when the
-- value changes.
INSERT INTO `data_versions` (`name`, `version`) VALUES ('directory', 0);--> statement-breakpoint
CREATE TRIGGER `directory_version_supporters_insert` AFTER INSERT ON `supporters`
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;--> statement-breakpoint
CREATE TRIGGER `directory_version_supporters_update` AFTER UPDATE ON `supporters`
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;--> statement-breakpoint
CREATE TRIGGER `directory_version_supporters_delete` AFTER DELETE ON `supporters`
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;--> statement-breakpoint
CREATE TRIGGER `directory_version_attributes_insert` AFTER INSERT ON `supporter_attributes`
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;--> statement-breakpoint
CREATE TRIGGER `directory_version_attributes_update` AFTER UPDATE ON `supporter_attributes`
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;--> statement-breakpoint
CREATE TRIGGER `directory_version_attributes_delete` AFTER DELETE ON `supporter_attributes`
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;--> statement-breakpoint
CREATE TRIGGER `directory_version_users_update` AFTER UPDATE OF `name`, `deactivated_at` ON `users`
WHEN old.name IS NOT new.name OR old.deactivated_at IS NOT new.deactivated_at
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;--> statement-breakpoint
CREATE TRIGGER `directory_version_users_delete` AFTER DELETE ON `users`
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'directory';
END;
