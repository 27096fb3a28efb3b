import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { CreateRequest } from "@/db/validation/requests";
import type { SessionUser } from "@/lib/auth/session";
import { freshDatabase, tempDir } from "./helpers";

// Issue 5, item 2: what a confidential request says is never in the database file or its write-ahead log as plain
// text. Written through the real data access layer onto a real SQLite file (WAL mode, as in production); then the
// raw bytes of both files are searched, before and after a checkpoint, and again after the retention erase.

let db: Db;
let file: string;
let requests: typeof import("@/db/queries/requests");
let users: typeof import("@/db/queries/users");
let schema: typeof import("@/db/schema");
let crypto: typeof import("@/lib/crypto");
let maintenance: typeof import("@/lib/maintenance");
let clockLib: typeof import("@/lib/clock");

// Unique per run, so a match can only come from this test's writes.
const MARKER = `PLAINTEXT-MARKER-${randomUUID()}`;
const DAY = 86_400_000;

type Person = { id: string; viewer: () => SessionUser };
type Supporter = Person & { supporterId: string };

function person(): Person {
  const id = randomUUID();
  db.insert(schema.users).values({ id, email: `${id}@example.org`, name: `Person ${id.slice(0, 6)}` }).run();
  return {
    id,
    viewer: () => {
      const user = users.loadSessionUser(id);
      assert.ok(user);
      return user;
    },
  };
}

function supporter(): Supporter {
  const user = person();
  const supporterId = randomUUID();
  db.insert(schema.supporters)
    .values({ id: supporterId, userId: user.id, status: "active", roleTitle: "PC", site: "Force HQ", trainedOn: "2024-01-01", refresherDue: "2030-01-01", capacity: 10 })
    .run();
  for (const value of ["in_app", "phone"]) db.insert(schema.supporterAttributes).values({ supporterId, kind: "contact_method", value }).run();
  return { ...user, supporterId };
}

const ask = (to: Supporter, extra: Partial<CreateRequest> = {}): CreateRequest => ({
  supporterId: to.supporterId,
  category: "discrimination",
  protectedCharacteristic: "race",
  message: `My line manager keeps singling me out. ${MARKER}`,
  contactMethod: "phone",
  safeContact: `Personal mobile 07700 900123 after 6pm, not at work. ${MARKER}`,
  anonymous: false,
  preferOutsideDepartment: false,
  excludedUserIds: [],
  acknowledgeLimits: true,
  ...extra,
});

const wal = () => `${file}-wal`;
const bytesOf = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f) : Buffer.alloc(0));
const contains = (f: string, text: string) => bytesOf(f).includes(Buffer.from(text, "utf8"));
// In case a value were ever stored in another text encoding.
const containsAnyEncoding = (f: string, text: string) =>
  contains(f, text) || bytesOf(f).includes(Buffer.from(text, "utf16le")) || bytesOf(f).includes(Buffer.from(text, "utf16le").swap16());

type Ciphers = { message: string; safeContact: string; bodies: string[] };
function ciphersOf(id: string): Ciphers {
  const row = db.$client.prepare("SELECT message_cipher, safe_contact_cipher FROM support_requests WHERE id = ?").get(id) as {
    message_cipher: string;
    safe_contact_cipher: string;
  };
  const bodies = (db.$client.prepare("SELECT body_cipher FROM request_messages WHERE request_id = ?").all(id) as { body_cipher: string }[]).map((r) => r.body_cipher);
  return { message: row.message_cipher, safeContact: row.safe_contact_cipher, bodies };
}
const allOf = (c: Ciphers) => [c.message, c.safeContact, ...c.bodies];

let requester: Person;
let sam: Supporter;
let requestId: string;
let ciphers: Ciphers;

before(async () => {
  // The retention run sends its mail to a throwaway outbox.
  process.env.MAIL_OUTBOX_DIR = tempDir();
  ({ db, file } = await freshDatabase());
  requests = await import("@/db/queries/requests");
  users = await import("@/db/queries/users");
  schema = await import("@/db/schema");
  crypto = await import("@/lib/crypto");
  maintenance = await import("@/lib/maintenance");
  clockLib = await import("@/lib/clock");

  // Start from an empty log, so the "before a checkpoint" reads below see exactly this test's writes in the WAL.
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  requester = person();
  sam = supporter();
  requestId = requests.createRequest(requester.viewer(), ask(sam)).id;
  requests.acknowledgeRequest(sam.viewer(), requestId);
  requests.addMessage(requester.viewer(), requestId, `Thank you. It happened again today. ${MARKER}`);
  requests.addMessage(sam.viewer(), requestId, `I can meet you off site on Thursday. ${MARKER}`);
  ciphers = ciphersOf(requestId);
});

