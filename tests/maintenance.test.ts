import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";

import { and, eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";

import type { Db } from "@/db/client";
import { extraDatabase, freshDatabase, ROOT } from "./helpers";

// The roster lifecycle jobs on a real database with fixed dates, and mail to a real SMTP server in this process.

type MaintenanceModule = typeof import("@/lib/maintenance");
type RulesModule = typeof import("@/db/queries/supporter-rules");
type SchemaModule = typeof import("@/db/schema");
type AuditModule = typeof import("@/lib/audit");
type ClockModule = typeof import("@/lib/clock");

type Received = { to: string[]; raw: string };

const received: Received[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  hideSTARTTLS: true,
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      received.push({ to: session.envelope.rcptTo.map((a) => a.address), raw: Buffer.concat(chunks).toString("utf8") });
      callback();
    });
  },
});

let db: Db;
let maintenance: MaintenanceModule;
let rules: RulesModule;
let schema: SchemaModule;
let auditLib: AuditModule;
let clockLib: ClockModule;

const TODAY = "2026-06-10";
const NOW = new Date("2026-06-10T07:00:00.000Z");
const PRIVATE_PAUSE_REASON = "Private: caring for a relative";

type Status = "active" | "paused" | "lapsed" | "retired";
type Seeded = { userId: string; supporterId: string; email: string; name: string };

// Rows are written with plain SQL so that the code under test is the only Drizzle query in play.
function seedSupporter(
  target: Db,
  label: string,
  row: { status: Status; due: string; pausedUntil?: string | null; deactivated?: boolean },
): Seeded {
  const userId = randomUUID();
  const supporterId = randomUUID();
  const email = `${label}@example.org`;
  const name = `Person ${label}`;
  target.$client
    .prepare("INSERT INTO users (id, email, name, deactivated_at) VALUES (?, ?, ?, ?)")
    .run(userId, email, name, row.deactivated ? NOW.getTime() : null);
  target.$client
    .prepare(
      `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, paused_until, pause_reason)
       VALUES (?, ?, ?, 'Sergeant', 'Headquarters', '2024-06-10', ?, ?, ?)`,
    )
    .run(supporterId, userId, row.status, row.due, row.pausedUntil ?? null, row.status === "paused" ? PRIVATE_PAUSE_REASON : null);
  return { userId, supporterId, email, name };
}

type SupporterRow = { status: Status; paused_until: string | null; pause_reason: string | null;
  reminder_60_sent_at: number | null; reminder_14_sent_at: number | null };
const supporterRow = (s: Seeded): SupporterRow =>
  db.$client
    .prepare("SELECT status, paused_until, pause_reason, reminder_60_sent_at, reminder_14_sent_at FROM supporters WHERE id = ?")
    .get(s.supporterId) as SupporterRow;

const notificationKinds = (s: Seeded): string[] =>
  (db.$client.prepare("SELECT kind FROM notifications WHERE user_id = ? ORDER BY created_at, kind").all(s.userId) as { kind: string }[])
    .map((r) => r.kind);

type HistoryRow = { id: string; from_status: string | null; to_status: string; reason: string; actor_id: string | null; at: number };
const history = (s: Seeded): HistoryRow[] =>
  db.$client
    .prepare("SELECT id, from_status, to_status, reason, actor_id, created_at AS at FROM supporter_status_events WHERE supporter_id = ? ORDER BY created_at")
    .all(s.supporterId) as HistoryRow[];

type AuditRow = { actor_id: string | null; action: string; object_type: string | null; object_id: string | null; outcome: string };
const auditRows = (): AuditRow[] =>
  db.$client.prepare("SELECT actor_id, action, object_type, object_id, outcome FROM audit_events ORDER BY seq").all() as AuditRow[];

const mailTo = (s: Seeded) => received.filter((m) => m.to.includes(s.email)).length;

let people: Record<
  | "overdueActive" | "overduePaused" | "dueToday" | "due10" | "due14" | "due15" | "due30Paused" | "due60" | "due61"
  | "deactivatedDue20" | "pauseEndsToday" | "pauseEndedEarlier" | "pauseEndsTomorrow" | "pausedIndefinitely"
  | "alreadyLapsed" | "retiredDueSoon",
  Seeded
