import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { before, beforeEach, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { CreateRequest } from "@/db/validation/requests";
import type { SessionUser } from "@/lib/auth/session";
import { freshDatabase, ROOT } from "./helpers";

// Issue 9, item 4: key rotation (db/queries/key-rotation.ts, npm run rotate-key). Values written under key 1 are
// re-encrypted to key 2 while the app keeps writing; both versions decrypt until the rotation is done; a concurrent
// write is never overwritten; a tampered value or one moved to another row is refused, and rotation does not launder
// it into a readable one. And the list of encrypted columns rotation walks is checked against the database: a new
// encrypted column it does not cover fails here.

let db: Db;
let file: string;
let requests: typeof import("@/db/queries/requests");
let feedback: typeof import("@/db/queries/feedback");
let users: typeof import("@/db/queries/users");
let rotation: typeof import("@/db/queries/key-rotation");
let crypto: typeof import("@/lib/crypto");
let liveKeys: Map<number, Buffer>;

const KEY_1 = randomBytes(32);
const KEY_2 = randomBytes(32);
const configured = (...versions: number[]) => versions.map((v) => `${v}:${(v === 1 ? KEY_1 : KEY_2).toString("base64")}`).join(",");

// env() is parsed once per process. Changing its key map is what a restart with a new CONFIDE_DATA_KEY does.
function useKeys(...versions: number[]): void {
  liveKeys.clear();
  for (const v of versions) liveKeys.set(v, v === 1 ? KEY_1 : KEY_2);
}

before(async () => {
  ({ db, file } = await freshDatabase());
  process.env.CONFIDE_DATA_KEY = configured(1);
  process.env.MAIL_OUTBOX_DIR = path.join(path.dirname(file), "outbox");
  requests = await import("@/db/queries/requests");
  feedback = await import("@/db/queries/feedback");
  users = await import("@/db/queries/users");
  rotation = await import("@/db/queries/key-rotation");
  crypto = await import("@/lib/crypto");
  const { env } = await import("@/lib/env");
  liveKeys = env().CONFIDE_DATA_KEY;
});

beforeEach(() => useKeys(1));

function person(): SessionUser {
  const id = randomUUID();
  db.$client.prepare("INSERT INTO users (id, email, name) VALUES (?, ?, ?)").run(id, `${id}@example.org`, `Person ${id.slice(0, 6)}`);
  const user = users.loadSessionUser(id);
  assert.ok(user);
  return user;
}

type Supporter = { viewer: SessionUser; supporterId: string };
function supporter(): Supporter {
  const viewer = person();
  const supporterId = randomUUID();
  db.$client
    .prepare("INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, capacity) VALUES (?, ?, 'active', 'PC', 'Force HQ', '2024-01-01', '2030-01-01', 100000)")
    .run(supporterId, viewer.id);
  db.$client.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'contact_method', 'in_app')").run(supporterId);
  return { viewer, supporterId };
}

const ask = (to: Supporter, text: string): CreateRequest => ({
  supporterId: to.supporterId,
  category: "bullying_harassment",
  message: `Message: ${text}`,
  contactMethod: "in_app",
  safeContact: `Safe contact: ${text}`,
  anonymous: false,
  preferOutsideDepartment: false,
  excludedUserIds: [],
  acknowledgeLimits: true,
});

type Written = { requester: SessionUser; id: string; text: string };

/** A request with a message, safe-contact details, a reply and (every other one) a decline reason, plus feedback. */
function writeEverything(to: Supporter, count: number): Written[] {
  const written: Written[] = [];
  for (let i = 0; i < count; i += 1) {
    const requester = person();
    const text = `case ${i} ${randomUUID()}`;
    const { id } = requests.createRequest(requester, ask(to, text));
    requests.addMessage(requester, id, `Reply: ${text}`);
    if (i % 2 === 0) requests.declineRequest(to.viewer, id, `Declined: ${text}`);
    assert.deepEqual(feedback.sendFeedback(requester, { topic: null, body: `Feedback: ${text}`, anonymous: i % 3 === 0, volunteer: false }), { ok: true });
    written.push({ requester, id, text });
  }
  return written;
}

