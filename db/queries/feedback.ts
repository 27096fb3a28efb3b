import "server-only";

import { createHmac, randomUUID } from "node:crypto";

import { and, asc, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";

import type { SessionUser } from "@/lib/auth/session";
import { appendAudit, audit } from "@/lib/audit";
import { clock, today } from "@/lib/clock";
import { decryptField, DecryptionError, encryptField } from "@/lib/crypto";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import { hitRateLimit, type RateLimiter } from "@/lib/rate-limit";
import { db, type Db } from "../client";
import { feedback, users } from "../schema";
import { FEEDBACK_PAGE_SIZE, FEEDBACK_TOPICS, type FeedbackData, type FeedbackStatus, type FeedbackTopic } from "../validation/feedback";
import { viewerIsEqualityUnit } from "./permissions";

// Feedback to the Equality Unit. Anyone signed in may send it; only the Equality Unit reads and archives it, and
// every one of its statements carries viewerIsEqualityUnit in the WHERE.
//
// Anonymous feedback must not be traceable to its sender, by the Equality Unit or by anyone reading the database:
// - the row has no user id;
// - its audit event has no actor and no object id (the id with the event's time would tie the row to a sign-in);
// - its date is kept to the day, not the millisecond, so it cannot be matched to when someone was active;
// - the rate limit that stops one person flooding the form counts per person, under a keyed hash of the user id,
//   so its counter does not name who sent feedback in that hour either.

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Five an hour per person, anonymous or not: plenty for real feedback, and a flood stops quickly. */
export const FEEDBACK_LIMIT: RateLimiter = { name: "feedback", limit: 5, windowMs: 3_600_000 };

const BODY_CONTEXT = (rowId: string) => ({ table: "feedback", column: "body_cipher", rowId });

// What is encrypted: the topic travels inside the ciphertext, as it can say as much as the text.
type StoredBody = { topic: FeedbackTopic | null; text: string };

function sealBody(rowId: string, body: StoredBody): string {
  return encryptField(JSON.stringify(body), BODY_CONTEXT(rowId));
}

const TOPIC_VALUES = new Set<string>(FEEDBACK_TOPICS.map((topic) => topic.value));

function isTopic(value: unknown): value is FeedbackTopic {
  return typeof value === "string" && TOPIC_VALUES.has(value);
}

/** The stored text and topic, or null when the value cannot be read (wrong key, tampered). */
export function openFeedbackBody(rowId: string, stored: string): StoredBody | null {
  try {
    const parsed: unknown = JSON.parse(decryptField(stored, BODY_CONTEXT(rowId)));
    if (typeof parsed !== "object" || parsed === null) return null;
    const { topic, text } = parsed as Record<string, unknown>;
    if (typeof text !== "string") return null;
    return { topic: isTopic(topic) ? topic : null, text };
  } catch (error) {
    if (error instanceof DecryptionError || error instanceof SyntaxError) return null;
    throw error;
  }
}

function rateLimitSubject(viewer: SessionUser): string {
  return createHmac("sha256", env().AUTH_SECRET).update(`confide:feedback-rate-limit:${viewer.id}`).digest("base64url");
}

// The start of today in London, as UTC midnight of that date: it shows as today's date, and says nothing more.
function dayOnly(): Date {
  return new Date(`${today()}T00:00:00Z`);
}

export type SendFeedbackResult = { ok: true } | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

export function sendFeedback(viewer: SessionUser, input: FeedbackData): SendFeedbackResult {
  // Validation refuses this already; the data layer refuses it too, because it would attach a name to anonymous feedback.
  if (input.anonymous && input.volunteer) throw new Error("anonymous feedback cannot volunteer for focus groups");
  const actorId = input.anonymous ? null : viewer.id;

  const limit = hitRateLimit(FEEDBACK_LIMIT, rateLimitSubject(viewer));
  if (!limit.ok) {
    audit({ actorId, action: "feedback.rate_limited", objectType: "feedback", outcome: "denied" });
    return { ok: false, reason: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };
  }

  const id = randomUUID();
  db.transaction(
    (tx) => {
      tx.insert(feedback)
        .values({
          id,
          userId: input.anonymous ? null : viewer.id,
          bodyCipher: sealBody(id, { topic: input.topic, text: input.body }),
          volunteer: input.volunteer,
          createdAt: input.anonymous ? dayOnly() : clock.now(),
        })
        .run();
      appendAudit(tx, {
        actorId,
        action: "feedback.sent",
        objectType: "feedback",
        objectId: input.anonymous ? null : id,
        outcome: "success",
      });
    },
    { behavior: "immediate" },
  );
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------------------------
// The Equality Unit's list
// ---------------------------------------------------------------------------------------------------------------

export type FeedbackItem = {
  id: string;
  createdAt: Date;
  topic: FeedbackTopic | null;
  /** Null when the stored text cannot be decrypted. */
  text: string | null;
  /** Null for anonymous feedback. */
  sender: { name: string; email: string } | null;
  volunteer: boolean;
  archivedAt: Date | null;
};

export type FeedbackPage = {
  status: FeedbackStatus;
  items: FeedbackItem[];
  total: number;
  counts: Record<FeedbackStatus, number>;
  page: number;
  pageCount: number;
  pageSize: number;
};

function equalityUnitNow(viewer: SessionUser, tx: Tx | Db = db): boolean {
  return tx.get<{ ok: number } | undefined>(sql`select 1 as ok where ${viewerIsEqualityUnit(viewer)}`) !== undefined;
}

/** For actions, before they read the form: anyone outside the Equality Unit gets a 404. */
export function assertFeedbackAdmin(viewer: SessionUser): void {
  if (!equalityUnitNow(viewer)) throw new NotFoundError("feedback");
}

const statusIs = (status: FeedbackStatus) => (status === "new" ? isNull(feedback.archivedAt) : isNotNull(feedback.archivedAt));

/** Newest first (by the date sent), 20 a page, with the sender's name and email unless the feedback is anonymous. */
export function listFeedback(viewer: SessionUser, status: FeedbackStatus, page: number): FeedbackPage {
  if (!equalityUnitNow(viewer)) throw new NotFoundError("feedback");
  const totals = db
    .select({
      fresh: sql<number>`coalesce(sum(case when ${feedback.archivedAt} is null then 1 else 0 end), 0)`,
      archived: sql<number>`coalesce(sum(case when ${feedback.archivedAt} is null then 0 else 1 end), 0)`,
    })
    .from(feedback)
    .where(viewerIsEqualityUnit(viewer))
    .get();
  const counts = { new: totals?.fresh ?? 0, archived: totals?.archived ?? 0 };
  const total = counts[status];
  const pageCount = Math.max(1, Math.ceil(total / FEEDBACK_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
  // One statement for the page, senders included (a left join: anonymous rows have no user).
  const rows = db
    .select({
      id: feedback.id,
      bodyCipher: feedback.bodyCipher,
      volunteer: feedback.volunteer,
      createdAt: feedback.createdAt,
      archivedAt: feedback.archivedAt,
      userId: feedback.userId,
      name: users.name,
      email: users.email,
    })
    .from(feedback)
    .leftJoin(users, eq(users.id, feedback.userId))
    .where(and(statusIs(status), viewerIsEqualityUnit(viewer)))
    .orderBy(desc(feedback.createdAt), asc(feedback.id))
    .limit(FEEDBACK_PAGE_SIZE)
    .offset((current - 1) * FEEDBACK_PAGE_SIZE)
    .all();
  return {
    status,
    items: rows.map((row) => {
      const body = openFeedbackBody(row.id, row.bodyCipher);
      return {
        id: row.id,
        createdAt: row.createdAt,
        topic: body?.topic ?? null,
        text: body?.text ?? null,
        sender: row.userId && row.email ? { name: row.name ?? row.email, email: row.email } : null,
        volunteer: row.volunteer,
        archivedAt: row.archivedAt,
      };
    }),
    total,
    counts,
    page: current,
    pageCount,
    pageSize: FEEDBACK_PAGE_SIZE,
  };
}

// Archiving only moves an item out of the "New" list; nothing is deleted, and restoring brings it back. Doing
// either twice is harmless and audited once.
function setArchived(viewer: SessionUser, feedbackId: string, archived: boolean): void {
  db.transaction(
    (tx) => {
      const row = tx
        .select({ archivedAt: feedback.archivedAt })
        .from(feedback)
        .where(and(eq(feedback.id, feedbackId), viewerIsEqualityUnit(viewer)))
        .get();
      if (!row) throw new NotFoundError("feedback");
      if ((row.archivedAt !== null) === archived) return;
      tx.update(feedback)
        .set(archived ? { archivedAt: clock.now(), archivedBy: viewer.id } : { archivedAt: null, archivedBy: null })
        .where(and(eq(feedback.id, feedbackId), viewerIsEqualityUnit(viewer)))
        .run();
      appendAudit(tx, {
        actorId: viewer.id,
        action: archived ? "feedback.archived" : "feedback.restored",
        objectType: "feedback",
        objectId: feedbackId,
        outcome: "success",
      });
    },
    { behavior: "immediate" },
  );
}

export function archiveFeedback(viewer: SessionUser, feedbackId: string): void {
  setArchived(viewer, feedbackId, true);
}

export function restoreFeedback(viewer: SessionUser, feedbackId: string): void {
  setArchived(viewer, feedbackId, false);
}
