-- Aggregates kept current on write (tables in 0008). Triggers, not application code, keep them, so every write
-- path (joining, leaving, decisions, departures, erasure, cascades from deleting a network or a person, maintenance,
-- scripts) stays correct without knowing about them. (INSERT OR REPLACE would delete rows without firing the delete
-- triggers, as recursive_triggers is off; nothing writes these tables that way.)

-- ---------------------------------------------------------------------------------------------------------------
-- Network member counts: memberships of live accounts only (a leaver is not counted anywhere), by network, status
-- and visibility. Rows whose count reaches 0 are deleted, so a deleted network's rows go with its memberships.
-- ---------------------------------------------------------------------------------------------------------------

CREATE TRIGGER `network_member_counts_insert` AFTER INSERT ON `network_memberships`
BEGIN
  INSERT INTO network_member_counts (network_id, status, visibility, n)
    SELECT new.network_id, new.status, new.visibility, 1 FROM users WHERE users.id = new.user_id AND users.deactivated_at IS NULL
    ON CONFLICT (network_id, status, visibility) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `network_member_counts_delete` AFTER DELETE ON `network_memberships`
BEGIN
  UPDATE network_member_counts SET n = n - 1
    WHERE network_id = old.network_id AND status = old.status AND visibility = old.visibility
      AND EXISTS (SELECT 1 FROM users WHERE users.id = old.user_id AND users.deactivated_at IS NULL);
  DELETE FROM network_member_counts
    WHERE network_id = old.network_id AND status = old.status AND visibility = old.visibility AND n = 0;
END;
--> statement-breakpoint
-- The new state is added before the old one is taken away, so an unchanged key never passes through 0.
CREATE TRIGGER `network_member_counts_update` AFTER UPDATE OF network_id, user_id, status, visibility ON `network_memberships`
WHEN old.network_id IS NOT new.network_id OR old.user_id IS NOT new.user_id OR old.status IS NOT new.status
  OR old.visibility IS NOT new.visibility
BEGIN
  INSERT INTO network_member_counts (network_id, status, visibility, n)
    SELECT new.network_id, new.status, new.visibility, 1 FROM users WHERE users.id = new.user_id AND users.deactivated_at IS NULL
    ON CONFLICT (network_id, status, visibility) DO UPDATE SET n = n + excluded.n;
  UPDATE network_member_counts SET n = n - 1
    WHERE network_id = old.network_id AND status = old.status AND visibility = old.visibility
      AND EXISTS (SELECT 1 FROM users WHERE users.id = old.user_id AND users.deactivated_at IS NULL);
  DELETE FROM network_member_counts
    WHERE network_id = old.network_id AND status = old.status AND visibility = old.visibility AND n = 0;
END;
--> statement-breakpoint
-- Deactivating an account (a leaver) takes its memberships out of every count; reinstating it puts them back.
CREATE TRIGGER `network_member_counts_user_liveness` AFTER UPDATE OF deactivated_at ON `users`
WHEN (old.deactivated_at IS NULL) <> (new.deactivated_at IS NULL)
BEGIN
  INSERT INTO network_member_counts (network_id, status, visibility, n)
    SELECT network_id, status, visibility, CASE WHEN new.deactivated_at IS NULL THEN count(*) ELSE -count(*) END
    FROM network_memberships WHERE user_id = new.id GROUP BY network_id, status, visibility
    ON CONFLICT (network_id, status, visibility) DO UPDATE SET n = n + excluded.n;
  DELETE FROM network_member_counts
    WHERE n = 0 AND network_id IN (SELECT network_id FROM network_memberships WHERE user_id = new.id);
END;
--> statement-breakpoint
-- A deleted person's memberships are deleted here, while the person still exists, rather than by the foreign key's
-- cascade, which runs after the row is gone, when the delete trigger above could no longer tell whether they counted.
CREATE TRIGGER `network_member_counts_user_delete` BEFORE DELETE ON `users`
BEGIN
  DELETE FROM network_memberships WHERE user_id = old.id;
END;
--> statement-breakpoint
INSERT INTO network_member_counts (network_id, status, visibility, n)
  SELECT m.network_id, m.status, m.visibility, count(*)
  FROM network_memberships m INNER JOIN users u ON u.id = m.user_id
  WHERE u.deactivated_at IS NULL
  GROUP BY m.network_id, m.status, m.visibility;
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------------------------------
-- Request roll-ups for the reports. What a request contributes is defined once, by these views; the triggers, the
-- backfill below and the tests read them.
--
-- month_start, day_start: the request's periods, in milliseconds. A month period is a UTC month less its last hour,
-- or that last hour; a day period is a UTC day less its last hour, or that last hour. London's midnights fall at
-- 00:00 UTC (GMT) or 23:00 UTC (BST), so every London day and month is a union of whole periods, without any time
-- zone rules in SQL.
-- ---------------------------------------------------------------------------------------------------------------

