import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { CreateRequest } from "@/db/validation/requests";
import type { SessionUser } from "@/lib/auth/session";
import { freshDatabase, tempDir } from "./helpers";
import { bundleWriter, missingWrites, seedWriterPool, startWriter, stopWriters, type Writer } from "./support/fault-writers";

// Issue 9, item 7, the database's part: 20 processes writing at once never see SQLITE_BUSY; a write the database
// refuses (disk full, read-only file, a lock held past busy_timeout) leaves nothing behind, audit event included,
// and surfaces as a ServiceUnavailableError, which the pages show as "cannot save changes, nothing was saved".

let db: Db;
let file: string;
let bundle: string;
let requests: typeof import("@/db/queries/requests");
let users: typeof import("@/db/queries/users");
let errors: typeof import("@/lib/errors");
let client: typeof import("@/db/client");
let requester: () => SessionUser;
let supporterId: string;

before(async () => {
  ({ db, file } = await freshDatabase());
  requests = await import("@/db/queries/requests");
  users = await import("@/db/queries/users");
  errors = await import("@/lib/errors");
  client = await import("@/db/client");
  seedWriterPool(db.$client);
  // Readable by an unprivileged user too, for the read-only test's writer.
  const dir = tempDir();
  fs.chmodSync(dir, 0o755);
  bundle = await bundleWriter(dir);
  let person = 0;
  requester = () => {
    person += 1;
    const row = db.$client.prepare("SELECT id FROM users WHERE email = ?").get(`writer-person-${2000 + person}@example.org`) as { id: string };
    const user = users.loadSessionUser(row.id);
    assert.ok(user);
    return user;
  };
  supporterId = (db.$client.prepare("SELECT id FROM supporters LIMIT 1").get() as { id: string }).id;
});

after(stopWriters);

function ask(message: string): CreateRequest {
  return {
    supporterId,
    category: "bullying_harassment",
    message,
    contactMethod: "in_app",
    safeContact: "",
    anonymous: false,
    preferOutsideDepartment: false,
    excludedUserIds: [],
    acknowledgeLimits: true,
  };
}

