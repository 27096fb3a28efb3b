import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";

import Database from "better-sqlite3";

import type { Db } from "@/db/client";
import type { Ack } from "./support/backup-writer";
import { freshDatabase, ROOT, tempDir } from "./helpers";

// Issue 9, item 3: the backup and restore drill. Writer processes write confidential content through the real data
// access layer while the real `npm run backup` runs beside them; the real restore script (run exactly as its
// package.json line runs it) then puts that backup into a fresh directory, and the result is checked the way an
// operator's drill would: SQLite's own checks, every table's rows against the backup, every write acknowledged before
// the backup started, every encrypted value decrypted with the configured key. Then the refusals: a live database, a
// damaged backup, a bad backup target.

let db: Db;
let file: string;
let crypto: typeof import("@/lib/crypto");
let rotation: typeof import("@/db/queries/key-rotation");

const TSX = ["--conditions=react-server", "--import", "tsx"];

type Run = { code: number | null; stdout: string; stderr: string };

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const withDatabase = (databasePath: string): NodeJS.ProcessEnv => ({ ...process.env, DATABASE_PATH: databasePath });
const restore = (backup: string, target: string, ...flags: string[]) => run(process.execPath, ["--import", "tsx", "scripts/restore.ts", backup, ...flags], withDatabase(target));
const backup = (source: string, ...args: string[]) => run(process.execPath, [...TSX, "scripts/backup.ts", ...args], withDatabase(source));

// Plain messages only: an operator should never see a stack trace.
function assertPlainFailure(result: Run, message: RegExp): void {
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
}

/** Every table's row count and a hash of its rows (order-independent), read through SQLite. */
function digest(sqlite: Database.Database): Record<string, { rows: number; sha256: string }> {
  const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  return Object.fromEntries(
    tables.map((table) => {
      const rows = (sqlite.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).map((row) => JSON.stringify(row)).sort();
      return [table, { rows: rows.length, sha256: createHash("sha256").update(rows.join("\n")).digest("hex") }];
    }),
  );
}

function openReadOnly(databasePath: string): Database.Database {
  return new Database(databasePath, { readonly: true, fileMustExist: true });
}

type Writer = { acks: Ack[]; stop: () => Promise<number | null>; stderr: () => string; exitCode: () => number | null | undefined };

function startWriter(name: string, supporters: string): Writer {
  const child = spawn(process.execPath, [...TSX, "tests/support/backup-writer.ts", name, supporters], { cwd: ROOT, env: process.env, stdio: ["pipe", "pipe", "pipe"] });
  const acks: Ack[] = [];
  let pending = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line) acks.push(JSON.parse(line) as Ack);
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  return {
    acks,
    exitCode: () => exitCode,
    stop: () => {
      child.stdin.end();
      return exited;
    },
    stderr: () => stderr,
  };
}