>;

before(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  // Before anything reads the configuration (env() is parsed once, on first use).
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  ({ db } = await freshDatabase());
  maintenance = await import("@/lib/maintenance");
  rules = await import("@/db/queries/supporter-rules");
  schema = await import("@/db/schema");
  auditLib = await import("@/lib/audit");
  clockLib = await import("@/lib/clock");

  people = {
    overdueActive: seedSupporter(db, "overdue-active", { status: "active", due: "2026-06-09" }),
    overduePaused: seedSupporter(db, "overdue-paused", { status: "paused", due: "2026-06-01", pausedUntil: "2026-07-01" }),
    dueToday: seedSupporter(db, "due-today", { status: "active", due: "2026-06-10" }),
    due10: seedSupporter(db, "due-10", { status: "active", due: "2026-06-20" }),
    due14: seedSupporter(db, "due-14", { status: "active", due: "2026-06-24" }),
    due15: seedSupporter(db, "due-15", { status: "active", due: "2026-06-25" }),
    due30Paused: seedSupporter(db, "due-30-paused", { status: "paused", due: "2026-07-10", pausedUntil: "2026-08-01" }),
    due60: seedSupporter(db, "due-60", { status: "active", due: "2026-08-09" }),
    due61: seedSupporter(db, "due-61", { status: "active", due: "2026-08-10" }),
    deactivatedDue20: seedSupporter(db, "deactivated-due-20", { status: "active", due: "2026-06-30", deactivated: true }),
    pauseEndsToday: seedSupporter(db, "pause-ends-today", { status: "paused", due: "2027-06-10", pausedUntil: "2026-06-10" }),
    pauseEndedEarlier: seedSupporter(db, "pause-ended-earlier", { status: "paused", due: "2027-06-10", pausedUntil: "2026-06-01" }),
    pauseEndsTomorrow: seedSupporter(db, "pause-ends-tomorrow", { status: "paused", due: "2027-06-10", pausedUntil: "2026-06-11" }),
    pausedIndefinitely: seedSupporter(db, "paused-indefinitely", { status: "paused", due: "2027-06-10", pausedUntil: null }),
    alreadyLapsed: seedSupporter(db, "already-lapsed", { status: "lapsed", due: "2025-01-01" }),
    retiredDueSoon: seedSupporter(db, "retired-due-soon", { status: "retired", due: "2026-07-01" }),
  };
});

after(async () => {
  await new Promise<void>((resolve) => smtp.close(resolve));
});

describe("the directory rule before maintenance has run", () => {
  test("listedOn(today) leaves out an active supporter whose refresher is overdue, and keeps one due today", () => {
    const { supporters, users } = schema;
    const listed = (s: Seeded) =>
      db
        .select({ id: supporters.id })
        .from(supporters)
        .innerJoin(users, eq(users.id, supporters.userId))
        .where(and(eq(supporters.id, s.supporterId), rules.listedOn(TODAY)))
        .all().length === 1;
    assert.equal(supporterRow(people.overdueActive).status, "active", "maintenance has not run yet");
    assert.equal(listed(people.overdueActive), false);
    assert.equal(listed(people.dueToday), true);
  });
});