describe("encryption at rest", () => {
  test("the message, safe-contact details and conversation are stored as AES-256-GCM ciphertexts", () => {
    assert.equal(ciphers.bodies.length, 2);
    for (const value of allOf(ciphers)) {
      assert.match(value, /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/, "version, 12-byte IV, body, 16-byte tag");
      assert.ok(!value.includes(MARKER));
    }
  });

  test("before a checkpoint, the marker is in neither the database file nor the WAL, though the ciphertexts are in the WAL", () => {
    assert.ok(fs.statSync(wal()).size > 0, "the writes are in the WAL, not yet in the database file");
    for (const value of allOf(ciphers)) assert.ok(contains(wal(), value), "the search reads the bytes the writes went to");
    for (const f of [file, wal()]) assert.ok(!containsAnyEncoding(f, MARKER), `${path.basename(f)} holds no plaintext`);
  });

  test("after a checkpoint, the marker is in neither file, and the ciphertexts are now in the database file", () => {
    const [result] = db.$client.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
    assert.equal(result?.busy, 0);
    assert.equal(fs.statSync(wal()).size, 0);
    for (const value of allOf(ciphers)) assert.ok(contains(file, value));
    for (const f of [file, wal()]) assert.ok(!containsAnyEncoding(f, MARKER), `${path.basename(f)} holds no plaintext`);
  });

  test("the requester and the supporter still read it in full", () => {
    for (const viewer of [requester.viewer(), sam.viewer()]) {
      const view = requests.getRequestForViewer(viewer, requestId);
      assert.equal(view.message, `My line manager keeps singling me out. ${MARKER}`);
      assert.equal(view.safeContact, `Personal mobile 07700 900123 after 6pm, not at work. ${MARKER}`);
      assert.deepEqual(view.messages.map((m) => m.body), [`Thank you. It happened again today. ${MARKER}`, `I can meet you off site on Thursday. ${MARKER}`]);
    }
  });

  test("a ciphertext copied into another row or column fails to decrypt instead of showing the text there", () => {
    // An attacker with write access to the file (not the key) moves a ciphertext to a request they can read.
    const attacker = person();
    const other = requests.createRequest(attacker.viewer(), ask(sam, { message: "Something else entirely.", safeContact: "Work phone." })).id;
    requests.addMessage(attacker.viewer(), other, "A message of my own.");

    db.$client.prepare("UPDATE support_requests SET message_cipher = ? WHERE id = ?").run(ciphers.message, other);
    assert.throws(() => requests.getRequestForViewer(attacker.viewer(), other), crypto.DecryptionError);
    // Into another column of the same row: bound to the column too.
    db.$client.prepare("UPDATE support_requests SET safe_contact_cipher = ? WHERE id = ?").run(ciphers.message, requestId);
    assert.throws(() => requests.getRequestForViewer(requester.viewer(), requestId), crypto.DecryptionError);
    db.$client.prepare("UPDATE support_requests SET safe_contact_cipher = ? WHERE id = ?").run(ciphers.safeContact, requestId);
    // A conversation message moved into another request's conversation.
    db.$client.prepare("UPDATE request_messages SET body_cipher = ? WHERE request_id = ?").run(ciphers.bodies[0], other);
    db.$client.prepare("UPDATE support_requests SET message_cipher = NULL WHERE id = ?").run(other);
    assert.throws(() => requests.getRequestForViewer(attacker.viewer(), other), crypto.DecryptionError);

    // The original is untouched and still readable.
    assert.equal(requests.getRequestForViewer(requester.viewer(), requestId).safeContact, `Personal mobile 07700 900123 after 6pm, not at work. ${MARKER}`);
    // The copies go with their request (erased by its requester), so that the last test below can look for the
    // originals' ciphertexts in the files.
    requests.eraseRequestNow(attacker.viewer(), other);
  });

  test("after the retention erase and its checkpoint, the ciphertexts are gone from the database file and the WAL", async () => {
    clockLib.clock.now = () => new Date(Date.now() - 100 * DAY);
    try {
      requests.closeRequest(sam.viewer(), requestId, "resolved");
    } finally {
      clockLib.clock.now = () => new Date();
    }
    const summary = await maintenance.runMaintenance();
    assert.equal(summary.erased, 1);
    // runMaintenance checkpoints before sending mail; mail bookkeeping may have written to the WAL since.
    assert.equal(maintenance.checkpointWal(), true);
    assert.equal(fs.statSync(wal()).size, 0);
    for (const f of [file, wal()]) {
      assert.ok(!containsAnyEncoding(f, MARKER), `${path.basename(f)} holds no plaintext`);
      for (const value of allOf(ciphers)) assert.ok(!contains(f, value), `${path.basename(f)} no longer holds a ciphertext`);
      // Not even a fragment: the random middle part (IV and body) of each ciphertext.
      for (const value of allOf(ciphers)) assert.ok(!contains(f, value.split(".")[2]!.slice(0, 24)), `${path.basename(f)} holds no fragment`);
    }
    // What stays for reports.
    const row = db.$client.prepare("SELECT category, protected_characteristic, outcome, status, erased_at FROM support_requests WHERE id = ?").get(requestId) as Record<string, unknown>;
    assert.deepEqual({ ...row, erased_at: typeof row.erased_at }, { category: "discrimination", protected_characteristic: "race", outcome: "resolved", status: "closed", erased_at: "number" });
  });
});
