import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import { freshDatabase } from "./helpers";

type RateLimitModule = typeof import("@/lib/rate-limit");
type ClientModule = typeof import("@/db/client");
type AuditModule = typeof import("@/lib/audit");

let db: Db;
let file: string;
let rl: RateLimitModule;
let client: ClientModule;
let auditLib: AuditModule;

before(async () => {
  ({ db, file } = await freshDatabase());
  rl = await import("@/lib/rate-limit");
  client = await import("@/db/client");
  auditLib = await import("@/lib/audit");
});

// Windows start on whole minutes since the epoch; these tests pick times inside known windows.
const MINUTE = 60_000;
const WINDOW = Date.UTC(2026, 10, 25, 9, 30, 0);
const at = (ms: number) => new Date(WINDOW + ms);

type Row = { key: string; window_start: number; count: number };
type AuditRow = { actor_id: string | null; action: string; object_type: string | null; object_id: string | null; outcome: string };
const auditSeq = (): number => db.$client.prepare("SELECT coalesce(max(seq), 0) FROM audit_events").pluck().get() as number;
const auditAfter = (seq: number): AuditRow[] =>
  db.$client.prepare("SELECT actor_id, action, object_type, object_id, outcome FROM audit_events WHERE seq > ? ORDER BY seq").all(seq) as AuditRow[];

const rows = (key?: string): Row[] =>
  (key
    ? db.$client.prepare("SELECT key, window_start, count FROM rate_limits WHERE key = ? ORDER BY window_start").all(key)
    : db.$client.prepare("SELECT key, window_start, count FROM rate_limits ORDER BY key, window_start").all()) as Row[];

describe("fixed-window rate limits", () => {
  test("allows the limit within a window, then refuses with the seconds left in the window", () => {
    const limiter = { name: "t-basic", limit: 30, windowMs: MINUTE };
    for (let i = 1; i <= 30; i++) {
      const result = rl.hitRateLimit(limiter, "user-a", { now: at(15_000 + i) });
      assert.deepEqual(result, { ok: true, count: i, remaining: 30 - i }, `request ${i}`);
    }
    const refused = rl.hitRateLimit(limiter, "user-a", { now: at(15_500) });
    assert.equal(refused.ok, false);
    // 15.5 s into a 60 s window: 44.5 s left, rounded up.
    assert.deepEqual(refused, { ok: false, count: 31, retryAfterSeconds: 45 });
    // Refused requests still count, and stay refused until the window ends.
    const again = rl.hitRateLimit(limiter, "user-a", { now: at(59_999) });
    assert.deepEqual(again, { ok: false, count: 32, retryAfterSeconds: 1 });
    assert.deepEqual(rows("t-basic:user-a"), [{ key: "t-basic:user-a", window_start: WINDOW, count: 32 }]);
  });

  test("a new window starts from zero", () => {
    const limiter = { name: "t-window", limit: 2, windowMs: MINUTE };
    assert.equal(rl.hitRateLimit(limiter, "u", { now: at(1_000) }).ok, true);
    assert.equal(rl.hitRateLimit(limiter, "u", { now: at(2_000) }).ok, true);
    assert.equal(rl.hitRateLimit(limiter, "u", { now: at(3_000) }).ok, false);
    const next = rl.hitRateLimit(limiter, "u", { now: at(MINUTE) });
    assert.deepEqual(next, { ok: true, count: 1, remaining: 1 });
  });

  test("each person and each limiter counts separately", () => {
    const a = { name: "t-sep-a", limit: 1, windowMs: MINUTE };
    const b = { name: "t-sep-b", limit: 1, windowMs: MINUTE };
    assert.equal(rl.hitRateLimit(a, "alice", { now: at(0) }).ok, true);
    assert.equal(rl.hitRateLimit(a, "alice", { now: at(1) }).ok, false);
    assert.equal(rl.hitRateLimit(a, "bob", { now: at(2) }).ok, true, "another person");
    assert.equal(rl.hitRateLimit(b, "alice", { now: at(3) }).ok, true, "another limiter");
  });

  test("keys hold the limiter's name and an opaque subject, nothing else", () => {
    assert.equal(rl.rateLimitKey(rl.STAFF_SEARCH_LIMIT, "0b5e…id"), "staff-search:0b5e…id");
    assert.deepEqual(
      { limit: rl.STAFF_SEARCH_LIMIT.limit, windowMs: rl.STAFF_SEARCH_LIMIT.windowMs },
      { limit: 30, windowMs: MINUTE },
    );
  });

  test("old windows of a limiter are pruned once a new window starts, other limiters' rows are left alone", () => {
    const limiter = { name: "t-prune", limit: 5, windowMs: MINUTE };
    // A limiter whose name starts the same way keeps its rows: the range is the name and its colon exactly.
    const neighbour = { name: "t-prune-x", limit: 5, windowMs: MINUTE };
    const start = WINDOW + 10 * MINUTE;
    for (const subject of ["a", "b", "c"]) rl.hitRateLimit(limiter, subject, { now: new Date(start + 1) });
    rl.hitRateLimit(neighbour, "a", { now: new Date(start + 1) });
    assert.equal(rows().filter((r) => r.key.startsWith("t-prune:")).length, 3);

    rl.hitRateLimit(limiter, "a", { now: new Date(start + MINUTE + 1) });
    const left = rows().filter((r) => r.key.startsWith("t-prune"));
    assert.deepEqual(
      left.map((r) => [r.key, r.window_start - start]),
      [
        ["t-prune-x:a", 0],
        ["t-prune:a", MINUTE],
      ],
    );
  });

  test("two connections counting the same key never hand out the same count", () => {
    const other = client.openDatabase(file);
    try {
      const limiter = { name: "t-race", limit: 1000, windowMs: MINUTE };
      const counts: number[] = [];
      for (let i = 0; i < 50; i++) {
        const connection = i % 2 === 0 ? db : other;
        const result = rl.hitRateLimit(limiter, "shared", { now: at(20_000), db: connection });
        counts.push(result.count);
      }
      assert.deepEqual(counts, Array.from({ length: 50 }, (_, i) => i + 1));
      assert.equal(rows("t-race:shared")[0]?.count, 50);
    } finally {
      other.$client.close();
    }
  });

  test("uses the shared clock when no time is given", async () => {
    const { clock } = await import("@/lib/clock");
    const realNow = clock.now;
    clock.now = () => at(30_000);
    try {
      const limiter = { name: "t-clock", limit: 1, windowMs: MINUTE };
      rl.hitRateLimit(limiter, "u");
      const refused = rl.hitRateLimit(limiter, "u");
      assert.deepEqual(refused, { ok: false, count: 2, retryAfterSeconds: 30 });
      assert.equal(rows("t-clock:u")[0]?.window_start, WINDOW);
    } finally {
      clock.now = realNow;
    }
  });
});

