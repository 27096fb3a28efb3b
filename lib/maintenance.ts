import { and, eq, gte, inArray, isNotNull, isNull, lt, lte, sql, type SQL } from "drizzle-orm";

import { db } from "@/db/client";
import { notify, type NotificationKind } from "@/db/queries/notifications";
import { dueForErasure, eraseContent, requestReference, requestsDueForErasure } from "@/db/queries/requests";
import { roleGrants, supporters, supporterStatusEvents, supportRequests, users } from "@/db/schema";
import { appendAudit } from "./audit";
import { addDays, addWorkingDays, clock, today as londonToday } from "./clock";
import { env } from "./env";
import { logEvent } from "./log";
import { deliverPendingMail, type MailConfig } from "./mail";

// The roster lifecycle jobs run by `npm run maintenance` (hourly from cron). Each job is safe to run again at any
// time and alongside another copy of itself:
// - candidates are read first, then each one is changed in its own IMMEDIATE transaction (which takes SQLite's
//   write lock before reading) by a statement that repeats the condition, so a row another run has already
//   handled no longer matches and is skipped;
// - the roster history row, the audit event, the in-app notification and the queued email are written in that
//   same transaction, so they exist exactly when the change does;
// - mail is sent after commit, and a mail failure only schedules a retry (lib/mail).
// Dates are the force's calendar dates (ISO strings); `today` and `now` are parameters so tests control time.
//
// The request jobs (4–6) follow the same pattern; they never read or log request content.

export const LAPSE_REASON = "Refresher training overdue";
export const PAUSE_ENDED_REASON = "Pause ended";

const ON_ROSTER = ["active", "paused"] as const;

// Where each notification leads. A lapsed supporter has no inbox any more, so theirs goes to their account.
const LINKS = {
  "supporter.refresher_due_60": "/inbox",
  "supporter.refresher_due_14": "/inbox",
  "supporter.lapsed": "/account",
  "supporter.pause_ended": "/inbox",
} as const satisfies Partial<Record<NotificationKind, string>>;

type Job = { today: string; now: Date };

function immediate<T>(work: (tx: Parameters<Parameters<typeof db.transaction>[0]>[0]) => T): T {
  return db.transaction(work, { behavior: "immediate" });
}

// 1. Refresher overdue (due before today; due today is still in date) → lapsed: hidden from the directory and
// unable to receive new requests; requests already open carry on.
export function lapseOverdueSupporters({ today, now }: Job): number {
  const overdue = and(inArray(supporters.status, ON_ROSTER), lt(supporters.refresherDue, today)) as SQL;
  const candidates = db.select({ id: supporters.id }).from(supporters).where(overdue).all();
  let lapsed = 0;
  for (const { id } of candidates) {
    const done = immediate((tx) => {
      const row = tx
        .select({ status: supporters.status, userId: supporters.userId })
        .from(supporters)
        .where(and(eq(supporters.id, id), overdue))
        .get();
      if (!row) return false;
      tx.update(supporters).set({ status: "lapsed", updatedAt: now }).where(eq(supporters.id, id)).run();
      const event = tx
        .insert(supporterStatusEvents)
        .values({ supporterId: id, fromStatus: row.status, toStatus: "lapsed", reason: LAPSE_REASON, actorId: null, at: now })
        .returning({ id: supporterStatusEvents.id })
        .get();
      // The reason lives in the roster history; the audit event only points at it.
      appendAudit(tx, { actorId: null, action: "supporter.lapsed", objectType: "supporter_status_event", objectId: event.id, outcome: "success" });
      notify(tx, row.userId, "supporter.lapsed", LINKS["supporter.lapsed"], now);
      return true;
    });
    if (done) lapsed += 1;
  }
  return lapsed;
}

// 2. Refresher reminders, each at most once per refresher date (the Equality Unit resets both columns when it
// records a new one). The windows do not overlap: the 14-day reminder covers today … today+14 and the 60-day one
// today+15 … today+60. A supporter first seen inside 14 days (added late, or maintenance did not run for weeks)
// gets only the 14-day reminder, and it marks the 60-day one as sent too: a "due within 60 days" message arriving
// after "due within 14 days" would only confuse.
export function sendRefresherReminders(window: 60 | 14, { today, now }: Job): number {
  const sentColumn = window === 14 ? supporters.reminder14SentAt : supporters.reminder60SentAt;
  const due = and(
    inArray(supporters.status, ON_ROSTER),
    gte(supporters.refresherDue, window === 14 ? today : addDays(today, 15)),
    lte(supporters.refresherDue, addDays(today, window)),
    isNull(sentColumn),
  ) as SQL;
  const kind = window === 14 ? "supporter.refresher_due_14" : "supporter.refresher_due_60";
  const candidates = db.select({ id: supporters.id }).from(supporters).where(due).all();
  let sent = 0;
  for (const { id } of candidates) {
    const done = immediate((tx) => {
      const row = tx.select({ userId: supporters.userId }).from(supporters).where(and(eq(supporters.id, id), due)).get();
      if (!row) return false;
      tx.update(supporters)
        .set(
          window === 14
            ? { reminder14SentAt: now, reminder60SentAt: sql`coalesce(${supporters.reminder60SentAt}, ${now.getTime()})` }
            : { reminder60SentAt: now },
        )
        .where(eq(supporters.id, id))
        .run();
      appendAudit(tx, { actorId: null, action: `supporter.refresher_reminder_${window}`, objectType: "supporter", objectId: id, outcome: "success" });
      notify(tx, row.userId, kind, LINKS[kind], now);
      return true;
    });
    if (done) sent += 1;
  }
  return sent;
}

