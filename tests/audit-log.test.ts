import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { factories } from "./factories";
import { extraDatabase, freshDatabase } from "./helpers";

type LogModule = typeof import("@/db/queries/audit-log");
type ValidationModule = typeof import("@/db/validation/audit-log");
type AuditModule = typeof import("@/lib/audit");
type ClockModule = typeof import("@/lib/clock");
type UsersModule = typeof import("@/db/queries/users");
type ErrorsModule = typeof import("@/lib/errors");

let db: Db;
let make: ReturnType<typeof factories>;
let log: LogModule;
let validation: ValidationModule;
let auditLib: AuditModule;
let clockLib: ClockModule;
let usersLib: UsersModule;
let errors: ErrorsModule;

before(async () => {
  ({ db } = await freshDatabase());
  make = factories(db);
  log = await import("@/db/queries/audit-log");
  validation = await import("@/db/validation/audit-log");
  auditLib = await import("@/lib/audit");
  clockLib = await import("@/lib/clock");
  usersLib = await import("@/db/queries/users");
  errors = await import("@/lib/errors");
});

function viewerFor(userId: string): SessionUser {
  const viewer = usersLib.loadSessionUser(userId);
  assert.ok(viewer, "the user loads");
  return viewer;
}

function equalityUnit(name: string): { viewer: SessionUser; email: string } {
  const email = `${randomUUID()}@example.org`;
  const id = make.insertUser(name, { email });
  db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(id);
  return { viewer: viewerFor(id), email };
}

// Writes an event at a chosen time through the real audit writer, so the chain stays intact.
function eventAt(at: string, input: Parameters<AuditModule["audit"]>[0]): number {
  const realNow = clockLib.clock.now;
  clockLib.clock.now = () => new Date(at);
  try {
    auditLib.audit(input);
  } finally {
    clockLib.clock.now = realNow;
  }
  return make.lastSeq();
}

// A filter from a query string, as the page and the CSV route build it, with the actor resolved.
function filterFrom(viewer: SessionUser, params: Record<string, string>) {
  const query = validation.parseAuditLogQuery(params);
  assert.deepEqual(query.errors, {}, "the query is valid");
  const { actor, ...rest } = query.filter;
  if (actor === undefined) return { filter: rest, cursor: query.cursor };
  const match = log.resolveActor(viewer, actor);
  assert.ok(match.ok, "the actor resolves");
  return { filter: { ...rest, actorId: match.userId }, cursor: query.cursor };
}

const seqs = (page: { rows: { seq: number }[] }) => page.rows.map((r) => r.seq);

function collect(generator: Generator<string>): string {
  let text = "";
  for (const chunk of generator) text += chunk;
  return text;
}