// Row counts of every table (sqlite_sequence included) and the head of the audit chain: a partial write of any
// kind changes at least one of them.
function snapshot(sql = db.$client): Record<string, unknown> {
  const tables = sql.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  const counts = Object.fromEntries(tables.map(({ name }) => [name, (sql.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  return { counts, chainHead: sql.prepare("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").get() ?? null };
}

// The refusal as the person's request meets it: typed, with the database's code, and nothing of what they wrote.
function assertRefused(error: unknown, code: string, secret: string): true {
  assert.ok(error instanceof errors.ServiceUnavailableError, `expected ServiceUnavailableError, got ${String(error)}`);
  assert.equal(error.code, code);
  assert.ok(!error.message.includes(secret));
  assert.deepEqual(errors.describeFailure({ digest: error.digest }), { unavailable: true, reference: error.digest.slice(-8) });
  return true;
}

describe("the database under faults", () => {
  test("20 processes writing at once through the data access layer: no SQLITE_BUSY, every write present", { timeout: 60_000 }, async () => {
    const writers: Writer[] = Array.from({ length: 20 }, (_, i) => startWriter(bundle, process.env, 9000 + i, 10));
    await Promise.all(writers.map((writer) => writer.ready));
    // All at once, so that they contend for the write lock.
    for (const writer of writers) writer.go();
    const exits = await Promise.all(writers.map((writer) => writer.exited));

    assert.deepEqual(writers.flatMap((writer) => writer.errors), []);
    assert.deepEqual(exits.map(({ code }) => code), Array<number>(20).fill(0));
    for (const writer of writers) assert.equal(writer.acks.length + writer.refused, 10);
    const acks = writers.flatMap((writer) => writer.acks);
    assert.ok(acks.length >= 180, `only ${acks.length} of 200 writes were accepted`);
    assert.deepEqual(missingWrites(db.$client, acks), []);
    assert.equal(db.$client.pragma("integrity_check", { simple: true }), "ok");
  });

  test("disk full: a write that cannot grow the file leaves nothing, audit event included, and is a ServiceUnavailableError", () => {
    // A genuinely small file system needs mount (root, or a user namespace most CI sandboxes refuse). max_page_count
    // on the app's own connection makes SQLite's pager answer SQLITE_FULL from the same place as a full disk. The file
    // is let grow two pages at a time and filled with small writes, so that over 25 refusals the page that could not
    // be added belongs to different statements of the transaction: the request, an index, its status, the
    // notification, a trigger's aggregate or the audit event.
    const sql = db.$client;
    let limit = sql.pragma("page_count", { simple: true }) as number;
    let accepted = 0;
    let refused = 0;
    try {
      for (let attempt = 0; refused < 25; attempt += 1) {
        assert.ok(attempt < 2000, "the file never filled up");
        sql.pragma(`max_page_count = ${limit}`);
        const secret = `FULL-DISK-${attempt}-${"x".repeat((attempt * 397) % 300)}`;
        const before = snapshot();
        try {
          requests.createRequest(requester(), ask(secret));
          accepted += 1;
        } catch (error) {
          assertRefused(error, "SQLITE_FULL", secret);
          assert.deepEqual(snapshot(), before, `refusal ${refused + 1} left something behind`);
          refused += 1;
          limit += 2;
        }
      }
    } finally {
      sql.pragma("max_page_count = 4294967294");
    }
    assert.ok(accepted > refused, `${accepted} writes fitted between the refusals`);
    // Once there is room again, the same connection saves.
    assert.doesNotThrow(() => requests.createRequest(requester(), ask("After the disk was cleared")));
    assert.equal(sql.pragma("integrity_check", { simple: true }), "ok");
  });

  test("lock held past busy_timeout: the write is refused whole as a ServiceUnavailableError", () => {
    const sql = db.$client;
    // 5 s in the app; shortened here only so the test does not wait that long for the same answer.
    sql.pragma("busy_timeout = 150");
    const holder = client.openDatabase(file).$client;
    try {
      holder.exec("BEGIN IMMEDIATE");
      const before = snapshot();
      const secret = "BUSY-SECRET-0c1d";
      assert.throws(() => requests.createRequest(requester(), ask(secret)), (error) => assertRefused(error, "SQLITE_BUSY", secret));
      assert.deepEqual(snapshot(), before);
    } finally {
      if (holder.inTransaction) holder.exec("ROLLBACK");
      holder.close();
      sql.pragma(`busy_timeout = ${client.REQUIRED_PRAGMAS.busy_timeout}`);
    }
    assert.doesNotThrow(() => requests.createRequest(requester(), ask("After the lock was released")));
  });

  test("read-only database file: the writer's first write is refused as a ServiceUnavailableError and the file is unchanged", async () => {
    // A copy of the database whose file nobody may write. Root may write whatever a file's mode says, so as root
    // the writer runs as "nobody". The directory stays writable, as SQLite needs it for the -shm index.
    const dir = path.join(path.dirname(bundle), "read-only");
    fs.mkdirSync(dir, { mode: 0o777 });
    fs.chmodSync(dir, 0o777);
    const copy = path.join(dir, "confide.db");
    await db.$client.backup(copy);
    fs.chmodSync(copy, 0o444);
    const digest = () => createHash("sha256").update(fs.readFileSync(copy)).digest("hex");
    const before = digest();
    const beforeRows = snapshot();

    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const writer = startWriter(bundle, { ...process.env, DATABASE_PATH: copy }, 77, 5, asUser);
    await writer.ready;
    writer.go();
    const { code } = await writer.exited;

    assert.equal(code, 1);
    assert.deepEqual(writer.acks, []);
    assert.equal(writer.errors.length, 1, writer.errors.join("\n"));
    const failure = JSON.parse(writer.errors[0] ?? "{}") as { error: string; code: string };
    assert.deepEqual({ error: failure.error, code: failure.code }, { error: "ServiceUnavailableError", code: "SQLITE_READONLY" });
    assert.equal(digest(), before);
    const wal = `${copy}-wal`;
    assert.equal(fs.existsSync(wal) ? fs.statSync(wal).size : 0, 0);
    const reader = client.openDatabase(copy).$client;
    try {
      // Row for row what the copy held when it was made.
      assert.deepEqual(snapshot(reader), beforeRows);
    } finally {
      reader.close();
    }
  });
});
