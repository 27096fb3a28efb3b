import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { factories } from "./factories";
import { freshDatabase } from "./helpers";

// Issue 7, item 7: feedback to the Equality Unit. Written and read through the real data access layer on a real
// SQLite file: anonymous feedback keeps nothing that leads back to its sender, the text is encrypted at rest, and
// only the Equality Unit can list, archive and restore it.

type FeedbackModule = typeof import("@/db/queries/feedback");
type ValidationModule = typeof import("@/db/validation/feedback");
type UsersModule = typeof import("@/db/queries/users");
type ErrorsModule = typeof import("@/lib/errors");
type CryptoModule = typeof import("@/lib/crypto");
type ClockModule = typeof import("@/lib/clock");

let db: Db;
let file: string;
let make: ReturnType<typeof factories>;
let queries: FeedbackModule;
let validation: ValidationModule;
let users: UsersModule;
let errors: ErrorsModule;
let crypto: CryptoModule;
let clockLib: ClockModule;
let realNow: () => Date;

// Every feedback text in this file carries the marker, so a plaintext match in the files can only come from here.
const MARKER = `FEEDBACK-MARKER-${randomUUID()}`;
// A quarter past two in the afternoon in London (BST): not the start of any day.
const NOW = new Date("2026-06-10T13:15:42.123Z");

before(async () => {
  ({ db, file } = await freshDatabase());
  make = factories(db);
  queries = await import("@/db/queries/feedback");
  validation = await import("@/db/validation/feedback");
  users = await import("@/db/queries/users");
  errors = await import("@/lib/errors");
  crypto = await import("@/lib/crypto");
  clockLib = await import("@/lib/clock");
  realNow = clockLib.clock.now;
  clockLib.clock.now = () => NOW;
});

after(() => {
  clockLib.clock.now = realNow;
});

function viewerFor(userId: string): SessionUser {
  const viewer = users.loadSessionUser(userId);
  assert.ok(viewer, "the user loads");
  return viewer;
}

function staff(name = "Sid Staff"): SessionUser {
  return viewerFor(make.insertUser(`${name} ${randomUUID().slice(0, 6)}`));
}

function equalityUnit(): SessionUser {
  const id = make.insertUser(`Eva Equality ${randomUUID().slice(0, 6)}`);
  db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(id);
  return viewerFor(id);
}

function input(overrides: Record<string, string | undefined> = {}) {
  const raw: Record<string, string> = { topic: "networks", body: `The network pages are clear. ${MARKER}` };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete raw[key];
    else raw[key] = value;
  }
  const parsed = validation.FeedbackInput.safeParse(raw);
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  return parsed.data;
}

type FeedbackRow = { id: string; user_id: string | null; body_cipher: string; volunteer: number; created_at: number; archived_at: number | null; archived_by: string | null };
const allFeedback = () => db.$client.prepare("SELECT * FROM feedback").all() as FeedbackRow[];
const feedbackCount = () => (db.$client.prepare("SELECT count(*) AS n FROM feedback").get() as { n: number }).n;
const newRows = (before: Set<string>) => allFeedback().filter((row) => !before.has(row.id));
const ids = () => new Set(allFeedback().map((row) => row.id));

function sendOne(viewer: SessionUser, data: ReturnType<typeof input>): FeedbackRow {
  const before = ids();
  assert.deepEqual(queries.sendFeedback(viewer, data), { ok: true });
  const rows = newRows(before);
  assert.equal(rows.length, 1);
  return rows[0]!;
}

function assertNotFound(work: () => unknown, message: string): void {
  assert.throws(work, (error: unknown) => error instanceof errors.NotFoundError, message);
}

