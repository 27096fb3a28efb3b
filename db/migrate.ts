import fs from "node:fs";
import path from "node:path";

import { migrate } from "drizzle-orm/better-sqlite3/migrator";

import type { Db } from "./client";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

export function runMigrations(db: Db): void {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

type Journal = { entries: { idx: number; when: number; tag: string }[] };

// Migrations are current when the newest migration in the journal has been applied.
export function migrationsCurrent(db: Db): { current: boolean; applied: number; expected: number } {
  const journal = JSON.parse(
    fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
  ) as Journal;
  const expected = journal.entries.length;
  const newest = journal.entries.at(-1)?.when ?? 0;
  const exists = db.$client
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!exists) return { current: expected === 0, applied: 0, expected };
  const row = db.$client
    .prepare("SELECT count(*) AS applied, max(created_at) AS newest FROM __drizzle_migrations")
    .get() as { applied: number; newest: number | null };
  return { current: (row.newest ?? 0) >= newest, applied: row.applied, expected };
}