describe("audit log viewer: filters", () => {
  test("time: From and To are whole days in London, in summer time and in winter", () => {
    const { viewer } = equalityUnit("Time Filter");
    const actor = viewer.id;
    const tag = randomUUID();
    // 2 June 2025 in London (BST) runs from 1 June 23:00 UTC to 2 June 23:00 UTC.
    const lateOn1June = eventAt("2025-06-01T22:59:59.999Z", { actorId: actor, action: "auth.sign_in", objectType: "user", objectId: tag, outcome: "success" });
    const earlyOn2June = eventAt("2025-06-01T23:00:00.000Z", { actorId: actor, action: "auth.sign_in", objectType: "user", objectId: tag, outcome: "success" });
    const lateOn2June = eventAt("2025-06-02T22:59:59.999Z", { actorId: actor, action: "auth.sign_in", objectType: "user", objectId: tag, outcome: "success" });
    const earlyOn3June = eventAt("2025-06-02T23:00:00.000Z", { actorId: actor, action: "auth.sign_in", objectType: "user", objectId: tag, outcome: "success" });
    // 5 January 2025 (GMT) is the UTC day.
    const on5January = eventAt("2025-01-05T00:00:00.000Z", { actorId: actor, action: "auth.sign_in", objectType: "user", objectId: tag, outcome: "success" });
    const on4January = eventAt("2025-01-04T23:59:59.999Z", { actorId: actor, action: "auth.sign_in", objectType: "user", objectId: tag, outcome: "success" });

    const june = filterFrom(viewer, { "from-day": "2", "from-month": "6", "from-year": "2025", "to-day": "2", "to-month": "6", "to-year": "2025", objectId: tag });
    assert.deepEqual(seqs(log.listAuditEvents(viewer, june.filter, {})), [lateOn2June, earlyOn2June]);

    const fromOnly = filterFrom(viewer, { "from-day": "3", "from-month": "6", "from-year": "2025", objectId: tag });
    assert.deepEqual(seqs(log.listAuditEvents(viewer, fromOnly.filter, {})), [earlyOn3June]);

    const january = filterFrom(viewer, { "from-day": "5", "from-month": "1", "from-year": "2025", "to-day": "5", "to-month": "1", "to-year": "2025", objectId: tag });
    assert.deepEqual(seqs(log.listAuditEvents(viewer, january.filter, {})), [on5January]);

    const toOnly = filterFrom(viewer, { "to-day": "1", "to-month": "6", "to-year": "2025", objectId: tag });
    // Newest first by seq: the order the events were written.
    assert.deepEqual(seqs(log.listAuditEvents(viewer, toOnly.filter, {})), [on4January, on5January, lateOn1June]);
  });

  test("time: impossible dates and a To before From are messages, not filters", () => {
    const bad = validation.parseAuditLogQuery({ "from-day": "31", "from-month": "2", "from-year": "2025", "to-day": "1", "to-month": "", "to-year": "2025" });
    assert.equal(bad.errors.from, "The date to search from must be a real date");
    assert.equal(bad.errors.to, "The date to search to must include a month");
    const backwards = validation.parseAuditLogQuery({ "from-day": "2", "from-month": "6", "from-year": "2025", "to-day": "1", "to-month": "6", "to-year": "2025" });
    assert.match(backwards.errors.to ?? "", /must be the same as or after/);
    assert.equal(backwards.filter.toExclusiveMs, undefined);
  });

  test("actor: by email (any case) or full name, including people who have left; unknown and ambiguous names are messages", () => {
    const { viewer } = equalityUnit("Actor Filter");
    const email = `Actor.${randomUUID()}@Example.org`;
    const name = `Priya Actor ${randomUUID().slice(0, 6)}`;
    const priya = make.insertUser(name, { email, deactivated: true });
    const other = make.insertUser("Someone Else");
    const mine = eventAt("2025-03-01T10:00:00Z", { actorId: priya, action: "auth.sign_in", objectType: "user", objectId: priya, outcome: "success" });
    eventAt("2025-03-01T10:01:00Z", { actorId: other, action: "auth.sign_in", objectType: "user", objectId: other, outcome: "success" });
    const mine2 = eventAt("2025-03-01T10:02:00Z", { actorId: priya, action: "supporter.profile_updated", objectType: "supporter", objectId: randomUUID(), outcome: "success" });

    for (const typed of [email.toLowerCase(), email.toUpperCase(), name, name.toLowerCase()]) {
      const { filter } = filterFrom(viewer, { actor: typed });
      const page = log.listAuditEvents(viewer, filter, {});
      assert.deepEqual(seqs(page), [mine2, mine], `actor typed as ${typed}`);
      assert.ok(page.rows.every((r) => r.actor.kind === "person" && r.actor.id === priya && r.actor.email === email && r.actor.name === name));
    }

    assert.deepEqual(log.resolveActor(viewer, "nobody-at-all@example.org"), {
      ok: false,
      error: "No member of staff has that email address. Check it and try again",
    });
    assert.deepEqual(log.resolveActor(viewer, "Nobody Called This"), {
      ok: false,
      error: "No member of staff has that name. Enter their full name or their email address",
    });
    const twin = `Twin ${randomUUID().slice(0, 6)}`;
    make.insertUser(twin);
    make.insertUser(twin);
    assert.deepEqual(log.resolveActor(viewer, twin), {
      ok: false,
      error: "More than one member of staff has that name. Enter their email address instead",
    });
  });

  test("action: one action, or a whole family by its prefix; the list of actions comes from the log", () => {
    const { viewer } = equalityUnit("Action Filter");
    const tag = randomUUID();
    const paused = eventAt("2025-04-01T10:00:00Z", { actorId: viewer.id, action: "supporter.paused", objectType: "supporter_status_event", objectId: tag, outcome: "success" });
    const added = eventAt("2025-04-01T10:01:00Z", { actorId: viewer.id, action: "supporter.added", objectType: "supporter_status_event", objectId: tag, outcome: "success" });
    eventAt("2025-04-01T10:02:00Z", { actorId: viewer.id, action: "supporterx.lookalike", objectType: "supporter_status_event", objectId: tag, outcome: "success" });
    eventAt("2025-04-01T10:03:00Z", { actorId: viewer.id, action: "network.updated", objectType: "supporter_status_event", objectId: tag, outcome: "success" });

    const exact = filterFrom(viewer, { action: "supporter.paused", objectId: tag });
    assert.deepEqual(seqs(log.listAuditEvents(viewer, exact.filter, {})), [paused]);
    const familyFilter = filterFrom(viewer, { action: "supporter.", objectId: tag });
    assert.deepEqual(seqs(log.listAuditEvents(viewer, familyFilter.filter, {})), [added, paused]);

    const actions = log.listAuditActions(viewer);
    for (const action of ["supporter.paused", "supporter.added", "supporterx.lookalike", "network.updated"]) assert.ok(actions.includes(action));
    assert.deepEqual(actions, [...new Set(actions)].sort(), "distinct, in order");

    assert.equal(validation.parseAuditLogQuery({ action: "supporter.%" }).errors.action, "Choose an action from the list");
    assert.equal(validation.parseAuditLogQuery({ action: "' or 1=1 --" }).errors.action, "Choose an action from the list");
  });

  test("object: by type, by opaque id, or both", () => {
    const { viewer } = equalityUnit("Object Filter");
    const network = randomUUID();
    const supporter = randomUUID();
    const a = eventAt("2025-05-01T10:00:00Z", { actorId: viewer.id, action: "network.updated", objectType: "network", objectId: network, outcome: "success" });
    const b = eventAt("2025-05-01T10:01:00Z", { actorId: viewer.id, action: "supporter.updated", objectType: "supporter", objectId: supporter, outcome: "success" });
    const c = eventAt("2025-05-01T10:02:00Z", { actorId: viewer.id, action: "network.archived", objectType: "network", objectId: network, outcome: "success" });

    assert.deepEqual(seqs(log.listAuditEvents(viewer, filterFrom(viewer, { objectId: network }).filter, {})), [c, a]);
    assert.deepEqual(seqs(log.listAuditEvents(viewer, filterFrom(viewer, { objectType: "supporter", objectId: supporter }).filter, {})), [b]);
    assert.deepEqual(seqs(log.listAuditEvents(viewer, filterFrom(viewer, { objectType: "network", objectId: supporter }).filter, {})), []);
    const byType = log.listAuditEvents(viewer, filterFrom(viewer, { objectType: "network" }).filter, {});
    assert.ok(byType.rows.every((r) => r.objectType === "network"));
    assert.ok(seqs(byType).includes(c) && seqs(byType).includes(a));
    assert.ok(validation.parseAuditLogQuery({ objectId: "<script>" }).errors.objectId);
  });
});