describe("validation", () => {
  test("the text is required, trimmed, and limited to 2,000 characters, a line break counting as one", () => {
    for (const body of [undefined, "", "   ", "\r\n\n"]) {
      const result = validation.FeedbackInput.safeParse({ body });
      assert.ok(!result.success, JSON.stringify(body));
      assert.deepEqual(result.error.flatten().fieldErrors.body, ["Enter your feedback"]);
    }
    assert.equal(input({ body: "x".repeat(2000) }).body.length, 2000);
    assert.equal(input({ body: "  padded  " }).body, "padded");
    const long = validation.FeedbackInput.safeParse({ body: "x".repeat(2001) });
    assert.ok(!long.success);
    assert.deepEqual(long.error.flatten().fieldErrors.body, ["Your feedback must be 2,000 characters or fewer"]);
    // 1,000 CRLF line breaks, as a browser sends them, are 1,000 characters, not 2,000.
    const lines = `${"a\r\n".repeat(666)}ab`;
    assert.equal(input({ body: lines }).body.length, 666 * 2 + 2);
    assert.ok(validation.FeedbackInput.safeParse({ body: `${"\r\n".repeat(1999)}z` }).success);
  });

  test("the topic is optional, and only the topics offered are accepted", () => {
    assert.equal(input({ topic: undefined }).topic, null);
    assert.equal(input({ topic: "" }).topic, null);
    for (const topic of validation.FEEDBACK_TOPICS) assert.equal(input({ topic: topic.value }).topic, topic.value);
    for (const topic of ["Networks", "other", "<script>", " networks"]) {
      const result = validation.FeedbackInput.safeParse({ body: "Hello", topic });
      assert.ok(!result.success, topic);
      assert.deepEqual(Object.keys(result.error.flatten().fieldErrors), ["topic"]);
    }
  });

  test("the boxes are ticked only by their own values; anything else is refused, never read as unticked", () => {
    const plain = input();
    assert.equal(plain.anonymous, false);
    assert.equal(plain.volunteer, false);
    assert.equal(input({ anonymous: "anonymous" }).anonymous, true);
    assert.equal(input({ volunteer: "volunteer" }).volunteer, true);
    for (const [field, value] of [["anonymous", "yes"], ["anonymous", "on"], ["anonymous", ""], ["volunteer", "true"]] as const) {
      const result = validation.FeedbackInput.safeParse({ body: "Hello", [field]: value });
      assert.ok(!result.success, `${field}=${value}`);
      assert.deepEqual(Object.keys(result.error.flatten().fieldErrors), [field]);
    }
  });

  test("volunteering for focus groups and sending anonymously together are refused, with the reason", () => {
    const result = validation.FeedbackInput.safeParse({ body: "Hello", anonymous: "anonymous", volunteer: "volunteer" });
    assert.ok(!result.success);
    assert.deepEqual(result.error.flatten().fieldErrors, { volunteer: [validation.VOLUNTEER_NEEDS_NAME] });
    assert.match(validation.VOLUNTEER_NEEDS_NAME, /we need it to invite you/);
  });

  test("list and archive parameters", () => {
    assert.deepEqual(validation.FeedbackListQuery.parse({}), { status: "new", page: 1 });
    assert.deepEqual(validation.FeedbackListQuery.parse({ status: "archived", page: "3", outcome: "restored" }), { status: "archived", page: 3, outcome: "restored" });
    assert.deepEqual(validation.FeedbackListQuery.parse({ status: "deleted", page: "-1", outcome: "x" }), { status: "new", page: 1, outcome: undefined });
    assert.ok(!validation.FeedbackArchiveInput.safeParse({ feedbackId: "1 or 1=1" }).success);
    assert.ok(validation.FeedbackArchiveInput.safeParse({ feedbackId: randomUUID() }).success);
  });
});

