import fs from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";

import { databasePath } from "@/lib/env";

// npm run backup [-- <file>] — an online backup with SQLite's backup API, safe while the app is serving.
//
// The pages are copied in one step of the backup API: a step reads under one read transaction, so the copy is the
// database as of one moment (every write committed before it, none half-way), and in WAL mode the app's writers
// carry on meanwhile. Copied in many small steps instead, any write by the app between two steps would restart the
// copy from the beginning, and a busy server could keep it from ever finishing.
//
// The copy is written to a hidden file beside the target, made 0600 before any data goes in, checked, synced and
// only then renamed to its name: a backup file that exists is always complete. Backups hold confidential data:
// keep them encrypted and access-controlled (README, "Backup, restore and key rotation").

class BackupError extends Error {}

const ALL_REMAINING_PAGES = 0x7fffffff;

function reason(error: unknown): string {
  if (error instanceof Error && "code" in error && typeof error.code === "string") {
    const known: Record<string, string> = {
      EACCES: "permission denied",
      EPERM: "permission denied",
      EROFS: "the file system is read-only",
      ENOSPC: "the disk is full",
      ENOTDIR: "part of the path is a file, not a folder",
      ENOENT: "the folder does not exist",
      SQLITE_FULL: "the disk is full",
      SQLITE_CANTOPEN: "the file cannot be opened",
    };
    return known[error.code] ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, "r+");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length > 1 || args.some((arg) => arg.startsWith("-"))) {
    console.error("Usage: npm run backup [-- <file>]");
    process.exitCode = 2;
    return;
  }
  const source = path.resolve(databasePath());
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source} (DATABASE_PATH).`);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const target = path.resolve(args[0] ?? path.join(path.dirname(source), "backups", `confide-${stamp}.db`));
  if (target === source) throw new BackupError("The backup cannot be the database itself: give another file name.");
  if (fs.existsSync(target)) throw new BackupError(`${target} already exists: give a new file name.`);

  const dir = path.dirname(target);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new BackupError(`Cannot create the folder ${dir}: ${reason(error)}.`);
  }
  const partial = path.join(dir, `.${path.basename(target)}.partial-${process.pid}`);
  try {
    // Created empty and private first, so that no one else can read the copy while it is being written.
    fs.closeSync(fs.openSync(partial, "wx", 0o600));
  } catch (error) {
    throw new BackupError(`Cannot write to ${dir}: ${reason(error)}.`);
  }

  try {
    const live = new Database(source, { fileMustExist: true });
    try {
      live.pragma("busy_timeout = 5000");
      await live.backup(partial, { progress: () => ALL_REMAINING_PAGES });
    } finally {
      live.close();
    }
    const copy = new Database(partial, { fileMustExist: true });
    let bytes: number;
    try {
      // One self-contained file: no write-ahead log beside it to lose when it is copied or archived.
      copy.pragma("journal_mode = DELETE");
      const check = copy.pragma("integrity_check", { simple: true });
      if (check !== "ok") throw new BackupError(`The copy failed its integrity check (${String(check)}).`);
      bytes = Number(copy.pragma("page_count", { simple: true })) * Number(copy.pragma("page_size", { simple: true }));
    } finally {
      copy.close();
    }
    fsyncFile(partial);
    if (fs.existsSync(target)) throw new BackupError(`${target} appeared while the backup ran: give a new file name.`);
    fs.renameSync(partial, target);
    fsyncDirectory(dir);
    console.log(`Backed up ${source} to ${target} (${(bytes / 1_048_576).toFixed(1)} MB; integrity check ok).`);
    console.log("It holds confidential data: keep it encrypted and where only the people who run Confide can read it.");
  } catch (error) {
    fs.rmSync(partial, { force: true });
    fs.rmSync(`${partial}-journal`, { force: true });
    throw error instanceof BackupError ? error : new BackupError(`Cannot write ${target}: ${reason(error)}.`);
  }
}

main().catch((error: unknown) => {
  console.error(`Backup failed. ${error instanceof Error ? error.message : String(error)} No backup was made.`);
  process.exitCode = 1;
});
