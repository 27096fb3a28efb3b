import "server-only";

import { and, count, desc, eq, isNull, sql } from "drizzle-orm";

import type { SessionUser } from "@/lib/auth/session";
import { clock } from "@/lib/clock";
import { queueMail } from "@/lib/mail";
import { db, type Db } from "../client";
import { notifications } from "../schema";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

// What each kind of notification says in the app. Fixed sentences only: nothing about who, which network or what
// a request says, because the list can be glanced at over a shoulder. The details are behind the link, on a page
// that checks permission again. Add new kinds here (the email is the same for every kind: lib/mail).
export const NOTIFICATION_SENTENCES = {
  "supporter.refresher_due_60": "Your equality supporter refresher training is due within 60 days.",
  "supporter.refresher_due_14": "Your equality supporter refresher training is due within 14 days.",
  "supporter.lapsed": "Your equality supporter refresher training is overdue, so you are no longer listed as a supporter.",
  "supporter.pause_ended": "Your pause has ended, so colleagues can ask you for support again.",
  // Networks (coordinator console): no network is named, since the list can be seen over a shoulder.
  "network.request_decided": "There is an update about a network you asked to join.",
  "network.membership_removed": "There is an update about your membership of a network.",
  "network.announcement": "There is a new announcement from a network you belong to.",
  "network.join_requested": "Someone has asked to join a network you coordinate.",
  // Confidential requests: the same sentence whoever is told and whatever happened.
  "request.update": "There is an update on a confidential request.",
  "request.acknowledge_reminder": "A confidential request is waiting for you to acknowledge it.",
  "request.acknowledge_overdue": "A confidential request has not been acknowledged in time. Open Confide to see its reference.",
} as const;

export type NotificationKind = keyof typeof NOTIFICATION_SENTENCES;

// A kind written by a newer version of the app (or removed since) still shows something sensible.
const FALLBACK_SENTENCE = "You have a new update.";

export function notificationSentence(kind: string): string {
  return (NOTIFICATION_SENTENCES as Record<string, string>)[kind] ?? FALLBACK_SENTENCE;
}

export const NOTIFICATIONS_PAGE_SIZE = 20;

// In the caller's transaction: the in-app notification and its email commit (or roll back) with the change they
// announce. `link` is a path in the app, never a URL with details in its query string. `reference` is an opaque
// code shown in the app only (never in the email), for alerts whose reader may not follow them to the thing itself.
export function notify(
  tx: Tx,
  userId: string,
  kind: NotificationKind,
  link: string,
  at: Date = clock.now(),
  options: { reference?: string } = {},
): void {
  if (!link.startsWith("/") || link.startsWith("//")) throw new Error("notification links are paths in the app");
  tx.insert(notifications).values({ userId, kind, link, reference: options.reference ?? null, createdAt: at }).run();
  queueMail(tx, { userId }, kind, at);
}

// For the header on every page: one indexed COUNT (notifications_user_unread_idx covers user_id, read_at),
// prepared once per process (lazily: importing this module prepares nothing).
function prepareCountUnread() {
  return db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, sql.placeholder("userId")), isNull(notifications.readAt)))
    .prepare();
}
let preparedCountUnread: ReturnType<typeof prepareCountUnread> | undefined;

export function countUnread(viewer: SessionUser): number {
  const row = (preparedCountUnread ??= prepareCountUnread()).get({ userId: viewer.id });
  return row?.n ?? 0;
}

export type NotificationItem = {
  id: string;
  sentence: string;
  link: string;
  reference: string | null;
  createdAt: Date;
  unread: boolean;
};

export type NotificationPage = {
  items: NotificationItem[];
  page: number;
  totalPages: number;
  total: number;
  unread: number;
};

// Newest first. The viewer's id is in every WHERE: there is no way to ask for someone else's notifications.
export function listForViewer(viewer: SessionUser, page: number): NotificationPage {
  const mine = eq(notifications.userId, viewer.id);
  const totals = db
    .select({ total: count(), read: count(notifications.readAt) })
    .from(notifications)
    .where(mine)
    .get() ?? { total: 0, read: 0 };
  const totalPages = Math.max(1, Math.ceil(totals.total / NOTIFICATIONS_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), totalPages);
  const rows = db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      link: notifications.link,
      reference: notifications.reference,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(mine)
    // The id breaks ties between notifications created in the same millisecond, so pages never overlap.
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(NOTIFICATIONS_PAGE_SIZE)
    .offset((current - 1) * NOTIFICATIONS_PAGE_SIZE)
    .all();
  return {
    items: rows.map((row) => ({
      id: row.id,
      sentence: notificationSentence(row.kind),
      link: row.link,
      reference: row.reference,
      createdAt: row.createdAt,
      unread: row.readAt === null,
    })),
    page: current,
    totalPages,
    total: totals.total,
    unread: totals.total - totals.read,
  };
}

// Returns how many were marked. Only ever the viewer's own.
export function markAllRead(viewer: SessionUser, at: Date = clock.now()): number {
  return db
    .update(notifications)
    .set({ readAt: at })
    .where(and(eq(notifications.userId, viewer.id), isNull(notifications.readAt)))
    .run().changes;
}