type Cell = { table: string; column: string; id: string; stored: string };

/** Every stored ciphertext, from the columns rotation knows. */
function cells(): Cell[] {
  return rotation.ENCRYPTED_COLUMNS.flatMap(({ table, column }) =>
    (db.$client.prepare(`SELECT id, ${column} AS stored FROM ${table} WHERE ${column} IS NOT NULL`).all() as { id: string; stored: string }[]).map((r) => ({ table, column, ...r })),
  );
}

/** Every encrypted value decrypted with the configured keys, by table, column and row. */
function plaintexts(): Map<string, string> {
  return new Map(cells().map((c) => [`${c.table}.${c.column}.${c.id}`, crypto.decryptField(c.stored, { table: c.table, column: c.column, rowId: c.id })]));
}

const versions = () => new Set(cells().map((c) => c.stored.split(".")[0]));
const oldRemaining = () => rotation.countOldVersions().reduce((sum, c) => sum + c.remaining, 0);
const auditCount = (action: string) => (db.$client.prepare("SELECT count(*) AS n FROM audit_events WHERE action = ?").get(action) as { n: number }).n;

/** What the people involved see through the app's own read path. */
function seenBy(w: Written) {
  const view = requests.getRequestForViewer(w.requester, w.id);
  return { message: view.message, safeContact: view.safeContact, declineReason: view.declineReason, messages: view.messages.map((m) => m.body) };
}