describe("npm run maintenance, one day", () => {
  let first: Awaited<ReturnType<MaintenanceModule["runMaintenance"]>>;
  let auditBefore: number;

  before(async () => {
    auditBefore = auditRows().length;
    first = await maintenance.runMaintenance({ today: TODAY, now: NOW });
  });

  test("the summary counts every change and every message", () => {
    assert.deepEqual(first, {
      lapsed: 2, reminders60: 4, reminders14: 3, pausesEnded: 2, acknowledgeReminders: 0, escalations: 0, erased: 0, mailSent: 10, mailFailed: 0,
    });
    assert.equal(
      maintenance.formatSummary(first),
      "lapsed 2, reminders 60-day 4, 14-day 3, pauses ended 2, acknowledgement reminders 0, escalations 0, erased 0, mail sent 10, mail failed 0",
    );
  });

  test("supporters whose refresher is overdue are lapsed, with the reason in the roster history", () => {
    for (const [person, from] of [[people.overdueActive, "active"], [people.overduePaused, "paused"]] as const) {
      assert.equal(supporterRow(person).status, "lapsed");
      const events = history(person);
      assert.equal(events.length, 1);
      assert.deepEqual(
        { from: events[0]!.from_status, to: events[0]!.to_status, reason: events[0]!.reason, actor: events[0]!.actor_id, at: events[0]!.at },
        { from, to: "lapsed", reason: "Refresher training overdue", actor: null, at: NOW.getTime() },
      );
      assert.deepEqual(notificationKinds(person), ["supporter.lapsed"]);
    }
    // Due today is still in date.
    assert.equal(supporterRow(people.dueToday).status, "active");
    assert.deepEqual(history(people.dueToday), []);
    // Already off the roster: untouched.
    assert.equal(supporterRow(people.alreadyLapsed).status, "lapsed");
    assert.deepEqual(history(people.alreadyLapsed), []);
    assert.deepEqual(notificationKinds(people.alreadyLapsed), []);
    assert.equal(supporterRow(people.retiredDueSoon).status, "retired");
    assert.deepEqual(notificationKinds(people.retiredDueSoon), []);
  });

  test("the 14-day reminder goes to those due within 14 days, and marks the 60-day one as sent", () => {
    for (const person of [people.dueToday, people.due10, people.due14]) {
      const row = supporterRow(person);
      assert.equal(row.reminder_14_sent_at, NOW.getTime());
      assert.equal(row.reminder_60_sent_at, NOW.getTime());
      assert.deepEqual(notificationKinds(person), ["supporter.refresher_due_14"]);
    }
  });

  test("the 60-day reminder goes to those due in 15 to 60 days, paused or not", () => {
    for (const person of [people.due15, people.due30Paused, people.due60, people.deactivatedDue20]) {
      const row = supporterRow(person);
      assert.equal(row.reminder_60_sent_at, NOW.getTime());
      assert.equal(row.reminder_14_sent_at, null);
      assert.deepEqual(notificationKinds(person), ["supporter.refresher_due_60"]);
    }
    assert.equal(supporterRow(people.due30Paused).status, "paused");
    assert.equal(supporterRow(people.due61).reminder_60_sent_at, null);
    assert.deepEqual(notificationKinds(people.due61), []);
  });

  test("pauses whose end date has come are ended, with the private reason cleared", () => {
    for (const person of [people.pauseEndsToday, people.pauseEndedEarlier]) {
      assert.deepEqual(
        { ...supporterRow(person), reminder_60_sent_at: undefined, reminder_14_sent_at: undefined },
        { status: "active", paused_until: null, pause_reason: null, reminder_60_sent_at: undefined, reminder_14_sent_at: undefined },
      );
      const events = history(person);
      assert.deepEqual(
        events.map((e) => ({ from: e.from_status, to: e.to_status, reason: e.reason, actor: e.actor_id })),
        [{ from: "paused", to: "active", reason: "Pause ended", actor: null }],
      );
      assert.deepEqual(notificationKinds(person), ["supporter.pause_ended"]);
    }
    for (const person of [people.pauseEndsTomorrow, people.pausedIndefinitely]) {
      assert.equal(supporterRow(person).status, "paused");
      assert.equal(supporterRow(person).pause_reason, PRIVATE_PAUSE_REASON);
      assert.deepEqual(history(person), []);
    }
  });

  test("every change is audited by opaque id, with no actor and no reason text", () => {
    const events = auditRows().slice(auditBefore);
    const lapseEvents = [...history(people.overdueActive), ...history(people.overduePaused)].map((e) => e.id).sort();
    const resumeEvents = [...history(people.pauseEndsToday), ...history(people.pauseEndedEarlier)].map((e) => e.id).sort();
    const of = (action: string) => events.filter((e) => e.action === action);
    assert.deepEqual(of("supporter.lapsed").map((e) => e.object_id).sort(), lapseEvents);
    assert.deepEqual(of("supporter.resumed").map((e) => e.object_id).sort(), resumeEvents);
    for (const e of [...of("supporter.lapsed"), ...of("supporter.resumed")]) assert.equal(e.object_type, "supporter_status_event");
    assert.deepEqual(
      of("supporter.refresher_reminder_14").map((e) => e.object_id).sort(),
      [people.dueToday, people.due10, people.due14].map((p) => p.supporterId).sort(),
    );
    assert.equal(of("supporter.refresher_reminder_60").length, 4);
    assert.equal(events.length, 2 + 2 + 3 + 4);
    for (const e of events) {
      assert.equal(e.actor_id, null);
      assert.equal(e.outcome, "success");
    }
    // Nothing but ids and fixed action names: no reasons, names or addresses anywhere in the log.
    const text = JSON.stringify(auditRows());
    for (const secret of ["overdue", "Pause ended", "Private", "@", "Person "]) assert.ok(!text.includes(secret), secret);
    assert.deepEqual(auditLib.verifyAuditChain(db), { ok: true, events: auditRows().length });
  });

  test("each notified supporter gets one content-free email; nobody else, and nothing to a deactivated account", () => {
    assert.equal(received.length, 10);
    const notified = [people.overdueActive, people.overduePaused, people.dueToday, people.due10, people.due14,
      people.due15, people.due30Paused, people.due60, people.pauseEndsToday, people.pauseEndedEarlier];
    for (const person of notified) assert.equal(mailTo(person), 1, person.email);
    assert.equal(mailTo(people.deactivatedDue20), 0);
    assert.deepEqual(notificationKinds(people.deactivatedDue20), ["supporter.refresher_due_60"]);
    for (const message of received) {
      assert.match(message.raw, /^Subject: New update in Confide\r?$/m);
      assert.match(message.raw, /You have a new update in Confide\. Sign in to read it\./);
      // The To header is the only thing that differs between messages.
      assert.doesNotMatch(message.raw.replace(/^To: .*$/m, ""), /refresher|lapsed|pause|supporter|Person |example\.org/i);
    }
  });
});

