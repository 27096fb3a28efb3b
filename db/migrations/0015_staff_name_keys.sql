CREATE TABLE `staff_name_keys` (
	`key` text NOT NULL,
	`name` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`key`, `name`, `user_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- The staff picker's search keys (db/queries/staff.ts searchStaff): for every word of lower(name) (words split on
-- single spaces, empty words ignored), its first 2 and its first 3 characters, so a search reads only the people
-- sharing its key. lower() folds ASCII letters only, as the search does. SQLite has no WITH in a trigger, so a name is
-- split into words as a JSON array: json_quote() escapes quotes, backslashes and control characters but never a
-- space, so replacing each space with "," splits the words and leaves valid JSON (tests/staff-search.test.ts tries
-- hostile names). A 1- or 2-character word gives the same key twice, and a person with two words under one key gives
-- the same row twice: INSERT OR IGNORE keeps one. Leavers keep their keys (the search leaves them out), so
-- deactivation needs no trigger; deleting a person deletes their keys through the foreign key's ON DELETE CASCADE
-- (the app's connections set foreign_keys = ON).
CREATE TRIGGER `staff_name_keys_insert` AFTER INSERT ON `users`
WHEN new.name IS NOT NULL
BEGIN
	INSERT OR IGNORE INTO staff_name_keys (key, name, user_id)
	SELECT substr(word.value, 1, len.n), new.name, new.id
	FROM json_each('[' || replace(json_quote(lower(new.name)), ' ', '","') || ']') AS word, (SELECT 2 AS n UNION ALL SELECT 3) AS len
	WHERE word.value <> '';
END;
--> statement-breakpoint
-- A sign-in rewrites the name unchanged: only a changed name moves the keys. The old keys are found by the primary
-- key, from the old name split the same way.
CREATE TRIGGER `staff_name_keys_update` AFTER UPDATE OF name ON `users`
WHEN old.name IS NOT new.name
BEGIN
	DELETE FROM staff_name_keys
	WHERE name = old.name AND user_id = old.id AND key IN (
		SELECT substr(word.value, 1, len.n)
		FROM json_each('[' || replace(json_quote(lower(old.name)), ' ', '","') || ']') AS word, (SELECT 2 AS n UNION ALL SELECT 3) AS len
		WHERE old.name IS NOT NULL AND word.value <> ''
	);
	INSERT OR IGNORE INTO staff_name_keys (key, name, user_id)
	SELECT substr(word.value, 1, len.n), new.name, new.id
	FROM json_each('[' || replace(json_quote(lower(new.name)), ' ', '","') || ']') AS word, (SELECT 2 AS n UNION ALL SELECT 3) AS len
	WHERE new.name IS NOT NULL AND word.value <> '';
END;
--> statement-breakpoint
INSERT OR IGNORE INTO staff_name_keys (key, name, user_id)
SELECT substr(word.value, 1, len.n), users.name, users.id
FROM users, json_each('[' || replace(json_quote(lower(users.name)), ' ', '","') || ']') AS word, (SELECT 2 AS n UNION ALL SELECT 3) AS len
WHERE users.name IS NOT NULL AND word.value <> '';
