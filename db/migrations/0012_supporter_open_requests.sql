ALTER TABLE `supporters` ADD `open_requests` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- supporters.open_requests counts the supporter's requests whose status is open (db/queries/supporter-rules.ts
-- OPEN_REQUEST_STATUSES: new, acknowledged, in_progress, handover_pending). Every write to support_requests keeps it
-- current in the same transaction, so a capacity check reads one column instead of counting requests.
UPDATE `supporters` SET `open_requests` = (SELECT count(*) FROM `support_requests` r WHERE r.supporter_id = `supporters`.`id`
	AND r.status IN ('new', 'acknowledged', 'in_progress', 'handover_pending'));--> statement-breakpoint
CREATE TRIGGER `supporters_open_requests_insert` AFTER INSERT ON `support_requests`
WHEN new.status IN ('new', 'acknowledged', 'in_progress', 'handover_pending')
BEGIN
	UPDATE supporters SET open_requests = open_requests + 1 WHERE id = new.supporter_id;
END;
--> statement-breakpoint
CREATE TRIGGER `supporters_open_requests_delete` AFTER DELETE ON `support_requests`
WHEN old.status IN ('new', 'acknowledged', 'in_progress', 'handover_pending')
BEGIN
	UPDATE supporters SET open_requests = open_requests - 1 WHERE id = old.supporter_id;
END;
--> statement-breakpoint
CREATE TRIGGER `supporters_open_requests_update_old` AFTER UPDATE OF status, supporter_id ON `support_requests`
WHEN old.status IN ('new', 'acknowledged', 'in_progress', 'handover_pending')
BEGIN
	UPDATE supporters SET open_requests = open_requests - 1 WHERE id = old.supporter_id;
END;
--> statement-breakpoint
CREATE TRIGGER `supporters_open_requests_update_new` AFTER UPDATE OF status, supporter_id ON `support_requests`
WHEN new.status IN ('new', 'acknowledged', 'in_progress', 'handover_pending')
BEGIN
	UPDATE supporters SET open_requests = open_requests + 1 WHERE id = new.supporter_id;
END;
