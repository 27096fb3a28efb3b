import fs from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";

import { databasePath } from "@/lib/env";
import { serviceUnavailableFrom } from "@/lib/errors";
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
  return explainRefusals(sqlite);
}

// When SQLite refuses a write (disk full, read-only file, the lock held past busy_timeout), the statement or the
// whole transaction has rolled back; the error becomes a ServiceUnavailableError, which every page and server action
// shows as "cannot save changes, nothing was saved" (app/error.tsx) instead of a bare failure. Both places are
// needed: transactions begin and commit through statements of the driver's own, and a few writes (rate limits,
// Auth.js sessions) are single statements outside a transaction.
function explainRefusals(sqlite: Database.Database): Db {
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => explainStatementRefusals(prepare(source))) as Database.Database["prepare"];
  const database = drizzle(sqlite, { schema });
  const transaction = database.transaction.bind(database);
  database.transaction = ((run, config) => orServiceUnavailable(() => transaction(run, config))) as Db["transaction"];
  return database;
}

function orServiceUnavailable<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw serviceUnavailableFrom(error) ?? error;
  }
}

function explainStatementRefusals(statement: Database.Statement): Database.Statement {
  for (const method of ["run", "get", "all", "iterate"] as const) {
    const original = statement[method].bind(statement) as (...params: unknown[]) => unknown;
    Object.assign(statement, { [method]: (...params: unknown[]) => orServiceUnavailable(() => original(...params)) });
  }
  return statement;
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
