import "server-only";

import { and, asc, count, desc, eq, gte, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";

import type { SessionUser } from "@/lib/auth/session";
import { appendAudit, audit } from "@/lib/audit";
import { addWorkingDays, clock, today } from "@/lib/clock";
import { decryptField, encryptField } from "@/lib/crypto";
import { NotFoundError } from "@/lib/errors";
import type { RequestOutcome } from "@/lib/vocabulary";
import type { CreateRequest } from "../validation/requests";
import { db, type Db } from "../client";
import {
  requestExclusions,
  requestMessages,
  requestStatusEvents,
  supportRequests,
  supporterAttributes,
  supporters,
  users,
  type RequestStatus,
} from "../schema";
import { notify } from "./notifications";
import { availableOn, OPEN_REQUEST_STATUSES } from "./supporter-rules";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

// Confidential requests. Only the requester and the currently assigned supporter can read or change a request:
// every statement here has that rule in its WHERE, so for anyone else (another supporter, a coordinator, the
// Equality Unit) the request simply does not exist. Content is encrypted (lib/crypto) with the row and column bound
// in, and never leaves this module except to those two people.

export const ACKNOWLEDGE_WORKING_DAYS = 2;
export const REQUESTS_PER_HOUR = 5;
export const PAGE_SIZE = 20;

// A request the person cannot make, with the message to show them (and the field it belongs to).
export class RequestRefusedError extends Error {
  constructor(
    message: string,
    readonly field: "supporterId" | "contactMethod" | "form" = "form",
  ) {
    super(message);
    this.name = "RequestRefusedError";
  }
}

// An action that does not fit the request's current state (e.g. replying to a closed request).
export class RequestStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RequestStateError";
  }
}

const field = (column: "message_cipher" | "safe_contact_cipher" | "decline_reason_cipher", rowId: string) => ({
  table: "support_requests",
  column,
  rowId,
});
const messageField = (rowId: string) => ({ table: "request_messages", column: "body_cipher", rowId });

const isRequester = (viewer: SessionUser) => eq(supportRequests.requesterId, viewer.id);
const isAssignedSupporter = (viewer: SessionUser) => eq(supportRequests.supporterUserId, viewer.id);
const isParty = (viewer: SessionUser) => or(isRequester(viewer), isAssignedSupporter(viewer)) as SQL;

// ---------------------------------------------------------------------------------------------------------------
// Asking
// ---------------------------------------------------------------------------------------------------------------

// The supporter may be chosen only if they are available today, are not the requester, are not someone the
// requester excluded and, if asked, work outside the requester's department. Checked in one statement inside the
// same transaction as the insert, so a supporter who pauses or fills up a moment earlier cannot be chosen.
function choosableSupporter(
  tx: Tx,
  requesterId: string,
  input: Pick<CreateRequest, "supporterId" | "excludedUserIds" | "preferOutsideDepartment">,
) {
  const department = tx.select({ department: users.department }).from(users).where(eq(users.id, requesterId)).get()?.department ?? null;
  const conditions: SQL[] = [eq(supporters.id, input.supporterId), availableOn(today()), ne(supporters.userId, requesterId)];
  if (input.excludedUserIds.length > 0) conditions.push(sql`${supporters.userId} not in ${input.excludedUserIds}`);
  if (input.preferOutsideDepartment && department !== null) conditions.push(sql`${users.department} is not ${department}`);
  return tx
    .select({ id: supporters.id, userId: supporters.userId })
    .from(supporters)
    .innerJoin(users, eq(users.id, supporters.userId))
    .where(and(...conditions))
    .get();
}