describe("audit log viewer: keyset pagination", () => {
  test("120 events page 50, 50, 20 newest first, back and forth, without gaps or repeats", () => {
    const { viewer } = equalityUnit("Pager");
    const tag = randomUUID();
    const written: number[] = [];
    for (let i = 0; i < 120; i += 1) {
      written.push(eventAt(`2025-07-01T10:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z`, {
        actorId: viewer.id,
        action: "network.updated",
        objectType: "network",
        objectId: tag,
        outcome: "success",
      }));
    }
    // Someone else's events in between must not count.
    eventAt("2025-07-01T11:00:00Z", { actorId: viewer.id, action: "network.updated", objectType: "network", objectId: randomUUID(), outcome: "success" });
    const newestFirst = [...written].reverse();
    const { filter } = filterFrom(viewer, { objectId: tag });

    const first = log.listAuditEvents(viewer, filter, {});
    assert.deepEqual(seqs(first), newestFirst.slice(0, 50));
    assert.equal(first.newer, null);
    assert.deepEqual(first.older, { before: newestFirst[49] });

    const second = log.listAuditEvents(viewer, filter, first.older ?? {});
    assert.deepEqual(seqs(second), newestFirst.slice(50, 100));
    assert.deepEqual(second.newer, { after: newestFirst[50] });
    assert.deepEqual(second.older, { before: newestFirst[99] });

    const third = log.listAuditEvents(viewer, filter, second.older ?? {});
    assert.deepEqual(seqs(third), newestFirst.slice(100));
    assert.equal(third.older, null);
    assert.deepEqual(third.newer, { after: newestFirst[100] });

    // Back again: the same pages.
    const backToSecond = log.listAuditEvents(viewer, filter, third.newer ?? {});
    assert.deepEqual(seqs(backToSecond), seqs(second));
    assert.deepEqual(backToSecond.older, second.older);
    const backToFirst = log.listAuditEvents(viewer, filter, backToSecond.newer ?? {});
    assert.deepEqual(seqs(backToFirst), seqs(first));
    assert.equal(backToFirst.newer, null);

    // The cursor comes from the query string; anything that is not a positive whole number is ignored.
    assert.deepEqual(validation.parseAuditLogQuery({ before: "12" }).cursor, { before: 12 });
    assert.deepEqual(validation.parseAuditLogQuery({ after: "7" }).cursor, { after: 7 });
    assert.deepEqual(validation.parseAuditLogQuery({ before: "-1" }).cursor, {});
    assert.deepEqual(validation.parseAuditLogQuery({ before: "1 or 1=1" }).cursor, {});
  });

  test("pages are read by index and key, never with OFFSET or a count of the log", () => {
    const { viewer } = equalityUnit("Planner");
    const prepare = db.$client.prepare.bind(db.$client);
    // The statements one call prepares that read the log.
    const statementsOf = (call: () => unknown): string[] => {
      const seen: string[] = [];
      db.$client.prepare = ((source: string) => {
        seen.push(source);
        return prepare(source);
      }) as typeof db.$client.prepare;
      try {
        call();
      } finally {
        db.$client.prepare = prepare;
      }
      return seen.filter((s) => s.includes("audit_events"));
    };
    const calls = [
      statementsOf(() => log.listAuditEvents(viewer, {}, { before: 1_000_000 })),
      statementsOf(() => log.listAuditEvents(viewer, { actorId: viewer.id }, {})),
      statementsOf(() => log.listAuditEvents(viewer, { action: { kind: "exact", action: "auth.sign_in" } }, { after: 1 })),
      statementsOf(() => log.listAuditActions(viewer)),
    ];
    for (const statements of calls) {
      assert.ok(statements.length >= 1);
      for (const statement of statements) {
        assert.doesNotMatch(statement, /\boffset\b/i);
        assert.doesNotMatch(statement, /count\(/i);
      }
    }
    const plan = (source: string | undefined) => {
      assert.ok(source);
      const params = Array.from(source.matchAll(/\?/g), () => 1);
      return (db.$client.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...params) as { detail: string }[]).map((r) => r.detail).join("; ");
    };
    const everything = plan(calls[0]?.[0]);
    const byActor = plan(calls[1]?.[0]);
    const byAction = plan(calls[2]?.[0]);
    // Everything: the primary key walked backwards from the cursor, no sort.
    assert.match(everything, /SEARCH audit_events USING INTEGER PRIMARY KEY/);
    assert.doesNotMatch(everything, /TEMP B-TREE/);
    // A person or an action: its index finds the rows.
    assert.match(byActor, /audit_events_actor_idx/);
    assert.match(byAction, /audit_events_action_idx/);
  });
});

