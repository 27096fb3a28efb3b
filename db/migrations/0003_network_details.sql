ALTER TABLE `network_memberships` ADD `request_note` text;--> statement-breakpoint
ALTER TABLE `network_memberships` ADD `decision_reason` text;--> statement-breakpoint
ALTER TABLE `networks` ADD `offers` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `networks` ADD `contact_mailbox` text;