export function createRequest(viewer: SessionUser, input: CreateRequest): { id: string } {
  const now = clock.now();
  const id = crypto.randomUUID();
  db.transaction(
    (tx) => {
      const lastHour = tx
        .select({ n: count() })
        .from(supportRequests)
        .where(and(eq(supportRequests.requesterId, viewer.id), gte(supportRequests.createdAt, new Date(now.getTime() - 3_600_000))))
        .get();
      if ((lastHour?.n ?? 0) >= REQUESTS_PER_HOUR) {
        throw new RequestRefusedError(
          `You have sent ${REQUESTS_PER_HOUR} requests in the last hour. Wait a while before sending another, or contact the Equality Unit.`,
        );
      }
      const supporter = choosableSupporter(tx, viewer.id, input);
      if (!supporter) {
        throw new RequestRefusedError(
          "This supporter cannot take your request: they may be unavailable, at capacity, in your department or someone you asked not to involve. Choose another supporter.",
          "supporterId",
        );
      }
      const offersMethod = tx
        .select({ one: sql`1` })
        .from(supporterAttributes)
        .where(and(eq(supporterAttributes.supporterId, supporter.id), eq(supporterAttributes.kind, "contact_method"), eq(supporterAttributes.value, input.contactMethod)))
        .get();
      if (!offersMethod) {
        throw new RequestRefusedError("This supporter does not offer that way of being contacted. Choose another.", "contactMethod");
      }
      tx.insert(supportRequests)
        .values({
          id,
          requesterId: viewer.id,
          supporterId: supporter.id,
          supporterUserId: supporter.userId,
          status: "new",
          category: input.category,
          protectedCharacteristic: input.category === "discrimination" ? (input.protectedCharacteristic ?? null) : null,
          contactMethod: input.contactMethod,
          anonymousToSupporter: input.anonymous,
          preferOutsideDepartment: input.preferOutsideDepartment,
          messageCipher: encryptField(input.message, field("message_cipher", id)),
          safeContactCipher: input.safeContact ? encryptField(input.safeContact, field("safe_contact_cipher", id)) : null,
          limitsAcknowledgedAt: now,
          acknowledgeBy: addWorkingDays(now, ACKNOWLEDGE_WORKING_DAYS),
          createdAt: now,
        })
        .run();
      if (input.excludedUserIds.length > 0) {
        tx.insert(requestExclusions).values(input.excludedUserIds.map((userId) => ({ requestId: id, userId }))).run();
      }
      recordStatus(tx, id, null, "new", "requester", now);
      appendAudit(tx, { actorId: viewer.id, action: "request.created", objectType: "request", objectId: id, outcome: "success" });
      notify(tx, supporter.userId, "request.update", `/requests/${id}`, now);
    },
    { behavior: "immediate" },
  );
  return { id };
}

function recordStatus(tx: Tx, requestId: string, from: RequestStatus | null, to: RequestStatus, actor: "requester" | "supporter" | "system", at: Date) {
  tx.insert(requestStatusEvents).values({ requestId, fromStatus: from, toStatus: to, actor, at }).run();
}

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

export type RequestMessage = { id: string; fromViewer: boolean; author: string; body: string; at: Date };

export type RequestView = {
  id: string;
  status: RequestStatus;
  viewerIsRequester: boolean;
  category: CreateRequest["category"];
  protectedCharacteristic: string | null;
  contactMethod: CreateRequest["contactMethod"];
  anonymousToSupporter: boolean;
  /** Null for the supporter when the requester chose to stay anonymous. */
  requesterName: string | null;
  supporterName: string;
  supporterId: string;
  /** Null once erased. */
  message: string | null;
  safeContact: string | null;
  declineReason: string | null;
  outcome: string | null;
  handoverSupporter: { id: string; name: string } | null;
  createdAt: Date;
  acknowledgeBy: Date;
  acknowledgedAt: Date | null;
  endedAt: Date | null;
  erasedAt: Date | null;
  messages: RequestMessage[];
};

export const ANONYMOUS = "Anonymous colleague";

