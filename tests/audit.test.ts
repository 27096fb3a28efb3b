import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import { extraDatabase, freshDatabase } from "./helpers";

type AuditModule = typeof import("@/lib/audit");
type ClockModule = typeof import("@/lib/clock");

type Row = {
  seq: number;
  at: number;
  actor_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string;
  prev_hash: string;
  hash: string;
};

const GENESIS = "0".repeat(64);

let db: Db;
let auditLib: AuditModule;
let clockLib: ClockModule;

before(async () => {
  ({ db } = await freshDatabase());
  auditLib = await import("@/lib/audit");
  clockLib = await import("@/lib/clock");
});

const rows = (target: Db): Row[] => target.$client.prepare("SELECT * FROM audit_events ORDER BY seq").all() as Row[];

// A small chain of five events in the given database.
function writeChain(target: Db): Row[] {
  const actions = ["auth.sign_in", "request.read", "request.status_changed", "report.exported", "role.granted"];
  for (const [i, action] of actions.entries()) {
    auditLib.audit({ actorId: `user-${i}`, action, objectType: "request", objectId: `opaque-${i}`, outcome: "success" }, target);
  }
  return rows(target);
}

// Simulates an attacker with access to the file: the append-only triggers are gone.
function dropTriggers(target: Db): void {
  target.$client.exec("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;");
}

describe("audit log", () => {
  test("audit() appends events whose prev_hash links to the previous hash, the first to 64 zeros", () => {
    const realNow = clockLib.clock.now;
    const fixed = new Date("2026-01-05T09:30:00.000Z");
    clockLib.clock.now = () => fixed;
    try {
      auditLib.audit({ actorId: "u1", action: "auth.sign_in", objectType: "user", objectId: "u1", outcome: "success" }, db);
    } finally {
      clockLib.clock.now = realNow;
    }
    auditLib.audit({ actorId: null, action: "request.origin_rejected", outcome: "denied" }, db);
    auditLib.audit({ actorId: "u2", action: "access.denied", objectType: "request", outcome: "denied" });

    const events = rows(db);
    assert.equal(events.length, 3);
    assert.equal(events[0]!.prev_hash, GENESIS);
    assert.equal(events[0]!.at, fixed.getTime(), "the time comes from the clock");
    assert.equal(events[0]!.actor_id, "u1");
    assert.equal(events[0]!.object_id, "u1");
    assert.equal(events[1]!.actor_id, null);
    assert.equal(events[1]!.object_type, null);
    assert.equal(events[1]!.outcome, "denied");
    for (let i = 1; i < events.length; i++) assert.equal(events[i]!.prev_hash, events[i - 1]!.hash);
    for (const e of events) assert.match(e.hash, /^[0-9a-f]{64}$/);
    assert.equal(new Set(events.map((e) => e.hash)).size, events.length, "hashes are distinct");
  });

  test("verifyAuditChain returns ok with the number of events", () => {
    assert.deepEqual(auditLib.verifyAuditChain(db), { ok: true, events: 3 });
    auditLib.audit({ actorId: "u3", action: "request.read", objectType: "request", objectId: "r1", outcome: "success" }, db);
    assert.deepEqual(auditLib.verifyAuditChain(db), { ok: true, events: 4 });
  });

  test("an empty log verifies as ok with no events", async () => {
    const { db: empty } = await extraDatabase();
    assert.deepEqual(auditLib.verifyAuditChain(empty), { ok: true, events: 0 });
  });

  test("UPDATE on audit_events is refused by the append-only trigger", () => {
    const before = rows(db);
    assert.throws(() => db.$client.prepare("UPDATE audit_events SET action = 'nothing.happened' WHERE seq = 1").run(), {
      message: /audit_events is append-only/,
    });
    assert.throws(() => db.$client.prepare("UPDATE audit_events SET hash = prev_hash").run(), {
      message: /audit_events is append-only/,
    });
    assert.deepEqual(rows(db), before);
  });

  test("DELETE on audit_events is refused by the append-only trigger", () => {
    const before = rows(db);
    assert.throws(() => db.$client.prepare("DELETE FROM audit_events WHERE seq = 2").run(), {
      message: /audit_events is append-only/,
    });
    assert.throws(() => db.$client.prepare("DELETE FROM audit_events").run(), { message: /audit_events is append-only/ });
    assert.deepEqual(rows(db), before);
    assert.equal(auditLib.verifyAuditChain(db).ok, true);
  });

  test("with the triggers dropped, editing one event's action is detected at that event", async () => {
    const { db: target } = await extraDatabase();
    const events = writeChain(target);
    assert.deepEqual(auditLib.verifyAuditChain(target), { ok: true, events: 5 });
    dropTriggers(target);
    const victim = events[2]!;
    target.$client.prepare("UPDATE audit_events SET action = 'nothing.happened' WHERE seq = ?").run(victim.seq);
    assert.deepEqual(auditLib.verifyAuditChain(target), { ok: false, events: 2, brokenAt: victim.seq });
  });

  test("with the triggers dropped, editing an event's outcome or object id is detected too", async () => {
    const { db: target } = await extraDatabase();
    const events = writeChain(target);
    dropTriggers(target);
    target.$client.prepare("UPDATE audit_events SET outcome = 'denied' WHERE seq = ?").run(events[3]!.seq);
    assert.deepEqual(auditLib.verifyAuditChain(target), { ok: false, events: 3, brokenAt: events[3]!.seq });

    const { db: other } = await extraDatabase();
    const more = writeChain(other);
    dropTriggers(other);
    other.$client.prepare("UPDATE audit_events SET object_id = 'someone-else' WHERE seq = ?").run(more[0]!.seq);
    assert.deepEqual(auditLib.verifyAuditChain(other), { ok: false, events: 0, brokenAt: more[0]!.seq });
  });

  test("with the triggers dropped, deleting a middle event is detected at the event after it", async () => {
    const { db: target } = await extraDatabase();
    const events = writeChain(target);
    dropTriggers(target);
    target.$client.prepare("DELETE FROM audit_events WHERE seq = ?").run(events[2]!.seq);
    assert.deepEqual(auditLib.verifyAuditChain(target), { ok: false, events: 2, brokenAt: events[3]!.seq });
  });

  test("the audit_events table has no column that could hold content", () => {
    const columns = (db.$client.prepare("PRAGMA table_info(audit_events)").all() as { name: string }[]).map((c) => c.name);
    assert.deepEqual(columns, [
      "seq",
      "at",
      "actor_id",
      "action",
      "object_type",
      "object_id",
      "outcome",
      "prev_hash",
      "hash",
    ]);
  });
});