// 3. A pause with an end date is over on that date (the badge says "Not taking requests until <date>").
// A pause without an end date lasts until the supporter or the Equality Unit ends it.
export function endPausesThatHaveEnded({ today, now }: Job): number {
  const ended = and(eq(supporters.status, "paused"), lte(supporters.pausedUntil, today)) as SQL;
  const candidates = db.select({ id: supporters.id }).from(supporters).where(ended).all();
  let count = 0;
  for (const { id } of candidates) {
    const done = immediate((tx) => {
      const row = tx.select({ userId: supporters.userId }).from(supporters).where(and(eq(supporters.id, id), ended)).get();
      if (!row) return false;
      // The reason for the pause was private to the supporter and the Equality Unit; it goes with the pause.
      tx.update(supporters)
        .set({ status: "active", pausedUntil: null, pauseReason: null, updatedAt: now })
        .where(eq(supporters.id, id))
        .run();
      const event = tx
        .insert(supporterStatusEvents)
        .values({ supporterId: id, fromStatus: "paused", toStatus: "active", reason: PAUSE_ENDED_REASON, actorId: null, at: now })
        .returning({ id: supporterStatusEvents.id })
        .get();
      appendAudit(tx, { actorId: null, action: "supporter.resumed", objectType: "supporter_status_event", objectId: event.id, outcome: "success" });
      notify(tx, row.userId, "supporter.pause_ended", LINKS["supporter.pause_ended"], now);
      return true;
    });
    if (done) count += 1;
  }
  return count;
}

// 4. Acknowledgement reminder. A request still `new` when its acknowledge-by time has passed reminds its supporter,
// once. acknowledgeBy is 2 working days after the request was sent (createRequest) or handed over (answerHandover,
// which also clears reminderSentAt and escalatedAt, so the new supporter gets a reminder and a grace day of their
// own). A request sent on Friday is due on Tuesday, so nobody is chased over a weekend.
export function sendAcknowledgeReminders({ now }: Job): number {
  const due = and(
    eq(supportRequests.status, "new"),
    lte(supportRequests.acknowledgeBy, now),
    isNull(supportRequests.reminderSentAt),
  ) as SQL;
  const candidates = db.select({ id: supportRequests.id }).from(supportRequests).where(due).all();
  let sent = 0;
  for (const { id } of candidates) {
    const done = immediate((tx) => {
      // Conditional: a request acknowledged, withdrawn, handed over or reminded since it was read no longer matches.
      const row = tx
        .update(supportRequests)
        .set({ reminderSentAt: now })
        .where(and(eq(supportRequests.id, id), due))
        .returning({ supporterUserId: supportRequests.supporterUserId })
        .get();
      if (!row) return false;
      appendAudit(tx, { actorId: null, action: "request.acknowledge_reminder", objectType: "request", objectId: id, outcome: "success" });
      notify(tx, row.supporterUserId, "request.acknowledge_reminder", `/requests/${id}`, now);
      return true;
    });
    if (done) sent += 1;
  }
  return sent;
}

// How long the supporter has after the reminder before the Equality Unit is alerted.
export const ESCALATE_AFTER_WORKING_DAYS = 1;

// 5. Still `new` one working day after the reminder was sent → every Equality Unit member (granted the role, account
// not deactivated) is alerted, once. Counting from the reminder rather than from acknowledgeBy means the supporter
// always has that day, even if maintenance did not run for a while; run hourly, it is acknowledgeBy + 1 working day.
// The Equality Unit may not open the request (DESIGN: aggregates only), so the alert links to the notifications page
// and carries only requestReference(id), which the supporter also sees on the request: no names, category or words.
// With nobody in the unit the request is left for a later run, so the alert reaches whoever is granted the role.
export function escalateUnacknowledgedRequests({ now }: Job): number {
  const waiting = and(
    eq(supportRequests.status, "new"),
    isNotNull(supportRequests.reminderSentAt),
    isNull(supportRequests.escalatedAt),
  ) as SQL;
  // Working days cannot be counted in SQL; the few requests waiting after a reminder are filtered here.
  const candidates = db
    .select({ id: supportRequests.id, reminderSentAt: supportRequests.reminderSentAt })
    .from(supportRequests)
    .where(waiting)
    .all()
    .flatMap(({ id, reminderSentAt }) =>
      reminderSentAt && addWorkingDays(reminderSentAt, ESCALATE_AFTER_WORKING_DAYS) <= now ? [{ id, reminderSentAt }] : [],
    );
  let escalated = 0;
  for (const { id, reminderSentAt } of candidates) {
    const done = immediate((tx) => {
      const unit = tx
        .select({ userId: users.id })
        .from(roleGrants)
        .innerJoin(users, eq(users.id, roleGrants.userId))
        .where(and(eq(roleGrants.role, "equality_unit"), isNull(users.deactivatedAt)))
        .all();
      if (unit.length === 0) return false;
      // Conditional, and on the same reminder: after a handover (reminder cleared, or a new one sent) it waits again.
      const row = tx
        .update(supportRequests)
        .set({ escalatedAt: now })
        .where(and(eq(supportRequests.id, id), waiting, eq(supportRequests.reminderSentAt, reminderSentAt)))
        .returning({ id: supportRequests.id })
        .get();
      if (!row) return false;
      appendAudit(tx, { actorId: null, action: "request.acknowledge_overdue", objectType: "request", objectId: id, outcome: "success" });
      const reference = requestReference(id);
      for (const member of unit) notify(tx, member.userId, "request.acknowledge_overdue", "/notifications", now, { reference });
      return true;
    });
    if (done) escalated += 1;
  }
  return escalated;
}