// Every read of a request is audited (who, which request; never what it says).
export function getRequestForViewer(viewer: SessionUser, requestId: string): RequestView {
  const requester = sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${supportRequests.requesterId})`;
  const supporterName = sql<string>`(select ${users.name} from ${users} where ${users.id} = ${supportRequests.supporterUserId})`;
  const row = db
    .select({
      id: supportRequests.id,
      status: supportRequests.status,
      requesterId: supportRequests.requesterId,
      requesterName: requester,
      supporterName,
      supporterId: supportRequests.supporterId,
      category: supportRequests.category,
      protectedCharacteristic: supportRequests.protectedCharacteristic,
      contactMethod: supportRequests.contactMethod,
      anonymous: supportRequests.anonymousToSupporter,
      messageCipher: supportRequests.messageCipher,
      safeContactCipher: supportRequests.safeContactCipher,
      declineReasonCipher: supportRequests.declineReasonCipher,
      outcome: supportRequests.outcome,
      handoverSupporterId: supportRequests.handoverSupporterId,
      createdAt: supportRequests.createdAt,
      acknowledgeBy: supportRequests.acknowledgeBy,
      acknowledgedAt: supportRequests.acknowledgedAt,
      endedAt: supportRequests.endedAt,
      erasedAt: supportRequests.erasedAt,
    })
    .from(supportRequests)
    .where(and(eq(supportRequests.id, requestId), isParty(viewer)))
    .get();
  if (!row) {
    audit({ actorId: viewer.id, action: "request.read", objectType: "request", objectId: requestId, outcome: "denied" });
    throw new NotFoundError("request");
  }
  const viewerIsRequester = row.requesterId === viewer.id;
  // An anonymous requester's identity never leaves this function for the supporter.
  const hideRequester = row.anonymous && !viewerIsRequester;
  const handover = row.handoverSupporterId
    ? db
        .select({ id: supporters.id, name: users.name })
        .from(supporters)
        .innerJoin(users, eq(users.id, supporters.userId))
        .where(eq(supporters.id, row.handoverSupporterId))
        .get()
    : undefined;
  const messages = db
    .select({ id: requestMessages.id, authorId: requestMessages.authorId, body: requestMessages.bodyCipher, at: requestMessages.createdAt })
    .from(requestMessages)
    .where(eq(requestMessages.requestId, row.id))
    .orderBy(asc(requestMessages.createdAt), asc(requestMessages.id))
    .all();
  audit({ actorId: viewer.id, action: "request.read", objectType: "request", objectId: row.id, outcome: "success" });
  const names = { requester: hideRequester ? ANONYMOUS : (row.requesterName ?? "Former colleague"), supporter: row.supporterName ?? "Supporter" };
  return {
    id: row.id,
    status: row.status,
    viewerIsRequester,
    category: row.category,
    protectedCharacteristic: row.protectedCharacteristic,
    contactMethod: row.contactMethod,
    anonymousToSupporter: row.anonymous,
    requesterName: hideRequester ? null : row.requesterName,
    supporterName: names.supporter,
    supporterId: row.supporterId,
    message: row.messageCipher ? decryptField(row.messageCipher, field("message_cipher", row.id)) : null,
    safeContact: row.safeContactCipher && !hideRequester ? decryptField(row.safeContactCipher, field("safe_contact_cipher", row.id)) : null,
    declineReason: row.declineReasonCipher ? decryptField(row.declineReasonCipher, field("decline_reason_cipher", row.id)) : null,
    outcome: row.outcome,
    handoverSupporter: handover ? { id: handover.id, name: handover.name ?? "Supporter" } : null,
    createdAt: row.createdAt,
    acknowledgeBy: row.acknowledgeBy,
    acknowledgedAt: row.acknowledgedAt,
    endedAt: row.endedAt,
    erasedAt: row.erasedAt,
    messages: messages.map((m) => {
      const fromRequester = m.authorId !== null && m.authorId === row.requesterId;
      return {
        id: m.id,
        fromViewer: m.authorId === viewer.id,
        author: m.authorId === viewer.id ? "You" : fromRequester ? names.requester : names.supporter,
        body: decryptField(m.body, messageField(m.id)),
        at: m.at,
      };
    }),
  };
}

export type RequestSummary = {
  id: string;
  status: RequestStatus;
  category: CreateRequest["category"];
  /** The other party: the supporter for the requester; the requester (or "Anonymous colleague") for the supporter. */
  with: string;
  createdAt: Date;
  acknowledgeBy: Date;
  acknowledgedAt: Date | null;
};

export type RequestPage = { items: RequestSummary[]; total: number; page: number; pageCount: number };

function listRequests(where: SQL, other: "supporter" | "requester", page: number): RequestPage {
  const otherName =
    other === "supporter"
      ? sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${supportRequests.supporterUserId})`
      : sql<string | null>`case when ${supportRequests.anonymousToSupporter} then null
          else (select ${users.name} from ${users} where ${users.id} = ${supportRequests.requesterId}) end`;
  const total = db.select({ n: count() }).from(supportRequests).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pageCount);
  const rows = db
    .select({
      id: supportRequests.id,
      status: supportRequests.status,
      category: supportRequests.category,
      with: otherName,
      createdAt: supportRequests.createdAt,
      acknowledgeBy: supportRequests.acknowledgeBy,
      acknowledgedAt: supportRequests.acknowledgedAt,
    })
    .from(supportRequests)
    .where(where)
    .orderBy(desc(supportRequests.createdAt), desc(supportRequests.id))
    .limit(PAGE_SIZE)
    .offset((current - 1) * PAGE_SIZE)
    .all();
  return {
    items: rows.map((r) => ({ ...r, with: r.with ?? (other === "requester" ? ANONYMOUS : "Supporter") })),
    total,
    page: current,
    pageCount,
  };
}

