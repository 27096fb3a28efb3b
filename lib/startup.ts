import { eq } from "drizzle-orm";

import { db } from "@/db/client";
import { migrationsCurrent } from "@/db/migrate";
import { staffImports } from "@/db/schema";
import { appendAudit } from "@/lib/audit";
import { clock } from "@/lib/clock";
import { ConfigError, env } from "@/lib/env";
import { serviceUnavailableFrom } from "@/lib/errors";
import { logEvent } from "@/lib/log";

export function startupCheck(): void {
  try {
    const cfg = env(); // validates every setting, and refuses the dev IdP in production
    const migrations = migrationsCurrent(db); // opening the database checked the pragmas
    if (!migrations.current) {
      throw new ConfigError(
        `Confide cannot start: the database is behind (${migrations.applied} of ${migrations.expected} migrations). Run npm run db:migrate.`,
      );
    }
    logEvent("info", "startup.ok", { environment: cfg.CONFIDE_ENV });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

export const INTERRUPTED_IMPORT_MESSAGE =
  "Confide restarted before this import finished. The rows before that point were saved. Import the same file again to finish: rows already saved will not change.";

// A staff import applies its rows after the upload's response (db/queries/staff-import.ts), in the server process.
// If that process stopped part-way, the import would say "in progress" for ever. Only the web server calls this, as
// it starts, since only the web server runs imports (maintenance must not: an import may be running while it does).
export function stopInterruptedImports(): void {
  try {
    markInterruptedImports();
  } catch (error) {
    // A database that refuses writes (read-only, full) must not stop Confide starting: people can still read, and
    // every save tells them plainly that nothing was saved (lib/errors ServiceUnavailableError).
    const refusal = serviceUnavailableFrom(error);
    if (!refusal) throw error;
    logEvent("error", "startup.database_refuses_writes", { code: refusal.code });
  }
}

function markInterruptedImports(): void {
  db.transaction(
    (tx) => {
      const stopped = tx
        .update(staffImports)
        .set({ status: "failed", error: INTERRUPTED_IMPORT_MESSAGE, finishedAt: clock.now() })
        .where(eq(staffImports.status, "running"))
        .returning({ id: staffImports.id })
        .all();
      for (const { id } of stopped) {
        appendAudit(tx, { actorId: null, action: "staff.import_finished", objectType: "staff_import", objectId: id, outcome: "failure" });
      }
    },
    { behavior: "immediate" },
  );
}
