import { spawnSync } from "node:child_process";
import path from "node:path";

import { appProcessEnv, expect } from "./fixtures";
import { withDb } from "./helpers";

// For e2e/request-retention.spec.ts: closing a request through the real data access layer in a child process
// (e2e/retention-close-request.ts; the app has no route for it and gets none), moving a request back in time, and
// running `npm run maintenance` against the run's database with the app's own configuration.

const ROOT = path.resolve(__dirname, "..");

function appEnv(): NodeJS.ProcessEnv {
  const env = appProcessEnv();
  // The default retention period (90 days) is what the journey relies on.
  delete env.RETENTION_DAYS;
  return env;
}

function runScript(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", ...args], {
    cwd: ROOT,
    env: appEnv(),
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The assigned supporter acknowledges (if new) and closes the request with an outcome, through the real DAL. */
export function closeAsSupporter(id: string, supporter: string, outcome: string): void {
  const result = runScript(["e2e/retention-close-request.ts", JSON.stringify({ id, supporter, outcome })]);
  expect(result.status, `retention-close-request.ts failed: ${result.stderr}`).toBe(0);
}

/** `npm run maintenance` (scripts/maintenance.ts) on the run's database, as cron would run it. */
export const runMaintenance = () => runScript(["scripts/maintenance.ts"]);

/**
 * The controllable clock of the end-to-end tests: the app and maintenance read the real time, so instead of moving
 * the clock forward the request is moved back — every timestamp of the row, its status history and its messages —
 * as if it had all happened `ms` earlier.
 */
export function moveRequestIntoPast(id: string, ms: number): void {
  withDb((db) =>
    db.transaction(() => {
      db.prepare(
        `UPDATE support_requests SET
           created_at = created_at - @ms, limits_acknowledged_at = limits_acknowledged_at - @ms,
           acknowledge_by = acknowledge_by - @ms, acknowledged_at = acknowledged_at - @ms, ended_at = ended_at - @ms,
           reminder_sent_at = reminder_sent_at - @ms, escalated_at = escalated_at - @ms, updated_at = updated_at - @ms
         WHERE id = @id`,
      ).run({ id, ms });
      db.prepare("UPDATE request_status_events SET created_at = created_at - @ms WHERE request_id = @id").run({ id, ms });
      db.prepare("UPDATE request_messages SET created_at = created_at - @ms WHERE request_id = @id").run({ id, ms });
    })(),
  );
}
