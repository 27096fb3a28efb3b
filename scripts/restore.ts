import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";

import { MIGRATIONS_FOLDER } from "@/db/migrate";
import { databasePath } from "@/lib/env";

// npm run restore -- <backup file> [--force] — puts a backup in place of the database at DATABASE_PATH.
//
// 1. The backup is checked before anything is touched: SQLite's integrity check, the foreign key check, and that it
//    is a Confide database at a migration this version of Confide knows.
// 2. An existing database is never replaced without --force (it holds everything written since the backup), and not
//    even with --force while another program has it open: a running server would carry on writing to the old file.
// 3. The backup is copied to a file beside the database, synced, and renamed over it in one step, so the database is
//    always either the old one or the whole backup, never half of one. The old database's write-ahead log and
//    shared-memory files go first: left there, SQLite would apply the old log's pages to the restored file.

class RestoreError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const USAGE = "Usage: npm run restore -- <backup file> [--force]";
const REQUIRED_TABLES = ["__drizzle_migrations", "users", "support_requests", "request_messages", "audit_events"];

type Journal = { entries: { idx: number; when: number; tag: string }[] };
type Checked = { migration: string; applied: number; expected: number; tables: number; rows: number };

function sqliteReason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The backup's checks, on the file itself, opened read-only. Throws RestoreError with the reason it is refused. */
function checkBackup(source: string): Checked {
  let backup: Database.Database;
  try {
    backup = new Database(source, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new RestoreError(`${source} cannot be opened as a SQLite database (${sqliteReason(error)}).`);
  }
  try {
    let integrity: string[];
    try {
      integrity = (backup.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (error) {
      throw new RestoreError(`${source} is damaged or is not a SQLite database (${sqliteReason(error)}).`);
    }
    if (integrity.join() !== "ok") {
      throw new RestoreError(`${source} is damaged: the integrity check found ${integrity.length} ${integrity.length === 1 ? "problem" : "problems"}, first: ${integrity[0]}.`);
    }

    const tables = (backup.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all() as { name: string }[]).map((t) => t.name);
    const missing = REQUIRED_TABLES.filter((t) => !tables.includes(t));
    if (missing.length > 0) throw new RestoreError(`${source} is not a Confide database (no ${missing.join(", ")} table).`);

    const broken = backup.pragma("foreign_key_check") as { table: string; parent: string }[];
    if (broken.length > 0) {
      const pairs = [...new Set(broken.map((b) => `${b.table} → ${b.parent}`))].join(", ");
      throw new RestoreError(`${source} has ${broken.length} broken foreign ${broken.length === 1 ? "reference" : "references"} (${pairs}).`);
    }

    const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as Journal;
    const known = new Map(journal.entries.map((e) => [e.when, e.tag]));
    const applied = (backup.prepare("SELECT created_at AS at FROM __drizzle_migrations ORDER BY created_at").all() as { at: number }[]).map((r) => Number(r.at));
    if (applied.length === 0) throw new RestoreError(`${source} is not a Confide database (no migrations applied).`);
    const unknown = applied.filter((at) => !known.has(at));
    if (unknown.length > 0) {
      throw new RestoreError(
        `${source} was made by a newer version of Confide: it has ${unknown.length} ${unknown.length === 1 ? "migration" : "migrations"} this version does not know. Restore it with the version that made it.`,
      );
    }
    let rows = 0;
    for (const table of tables) rows += (backup.prepare(`SELECT count(*) AS n FROM "${table.replace(/"/g, '""')}"`).get() as { n: number }).n;
    return { migration: known.get(applied.at(-1) ?? 0) ?? "", applied: applied.length, expected: journal.entries.length, tables: tables.length, rows };
  } finally {
    backup.close();
  }
}

/**
 * True when another connection has the database open. An open SQLite connection in WAL mode holds a shared lock on
 * the file, so an exclusive lock is refused while any other process (a running Confide) has it open.
 */
function inUse(target: string): boolean {
  let probe: Database.Database;
  try {
    probe = new Database(target, { fileMustExist: true });
  } catch {
    return false;
  }
  try {
    probe.pragma("busy_timeout = 0");
    probe.pragma("locking_mode = EXCLUSIVE");
    probe.exec("BEGIN EXCLUSIVE");
    probe.exec("COMMIT");
    return false;
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "";
    return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
  } finally {
    // As the only connection, closing folds the old write-ahead log into the old file and removes it.
    probe.close();
  }
}

/** Copies source to a new private file, synced to disk, and returns the SHA-256 of what was written. */
function copyPrivately(source: string, destination: string): string {
  const hash = createHash("sha256");
  const input = fs.openSync(source, "r");
  const output = fs.openSync(destination, "wx", 0o600);
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (;;) {
      const read = fs.readSync(input, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
      let written = 0;
      while (written < read) written += fs.writeSync(output, buffer, written, read - written);
    }
    fs.fsyncSync(output);
  } finally {
    fs.closeSync(input);
    fs.closeSync(output);
  }
  return hash.digest("hex");
}

const sha256Of = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

function main(): void {
  const args = process.argv.slice(2);
  const force = args.includes("--force");
  const files = args.filter((arg) => arg !== "--force");
  if (files.length !== 1 || files.some((arg) => arg.startsWith("-"))) throw new RestoreError(USAGE, 2);

  const source = path.resolve(files[0]!);
  const target = path.resolve(databasePath());
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new RestoreError(`There is no backup file at ${source}.`, 2);
  if (source === target) throw new RestoreError("The backup is the database itself: nothing to do.");
  if (fs.existsSync(`${source}-wal`) && fs.statSync(`${source}-wal`).size > 0) {
    throw new RestoreError(`${source} has a write-ahead log beside it, so it looks like a live database rather than a backup. Make a backup of it with npm run backup and restore that.`);
  }

  const checked = checkBackup(source);
  console.log(
    `Checked ${source}: integrity ok, no broken foreign keys, a Confide database at migration ${checked.applied} of ${checked.expected} (${checked.migration}); ${checked.tables} tables, ${checked.rows} rows.`,
  );

  const replacing = fs.existsSync(target);
  if (replacing && !force) {
    throw new RestoreError(
      `There is already a database at ${target}. Restoring would replace it, and lose everything written to it since the backup. ` +
        "If that is what you want: stop Confide, back the database up (npm run backup), then run npm run restore -- <backup file> --force.",
    );
  }
  if (replacing && inUse(target)) {
    throw new RestoreError(`${target} is open in another program (is Confide still running?). Stop it, then run the restore again.`);
  }

  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = path.join(dir, `.${path.basename(target)}.restore-${process.pid}`);
  try {
    const written = copyPrivately(source, temporary);
    if (written !== sha256Of(temporary)) throw new RestoreError("The copy does not match the backup (read back from disk).");
    const stale = [`${target}-wal`, `${target}-shm`, `${target}-journal`].filter((f) => fs.existsSync(f));
    for (const file of stale) fs.rmSync(file, { force: true });
    fs.renameSync(temporary, target);
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const removed = stale.length > 0 ? `; removed its stale ${stale.map((f) => path.basename(f)).join(", ")}` : "";
    console.log(`Restored ${target} from ${source}${replacing ? ` (replaced the existing database${removed})` : ""}.`);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  if (checked.applied < checked.expected) console.log("The backup is older than this version of Confide: run npm run db:migrate before starting it.");
  console.log("Start Confide with every CONFIDE_DATA_KEY version the backup's data was written under, or its encrypted content cannot be read.");
}

try {
  main();
} catch (error) {
  if (error instanceof RestoreError) {
    console.error(error.exitCode === 2 ? error.message : `Nothing was restored. ${error.message}`);
    process.exitCode = error.exitCode;
  } else {
    console.error(`Nothing was restored. ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