describe("key rotation", () => {
  test("every encrypted column the app writes is one rotation walks: a new one fails this test", () => {
    writeEverything(supporter(), 2);
    const known = new Set(rotation.ENCRYPTED_COLUMNS.map(({ table, column }) => `${table}.${column}`));

    // 1. Every text value anywhere in the database shaped like a ciphertext is in a column rotation knows.
    const found = new Set<string>();
    const tables = (db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all() as { name: string }[]).map((t) => t.name);
    for (const table of tables) {
      for (const { name } of db.$client.pragma(`table_info("${table}")`) as { name: string }[]) {
        const shaped = db.$client.prepare(`SELECT count(*) AS n FROM "${table}" WHERE typeof("${name}") = 'text' AND "${name}" GLOB 'v[0-9]*.*.*.*'`).get() as { n: number };
        if (shaped.n > 0) found.add(`${table}.${name}`);
      }
    }
    for (const cell of found) assert.ok(known.has(cell), `${cell} holds ciphertext that npm run rotate-key does not re-encrypt: add it to ENCRYPTED_COLUMNS`);
    assert.deepEqual([...found].sort(), [...known].sort(), "this test fills every encrypted column");

    // 2. Any column named as a ciphertext is known, even one this test does not fill.
    for (const table of tables) {
      for (const { name } of db.$client.pragma(`table_info("${table}")`) as { name: string }[]) {
        if (/cipher/i.test(name)) assert.ok(known.has(`${table}.${name}`), `${table}.${name} is not in ENCRYPTED_COLUMNS`);
      }
    }

    // 3. Every place in the code that encrypts is one whose columns were checked above.
    const encrypting = new Set<string>();
    const visit = (relative: string) => {
      const full = path.join(ROOT, relative);
      if (fs.statSync(full).isDirectory()) {
        for (const child of fs.readdirSync(full)) visit(path.join(relative, child));
      } else if (/\.tsx?$/.test(relative) && fs.readFileSync(full, "utf8").includes("encryptField(")) {
        encrypting.add(relative);
      }
    };
    for (const top of ["app", "components", "db", "lib", "scripts", "auth.ts"]) if (fs.existsSync(path.join(ROOT, top))) visit(top);
    assert.deepEqual([...encrypting].sort(), [
      "db/queries/feedback.ts", // feedback.body_cipher
      "db/queries/key-rotation.ts", // re-encrypts the columns listed
      "db/queries/requests.ts", // support_requests.message_cipher, safe_contact_cipher, decline_reason_cipher; request_messages.body_cipher
      "lib/crypto.ts",
      "scripts/scale.ts", // the benchmark's synthetic requests and messages, same columns
    ], "a new place encrypts data: add its columns to ENCRYPTED_COLUMNS and fill them in this test");
  });

  test("mid-rotation both key versions decrypt; afterwards nothing is on the old key, everything reads the same, and the old key can go", async () => {
    const to = supporter();
    const written = writeEverything(to, 6);
    const before = plaintexts();
    const seen = written.map(seenBy);
    assert.deepEqual(versions(), new Set(["v1"]));

    useKeys(1, 2);
    const total = oldRemaining();
    assert.equal(total, before.size);

    // Part of one column, as an interrupted run would leave it.
    const [first] = rotation.ENCRYPTED_COLUMNS;
    const partial = rotation.applyRotationBatch(rotation.readRotationBatch(first, 2, 0, 3));
    assert.deepEqual({ rotated: partial.rotated, changedMeanwhile: partial.changedMeanwhile, unreadable: partial.unreadable.length }, { rotated: 3, changedMeanwhile: 0, unreadable: 0 });
    assert.deepEqual(versions(), new Set(["v1", "v2"]));
    assert.equal(oldRemaining(), total - 3);
    assert.deepEqual(plaintexts(), before, "values on either version decrypt to what was written");
    assert.deepEqual(written.map(seenBy), seen, "the people involved read the same through the app");
    // A new write meanwhile uses the new key.
    const fresh = requests.createRequest(person(), ask(to, "written mid-rotation")).id;
    assert.match((db.$client.prepare("SELECT message_cipher AS c FROM support_requests WHERE id = ?").get(fresh) as { c: string }).c, /^v2\./);
    const withFresh = plaintexts();

    const progress: string[] = [];
    const summary = await rotation.rotateAllToNewestKey({ batchSize: 4, pauseMs: 0, onProgress: (p) => progress.push(`${p.table}.${p.column}`) });
    assert.equal(summary.version, 2);
    assert.equal(summary.rotated, total - 3);
    assert.deepEqual(summary.unreadable, []);
    assert.deepEqual(summary.remaining.map((r) => r.remaining), rotation.ENCRYPTED_COLUMNS.map(() => 0));
    assert.ok(new Set(progress).size === rotation.ENCRYPTED_COLUMNS.length, "progress is reported for every column");
    assert.deepEqual(versions(), new Set(["v2"]));
    assert.deepEqual(plaintexts(), withFresh);
    assert.equal(auditCount("data_key.rotated"), 1);

    // Idempotent: a second run finds nothing to do and records nothing.
    const again = await rotation.rotateAllToNewestKey({ pauseMs: 0 });
    assert.equal(again.rotated, 0);
    assert.equal(auditCount("data_key.rotated"), 1);

    // With rotation complete the old key is no longer needed.
    useKeys(2);
    assert.deepEqual(plaintexts(), withFresh);
    assert.deepEqual(written.map(seenBy), seen);
  });

  test("a write by the app between rotation's read and its write is not lost: an erased request stays erased", () => {
    const to = supporter();
    const written = writeEverything(to, 4);
    useKeys(1, 2);
    const column = rotation.ENCRYPTED_COLUMNS.find((c) => c.table === "support_requests" && c.column === "message_cipher")!;
    // Only this test's rows: from the rowid of its first request on.
    const start = (db.$client.prepare("SELECT rowid AS r FROM support_requests WHERE id = ?").get(written[0]!.id) as { r: number }).r - 1;
    const batch = rotation.readRotationBatch(column, 2, start, 100);
    assert.deepEqual(batch.rows.map((r) => r.id), written.map((w) => w.id));

    // Meanwhile, in the app: one requester erases their request, another request gets a new value under key 2.
    requests.eraseRequestNow(written[0]!.requester, written[0]!.id);
    const rewritten = crypto.encryptField("Rewritten by the app", { table: "support_requests", column: "message_cipher", rowId: written[1]!.id });
    db.$client.prepare("UPDATE support_requests SET message_cipher = ? WHERE id = ?").run(rewritten, written[1]!.id);

    const outcome = rotation.applyRotationBatch(batch);
    assert.deepEqual({ rotated: outcome.rotated, changedMeanwhile: outcome.changedMeanwhile }, { rotated: 2, changedMeanwhile: 2 });
    const stored = (id: string) => (db.$client.prepare("SELECT message_cipher AS c FROM support_requests WHERE id = ?").get(id) as { c: string | null }).c;
    assert.equal(stored(written[0]!.id), null, "the erased message did not come back");
    assert.equal(stored(written[1]!.id), rewritten, "the app's new value was kept as written");
    for (const w of written.slice(2)) assert.match(stored(w.id) ?? "", /^v2\./);
    assert.equal(seenBy(written[2]!).message, `Message: ${written[2]!.text}`);
  });

  test("npm run rotate-key while the app writes and erases: nothing written is lost, nothing erased returns, and it says the old key may go", async () => {
    const to = supporter();
    const old = writeEverything(to, 30);
    useKeys(1, 2);
    const before = plaintexts();
    const oldCount = oldRemaining();
    assert.ok(oldCount >= 30 * 4);

    // Small batches, so the run lasts long enough for the app's writes to land between them.
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/rotate-key.ts", "--batch-size", "10"], {
      cwd: ROOT,
      env: { ...process.env, CONFIDE_DATA_KEY: configured(1, 2) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    let running = true;
    void exited.then(() => (running = false));

    // The app, meanwhile: new requests under key 2, and requesters erasing old ones.
    const created: Written[] = [];
    const erased: Written[] = [];
    let erasedWhileRunning = 0;
    while (running) {
      const requester = person();
      const text = `during rotation ${created.length}`;
      const { id } = requests.createRequest(requester, ask(to, text));
      requests.addMessage(requester, id, `Reply: ${text}`);
      created.push({ requester, id, text });
      // Erasures start once the script has counted what it has to do, so that they land in the middle of its run.
      const victim = old[erased.length];
      if (victim && stdout.includes("Re-encrypting")) {
        requests.eraseRequestNow(victim.requester, victim.id);
        erased.push(victim);
        if (running && !/^Re-encrypted /m.test(stdout)) erasedWhileRunning += 1;
      }
      // A busy app, but one that leaves the write lock free most of the time, as a real one does.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(await exited, 0, stdout + stderr);
    assert.ok(erasedWhileRunning > 0 && created.length > 0, "the app wrote and erased while the rotation ran");
    assert.match(stdout, /^ {2}support_requests\.message_cipher: [\d,]+ re-encrypted$/m, "progress by column");
    assert.match(stdout, new RegExp(`^Re-encrypting to key version 2 \\(configured: 1, 2\\); ${oldCount.toLocaleString("en-GB")} values are on another version\\.$`, "m"));
    assert.match(stdout, /^0 values remain on older key versions\.$/m);
    assert.match(stdout, /^Done\. Key version 1 is no longer used by the database: remove it from CONFIDE_DATA_KEY and restart, but keep a copy for as long as you keep backups made before now: those need the old key to be read/m);

    assert.equal(oldRemaining(), 0);
    assert.deepEqual(versions(), new Set(["v2"]));
    for (const w of created) assert.deepEqual(seenBy(w), { message: `Message: ${w.text}`, safeContact: `Safe contact: ${w.text}`, declineReason: null, messages: [`Reply: ${w.text}`] });
    for (const w of erased) {
      const row = db.$client.prepare("SELECT message_cipher, safe_contact_cipher, decline_reason_cipher FROM support_requests WHERE id = ?").get(w.id);
      assert.deepEqual(row, { message_cipher: null, safe_contact_cipher: null, decline_reason_cipher: null }, "an erased request stays erased");
    }
    // Every value not erased reads as it did before the rotation.
    const after = plaintexts();
    const erasedIds = new Set(erased.map((w) => w.id));
    for (const [cell, text] of before) {
      const [table, , id] = cell.split(".");
      if (table === "support_requests" && erasedIds.has(id!)) continue;
      if (table === "request_messages" && !after.has(cell)) {
        const owner = db.$client.prepare("SELECT request_id AS r FROM request_messages WHERE id = ?").get(id!);
        assert.equal(owner, undefined, "a message is gone only with its erased request");
        continue;
      }
      assert.equal(after.get(cell), text, cell);
    }
  });

  test("a tampered value, or one moved to another row, fails to decrypt, and rotation leaves it unreadable rather than re-encrypting it", async () => {
    const to = supporter();
    const [a, b, c] = writeEverything(to, 3);
    const column = { table: "support_requests", column: "message_cipher" };
    const storedOf = (id: string) => (db.$client.prepare("SELECT message_cipher AS v FROM support_requests WHERE id = ?").get(id) as { v: string }).v;
    const flip = (value: string) => {
      const parts = value.split(".");
      parts[2] = (parts[2]![0] === "A" ? "B" : "A") + parts[2]!.slice(1);
      return parts.join(".");
    };

    // Under key 1, before rotation: someone with write access to the file moves a's message into b's row and alters c's.
    db.$client.prepare("UPDATE support_requests SET message_cipher = ? WHERE id = ?").run(storedOf(a!.id), b!.id);
    db.$client.prepare("UPDATE support_requests SET message_cipher = ? WHERE id = ?").run(flip(storedOf(c!.id)), c!.id);
    assert.throws(() => seenBy(b!), crypto.DecryptionError);
    assert.throws(() => seenBy(c!), crypto.DecryptionError);
    const movedValue = storedOf(b!.id);
    const tamperedValue = storedOf(c!.id);

    useKeys(1, 2);
    const summary = await rotation.rotateAllToNewestKey({ pauseMs: 0 });
    const unreadable = summary.unreadable.find((u) => u.table === column.table && u.column === column.column);
    assert.deepEqual(unreadable?.ids.sort(), [b!.id, c!.id].sort());
    assert.equal(storedOf(b!.id), movedValue, "not re-encrypted under b's row");
    assert.equal(storedOf(c!.id), tamperedValue);
    assert.equal(summary.remaining.find((r) => r.table === column.table && r.column === column.column)?.remaining, 2);
    assert.throws(() => seenBy(b!), crypto.DecryptionError);
    assert.equal(seenBy(a!).message, `Message: ${a!.text}`);

    // The same under the new key: a rotated value is bound to its row and column, and its tag.
    const rotated = storedOf(a!.id);
    assert.match(rotated, /^v2\./);
    const context = { ...column, rowId: a!.id };
    assert.equal(crypto.decryptField(rotated, context), `Message: ${a!.text}`);
    assert.throws(() => crypto.decryptField(rotated, { ...context, rowId: b!.id }), crypto.DecryptionError);
    assert.throws(() => crypto.decryptField(rotated, { ...context, column: "safe_contact_cipher" }), crypto.DecryptionError);
    assert.throws(() => crypto.decryptField(flip(rotated), context), crypto.DecryptionError);
    // And without key 1, a value still on it is unreadable: which is why the old key stays until the run reports zero.
    useKeys(2);
    assert.throws(() => crypto.decryptField(movedValue, { ...column, rowId: a!.id }), crypto.DecryptionError);

  });
});