-- acknowledge_bucket, close_bucket: the lower bound, in whole minutes, of the duration's histogram bucket (see
-- request_duration_rollup in db/schema.ts; db/queries/reports.ts knows the same widths): 5 minutes wide below 100
-- minutes, then 20, 200, 2,000... minutes wide a decade at a time. A negative duration counts as 0.
CREATE VIEW `request_facts` AS
SELECT id, supporter_id, status, created_at, month_start, day_start, category, outcome, site, acknowledge_ms, close_ms,
  CASE
    WHEN acknowledge_m < 100 THEN acknowledge_m / 5 * 5
    WHEN acknowledge_m < 1000 THEN acknowledge_m / 20 * 20
    WHEN acknowledge_m < 10000 THEN acknowledge_m / 200 * 200
    WHEN acknowledge_m < 100000 THEN acknowledge_m / 2000 * 2000
    WHEN acknowledge_m < 1000000 THEN acknowledge_m / 20000 * 20000
    ELSE acknowledge_m / 200000 * 200000
  END AS acknowledge_bucket,
  CASE
    WHEN close_m < 100 THEN close_m / 5 * 5
    WHEN close_m < 1000 THEN close_m / 20 * 20
    WHEN close_m < 10000 THEN close_m / 200 * 200
    WHEN close_m < 100000 THEN close_m / 2000 * 2000
    WHEN close_m < 1000000 THEN close_m / 20000 * 20000
    ELSE close_m / 200000 * 200000
  END AS close_bucket
