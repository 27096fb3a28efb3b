import fs from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";

import { databasePath } from "@/lib/env";
import * as schema from "./schema";

// No "server-only" here: scripts (migrate, seed, grant, maintenance) import the client too.

// secure_delete overwrites freed pages, so erased request content does not linger in the file.
export const REQUIRED_PRAGMAS = {
  journal_mode: "wal",
  synchronous: 2, // FULL
  foreign_keys: 1,
  busy_timeout: 5000,
  secure_delete: 1,
} as const;

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function openDatabase(file: string): Db {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("secure_delete = ON");
  checkPragmas(sqlite);
  return drizzle(sqlite, { schema });
}

// Refuse to run with weaker settings than the design requires (e.g. a file system without WAL support).
export function checkPragmas(sqlite: Database.Database): void {
  for (const [name, expected] of Object.entries(REQUIRED_PRAGMAS)) {
    const actual = sqlite.pragma(name, { simple: true });
    if (actual !== expected) throw new Error(`SQLite pragma ${name} is ${String(actual)}, expected ${expected}`);
  }
}

// One connection per process; kept on globalThis so hot reload in development does not open more.
const globalForDb = globalThis as typeof globalThis & { confideDb?: Db };
export const db: Db = (globalForDb.confideDb ??= openDatabase(databasePath()));