const DAY_MS = 86_400_000;

// 6. Retention: the words of a request that ended (closed, withdrawn or declined) more than `retentionDays` ago are
// erased — messages deleted, ciphertexts nulled, erasedAt set — keeping the non-identifying facts for reports
// (category, dates, outcome, status history). Open requests are never erased, however old.
export function eraseEndedRequests({ now }: Job, retentionDays: number): number {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const due = dueForErasure(cutoff);
  let erased = 0;
  for (const { id } of requestsDueForErasure(cutoff)) {
    const done = immediate((tx) => {
      // Re-checked under the write lock: erased by the requester or another run since it was read → skipped.
      const row = tx.select({ id: supportRequests.id }).from(supportRequests).where(and(eq(supportRequests.id, id), due)).get();
      if (!row) return false;
      eraseContent(tx, id, now);
      appendAudit(tx, { actorId: null, action: "request.erased_by_retention", objectType: "request", objectId: id, outcome: "success" });
      return true;
    });
    if (done) erased += 1;
  }
  return erased;
}

// secure_delete (db/client) zeroes what an erase frees in the database file, but the pages written before the erase
// can still sit in the write-ahead log until it is overwritten. A TRUNCATE checkpoint copies the log into the file and
// empties it. Run every time, not only after a retention erase, so a requester's "erase now" is flushed too. When
// another connection (the server) is mid-read the log cannot be emptied; the next hourly run tries again.
export function checkpointWal(): boolean {
  const [result] = db.$client.pragma("wal_checkpoint(TRUNCATE)") as { busy: number; log: number; checkpointed: number }[];
  const complete = result !== undefined && result.busy === 0;
  if (!complete) logEvent("warn", "maintenance.wal_checkpoint_busy", { log: result?.log, checkpointed: result?.checkpointed });
  return complete;
}

export type MaintenanceSummary = {
  lapsed: number;
  reminders60: number;
  reminders14: number;
  pausesEnded: number;
  acknowledgeReminders: number;
  escalations: number;
  erased: number;
  mailSent: number;
  mailFailed: number;
};

export type MaintenanceOptions = { today?: string; now?: Date; mail?: MailConfig; retentionDays?: number };

// Lapsing comes first, so nobody overdue is reminded or has a pause ended; the 14-day reminders come before the
// 60-day ones, so the 14-day job can mark the 60-day reminder as sent before it would be picked up. The
// acknowledgement reminder comes before the escalation, which waits a working day after it. The checkpoint follows
// the retention erase, and mail goes last so that everything queued in this run is sent in it.
export async function runMaintenance(options: MaintenanceOptions = {}): Promise<MaintenanceSummary> {
  const job: Job = { today: options.today ?? londonToday(), now: options.now ?? clock.now() };
  const lapsed = lapseOverdueSupporters(job);
  const reminders14 = sendRefresherReminders(14, job);
  const reminders60 = sendRefresherReminders(60, job);
  const pausesEnded = endPausesThatHaveEnded(job);
  const acknowledgeReminders = sendAcknowledgeReminders(job);
  const escalations = escalateUnacknowledgedRequests(job);
  const erased = eraseEndedRequests(job, options.retentionDays ?? env().RETENTION_DAYS);
  checkpointWal();
  const mail = await deliverPendingMail(job.now, options.mail);
  return {
    lapsed,
    reminders60,
    reminders14,
    pausesEnded,
    acknowledgeReminders,
    escalations,
    erased,
    mailSent: mail.sent,
    mailFailed: mail.failed,
  };
}

export function formatSummary(s: MaintenanceSummary): string {
  return (
    `lapsed ${s.lapsed}, reminders 60-day ${s.reminders60}, 14-day ${s.reminders14}, ` +
    `pauses ended ${s.pausesEnded}, acknowledgement reminders ${s.acknowledgeReminders}, ` +
    `escalations ${s.escalations}, erased ${s.erased}, mail sent ${s.mailSent}, mail failed ${s.mailFailed}`
  );
}