FROM (
  SELECT f.*, CAST(max(f.acknowledge_ms, 0) / 60000 AS INTEGER) AS acknowledge_m, CAST(max(f.close_ms, 0) / 60000 AS INTEGER) AS close_m
  FROM (
    SELECT
      r.id AS id,
      r.supporter_id AS supporter_id,
      r.status AS status,
      r.created_at AS created_at,
      CASE
        WHEN r.created_at >= (strftime('%s', r.created_at / 1000, 'unixepoch', 'start of month', '+1 month') - 3600) * 1000
          THEN (strftime('%s', r.created_at / 1000, 'unixepoch', 'start of month', '+1 month') - 3600) * 1000
        ELSE strftime('%s', r.created_at / 1000, 'unixepoch', 'start of month') * 1000
      END AS month_start,
      CASE
        WHEN r.created_at >= CAST(r.created_at AS INTEGER) / 86400000 * 86400000 + 82800000
          THEN CAST(r.created_at AS INTEGER) / 86400000 * 86400000 + 82800000
        ELSE CAST(r.created_at AS INTEGER) / 86400000 * 86400000
      END AS day_start,
      r.category AS category,
      CASE WHEN r.status = 'closed' THEN 'closed:' || coalesce(r.outcome, '') ELSE r.status END AS outcome,
      s.site AS site,
      CASE WHEN r.acknowledged_at IS NOT NULL THEN r.acknowledged_at - r.created_at END AS acknowledge_ms,
      CASE WHEN r.status = 'closed' AND r.ended_at IS NOT NULL THEN r.ended_at - r.created_at END AS close_ms
    FROM support_requests r INNER JOIN supporters s ON s.id = r.supporter_id
  ) f
);
--> statement-breakpoint
-- One row per request, grain and dimension (request_rollup's key).
CREATE VIEW `request_rollup_source` AS
WITH grains(grain) AS (VALUES ('month'), ('day'))
SELECT f.id AS id, g.grain AS grain, CASE g.grain WHEN 'month' THEN f.month_start ELSE f.day_start END AS period_start,
  d.dimension AS dimension,
  CASE d.dimension WHEN 'category' THEN f.category WHEN 'outcome' THEN f.outcome ELSE f.site END AS value
FROM request_facts f, grains g, (SELECT 'category' AS dimension UNION ALL SELECT 'outcome' UNION ALL SELECT 'site') d;
--> statement-breakpoint
-- One row per request, grain and duration it has (request_duration_rollup's key).
CREATE VIEW `request_duration_source` AS
WITH grains(grain) AS (VALUES ('month'), ('day'))
SELECT f.id AS id, g.grain AS grain, CASE g.grain WHEN 'month' THEN f.month_start ELSE f.day_start END AS period_start,
  m.measure AS measure,
  CASE m.measure WHEN 'acknowledge' THEN f.acknowledge_bucket ELSE f.close_bucket END AS bucket
FROM request_facts f, grains g, (SELECT 'acknowledge' AS measure UNION ALL SELECT 'close') m
WHERE (m.measure = 'acknowledge' AND f.acknowledge_bucket IS NOT NULL) OR (m.measure = 'close' AND f.close_bucket IS NOT NULL);
--> statement-breakpoint
CREATE TRIGGER `request_rollup_insert` AFTER INSERT ON `support_requests`
BEGIN
  INSERT INTO request_rollup (dimension, grain, period_start, value, n)
    SELECT dimension, grain, period_start, value, 1 FROM request_rollup_source WHERE id = new.id
    ON CONFLICT (dimension, grain, period_start, value) DO UPDATE SET n = n + 1;
  INSERT INTO request_duration_rollup (measure, grain, period_start, bucket, n)
    SELECT measure, grain, period_start, bucket, 1 FROM request_duration_source WHERE id = new.id
    ON CONFLICT (measure, grain, period_start, bucket) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
-- BEFORE, so that the views still show the row as it was.
CREATE TRIGGER `request_rollup_delete` BEFORE DELETE ON `support_requests`
BEGIN
  UPDATE request_rollup SET n = n - 1
    WHERE (dimension, grain, period_start, value) IN (SELECT dimension, grain, period_start, value FROM request_rollup_source WHERE id = old.id);
  DELETE FROM request_rollup
    WHERE n = 0 AND (dimension, grain, period_start, value) IN (SELECT dimension, grain, period_start, value FROM request_rollup_source WHERE id = old.id);
  UPDATE request_duration_rollup SET n = n - 1
    WHERE (measure, grain, period_start, bucket) IN (SELECT measure, grain, period_start, bucket FROM request_duration_source WHERE id = old.id);
  DELETE FROM request_duration_rollup
    WHERE n = 0 AND (measure, grain, period_start, bucket) IN (SELECT measure, grain, period_start, bucket FROM request_duration_source WHERE id = old.id);
END;
--> statement-breakpoint
-- An update takes the row's old contribution away before it is written (rows reaching 0 are deleted, as above) and
-- adds the new one after.
CREATE TRIGGER `request_rollup_update_before` BEFORE UPDATE OF created_at, status, category, outcome, supporter_id, acknowledged_at, ended_at ON `support_requests`
BEGIN
  UPDATE request_rollup SET n = n - 1
    WHERE (dimension, grain, period_start, value) IN (SELECT dimension, grain, period_start, value FROM request_rollup_source WHERE id = old.id);
  DELETE FROM request_rollup
    WHERE n = 0 AND (dimension, grain, period_start, value) IN (SELECT dimension, grain, period_start, value FROM request_rollup_source WHERE id = old.id);
  UPDATE request_duration_rollup SET n = n - 1
    WHERE (measure, grain, period_start, bucket) IN (SELECT measure, grain, period_start, bucket FROM request_duration_source WHERE id = old.id);
  DELETE FROM request_duration_rollup
    WHERE n = 0 AND (measure, grain, period_start, bucket) IN (SELECT measure, grain, period_start, bucket FROM request_duration_source WHERE id = old.id);
END;
--> statement-breakpoint
CREATE TRIGGER `request_rollup_update_after` AFTER UPDATE OF created_at, status, category, outcome, supporter_id, acknowledged_at, ended_at ON `support_requests`
BEGIN
  INSERT INTO request_rollup (dimension, grain, period_start, value, n)
    SELECT dimension, grain, period_start, value, 1 FROM request_rollup_source WHERE id = new.id
    ON CONFLICT (dimension, grain, period_start, value) DO UPDATE SET n = n + 1;
  INSERT INTO request_duration_rollup (measure, grain, period_start, bucket, n)
    SELECT measure, grain, period_start, bucket, 1 FROM request_duration_source WHERE id = new.id
    ON CONFLICT (measure, grain, period_start, bucket) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
-- Requests are reported under their supporter's current site: moving a supporter moves their requests.
CREATE TRIGGER `request_rollup_supporter_site` AFTER UPDATE OF site ON `supporters`
WHEN old.site IS NOT new.site
BEGIN
  INSERT INTO request_rollup (dimension, grain, period_start, value, n)
    SELECT 'site', s.grain, s.period_start, new.site, count(*)
    FROM request_rollup_source s INNER JOIN support_requests r ON r.id = s.id
    WHERE r.supporter_id = new.id AND s.dimension = 'site' GROUP BY s.grain, s.period_start
    ON CONFLICT (dimension, grain, period_start, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO request_rollup (dimension, grain, period_start, value, n)
    SELECT 'site', s.grain, s.period_start, old.site, -count(*)
    FROM request_rollup_source s INNER JOIN support_requests r ON r.id = s.id
    WHERE r.supporter_id = new.id AND s.dimension = 'site' GROUP BY s.grain, s.period_start
    ON CONFLICT (dimension, grain, period_start, value) DO UPDATE SET n = n + excluded.n;
  DELETE FROM request_rollup WHERE dimension = 'site' AND value = old.site AND n = 0;
END;
--> statement-breakpoint
INSERT INTO request_rollup (dimension, grain, period_start, value, n)
  SELECT dimension, grain, period_start, value, count(*) FROM request_rollup_source GROUP BY dimension, grain, period_start, value;
--> statement-breakpoint
INSERT INTO request_duration_rollup (measure, grain, period_start, bucket, n)
  SELECT measure, grain, period_start, bucket, count(*) FROM request_duration_source GROUP BY measure, grain, period_start, bucket;