export function listMyRequests(viewer: SessionUser, page = 1): RequestPage {
  return listRequests(isRequester(viewer), "supporter", page);
}

// The supporter's inbox: requests assigned to them now. Open ones first is the page's job (filter by status).
export function listAssignedRequests(viewer: SessionUser, page = 1, open = true): RequestPage {
  const where = and(isAssignedSupporter(viewer), open ? inArray(supportRequests.status, OPEN_REQUEST_STATUSES) : undefined) as SQL;
  return listRequests(where, "requester", page);
}

// ---------------------------------------------------------------------------------------------------------------
// Changing
// ---------------------------------------------------------------------------------------------------------------

type Party = "requester" | "supporter";
const partyCondition = (viewer: SessionUser, as: Party | "either") =>
  as === "requester" ? isRequester(viewer) : as === "supporter" ? isAssignedSupporter(viewer) : isParty(viewer);

// Loads the request for a party (or throws NotFoundError), checks the state, applies the change, records the
// status event and audit, and tells the other party — all in one IMMEDIATE transaction.
function change(
  viewer: SessionUser,
  requestId: string,
  as: Party | "either",
  allowed: readonly RequestStatus[],
  stateMessage: string,
  apply: (tx: Tx, request: { id: string; status: RequestStatus; requesterId: string | null; supporterUserId: string }, now: Date) => {
    to?: RequestStatus;
    action: string;
    tell?: string | null;
  },
): void {
  const now = clock.now();
  db.transaction(
    (tx) => {
      const request = tx
        .select({ id: supportRequests.id, status: supportRequests.status, requesterId: supportRequests.requesterId, supporterUserId: supportRequests.supporterUserId })
        .from(supportRequests)
        .where(and(eq(supportRequests.id, requestId), partyCondition(viewer, as)))
        .get();
      if (!request) {
        appendAudit(tx, { actorId: viewer.id, action: "request.change", objectType: "request", objectId: requestId, outcome: "denied" });
        throw new NotFoundError("request");
      }
      if (!allowed.includes(request.status)) throw new RequestStateError(stateMessage);
      const result = apply(tx, request, now);
      const actor: Party = request.requesterId === viewer.id ? "requester" : "supporter";
      if (result.to && result.to !== request.status) {
        tx.update(supportRequests).set({ status: result.to, updatedAt: now }).where(eq(supportRequests.id, request.id)).run();
        recordStatus(tx, request.id, request.status, result.to, actor, now);
      }
      appendAudit(tx, { actorId: viewer.id, action: result.action, objectType: "request", objectId: request.id, outcome: "success" });
      const other = result.tell !== undefined ? result.tell : actor === "requester" ? request.supporterUserId : request.requesterId;
      if (other) notify(tx, other, "request.update", `/requests/${request.id}`, now);
    },
    { behavior: "immediate" },
  );
}