describe("running again", () => {
  test("a second run the same day changes nothing and sends nothing", async () => {
    const auditCount = auditRows().length;
    const notificationCount = (db.$client.prepare("SELECT count(*) AS n FROM notifications").get() as { n: number }).n;
    const mailCount = received.length;
    const again = await maintenance.runMaintenance({ today: TODAY, now: new Date(NOW.getTime() + 3_600_000) });
    assert.equal(
      maintenance.formatSummary(again),
      "lapsed 0, reminders 60-day 0, 14-day 0, pauses ended 0, acknowledgement reminders 0, escalations 0, erased 0, mail sent 0, mail failed 0",
    );
    assert.equal(auditRows().length, auditCount);
    assert.equal((db.$client.prepare("SELECT count(*) AS n FROM notifications").get() as { n: number }).n, notificationCount);
    assert.equal(received.length, mailCount);
  });

  test("two runs at once the next day make each change once and send each reminder once", async () => {
    const tomorrow = clockLib.addDays(TODAY, 1);
    const now = new Date("2026-06-11T07:00:00.000Z");
    const mailCount = received.length;
    const runs = await Promise.all([
      maintenance.runMaintenance({ today: tomorrow, now }),
      maintenance.runMaintenance({ today: tomorrow, now }),
    ]);
    const total = runs.reduce((sum, r) => ({
      lapsed: sum.lapsed + r.lapsed, reminders60: sum.reminders60 + r.reminders60, reminders14: sum.reminders14 + r.reminders14,
      pausesEnded: sum.pausesEnded + r.pausesEnded, mailSent: sum.mailSent + r.mailSent, mailFailed: sum.mailFailed + r.mailFailed,
      acknowledgeReminders: sum.acknowledgeReminders + r.acknowledgeReminders, escalations: sum.escalations + r.escalations,
      erased: sum.erased + r.erased,
    }));
    // Due today yesterday is overdue today; due in 15 days yesterday is due in 14 now; due in 61 days is now in 60.
    assert.deepEqual(total, {
      lapsed: 1, reminders60: 1, reminders14: 1, pausesEnded: 1, acknowledgeReminders: 0, escalations: 0, erased: 0, mailSent: 4, mailFailed: 0,
    });
    assert.equal(received.length, mailCount + 4);

    assert.equal(supporterRow(people.dueToday).status, "lapsed");
    assert.deepEqual(notificationKinds(people.dueToday), ["supporter.refresher_due_14", "supporter.lapsed"]);
    assert.deepEqual(notificationKinds(people.due15), ["supporter.refresher_due_60", "supporter.refresher_due_14"]);
    assert.deepEqual(notificationKinds(people.due61), ["supporter.refresher_due_60"]);
    assert.deepEqual(notificationKinds(people.pauseEndsTomorrow), ["supporter.pause_ended"]);
    // Those reminded 14 days out yesterday are not reminded again.
    assert.deepEqual(notificationKinds(people.due10), ["supporter.refresher_due_14"]);
    assert.equal(history(people.dueToday).length, 1);
  });

  test("later reminders follow the calendar: the 60-day reminder is followed by the 14-day one, once", async () => {
    const day = "2026-07-26"; // 14 days before due60
    for (let i = 0; i < 3; i += 1) await maintenance.runMaintenance({ today: day, now: new Date(`${day}T0${i}:00:00.000Z`) });
    assert.deepEqual(notificationKinds(people.due60), ["supporter.refresher_due_60", "supporter.refresher_due_14"]);
  });
});