// Generous: a writer is a fresh tsx process that compiles the data access layer, and in CI it starts while the
// Playwright build has both cores. A writer that exits early fails the wait at once, with what it printed.
async function until(condition: () => boolean, what: string, writers: Writer[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    const exited = writers.find((w) => w.exitCode() !== undefined);
    if (exited) throw new Error(`a writer exited (code ${exited.exitCode()}) before ${what}: ${exited.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${writers.map((w) => `${w.acks.length} acks; ${w.stderr()}`).join(" | ")}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let drillBackup: string | undefined;

/** The drill's backup; if the drill failed before making one, a backup of the test database made the same way, so
 * each later check stands or falls on its own. */
async function aBackup(): Promise<string> {
  if (!drillBackup) {
    const target = path.join(tempDir(), "confide.db");
    const made = await backup(file, target);
    assert.equal(made.code, 0, made.stderr);
    drillBackup = target;
  }
  return drillBackup;
}

before(async () => {
  ({ db, file } = await freshDatabase());
  crypto = await import("@/lib/crypto");
  rotation = await import("@/db/queries/key-rotation");
});

describe("backup and restore drill", () => {
  test("npm run backup under write load, then npm run restore into a fresh directory: checks pass, every table matches, every acknowledged write is there and decrypts", async () => {
    const pairs: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const userId = randomUUID();
      const supporterId = randomUUID();
      db.$client.prepare("INSERT INTO users (id, email, name) VALUES (?, ?, ?)").run(userId, `${userId}@example.org`, `Supporter ${i}`);
      db.$client
        .prepare("INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, capacity) VALUES (?, ?, 'active', 'PC', 'Force HQ', '2024-01-01', '2030-01-01', 100000)")
        .run(supporterId, userId);
      db.$client.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'contact_method', 'in_app')").run(supporterId);
      pairs.push(`${userId}:${supporterId}`);
    }
    // A long read held open across the backup, as a slow page or report would: checkpoints cannot move the writes
    // made after it into the database file, so they are only in the write-ahead log. A backup that copied the file
    // instead of reading through SQLite would miss them.
    const reader = new Database(file, { readonly: true });
    reader.exec("BEGIN");
    reader.prepare("SELECT count(*) FROM users").get();
    const writers = [startWriter("alpha", pairs.join(",")), startWriter("beta", pairs.join(","))];
    const acked = () => writers.flatMap((w) => w.acks);
    let writersStopped = false;
    try {
      await until(() => writers.every((w) => w.acks.filter((a) => a.kind === "request").length >= 6), "both writers to be writing", writers);

      // Everything acknowledged up to here was committed before the backup started.
      const before = acked().slice();
      const countAtStart = before.length;
      const result = await run("npm", ["run", "--silent", "backup"], withDatabase(file));
      const writtenDuring = acked().length - countAtStart;
      assert.equal(result.code, 0, result.stderr);
      const printed = /^Backed up (.+) to (.+) \([\d.]+ MB; integrity check ok\)\.$/m.exec(result.stdout);
      assert.ok(printed, `says where it wrote: ${result.stdout}`);
      const made = printed[2]!;
      assert.equal(printed[1], file);
      assert.equal(path.dirname(made), path.join(path.dirname(file), "backups"));
      assert.match(path.basename(made), /^confide-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.db$/);
      assert.equal(fs.statSync(made).mode & 0o777, 0o600);
      assert.deepEqual(fs.readdirSync(path.dirname(made)), [path.basename(made)], "no partial file left beside it");
      drillBackup = made;
      assert.ok(writtenDuring > 0, "the writers kept writing while the backup ran");
      reader.exec("COMMIT");

      writersStopped = true;
      for (const writer of writers) assert.equal(await writer.stop(), 0, writer.stderr());

      const fresh = path.join(tempDir(), "restored", "confide.db");
      const restored = await restore(made, fresh);
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(restored.stdout, /^Checked .+: integrity ok, no broken foreign keys, a Confide database at migration (\d+) of \1 /m);
      assert.match(restored.stdout, new RegExp(`^Restored ${fresh.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} from `, "m"));

      const copy = openReadOnly(fresh);
      const original = openReadOnly(made);
      try {
        assert.equal(copy.pragma("integrity_check", { simple: true }), "ok");
        assert.deepEqual(copy.pragma("foreign_key_check"), []);
        const copied = digest(copy);
        assert.deepEqual(copied, digest(original), "every table's rows and their hash match the backup");
        assert.ok(Object.keys(copied).length > 20);
        assert.ok(copied.support_requests!.rows >= before.filter((a) => a.kind === "request").length);

        const requestRow = copy.prepare("SELECT message_cipher, safe_contact_cipher, decline_reason_cipher FROM support_requests WHERE id = ?");
        const messageRow = copy.prepare("SELECT body_cipher FROM request_messages WHERE id = ?");
        const open = (stored: string | null, table: string, column: string, rowId: string) => {
          assert.ok(stored, `${table}.${column} of ${rowId} is in the restored database`);
          return crypto.decryptField(stored, { table, column, rowId });
        };
        const feedbackBodies = new Set(
          (copy.prepare("SELECT id, body_cipher FROM feedback").all() as { id: string; body_cipher: string }[]).map((f) => (JSON.parse(open(f.body_cipher, "feedback", "body_cipher", f.id)) as { text: string }).text),
        );
        for (const a of before) {
          if (a.kind === "request") {
            const row = requestRow.get(a.id) as { message_cipher: string | null; safe_contact_cipher: string | null } | undefined;
            assert.ok(row, `request ${a.id}, acknowledged before the backup, was restored`);
            assert.equal(open(row.message_cipher, "support_requests", "message_cipher", a.id), a.message);
            assert.equal(open(row.safe_contact_cipher, "support_requests", "safe_contact_cipher", a.id), a.safeContact);
          } else if (a.kind === "message") {
            const row = messageRow.get(a.id) as { body_cipher: string } | undefined;
            assert.equal(open(row?.body_cipher ?? null, "request_messages", "body_cipher", a.id), a.body);
          } else if (a.kind === "decline") {
            const row = requestRow.get(a.requestId) as { decline_reason_cipher: string | null };
            assert.equal(open(row.decline_reason_cipher, "support_requests", "decline_reason_cipher", a.requestId), a.reason);
          } else {
            assert.ok(feedbackBodies.has(a.body), "acknowledged feedback was restored");
          }
        }
        assert.ok(before.some((a) => a.kind === "decline") && before.some((a) => a.kind === "feedback"));

        // Every encrypted value in the restored database, acknowledged or not, decrypts with the configured key.
        for (const { table, column } of rotation.ENCRYPTED_COLUMNS) {
          const values = copy.prepare(`SELECT id, ${column} AS stored FROM ${table} WHERE ${column} IS NOT NULL`).all() as { id: string; stored: string }[];
          assert.ok(values.length > 0, `${table}.${column} has values`);
          for (const v of values) open(v.stored, table, column, v.id);
        }
      } finally {
        copy.close();
        original.close();
      }

      // The backup holds ciphertext only: none of the written text is in its bytes.
      const markers = before.filter((a) => a.kind === "request").map((a) => a.message.split(" ").at(-1)!);
      const bytes = fs.readFileSync(made);
      for (const marker of markers) assert.ok(!bytes.includes(Buffer.from(marker)), "no plaintext in the backup file");
    } finally {
      if (reader.inTransaction) reader.exec("COMMIT");
      reader.close();
      if (!writersStopped) for (const writer of writers) await writer.stop();
    }
  });

  test("restore refuses the live database without --force, and even with --force while it is open; nothing changes", async () => {
    const backupFile = await aBackup();
    const dir = path.dirname(file);
    const before = { tables: digest(db.$client), files: fs.readdirSync(dir).sort() };

    const plain = await restore(backupFile, file);
    assertPlainFailure(plain, /^Nothing was restored\. There is already a database at .+confide\.db\. Restoring would replace it.*--force\.$/m);
    const forced = await restore(backupFile, file, "--force");
    assertPlainFailure(forced, /^Nothing was restored\. .+confide\.db is open in another program \(is Confide still running\?\)/m);

    assert.deepEqual({ tables: digest(db.$client), files: fs.readdirSync(dir).sort() }, before);
  });

  test("restore --force over a stopped database replaces it whole, and its stale write-ahead log does not leak into the result", async () => {
    const backupFile = await aBackup();
    const restoredFile = path.join(tempDir(), "restored", "confide.db");
    const first = await restore(backupFile, restoredFile);
    assert.equal(first.code, 0, first.stderr);
    // A server killed mid-write leaves committed pages in confide.db-wal that were never checkpointed.
    const crash = await run(process.execPath, [
      "-e",
      `const D = require("better-sqlite3"); const d = new D(process.argv[1]); d.pragma("journal_mode = WAL"); d.pragma("wal_autocheckpoint = 0");
       d.prepare("INSERT INTO users (id, email, name) VALUES ('stale', 'stale@example.org', 'STALE')").run();
       d.prepare("UPDATE users SET name = 'STALE'").run(); d.prepare("DELETE FROM request_messages").run(); process.kill(process.pid, "SIGKILL");`,
      restoredFile,
    ]);
    assert.equal(crash.code, null);
    assert.ok(fs.statSync(`${restoredFile}-wal`).size > 0, "a write-ahead log was left behind");

    const result = await restore(backupFile, restoredFile, "--force");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\(replaced the existing database(; removed its stale confide\.db-(wal|shm)(, confide\.db-(wal|shm))?)?\)\.$/m);
    assert.ok(!fs.existsSync(`${restoredFile}-wal`) && !fs.existsSync(`${restoredFile}-shm`));
    assert.deepEqual(fs.readdirSync(path.dirname(restoredFile)), ["confide.db"], "no temporary file left");
    assert.equal(fs.statSync(restoredFile).mode & 0o777, 0o600);

    const copy = new Database(restoredFile);
    const original = openReadOnly(backupFile);
    try {
      copy.pragma("journal_mode = WAL");
      assert.equal(copy.pragma("integrity_check", { simple: true }), "ok");
      assert.equal((copy.prepare("SELECT count(*) AS n FROM users WHERE name = 'STALE'").get() as { n: number }).n, 0);
      assert.deepEqual(digest(copy), digest(original));
    } finally {
      copy.close();
      original.close();
    }
  });

  test("restore refuses a damaged backup, broken foreign keys, a database that is not Confide's and one from a newer version, before touching anything", async () => {
    const backupFile = await aBackup();
    const dir = tempDir();
    const variant = (name: string, change: (copy: string) => void) => {
      const copy = path.join(dir, name);
      fs.copyFileSync(backupFile, copy);
      change(copy);
      return copy;
    };
    const withSql = (sql: string) => (copy: string) => {
      const d = new Database(copy);
      d.pragma("foreign_keys = OFF");
      d.exec(sql);
      d.close();
    };
    const pageSize = (() => {
      const d = openReadOnly(backupFile);
      try {
        return Number(d.pragma("page_size", { simple: true }));
      } finally {
        d.close();
      }
    })();
    const cases: [string, string, RegExp][] = [
      [
        "damaged pages",
        variant("damaged.db", (copy) => {
          const fd = fs.openSync(copy, "r+");
          // Garbage over the middle of the file: table and index pages, not the header.
          const middle = Math.floor(fs.statSync(copy).size / pageSize / 2) * pageSize;
          fs.writeSync(fd, randomBytes(pageSize * 4), 0, pageSize * 4, middle);
          fs.closeSync(fd);
        }),
        /is damaged/,
      ],
      ["not a database", variant("junk.db", (copy) => fs.writeFileSync(copy, "This is not a database, it is a note.")), /is damaged or is not a SQLite database/],
      ["broken foreign keys", variant("orphans.db", withSql(`INSERT INTO request_messages (id, request_id, body_cipher, created_at) VALUES ('${randomUUID()}', 'no-such-request', 'v1.x.y.z', 0)`)), /has 1 broken foreign reference \(request_messages → support_requests\)/],
      ["not Confide's", variant("other.db", (copy) => {
        fs.rmSync(copy);
        const d = new Database(copy);
        d.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hello')");
        d.close();
      }), /is not a Confide database \(no __drizzle_migrations, users, support_requests, request_messages, audit_events table\)/],
      ["newer version", variant("newer.db", withSql("INSERT INTO __drizzle_migrations (hash, created_at) SELECT 'future', max(created_at) + 86400000 FROM __drizzle_migrations")), /was made by a newer version of Confide/],
    ];
    const results = await Promise.all(cases.map(([, copy]) => restore(copy, path.join(dir, "target", `${path.basename(copy)}`))));
    results.forEach((result, i) => {
      const [what, , message] = cases[i]!;
      assertPlainFailure(result, message);
      assert.match(result.stderr, /^Nothing was restored\./, what);
    });
    assert.ok(!fs.existsSync(path.join(dir, "target")), "no target folder or file was created");
  });

  test("backup fails with a plain message and writes nothing when the target exists, its folder cannot be made, or there is no database", async () => {
    const dir = tempDir();
    const existing = path.join(dir, "existing.db");
    fs.writeFileSync(existing, "an earlier backup");
    const aFile = path.join(dir, "a-file");
    fs.writeFileSync(aFile, "");
    const missing = path.join(dir, "missing", "confide.db");
    const [exists, noFolder, noDatabase] = await Promise.all([
      backup(file, existing),
      backup(file, path.join(aFile, "backups", "confide.db")),
      backup(missing),
    ]);
    assertPlainFailure(exists, /^Backup failed\. .+existing\.db already exists: give a new file name\. No backup was made\.$/m);
    assert.equal(fs.readFileSync(existing, "utf8"), "an earlier backup");
    assertPlainFailure(noFolder, /^Backup failed\. Cannot create the folder .+a-file\/backups: part of the path is a file, not a folder\. No backup was made\.$/m);
    assertPlainFailure(noDatabase, /^Backup failed\. There is no database at .+missing\/confide\.db \(DATABASE_PATH\)\. No backup was made\.$/m);
    assert.ok(!fs.existsSync(path.dirname(missing)), "no empty database was created");
    assert.deepEqual(fs.readdirSync(dir).sort(), ["a-file", "existing.db"]);
  });
});
