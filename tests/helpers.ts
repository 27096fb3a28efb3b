import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { Db } from "@/db/client";

// Shared by the unit and integration tests. Every test file runs in its own process (node --test), and
// db/client.ts opens its connection when first imported, at DATABASE_PATH, caching it on globalThis. So a test
// file must call freshDatabase() (or setTestEnv()) before it imports, dynamically, anything that reaches
// @/db/client or env(); otherwise the default .data/confide.db would be opened, which tests must never touch.

export const ROOT = path.resolve(import.meta.dirname, "..");

const tempDirs: string[] = [];
let cleanupRegistered = false;

// A throwaway directory under the system temp folder, removed when the test process exits.
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "confide-"));
  tempDirs.push(dir);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.once("exit", () => {
      for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

export const TEST_APP_URL = "http://localhost:3100";

// A complete, valid test configuration for a database file.
export function testEnv(databasePath: string): Record<string, string> {
  return {
    DATABASE_PATH: databasePath,
    AUTH_SECRET: randomBytes(32).toString("hex"),
    AUTH_OIDC_ISSUER: "http://localhost:3101",
    AUTH_OIDC_ID: "confide-test",
    AUTH_OIDC_SECRET: "confide-test-secret",
    CONFIDE_DATA_KEY: `1:${randomBytes(32).toString("base64")}`,
    CONFIDE_ENV: "test",
    APP_URL: TEST_APP_URL,
  };
}

// Puts a valid test configuration with a database file of its own into process.env. Returns that file's path.
export function setTestEnv(): string {
  const file = path.join(tempDir(), "confide.db");
  Object.assign(process.env, testEnv(file));
  return file;
}

let fresh: Promise<{ db: Db; file: string }> | undefined;

// The process-wide database (the one @/db/client exports and the data access layer uses), on a new temp file,
// migrated. One per process: later calls return the same database.
export function freshDatabase(): Promise<{ db: Db; file: string }> {
  fresh ??= (async () => {
    if ((globalThis as { confideDb?: unknown }).confideDb) {
      throw new Error("@/db/client was imported before freshDatabase(): it may have opened the default database");
    }
    const file = setTestEnv();
    const { db } = await import("@/db/client");
    const { runMigrations } = await import("@/db/migrate");
    // Belt and braces: never run a test against any file but our own.
    if (path.resolve(db.$client.name) !== path.resolve(file)) {
      throw new Error(`test database is ${db.$client.name}, expected ${file}`);
    }
    runMigrations(db);
    return { db, file };
  })();
  return fresh;
}

// Another database on its own temp file, with the same pragmas, migrated unless asked not to. For tests that
// need a second, independent database (tampering, empty schema) next to the process-wide one.
export async function extraDatabase(options: { migrate?: boolean } = {}): Promise<{ db: Db; file: string }> {
  await freshDatabase();
  const { openDatabase } = await import("@/db/client");
  const { runMigrations } = await import("@/db/migrate");
  const file = path.join(tempDir(), "extra.db");
  const db = openDatabase(file);
  if (options.migrate ?? true) runMigrations(db);
  return { db, file };
}
