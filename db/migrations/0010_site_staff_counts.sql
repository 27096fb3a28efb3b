CREATE TABLE `site_staff_counts` (
	`site` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
-- A member of staff counts at their site while they have not left and the site is recorded.
CREATE TRIGGER `site_staff_counts_insert` AFTER INSERT ON `users`
WHEN new.deactivated_at IS NULL AND new.site IS NOT NULL AND trim(new.site) <> ''
BEGIN
	INSERT INTO site_staff_counts (site, n) VALUES (new.site, 1) ON CONFLICT (site) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `site_staff_counts_delete` AFTER DELETE ON `users`
WHEN old.deactivated_at IS NULL AND old.site IS NOT NULL AND trim(old.site) <> ''
BEGIN
	UPDATE site_staff_counts SET n = n - 1 WHERE site = old.site;
	DELETE FROM site_staff_counts WHERE site = old.site AND n <= 0;
END;
--> statement-breakpoint
CREATE TRIGGER `site_staff_counts_update_old` AFTER UPDATE OF site, deactivated_at ON `users`
WHEN old.deactivated_at IS NULL AND old.site IS NOT NULL AND trim(old.site) <> ''
BEGIN
	UPDATE site_staff_counts SET n = n - 1 WHERE site = old.site;
	DELETE FROM site_staff_counts WHERE site = old.site AND n <= 0;
END;
--> statement-breakpoint
CREATE TRIGGER `site_staff_counts_update_new` AFTER UPDATE OF site, deactivated_at ON `users`
WHEN new.deactivated_at IS NULL AND new.site IS NOT NULL AND trim(new.site) <> ''
BEGIN
	INSERT INTO site_staff_counts (site, n) VALUES (new.site, 1) ON CONFLICT (site) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
INSERT INTO site_staff_counts (site, n)
SELECT site, count(*) FROM users WHERE deactivated_at IS NULL AND site IS NOT NULL AND trim(site) <> '' GROUP BY site;