describe("audit log viewer: actors who must not be shown", () => {
  test("request and membership events never show their actor, and filtering by that person does not find them", () => {
    const { viewer } = equalityUnit("Hidden Actors");
    const email = `requester.${randomUUID()}@example.org`;
    const requester = make.insertUser("Rita Requester", { email });
    const requestId = randomUUID();
    const membershipId = randomUUID();
    const signIn = eventAt("2025-08-01T09:00:00Z", { actorId: requester, action: "auth.sign_in", objectType: "user", objectId: requester, outcome: "success" });
    const created = eventAt("2025-08-01T09:01:00Z", { actorId: requester, action: "request.created", objectType: "request", objectId: requestId, outcome: "success" });
    const joined = eventAt("2025-08-01T09:02:00Z", { actorId: requester, action: "network_membership.joined", objectType: "network_membership", objectId: membershipId, outcome: "success" });
    const denied = eventAt("2025-08-01T09:03:00Z", { actorId: requester, action: "access.denied", objectType: "request", objectId: randomUUID(), outcome: "denied" });
    const feedback = eventAt("2025-08-01T09:04:00Z", { actorId: requester, action: "feedback.submitted", objectType: "feedback", objectId: randomUUID(), outcome: "success" });
    const undecided = eventAt("2025-08-01T09:05:00Z", { actorId: requester, action: "brand_new.thing", objectType: "thing", objectId: randomUUID(), outcome: "success" });
    const prefs = eventAt("2025-08-01T09:06:00Z", { actorId: requester, action: "account.preferences_updated", objectType: "user", objectId: requester, outcome: "success" });

    // By this person: only the events whose actor may be shown.
    const { filter } = filterFrom(viewer, { actor: email });
    assert.deepEqual(seqs(log.listAuditEvents(viewer, filter, {})), [prefs, signIn]);
    for (const action of ["request.created", "network_membership.joined", "request.", "network_membership."]) {
      const narrowed = filterFrom(viewer, { actor: email, action });
      assert.deepEqual(seqs(log.listAuditEvents(viewer, narrowed.filter, {})), [], `actor + ${action}`);
    }
    const csvByActor = collect(log.exportAuditCsv(viewer, filter));
    assert.doesNotMatch(csvByActor, /request\.|network_membership\./);

    // Everyone's events: the hidden ones say why and carry no id, name or email.
    const page = log.listAuditEvents(viewer, {}, { before: undecided + 1 });
    const byId = new Map(page.rows.map((r) => [r.seq, r]));
    assert.deepEqual(byId.get(created)?.actor, { kind: "hidden", reason: "request" });
    assert.deepEqual(byId.get(joined)?.actor, { kind: "hidden", reason: "membership" });
    assert.deepEqual(byId.get(denied)?.actor, { kind: "hidden", reason: "request" });
    assert.deepEqual(byId.get(feedback)?.actor, { kind: "hidden", reason: "feedback" });
    assert.deepEqual(byId.get(undecided)?.actor, { kind: "hidden", reason: "other" });
    assert.equal(byId.get(signIn)?.actor.kind, "person");
    const hiddenRows = [created, joined, denied, feedback, undecided].map((s) => byId.get(s));
    assert.doesNotMatch(JSON.stringify(hiddenRows), new RegExp(`${requester}|Rita|${email}`));

    // The CSV of everything: "Not shown" for them, the person for their sign-in.
    const csv = collect(log.exportAuditCsv(viewer, filterFrom(viewer, { "from-day": "1", "from-month": "8", "from-year": "2025", "to-day": "1", "to-month": "8", "to-year": "2025" }).filter));
    const lines = csv.trim().split("\r\n");
    const lineFor = (seq: number) => lines.find((l) => l.startsWith(`${seq},`)) ?? "";
    for (const seq of [created, joined, denied, feedback, undecided]) {
      assert.match(lineFor(seq), /,Not shown,,/);
      assert.doesNotMatch(lineFor(seq), /Rita|requester\./);
    }
    assert.match(lineFor(signIn), new RegExp(`,Rita Requester,${email.replace(/\./g, "\\.")},auth\\.sign_in,user,${requester},success$`));
  });

  test("events with no actor say so; an actor whose account is gone shows its id", () => {
    const { viewer } = equalityUnit("No Actor");
    const tag = randomUUID();
    const system = eventAt("2025-09-01T02:00:00Z", { actorId: null, action: "supporter.lapsed", objectType: "supporter_status_event", objectId: tag, outcome: "success" });
    const gone = eventAt("2025-09-01T02:01:00Z", { actorId: "user-that-was-deleted", action: "role.granted", objectType: "supporter_status_event", objectId: tag, outcome: "success" });
    const rows = log.listAuditEvents(viewer, { objectId: tag }, {}).rows;
    assert.deepEqual(rows.map((r) => [r.seq, r.actor]), [
      [gone, { kind: "unknown", id: "user-that-was-deleted" }],
      [system, { kind: "none" }],
    ]);
  });
});

