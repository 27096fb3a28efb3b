import { db } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { seedDemo } from "@/db/seed";
import { databasePath } from "@/lib/env";

// Used by the demo and the tests: migrate, then seed the demo data if the database is empty.
runMigrations(db);
const { created } = seedDemo(db);
console.log(`${databasePath()}: migrated; ${created ? "demo data seeded" : "demo data already present"}.`);
