CREATE TABLE `network_member_counts` (
	`network_id` text NOT NULL,
	`status` text NOT NULL,
	`visibility` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`network_id`, `status`, `visibility`)
);
--> statement-breakpoint
CREATE TABLE `request_duration_rollup` (
	`measure` text NOT NULL,
	`grain` text NOT NULL,
	`period_start` integer NOT NULL,
	`bucket` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`measure`, `grain`, `period_start`, `bucket`)
);
--> statement-breakpoint
CREATE INDEX `request_duration_rollup_covering_idx` ON `request_duration_rollup` (`measure`,`grain`,`period_start`,`bucket`,`n`);--> statement-breakpoint
CREATE TABLE `request_rollup` (
	`dimension` text NOT NULL,
	`grain` text NOT NULL,
	`period_start` integer NOT NULL,
	`value` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`dimension`, `grain`, `period_start`, `value`)
);
--> statement-breakpoint
CREATE INDEX `request_rollup_covering_idx` ON `request_rollup` (`dimension`,`grain`,`period_start`,`value`,`n`);--> statement-breakpoint
CREATE INDEX `support_requests_acknowledge_time_idx` ON `support_requests` (("acknowledged_at" - "created_at"),`created_at`) WHERE "support_requests"."acknowledged_at" is not null;--> statement-breakpoint
CREATE INDEX `support_requests_close_time_idx` ON `support_requests` (("ended_at" - "created_at"),`created_at`) WHERE "support_requests"."status" = 'closed' and "support_requests"."ended_at" is not null;