describe("sending feedback", () => {
  test("named feedback keeps the sender, the volunteering and the exact time, and is audited with actor and id", () => {
    const fern = staff("Fern");
    const seq = make.lastSeq();
    const row = sendOne(fern, input({ volunteer: "volunteer" }));
    assert.equal(row.user_id, fern.id);
    assert.equal(row.volunteer, 1);
    assert.equal(row.created_at, NOW.getTime());
    assert.equal(row.archived_at, null);
    const stored = JSON.parse(crypto.decryptField(row.body_cipher, { table: "feedback", column: "body_cipher", rowId: row.id })) as unknown;
    assert.deepEqual(stored, { topic: "networks", text: `The network pages are clear. ${MARKER}` });
    assert.deepEqual(
      make.auditSince(seq).map(({ actor_id, action, object_type, object_id, outcome }) => ({ actor_id, action, object_type, object_id, outcome })),
      [{ actor_id: fern.id, action: "feedback.sent", object_type: "feedback", object_id: row.id, outcome: "success" }],
    );
  });

  test("anonymous feedback stores no user id, is dated by day only, and its audit event has no actor and no object id", () => {
    const sender = staff("Anon");
    const seq = make.lastSeq();
    const row = sendOne(sender, input({ anonymous: "anonymous", topic: "asking-for-support" }));
    assert.equal(row.user_id, null);
    assert.equal(row.volunteer, 0);
    // 10 June in London, and nothing finer.
    assert.equal(new Date(row.created_at).toISOString(), "2026-06-10T00:00:00.000Z");
    const events = make.auditSince(seq);
    assert.deepEqual(
      events.map(({ actor_id, action, object_type, object_id, outcome }) => ({ actor_id, action, object_type, object_id, outcome })),
      [{ actor_id: null, action: "feedback.sent", object_type: "feedback", object_id: null, outcome: "success" }],
    );
    // Nothing in the row, the audit log or the rate-limit counters mentions the sender's id.
    const rowText = JSON.stringify(db.$client.prepare("SELECT * FROM feedback WHERE id = ?").get(row.id));
    assert.ok(!rowText.includes(sender.id));
    const auditText = JSON.stringify(db.$client.prepare("SELECT * FROM audit_events WHERE seq > ?").all(seq));
    assert.ok(!auditText.includes(sender.id));
    assert.ok(!auditText.includes(row.id));
    const limits = db.$client.prepare("SELECT key FROM rate_limits WHERE key LIKE 'feedback:%'").all() as { key: string }[];
    assert.ok(limits.length > 0, "the rate limit counted it");
    for (const { key } of limits) assert.ok(!key.includes(sender.id), "the counter's key is not the user id");
  });

  test("volunteering anonymously is refused by the data layer too, and nothing is written", () => {
    const sender = staff();
    const before = feedbackCount();
    const seq = make.lastSeq();
    assert.throws(() => queries.sendFeedback(sender, { topic: null, body: `x ${MARKER}`, anonymous: true, volunteer: true }));
    assert.equal(feedbackCount(), before);
    assert.deepEqual(make.auditSince(seq), []);
  });

  test("five an hour per person, anonymous or not; the sixth is refused, audited and not stored", () => {
    const busy = staff("Busy");
    for (let i = 0; i < 5; i += 1) sendOne(busy, input({ anonymous: i % 2 === 0 ? "anonymous" : undefined }));
    const before = feedbackCount();
    const seq = make.lastSeq();
    const refused = queries.sendFeedback(busy, input({ anonymous: "anonymous" }));
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.retryAfterSeconds > 0 && refused.retryAfterSeconds <= 3600);
    assert.equal(feedbackCount(), before);
    assert.deepEqual(
      make.auditSince(seq).map(({ actor_id, action, object_id, outcome }) => ({ actor_id, action, object_id, outcome })),
      [{ actor_id: null, action: "feedback.rate_limited", object_id: null, outcome: "denied" }],
    );
    // Someone else is not affected, and the next hour starts afresh.
    sendOne(staff(), input());
    clockLib.clock.now = () => new Date(NOW.getTime() + 3_600_000);
    try {
      sendOne(busy, input());
    } finally {
      clockLib.clock.now = () => NOW;
    }
  });

  test("the text is not in the database file or its WAL as plain text, before or after a checkpoint", () => {
    const row = sendOne(staff(), input({ anonymous: "anonymous", body: `Anonymous words ${MARKER}` }));
    const bytes = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f) : Buffer.alloc(0));
    const holds = (f: string, text: string) =>
      bytes(f).includes(Buffer.from(text, "utf8")) || bytes(f).includes(Buffer.from(text, "utf16le"));
    const files = [file, `${file}-wal`];
    // The search reads the bytes the writes went to: the ciphertext is there.
    assert.ok(files.some((f) => holds(f, row.body_cipher)));
    for (const f of files) assert.ok(!holds(f, MARKER), `${f} holds no plaintext`);
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    assert.ok(holds(file, row.body_cipher));
    for (const f of files) assert.ok(!holds(f, MARKER), `${f} holds no plaintext after a checkpoint`);
  });

  test("a ciphertext moved to another row does not decrypt there", () => {
    const eu = equalityUnit();
    const a = sendOne(staff(), input({ body: `First ${MARKER}` }));
    const b = sendOne(staff(), input({ body: `Second ${MARKER}` }));
    db.$client.prepare("UPDATE feedback SET body_cipher = ? WHERE id = ?").run(a.body_cipher, b.id);
    const all = [...queries.listFeedback(eu, "new", 1).items];
    for (let page = 2; page <= queries.listFeedback(eu, "new", 1).pageCount; page += 1) all.push(...queries.listFeedback(eu, "new", page).items);
    assert.equal(all.find((item) => item.id === b.id)?.text, null, "unreadable, not the other row's text");
    assert.equal(all.find((item) => item.id === a.id)?.text, `First ${MARKER}`);
    db.$client.prepare("DELETE FROM feedback WHERE id IN (?, ?)").run(a.id, b.id);
  });
});

