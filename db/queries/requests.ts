import "server-only";

import { createHash } from "node:crypto";

import { and, asc, count, desc, eq, gte, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";

import type { SessionUser } from "@/lib/auth/session";
import { appendAudit, audit } from "@/lib/audit";
import { availabilityOf, type Availability } from "@/lib/availability";
import { addWorkingDays, clock, today } from "@/lib/clock";
import { decryptField, encryptField } from "@/lib/crypto";
import { NotFoundError } from "@/lib/errors";
import { CONTACT_METHODS, type ContactMethod, type RequestOutcome } from "@/lib/vocabulary";
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
import { availableOn, listedOn, OPEN_REQUEST_STATUSES } from "./supporter-rules";

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

// A short opaque code for a request ("4F2A91C0"). The Equality Unit's "not acknowledged in time" alert carries it
// instead of anything about the request, and the requester and supporter see it on the request, so the unit can
// ask the supporter about "reference 4F2A91C0" without learning who asked or why. It is a hash of the random id, so
// it is stable and cannot be turned back into the id (which is in the request's URL).
export function requestReference(requestId: string): string {
  return createHash("sha256").update(requestId, "utf8").digest("hex").slice(0, 8).toUpperCase();
}

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
  return tx
    .select({ id: supporters.id, userId: supporters.userId })
    .from(supporters)
    .innerJoin(users, eq(users.id, supporters.userId))
    .where(and(eq(supporters.id, input.supporterId), choosableBy(tx, requesterId, input)))
    .get();
}

// The rule itself, for any supporter; the handover list offers exactly the supporters a proposal would accept.
function choosableBy(tx: Tx | Db, requesterId: string, input: Pick<CreateRequest, "excludedUserIds" | "preferOutsideDepartment">): SQL {
  const department = tx.select({ department: users.department }).from(users).where(eq(users.id, requesterId)).get()?.department ?? null;
  const conditions: SQL[] = [availableOn(today()), ne(supporters.userId, requesterId)];
  if (input.excludedUserIds.length > 0) conditions.push(sql`${supporters.userId} not in ${input.excludedUserIds}`);
  if (input.preferOutsideDepartment && department !== null) conditions.push(sql`${users.department} is not ${department}`);
  return and(...conditions) as SQL;
}

