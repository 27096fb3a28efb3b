ALTER TABLE `network_memberships` ADD `sort_name` text;--> statement-breakpoint
-- network_memberships.sort_name is a copy of the member's users.name, so that the coordinator console's list by
-- name can walk an index; these triggers keep it current whatever writes a membership or renames a person.
UPDATE `network_memberships` SET `sort_name` = (SELECT `name` FROM `users` WHERE `users`.`id` = `network_memberships`.`user_id`);--> statement-breakpoint
CREATE INDEX `network_memberships_network_status_name_idx` ON `network_memberships` (`network_id`,`status`,"sort_name" collate nocase,`id`);--> statement-breakpoint
CREATE INDEX `network_memberships_network_status_requested_idx` ON `network_memberships` (`network_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE TRIGGER `network_memberships_sort_name_insert` AFTER INSERT ON `network_memberships`
BEGIN
	UPDATE network_memberships SET sort_name = (SELECT name FROM users WHERE id = new.user_id) WHERE id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `network_memberships_sort_name_user` AFTER UPDATE OF user_id ON `network_memberships`
BEGIN
	UPDATE network_memberships SET sort_name = (SELECT name FROM users WHERE id = new.user_id) WHERE id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `network_memberships_sort_name_rename` AFTER UPDATE OF name ON `users`
WHEN old.name IS NOT new.name
BEGIN
	UPDATE network_memberships SET sort_name = new.name WHERE user_id = new.id;
END;
