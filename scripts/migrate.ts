import { db } from "@/db/client";
import { migrationsCurrent, runMigrations } from "@/db/migrate";
import { databasePath } from "@/lib/env";

// npm run db:migrate — applies pending migrations to DATABASE_PATH (default .data/confide.db).
runMigrations(db);
const { applied, expected } = migrationsCurrent(db);
console.log(`Database ${databasePath()} is current (${applied} of ${expected} migrations applied).`);