describe("npm run maintenance as two processes at once", () => {
  test("each change and each reminder happens once, and each prints a one-line summary", async () => {
    const { db: other, file } = await extraDatabase();
    const today = clockLib.today();
    const seeded = [
      seedSupporter(other, "proc-overdue", { status: "active", due: clockLib.addDays(today, -1) }),
      seedSupporter(other, "proc-due-30", { status: "active", due: clockLib.addDays(today, 30) }),
      seedSupporter(other, "proc-due-5", { status: "paused", due: clockLib.addDays(today, 5), pausedUntil: clockLib.addDays(today, 20) }),
      seedSupporter(other, "proc-pause-over", { status: "paused", due: clockLib.addDays(today, 400), pausedUntil: today }),
    ];
    const mailCount = received.length;
    const env = { ...process.env, DATABASE_PATH: file };
    const runOnce = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/maintenance.ts"], { cwd: ROOT, env });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
      });
    const results = await Promise.all([runOnce(), runOnce()]);
    const totals = { lapsed: 0, r60: 0, r14: 0, ended: 0, sent: 0 };
    for (const result of results) {
      assert.equal(result.code, 0, result.stderr);
      const match = result.stdout.trim().match(
        /^lapsed (\d+), reminders 60-day (\d+), 14-day (\d+), pauses ended (\d+), acknowledgement reminders 0, escalations 0, erased 0, mail sent (\d+), mail failed 0$/,
      );
      assert.ok(match, result.stdout);
      totals.lapsed += Number(match[1]);
      totals.r60 += Number(match[2]);
      totals.r14 += Number(match[3]);
      totals.ended += Number(match[4]);
      totals.sent += Number(match[5]);
      // The log has counts and ids; no addresses.
      assert.ok(!result.stderr.includes("@example.org"), result.stderr);
    }
    assert.deepEqual(totals, { lapsed: 1, r60: 1, r14: 1, ended: 1, sent: 4 });
    assert.equal(received.length, mailCount + 4);
    for (const person of seeded) assert.equal(received.filter((m) => m.to.includes(person.email)).length, 1, person.email);
    const notificationCount = other.$client.prepare("SELECT count(*) AS n FROM notifications").get() as { n: number };
    assert.equal(notificationCount.n, 4);
    assert.deepEqual(auditLib.verifyAuditChain(other), { ok: true, events: 4 });
    other.$client.close();
  });
});
