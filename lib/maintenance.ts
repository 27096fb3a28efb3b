import { and, eq, gte, inArray, isNull, lt, lte, sql, type SQL } from "drizzle-orm";

import { db } from "@/db/client";
import { notify, type NotificationKind } from "@/db/queries/notifications";
import { supporters, supporterStatusEvents } from "@/db/schema";
import { appendAudit } from "./audit";
import { addDays, clock, today as londonToday } from "./clock";
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

export type MaintenanceSummary = {
  lapsed: number;
  reminders60: number;
  reminders14: number;
  pausesEnded: number;
  mailSent: number;
  mailFailed: number;
};

export type MaintenanceOptions = { today?: string; now?: Date; mail?: MailConfig };

// Lapsing comes first, so nobody overdue is reminded or has a pause ended; the 14-day reminders come before the
// 60-day ones, so the 14-day job can mark the 60-day reminder as sent before it would be picked up.
export async function runMaintenance(options: MaintenanceOptions = {}): Promise<MaintenanceSummary> {
  const job: Job = { today: options.today ?? londonToday(), now: options.now ?? clock.now() };
  const lapsed = lapseOverdueSupporters(job);
  const reminders14 = sendRefresherReminders(14, job);
  const reminders60 = sendRefresherReminders(60, job);
  const pausesEnded = endPausesThatHaveEnded(job);
  const mail = await deliverPendingMail(job.now, options.mail);
  return { lapsed, reminders60, reminders14, pausesEnded, mailSent: mail.sent, mailFailed: mail.failed };
}

export function formatSummary(s: MaintenanceSummary): string {
  return (
    `lapsed ${s.lapsed}, reminders 60-day ${s.reminders60}, 14-day ${s.reminders14}, ` +
    `pauses ended ${s.pausesEnded}, mail sent ${s.mailSent}, mail failed ${s.mailFailed}`
  );
}