describe("the Equality Unit's list", () => {
  // A clean slate, so that counts and order are this block's alone.
  before(() => {
    db.$client.prepare("DELETE FROM feedback").run();
  });

  test("newest first, 20 a page, with names for named feedback and none for anonymous", () => {
    const eu = equalityUnit();
    const named = staff("Nina Named");
    const anonymousSender = staff("Andy Anon");
    const sent: { body: string; at: Date }[] = [];
    // 23 named items a minute apart, and one anonymous item (dated by day, so it sorts after today's named ones).
    for (let i = 0; i < 23; i += 1) {
      const at = new Date(NOW.getTime() + i * 60_000);
      clockLib.clock.now = () => at;
      const body = `Named ${i} ${MARKER}`;
      // A new sender every 5, to stay within the rate limit.
      const sender = i < 5 ? named : staff(`Sender ${i}`);
      queries.sendFeedback(sender, input({ body, volunteer: i === 22 ? "volunteer" : undefined, topic: "" }));
      sent.push({ body, at });
    }
    clockLib.clock.now = () => NOW;
    queries.sendFeedback(anonymousSender, input({ anonymous: "anonymous", body: `Anonymous ${MARKER}` }));

    const first = queries.listFeedback(eu, "new", 1);
    assert.equal(first.total, 24);
    assert.deepEqual(first.counts, { new: 24, archived: 0 });
    assert.equal(first.pageCount, 2);
    assert.equal(first.items.length, 20);
    assert.deepEqual(first.items.map((item) => item.text), sent.slice(3).reverse().map((item) => item.body));
    assert.deepEqual(first.items[0], {
      id: first.items[0]!.id,
      createdAt: sent[22]!.at,
      topic: null,
      text: `Named 22 ${MARKER}`,
      sender: { name: first.items[0]!.sender!.name, email: first.items[0]!.sender!.email },
      volunteer: true,
      archivedAt: null,
    });
    assert.match(first.items[0]!.sender!.name, /^Sender 22/);

    const second = queries.listFeedback(eu, "new", 2);
    assert.deepEqual(second.items.map((item) => item.text), [`Named 2 ${MARKER}`, `Named 1 ${MARKER}`, `Named 0 ${MARKER}`, `Anonymous ${MARKER}`]);
    const nina = second.items[0]!;
    assert.equal(nina.sender?.name, named.name);
    assert.equal(nina.sender?.email, named.email);
    const anonymous = second.items[3]!;
    assert.equal(anonymous.sender, null);
    assert.equal(anonymous.topic, "networks");
    // Past the end: the last page.
    assert.equal(queries.listFeedback(eu, "new", 99).page, 2);
  });

  test("archive and restore move an item between the lists, audited once each, and repeating changes nothing", () => {
    const eu = equalityUnit();
    const row = sendOne(staff(), input({ body: `To archive ${MARKER}` }));
    const before = queries.listFeedback(eu, "new", 1).counts;

    let seq = make.lastSeq();
    queries.archiveFeedback(eu, row.id);
    queries.archiveFeedback(eu, row.id);
    const archivedRow = allFeedback().find((r) => r.id === row.id)!;
    assert.equal(archivedRow.archived_at, NOW.getTime());
    assert.equal(archivedRow.archived_by, eu.id);
    assert.deepEqual(
      make.auditSince(seq).map(({ actor_id, action, object_type, object_id }) => ({ actor_id, action, object_type, object_id })),
      [{ actor_id: eu.id, action: "feedback.archived", object_type: "feedback", object_id: row.id }],
    );
    const archivedList = queries.listFeedback(eu, "archived", 1);
    assert.deepEqual(archivedList.counts, { new: before.new - 1, archived: before.archived + 1 });
    assert.deepEqual(archivedList.items.map((item) => item.id), [row.id]);
    assert.equal(archivedList.items[0]!.archivedAt?.getTime(), NOW.getTime());
    assert.ok(!queries.listFeedback(eu, "new", 1).items.some((item) => item.id === row.id));

    seq = make.lastSeq();
    queries.restoreFeedback(eu, row.id);
    queries.restoreFeedback(eu, row.id);
    assert.deepEqual(
      make.auditSince(seq).map(({ action, object_id }) => ({ action, object_id })),
      [{ action: "feedback.restored", object_id: row.id }],
    );
    assert.deepEqual(queries.listFeedback(eu, "new", 1).counts, before);
    const restored = allFeedback().find((r) => r.id === row.id)!;
    assert.equal(restored.archived_at, null);
    assert.equal(restored.archived_by, null);

    assertNotFound(() => queries.archiveFeedback(eu, randomUUID()), "an id that does not exist");
  });

  test("nobody outside the Equality Unit can list, archive or restore feedback (NotFoundError), and nothing changes", () => {
    const row = sendOne(staff(), input({ body: `Private ${MARKER}` }));
    const archived = sendOne(staff(), input({ body: `Archived ${MARKER}` }));
    queries.archiveFeedback(equalityUnit(), archived.id);

    const network = make.insertNetwork("Feedback Test Network");
    const coordinator = make.insertUser("Cora Coordinator");
    make.addCoordinator(network.id, coordinator);
    const supporterUser = make.insertUser("Sam Supporter");
    db.$client
      .prepare(
        `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due)
         VALUES (?, ?, 'active', 'Sergeant', 'Headquarters', '2025-01-10', '2027-01-10')`,
      )
      .run(randomUUID(), supporterUser);
    const revoked = equalityUnit();
    db.$client.prepare("DELETE FROM role_grants WHERE user_id = ?").run(revoked.id);
    const outsiders: Record<string, SessionUser> = {
      staff: staff(),
      "a supporter": viewerFor(supporterUser),
      "a coordinator": viewerFor(coordinator),
      // The session was loaded while the role was held: the statement itself must refuse.
      "an Equality Unit member whose role was just revoked": revoked,
    };
    assert.ok(outsiders["a supporter"]!.supporterId);
    assert.equal(outsiders["a coordinator"]!.coordinates.length, 1);
    assert.equal(revoked.isEqualityUnit, true);

    const snapshot = JSON.stringify(allFeedback());
    const seq = make.lastSeq();
    for (const [who, viewer] of Object.entries(outsiders)) {
      assertNotFound(() => queries.listFeedback(viewer, "new", 1), `${who}: list`);
      assertNotFound(() => queries.listFeedback(viewer, "archived", 1), `${who}: archived list`);
      assertNotFound(() => queries.assertFeedbackAdmin(viewer), `${who}: action guard`);
      assertNotFound(() => queries.archiveFeedback(viewer, row.id), `${who}: archive`);
      assertNotFound(() => queries.restoreFeedback(viewer, archived.id), `${who}: restore`);
    }
    assert.equal(JSON.stringify(allFeedback()), snapshot);
    assert.deepEqual(make.auditSince(seq), []);
  });
});