export function createRequest(viewer: SessionUser, input: CreateRequest): { id: string } {
  const now = clock.now();
  const id = crypto.randomUUID();
  let rateLimited = false;
  try {
    db.transaction(
      (tx) => {
        const lastHour = tx
          .select({ n: count() })
          .from(supportRequests)
          .where(and(eq(supportRequests.requesterId, viewer.id), gte(supportRequests.createdAt, new Date(now.getTime() - 3_600_000))))
          .get();
        if ((lastHour?.n ?? 0) >= REQUESTS_PER_HOUR) {
          rateLimited = true;
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
  } catch (error) {
    // Audited after the rollback, in a transaction of its own. The object type keeps the actor hidden in the audit
    // viewer (db/queries/audit-log.ts): sending requests at all is part of asking for help.
    if (rateLimited) audit({ actorId: viewer.id, action: "rate_limit.refused", objectType: "request", outcome: "denied" });
    throw error;
  }
  return { id };
}

// What the request form needs about the chosen supporter, under the directory's rule: a supporter who is not
// listed (lapsed, retired, refresher overdue, deactivated, or no such id) is a NotFoundError, the same 404 as
// their profile. Availability and "is this you" are returned rather than refused, so the page can say why the
// form is not offered; createRequest checks them again when the request is sent.
export type ContactOptions = {
  supporterId: string;
  /** For the server to recognise the supporter among the people the requester excludes. Never sent to the browser. */
  supporterUserId: string;
  name: string;
  roleTitle: string;
  site: string;
  /** In the fixed vocabulary's order (messages in Confide first). */
  contactMethods: ContactMethod[];
  availability: Availability;
  /** The viewer is this supporter, and cannot ask themself. */
  isViewer: boolean;
  /** Same department as the viewer (both recorded): "prefer someone outside my department" rules them out. */
  inViewersDepartment: boolean;
};

const requesterUser = alias(users, "requester_user");

export function getContactOptions(viewer: SessionUser, supporterId: string): ContactOptions {
  const on = today();
  const viewerDepartment = db.select({ department: requesterUser.department }).from(requesterUser).where(eq(requesterUser.id, viewer.id));
  const row = db
    .select({
      id: supporters.id,
      userId: supporters.userId,
      name: users.name,
      roleTitle: supporters.roleTitle,
      site: supporters.site,
      status: supporters.status,
      pausedUntil: supporters.pausedUntil,
      capacity: supporters.capacity,
      openRequests: supporters.openRequests,
      // The same comparison as choosableSupporter: a department missing on either side never matches.
      sameDepartment: sql<number>`coalesce(${users.department} = (${viewerDepartment}), 0)`,
    })
    .from(supporters)
    .innerJoin(users, eq(users.id, supporters.userId))
    .where(and(eq(supporters.id, supporterId), listedOn(on)))
    .get();
  if (!row) throw new NotFoundError("supporter");
  const methods = db
    .select({ value: supporterAttributes.value })
    .from(supporterAttributes)
    .where(and(eq(supporterAttributes.supporterId, row.id), eq(supporterAttributes.kind, "contact_method")))
    .all()
    .map((m) => m.value);
  return {
    supporterId: row.id,
    supporterUserId: row.userId,
    name: row.name?.trim() || "Name not recorded",
    roleTitle: row.roleTitle,
    site: row.site,
    contactMethods: CONTACT_METHODS.filter((method) => methods.includes(method)),
    availability: availabilityOf({ status: row.status, pausedUntil: row.pausedUntil, capacity: row.capacity, openRequests: row.openRequests }, on),
    isViewer: row.userId === viewer.id,
    inViewersDepartment: row.sameDepartment === 1,
  };
}

// The people a requester names as not to be involved, looked up in one statement by the ids the staff picker
// chose and the email addresses typed without JavaScript. Only current staff count: a leaver's address is unknown.
// The DTO carries what the requester may see in the picker (name, department, site), never an email address.
export type ExcludedPerson = { id: string; name: string; department: string | null; site: string | null };

export type ExclusionLookup = {
  /** Everyone found, once each, in the order they were given (ids first, then email addresses). */
  people: ExcludedPerson[];
  unknownIds: string[];
  /** As typed. */
  unknownEmails: string[];
};

export function findPeopleToExclude(_viewer: SessionUser, ids: readonly string[], emails: readonly string[]): ExclusionLookup {
  const wantedIds = [...new Set(ids)];
  const wantedEmails = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  if (wantedIds.length === 0 && wantedEmails.length === 0) return { people: [], unknownIds: [], unknownEmails: [] };
  const rows = db
    .select({ id: users.id, name: users.name, department: users.department, site: users.site, email: sql<string>`lower(${users.email})` })
    .from(users)
    .where(
      and(
        isNull(users.deactivatedAt),
        or(
          wantedIds.length > 0 ? inArray(users.id, wantedIds) : undefined,
          // lower(email) is what users_email_unique indexes.
          wantedEmails.length > 0 ? inArray(sql`lower(${users.email})`, wantedEmails) : undefined,
        ),
      ),
    )
    .all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byEmail = new Map(rows.map((r) => [r.email, r]));
  const people = new Map<string, ExcludedPerson>();
  const add = (r: (typeof rows)[number]) => people.set(r.id, { id: r.id, name: r.name?.trim() || "Name not recorded", department: r.department, site: r.site });
  const unknownIds: string[] = [];
  const unknownEmails: string[] = [];
  for (const id of wantedIds) {
    const r = byId.get(id);
    if (r) add(r);
    else unknownIds.push(id);
  }
  for (const typed of emails) {
    const r = byEmail.get(typed.trim().toLowerCase());
    if (r) add(r);
    else if (!unknownEmails.includes(typed.trim())) unknownEmails.push(typed.trim());
  }
  return { people: [...people.values()], unknownIds, unknownEmails };
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
  /** requestReference(id): what the Equality Unit is told if the request is not acknowledged in time. */
  reference: string;
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
  handoverSupporter: { id: string; name: string; roleTitle: string; site: string } | null;
  createdAt: Date;
  acknowledgeBy: Date;
  acknowledgedAt: Date | null;
  endedAt: Date | null;
  erasedAt: Date | null;
  /** One page of the conversation, oldest first: page 1 is the latest MESSAGE_PAGE_SIZE messages. */
  messages: RequestMessage[];
  /** Messages `from` to `to` (counting from 1, the first message) of `total`. */
  messagePage: { page: number; pageCount: number; total: number; from: number; to: number };
};

export const ANONYMOUS = "Anonymous colleague";

// A conversation can run to hundreds of messages; each is decrypted and rendered, so the page shows the latest 50
// and links to earlier ones (DESIGN: every list is paginated).
export const MESSAGE_PAGE_SIZE = 50;

// Every read of a request is audited (who, which request; never what it says). `messagePage` counts back from the
// latest messages: 1 is the newest page, 2 the one before it; beyond the earliest page shows the earliest.
export function getRequestForViewer(viewer: SessionUser, requestId: string, messagePage = 1): RequestView {
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
        .select({ id: supporters.id, name: users.name, roleTitle: supporters.roleTitle, site: supporters.site })
        .from(supporters)
        .innerJoin(users, eq(users.id, supporters.userId))
        .where(eq(supporters.id, row.handoverSupporterId))
        .get()
    : undefined;
  // Both statements read request_messages_request_idx (request_id, created_at) for this request only; the count
  // reads the index alone.
  const total = db.select({ n: count() }).from(requestMessages).where(eq(requestMessages.requestId, row.id)).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / MESSAGE_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.trunc(messagePage) || 1), pageCount);
  const messages = db
    .select({ id: requestMessages.id, authorId: requestMessages.authorId, body: requestMessages.bodyCipher, at: requestMessages.createdAt })
    .from(requestMessages)
    .where(eq(requestMessages.requestId, row.id))
    // Newest first to take the page from the end, turned round below. Two messages can share a millisecond and ids
    // are random, so insertion order (rowid, the index's last column) breaks the tie.
    .orderBy(desc(requestMessages.createdAt), sql`rowid desc`)
    .limit(MESSAGE_PAGE_SIZE)
    .offset((page - 1) * MESSAGE_PAGE_SIZE)
    .all()
    .reverse();
  const to = total - (page - 1) * MESSAGE_PAGE_SIZE;
  audit({ actorId: viewer.id, action: "request.read", objectType: "request", objectId: row.id, outcome: "success" });
  const names = { requester: hideRequester ? ANONYMOUS : (row.requesterName ?? "Former colleague"), supporter: row.supporterName ?? "Supporter" };
  return {
    id: row.id,
    reference: requestReference(row.id),
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
    handoverSupporter: handover ? { id: handover.id, name: handover.name ?? "Supporter", roleTitle: handover.roleTitle, site: handover.site } : null,
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
    messagePage: { page, pageCount, total, from: to - messages.length + 1, to },
  };
}

export type RequestSummary = {
  id: string;
  reference: string;
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
    items: rows.map((r) => ({ ...r, reference: requestReference(r.id), with: r.with ?? (other === "requester" ? ANONYMOUS : "Supporter") })),
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
  let denied = false;
  db.transaction(
    (tx) => {
      const request = tx
        .select({ id: supportRequests.id, status: supportRequests.status, requesterId: supportRequests.requesterId, supporterUserId: supportRequests.supporterUserId })
        .from(supportRequests)
        .where(and(eq(supportRequests.id, requestId), partyCondition(viewer, as)))
        .get();
      if (!request) {
        // Not thrown here: the throw would roll back the audit event of the refusal along with everything else.
        denied = true;
        return;
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
  if (denied) {
    audit({ actorId: viewer.id, action: "request.change", objectType: "request", objectId: requestId, outcome: "denied" });
    throw new NotFoundError("request");
  }
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

export type HandoverCandidate = { id: string; name: string; roleTitle: string; site: string };

// Whom the assigned supporter may propose: the supporters the requester could have chosen themself today
// (available, not someone they excluded, outside their department if they asked), other than the current one.
// Only the assigned supporter may ask, so for anyone else the request does not exist.
export function listHandoverCandidates(viewer: SessionUser, requestId: string): HandoverCandidate[] {
  const request = db
    .select({ id: supportRequests.id, requesterId: supportRequests.requesterId, prefer: supportRequests.preferOutsideDepartment })
    .from(supportRequests)
    .where(and(eq(supportRequests.id, requestId), isAssignedSupporter(viewer)))
    .get();
  if (!request) throw new NotFoundError("request");
  const excluded = db.select({ userId: requestExclusions.userId }).from(requestExclusions).where(eq(requestExclusions.requestId, request.id)).all();
  const rule = choosableBy(db, request.requesterId ?? "", {
    excludedUserIds: [...excluded.map((e) => e.userId), viewer.id],
    preferOutsideDepartment: request.prefer,
  });
  return db
    .select({ id: supporters.id, name: users.name, roleTitle: supporters.roleTitle, site: supporters.site })
    .from(supporters)
    .innerJoin(users, eq(users.id, supporters.userId))
    .where(rule)
    .orderBy(asc(users.name), asc(supporters.id))
    // The whole roster is a few dozen people; the bound only keeps a mistake from building a huge list.
    .limit(500)
    .all()
    .map((s) => ({ id: s.id, name: s.name ?? "Name not recorded", roleTitle: s.roleTitle, site: s.site }));
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

export const ENDED_REQUEST_STATUSES = ["closed", "withdrawn", "declined"] as const satisfies readonly RequestStatus[];

// Requests that ended (closed, withdrawn or declined) at or before the cut-off and still hold content. Open requests
// never match, however old. Maintenance's retention job repeats this condition inside each erasing transaction.
export function dueForErasure(cutoff: Date): SQL {
  return and(
    isNull(supportRequests.erasedAt),
    inArray(supportRequests.status, ENDED_REQUEST_STATUSES),
    sql`${supportRequests.endedAt} <= ${cutoff.getTime()}`,
  ) as SQL;
}

export function requestsDueForErasure(cutoff: Date): { id: string }[] {
  return db.select({ id: supportRequests.id }).from(supportRequests).where(dueForErasure(cutoff)).all();
}

// ---------------------------------------------------------------------------------------------------------------
// When someone goes (a leaver, or a person erasing their data): in the caller's transaction (db/queries/departures)
// ---------------------------------------------------------------------------------------------------------------

export const SUPPORTER_GONE_REASON =
  "Your supporter is no longer available to support you. Nothing you wrote has been passed to anyone else. You can ask another supporter.";

/**
 * Declines every open request assigned to the supporter, so that each requester is told and can choose someone
 * else (their words go to nobody new), and cancels handovers proposed to them, leaving those requests with their
 * current supporter. Returns how many requests were declined.
 */
export function releaseAssignedRequests(tx: Tx, supporterId: string, actorId: string | null, now: Date): number {
  const open = tx
    .select({ id: supportRequests.id, status: supportRequests.status, requesterId: supportRequests.requesterId })
    .from(supportRequests)
    .where(and(eq(supportRequests.supporterId, supporterId), inArray(supportRequests.status, OPEN_REQUEST_STATUSES)))
    .all();
  for (const request of open) {
    tx.update(supportRequests)
      .set({
        status: "declined",
        declineReasonCipher: encryptField(SUPPORTER_GONE_REASON, field("decline_reason_cipher", request.id)),
        handoverSupporterId: null,
        endedAt: now,
        updatedAt: now,
      })
      .where(eq(supportRequests.id, request.id))
      .run();
    recordStatus(tx, request.id, request.status, "declined", "system", now);
    appendAudit(tx, { actorId, action: "request.released", objectType: "request", objectId: request.id, outcome: "success" });
    if (request.requesterId) notify(tx, request.requesterId, "request.update", `/requests/${request.id}`, now);
  }
  const proposed = tx
    .select({ id: supportRequests.id, requesterId: supportRequests.requesterId, supporterUserId: supportRequests.supporterUserId })
    .from(supportRequests)
    .where(and(eq(supportRequests.handoverSupporterId, supporterId), eq(supportRequests.status, "handover_pending")))
    .all();
  for (const request of proposed) {
    tx.update(supportRequests)
      .set({ status: "in_progress", handoverSupporterId: null, updatedAt: now })
      .where(eq(supportRequests.id, request.id))
      .run();
    recordStatus(tx, request.id, "handover_pending", "in_progress", "system", now);
    appendAudit(tx, { actorId, action: "request.handover_cancelled", objectType: "request", objectId: request.id, outcome: "success" });
    if (request.requesterId) notify(tx, request.requesterId, "request.update", `/requests/${request.id}`, now);
    notify(tx, request.supporterUserId, "request.update", `/requests/${request.id}`, now);
  }
  return open.length;
}

/**
 * The person's own requests: open ones are withdrawn (their supporters are told). With `erase`, the content of every
 * request they made is erased too and the requests no longer name them; the non-identifying facts stay for reports.
 * No audit event per request: beside the departure's own event (user.deactivated, account.erased), which names the
 * person, events about requests at the same moment would tell the log's readers that this person had asked for
 * help. The status history (request_status_events) still records each withdrawal, without a person.
 */
export function endOwnRequests(tx: Tx, userId: string, now: Date, options: { erase: boolean }): number {
  const mine = tx
    .select({ id: supportRequests.id, status: supportRequests.status, supporterUserId: supportRequests.supporterUserId })
    .from(supportRequests)
    .where(eq(supportRequests.requesterId, userId))
    .all();
  let withdrawn = 0;
  for (const request of mine) {
    const open = (OPEN_REQUEST_STATUSES as readonly RequestStatus[]).includes(request.status);
    if (open) {
      tx.update(supportRequests)
        .set({ status: "withdrawn", handoverSupporterId: null, endedAt: now, updatedAt: now })
        .where(eq(supportRequests.id, request.id))
        .run();
      recordStatus(tx, request.id, request.status, "withdrawn", "system", now);
      notify(tx, request.supporterUserId, "request.update", `/requests/${request.id}`, now);
      withdrawn += 1;
    }
    if (options.erase) {
      eraseContent(tx, request.id, now);
      tx.update(supportRequests).set({ requesterId: null }).where(eq(supportRequests.id, request.id)).run();
    }
  }
  return withdrawn;
}