describe("audit log viewer: export", () => {
  test("the CSV has the filter's events newest first in batches, is audited, and stops at its limit with a note", () => {
    const { viewer } = equalityUnit("Exporter");
    const tag = randomUUID();
    const limits = { maxRows: 2500, batchSize: 1000 };
    const total = limits.maxRows + 3;
    const firstSeq = make.lastSeq() + 1;
    db.transaction(
      (tx) => {
        for (let i = 0; i < total; i += 1) {
          auditLib.appendAudit(tx, { actorId: viewer.id, action: "network.updated", objectType: "network", objectId: tag, outcome: "success" });
        }
      },
      { behavior: "immediate" },
    );
    eventAt("2025-11-01T10:00:00Z", { actorId: viewer.id, action: "network.updated", objectType: "network", objectId: randomUUID(), outcome: "success" });
    const before = make.lastSeq();
    const csv = collect(log.exportAuditCsv(viewer, { objectId: tag }, limits));
    const lines = csv.split("\r\n");
    assert.equal(lines.at(-1), "", "ends with a line break");
    assert.equal(lines[0], "event,time_london,time_utc,actor_name,actor_email,action,object_type,object_id,outcome");
    const data = lines.slice(1, -2);
    assert.equal(data.length, limits.maxRows);
    assert.deepEqual(
      data.map((line) => Number(line.split(",")[0])),
      Array.from({ length: limits.maxRows }, (_, i) => firstSeq + total - 1 - i),
      "newest first, each once, the oldest three left out",
    );
    assert.ok(data.every((line) => line.endsWith(`,network.updated,network,${tag},success`)));
    assert.match(lines.at(-2) ?? "", /^"Only the newest 2,500 matching events are included\./);
    assert.deepEqual(
      make.auditSince(before).map((e) => [e.actor_id, e.action, e.object_type, e.object_id, e.outcome]),
      [[viewer.id, "audit.exported", "audit_log", null, "success"]],
    );

    // Under the limit: every row and no note. The real limit is 100,000.
    const all = collect(log.exportAuditCsv(viewer, { objectId: tag }, { maxRows: total, batchSize: 1000 })).split("\r\n");
    assert.equal(all.length, total + 2);
    assert.equal(validation.AUDIT_EXPORT_MAX_ROWS, 100_000);
  });
});

describe("audit log viewer: who may use it", () => {
  test("anyone outside the Equality Unit gets NotFoundError and records nothing", async () => {
    const staff = viewerFor(make.insertUser("Plain Staff"));
    const seq = make.lastSeq();
    assert.throws(() => log.listAuditEvents(staff, {}, {}), errors.NotFoundError);
    assert.throws(() => log.listAuditActions(staff), errors.NotFoundError);
    assert.throws(() => log.resolveActor(staff, "anyone@example.org"), errors.NotFoundError);
    assert.throws(() => collect(log.exportAuditCsv(staff, {})), errors.NotFoundError);
    await assert.rejects(() => log.verifyAuditLog(staff), errors.NotFoundError);
    assert.deepEqual(make.auditSince(seq), []);
  });

  test("a role revoked a moment ago stops working at once", () => {
    const { viewer } = equalityUnit("Revoked");
    db.$client.prepare("DELETE FROM role_grants WHERE user_id = ?").run(viewer.id);
    assert.equal(viewer.isEqualityUnit, true, "the session still says so");
    assert.throws(() => log.listAuditEvents(viewer, {}, {}), errors.NotFoundError);
  });
});

describe("audit log viewer: tamper detection", () => {
  test("in batches: an edited action and a deleted row are found at the right event, on a fresh database", async () => {
    const { db: target } = await extraDatabase();
    for (let i = 0; i < 7; i += 1) {
      auditLib.audit({ actorId: `user-${i}`, action: "auth.sign_in", objectType: "user", objectId: `user-${i}`, outcome: "success" }, target);
    }
    assert.deepEqual(await auditLib.verifyAuditChainInBatches(target, 2), { ok: true, events: 7 });
    target.$client.exec("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;");
    target.$client.prepare("UPDATE audit_events SET action = 'auth.sign_out' WHERE seq = 5").run();
    // Batches of 2 put event 5 first in its batch: the check carries the chain across batches.
    assert.deepEqual(await auditLib.verifyAuditChainInBatches(target, 2), { ok: false, events: 4, brokenAt: 5 });
    assert.deepEqual(auditLib.verifyAuditChain(target), { ok: false, events: 4, brokenAt: 5 });
    target.$client.prepare("UPDATE audit_events SET action = 'auth.sign_in' WHERE seq = 5").run();
    assert.deepEqual(await auditLib.verifyAuditChainInBatches(target, 2), { ok: true, events: 7 });

    target.$client.prepare("DELETE FROM audit_events WHERE seq = 3").run();
    assert.deepEqual(await auditLib.verifyAuditChainInBatches(target, 2), { ok: false, events: 2, brokenAt: 4 });
    assert.deepEqual(await auditLib.verifyAuditChainInBatches(target), { ok: false, events: 2, brokenAt: 4 });
  });

  test("verifyAuditLog reports the seq of an altered event, records audit.verified, and intact again once put back", async () => {
    const { viewer } = equalityUnit("Verifier");
    const intact = await log.verifyAuditLog(viewer);
    assert.equal(intact.ok, true);
    const count = (db.$client.prepare("SELECT count(*) AS n FROM audit_events").get() as { n: number }).n;
    assert.deepEqual(intact, { ok: true, events: count - 1 }, "every event before its own record");
    const afterIntact = make.auditSince(make.lastSeq() - 1);
    assert.deepEqual(afterIntact.map((e) => [e.actor_id, e.action, e.object_type, e.object_id, e.outcome]), [
      [viewer.id, "audit.verified", "audit_log", null, "success"],
    ]);

    const victim = eventAt("2025-10-01T10:00:00Z", { actorId: viewer.id, action: "network.updated", objectType: "network", objectId: randomUUID(), outcome: "success" });
    eventAt("2025-10-01T10:01:00Z", { actorId: viewer.id, action: "network.updated", objectType: "network", objectId: randomUUID(), outcome: "success" });
    db.$client.exec("DROP TRIGGER audit_events_no_update");
    try {
      db.$client.prepare("UPDATE audit_events SET action = 'network.created' WHERE seq = ?").run(victim);
      const seq = make.lastSeq();
      const altered = await log.verifyAuditLog(viewer);
      assert.equal(altered.ok, false);
      assert.equal(!altered.ok && altered.brokenAt, victim);
      assert.deepEqual(make.auditSince(seq).map((e) => [e.action, e.object_type, e.object_id, e.outcome]), [
        ["audit.verified", "audit_event", String(victim), "failure"],
      ]);
      db.$client.prepare("UPDATE audit_events SET action = 'network.updated' WHERE seq = ?").run(victim);
    } finally {
      db.$client.exec(`CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;`);
    }
    assert.equal((await log.verifyAuditLog(viewer)).ok, true);
    assert.throws(() => db.$client.prepare("UPDATE audit_events SET action = 'x' WHERE seq = ?").run(victim), /append-only/);
  });
});
