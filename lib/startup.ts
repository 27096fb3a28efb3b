import { db } from "@/db/client";
import { migrationsCurrent } from "@/db/migrate";
import { ConfigError, env } from "@/lib/env";
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