const CONVERSATION_OPEN = ["new", "acknowledged", "in_progress", "handover_pending"] as const;

export function addMessage(viewer: SessionUser, requestId: string, body: string): void {
  change(viewer, requestId, "either", CONVERSATION_OPEN, "This conversation has ended, so no more messages can be sent.", (tx, _request, now) => {
    const id = crypto.randomUUID();
    tx.insert(requestMessages).values({ id, requestId, authorId: viewer.id, bodyCipher: encryptField(body, messageField(id)), createdAt: now }).run();
    return { action: "request.message_sent" };
  });
}

export function acknowledgeRequest(viewer: SessionUser, requestId: string): void {
  change(viewer, requestId, "supporter", ["new"], "This request has already been acknowledged.", (tx, request, now) => {
    tx.update(supportRequests).set({ acknowledgedAt: now }).where(eq(supportRequests.id, request.id)).run();
    return { to: "acknowledged", action: "request.acknowledged" };
  });
}

export function startRequest(viewer: SessionUser, requestId: string): void {
  change(viewer, requestId, "supporter", ["acknowledged"], "Only an acknowledged request can be moved to in progress.", () => ({
    to: "in_progress",
    action: "request.started",
  }));
}

export function closeRequest(viewer: SessionUser, requestId: string, outcome: RequestOutcome): void {
  change(viewer, requestId, "supporter", ["acknowledged", "in_progress"], "Only an acknowledged or in-progress request can be closed.", (tx, request, now) => {
    tx.update(supportRequests).set({ outcome, endedAt: now }).where(eq(supportRequests.id, request.id)).run();
    return { to: "closed", action: "request.closed" };
  });
}

export function declineRequest(viewer: SessionUser, requestId: string, reason: string): void {
  change(viewer, requestId, "supporter", ["new", "acknowledged"], "Only a new or acknowledged request can be declined.", (tx, request, now) => {
    tx.update(supportRequests)
      .set({ declineReasonCipher: encryptField(reason, field("decline_reason_cipher", request.id)), endedAt: now })
      .where(eq(supportRequests.id, request.id))
      .run();
    return { to: "declined", action: "request.declined" };
  });
}

// The supporter proposes; nothing moves until the requester consents. The proposed supporter must be one the
// requester could have chosen themself (available, not excluded, outside their department if they asked).
export function proposeHandover(viewer: SessionUser, requestId: string, targetSupporterId: string): void {
  change(viewer, requestId, "supporter", ["acknowledged", "in_progress"], "Only an acknowledged or in-progress request can be handed over.", (tx, request, now) => {
    const details = tx
      .select({ requesterId: supportRequests.requesterId, prefer: supportRequests.preferOutsideDepartment })
      .from(supportRequests)
      .where(eq(supportRequests.id, request.id))
      .get();
    const excluded = tx.select({ userId: requestExclusions.userId }).from(requestExclusions).where(eq(requestExclusions.requestId, request.id)).all();
    const target = choosableSupporter(tx, details?.requesterId ?? "", {
      supporterId: targetSupporterId,
      excludedUserIds: [...excluded.map((e) => e.userId), viewer.id],
      preferOutsideDepartment: details?.prefer ?? false,
    });
    if (!target) throw new RequestStateError("That supporter cannot take this request. Choose another available supporter.");
    tx.update(supportRequests).set({ handoverSupporterId: target.id, updatedAt: now }).where(eq(supportRequests.id, request.id)).run();
    return { to: "handover_pending", action: "request.handover_proposed" };
  });
}