describe("rate limits counted in memory (the staff search)", () => {
  test("allows the limit within a window, then refuses with the seconds left, without writing while within it", () => {
    const limiter = { name: "m-basic", limit: 30, windowMs: MINUTE };
    for (let i = 1; i <= 30; i++) {
      const result = rl.hitMemoryRateLimit(limiter, "user-a", { now: at(15_000 + i) });
      assert.deepEqual(result, { ok: true, count: i, remaining: 30 - i }, `request ${i}`);
    }
    assert.deepEqual(rows("m-basic:user-a"), [], "nothing is written for searches within the limit");
    const refused = rl.hitMemoryRateLimit(limiter, "user-a", { now: at(15_500) });
    assert.deepEqual(refused, { ok: false, count: 31, retryAfterSeconds: 45 });
    const again = rl.hitMemoryRateLimit(limiter, "user-a", { now: at(59_999) });
    assert.deepEqual(again, { ok: false, count: 32, retryAfterSeconds: 1 });
    // The first refusal is recorded once; later ones in the same window write nothing more.
    assert.deepEqual(rows("m-basic:user-a"), [{ key: "m-basic:user-a", window_start: WINDOW, count: 31 }]);
  });

  test("a new window starts from zero", () => {
    const limiter = { name: "m-window", limit: 2, windowMs: MINUTE };
    assert.equal(rl.hitMemoryRateLimit(limiter, "u", { now: at(1_000) }).ok, true);
    assert.equal(rl.hitMemoryRateLimit(limiter, "u", { now: at(2_000) }).ok, true);
    assert.equal(rl.hitMemoryRateLimit(limiter, "u", { now: at(3_000) }).ok, false);
    assert.deepEqual(rl.hitMemoryRateLimit(limiter, "u", { now: at(MINUTE) }), { ok: true, count: 1, remaining: 1 });
    assert.deepEqual(rl.hitMemoryRateLimit(limiter, "u", { now: at(2 * MINUTE + 5) }), { ok: true, count: 1, remaining: 1 });
  });

  test("each person and each limiter counts separately", () => {
    const a = { name: "m-sep-a", limit: 1, windowMs: MINUTE };
    const b = { name: "m-sep-b", limit: 1, windowMs: MINUTE };
    assert.equal(rl.hitMemoryRateLimit(a, "alice", { now: at(0) }).ok, true);
    assert.equal(rl.hitMemoryRateLimit(a, "alice", { now: at(1) }).ok, false);
    assert.equal(rl.hitMemoryRateLimit(a, "bob", { now: at(2) }).ok, true, "another person");
    assert.equal(rl.hitMemoryRateLimit(b, "alice", { now: at(3) }).ok, true, "another limiter");
    assert.equal(rl.hitMemoryRateLimit(a, "alice", { now: at(MINUTE) }).ok, true, "alice again in the next window");
  });

  test("a refusal recorded in the database holds for a process that has not counted the person yet (a restart)", () => {
    const limiter = { name: "m-restart", limit: 3, windowMs: MINUTE };
    db.$client.prepare("INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)").run("m-restart:carol", WINDOW, 4);
    assert.deepEqual(rl.hitMemoryRateLimit(limiter, "carol", { now: at(30_000) }), { ok: false, count: 5, retryAfterSeconds: 30 });
    // An old window's row is no refusal now.
    db.$client.prepare("INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)").run("m-restart:dan", WINDOW - MINUTE, 9);
    assert.deepEqual(rl.hitMemoryRateLimit(limiter, "dan", { now: at(30_000) }), { ok: true, count: 1, remaining: 2 });
  });

  test("the staff search limit is counted in memory: 30 searches a minute, then 429", async () => {
    const { clock } = await import("@/lib/clock");
    const realNow = clock.now;
    clock.now = () => at(10 * MINUTE + 5_000);
    try {
      const statuses = Array.from({ length: 31 }, () => rl.hitMemoryRateLimit(rl.STAFF_SEARCH_LIMIT, "searcher").ok);
      assert.deepEqual(statuses, [...Array<boolean>(30).fill(true), false]);
      assert.equal(rl.hitMemoryRateLimit(rl.STAFF_SEARCH_LIMIT, "someone-else").ok, true);
      assert.equal(rows("staff-search:searcher")[0]?.count, 31);
    } finally {
      clock.now = realNow;
    }
  });
  test("the first refusal in a window is audited once, naming the person and the limiter and nothing they asked for", () => {
    const limiter = { name: "m-audit", limit: 3, windowMs: MINUTE, objectType: "m_audit" };
    const refused = (actorId: string | null): AuditRow => ({ actor_id: actorId, action: "rate_limit.refused", object_type: "m_audit", object_id: null, outcome: "denied" });
    const start = auditSeq();
    for (let i = 1; i <= 3; i++) assert.equal(rl.hitMemoryRateLimit(limiter, "erin", { now: at(1_000 + i), actorId: "erin-id" }).ok, true);
    assert.deepEqual(auditAfter(start), [], "searches within the limit are not audited");

    assert.equal(rl.hitMemoryRateLimit(limiter, "erin", { now: at(2_000), actorId: "erin-id" }).ok, false);
    assert.deepEqual(auditAfter(start), [refused("erin-id")]);
    // More refusals in the same window: one event already says who went over the limit and when.
    for (let i = 0; i < 20; i++) assert.equal(rl.hitMemoryRateLimit(limiter, "erin", { now: at(3_000 + i), actorId: "erin-id" }).ok, false);
    assert.deepEqual(auditAfter(start), [refused("erin-id")]);

    // Someone else going over the limit, and Erin again in the next window, are each a refusal of their own.
    for (let i = 0; i < 4; i++) rl.hitMemoryRateLimit(limiter, "finn", { now: at(4_000 + i), actorId: "finn-id" });
    for (let i = 0; i < 4; i++) rl.hitMemoryRateLimit(limiter, "erin", { now: at(MINUTE + i), actorId: "erin-id" });
    assert.deepEqual(auditAfter(start), [refused("erin-id"), refused("finn-id"), refused("erin-id")]);
    // The events extend the hash chain like any other.
    assert.equal(auditLib.verifyAuditChain(db).ok, true);
  });

  test("a refusal already recorded before a restart is not audited again; a limiter without an object type is named by its name", () => {
    const restarted = { name: "m-audit-restart", limit: 2, windowMs: MINUTE };
    db.$client.prepare("INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)").run("m-audit-restart:gus", WINDOW, 3);
    const start = auditSeq();
    assert.equal(rl.hitMemoryRateLimit(restarted, "gus", { now: at(5_000), actorId: "gus-id" }).ok, false);
    assert.deepEqual(auditAfter(start), [], "the refusal recorded before the restart was audited then");

    for (let i = 0; i < 3; i++) rl.hitMemoryRateLimit(restarted, "hana", { now: at(6_000 + i) });
    assert.deepEqual(auditAfter(start), [
      { actor_id: null, action: "rate_limit.refused", object_type: "m-audit-restart", object_id: null, outcome: "denied" },
    ]);
  });

  test("the staff search's refusal is audited as rate_limit.refused of staff_search", async () => {
    const { clock } = await import("@/lib/clock");
    const realNow = clock.now;
    clock.now = () => at(20 * MINUTE + 5_000);
    try {
      const start = auditSeq();
      for (let i = 0; i < 35; i++) rl.hitMemoryRateLimit(rl.STAFF_SEARCH_LIMIT, "ivan", { actorId: "ivan-id" });
      assert.deepEqual(auditAfter(start), [
        { actor_id: "ivan-id", action: rl.RATE_LIMIT_REFUSED, object_type: "staff_search", object_id: null, outcome: "denied" },
      ]);
      assert.equal(rl.RATE_LIMIT_REFUSED, "rate_limit.refused");
    } finally {
      clock.now = realNow;
    }
  });
});