// Consent moves the request to the proposed supporter, who must acknowledge it afresh; the previous supporter loses
// access at once. Refusal leaves it with the current supporter.
export function answerHandover(viewer: SessionUser, requestId: string, consent: boolean): void {
  change(viewer, requestId, "requester", ["handover_pending"], "There is no handover waiting for your answer.", (tx, request, now) => {
    const pending = tx.select({ target: supportRequests.handoverSupporterId }).from(supportRequests).where(eq(supportRequests.id, request.id)).get();
    if (!consent || !pending?.target) {
      tx.update(supportRequests).set({ handoverSupporterId: null }).where(eq(supportRequests.id, request.id)).run();
      return { to: "in_progress", action: "request.handover_refused" };
    }
    // Still choosable now (they may have paused or filled up since it was proposed).
    const target = tx
      .select({ id: supporters.id, userId: supporters.userId })
      .from(supporters)
      .innerJoin(users, eq(users.id, supporters.userId))
      .where(and(eq(supporters.id, pending.target), availableOn(today())))
      .get();
    if (!target) throw new RequestStateError("The proposed supporter is no longer available. Ask your supporter to suggest someone else.");
    tx.update(supportRequests)
      .set({
        supporterId: target.id,
        supporterUserId: target.userId,
        handoverSupporterId: null,
        acknowledgedAt: null,
        acknowledgeBy: addWorkingDays(now, ACKNOWLEDGE_WORKING_DAYS),
        reminderSentAt: null,
        escalatedAt: null,
      })
      .where(eq(supportRequests.id, request.id))
      .run();
    // Both supporters are told: the old one that it has gone, the new one that it has arrived.
    notify(tx, request.supporterUserId, "request.update", "/inbox", now);
    return { to: "new", action: "request.handover_accepted", tell: target.userId };
  });
}

export function withdrawRequest(viewer: SessionUser, requestId: string): void {
  change(viewer, requestId, "requester", CONVERSATION_OPEN, "This request has already ended.", (tx, request, now) => {
    tx.update(supportRequests).set({ endedAt: now, handoverSupporterId: null }).where(eq(supportRequests.id, request.id)).run();
    return { to: "withdrawn", action: "request.withdrawn" };
  });
}

// Removes the words for good; the non-identifying facts (category, dates, outcome) stay for reports.
export function eraseContent(tx: Tx, requestId: string, now: Date): void {
  tx.delete(requestMessages).where(eq(requestMessages.requestId, requestId)).run();
  tx.delete(requestExclusions).where(eq(requestExclusions.requestId, requestId)).run();
  tx.update(supportRequests)
    .set({ messageCipher: null, safeContactCipher: null, declineReasonCipher: null, erasedAt: now })
    .where(eq(supportRequests.id, requestId))
    .run();
}

// The requester can withdraw and erase at any time; an open request is withdrawn first.
export function eraseRequestNow(viewer: SessionUser, requestId: string): void {
  const all: readonly RequestStatus[] = ["new", "acknowledged", "in_progress", "handover_pending", "closed", "withdrawn", "declined"];
  change(viewer, requestId, "requester", all, "This request cannot be erased.", (tx, request, now) => {
    const wasOpen = (CONVERSATION_OPEN as readonly RequestStatus[]).includes(request.status);
    if (wasOpen) tx.update(supportRequests).set({ endedAt: now, handoverSupporterId: null }).where(eq(supportRequests.id, request.id)).run();
    eraseContent(tx, request.id, now);
    return { to: wasOpen ? "withdrawn" : undefined, action: "request.erased", tell: wasOpen ? request.supporterUserId : null };
  });
}

// Open requests not yet erased; used by maintenance's retention job with an explicit cut-off.
export function requestsDueForErasure(cutoff: Date): { id: string }[] {
  return db
    .select({ id: supportRequests.id })
    .from(supportRequests)
    .where(and(isNull(supportRequests.erasedAt), inArray(supportRequests.status, ["closed", "withdrawn", "declined"]), sql`${supportRequests.endedAt} <= ${cutoff.getTime()}`))
    .all();
}
