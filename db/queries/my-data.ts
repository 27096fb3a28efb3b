import "server-only";

import { and, asc, count, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { alias, type SQLiteTable } from "drizzle-orm/sqlite-core";

import type { SessionUser } from "@/lib/auth/session";
import { appendAudit } from "@/lib/audit";
import { clock } from "@/lib/clock";
import { decryptField } from "@/lib/crypto";
import { NotFoundError } from "@/lib/errors";
import { db, type Db } from "../client";
import {
  accounts,
  feedback,
  mailOutbox,
  networkAnnouncements,
  networkCoordinators,
  networkMemberships,
  networks,
  notifications,
  rateLimits,
  requestExclusions,
  requestMessages,
  roleGrants,
  sessions,
  staffImports,
  supportRequests,
  supporterAttributes,
  supporterStatusEvents,
  supporters,
  users,
  verificationTokens,
  type RequestStatus,
} from "../schema";
import { depart, eraseSupporterProfile } from "./departures";
import { openFeedbackBody } from "./feedback";
import { currentEqualityUnitCount } from "./staff-admin";
import { notificationSentence } from "./notifications";
import { requestReference } from "./requests";
import { OPEN_REQUEST_STATUSES } from "./supporter-rules";

// "Your data" (/account): everything Confide holds about the signed-in person, as one file, and erasing it.
//
// Both take only the viewer: there is no id parameter anywhere, so neither can be pointed at someone else. Every
// statement names the viewer's id in its WHERE. The export holds only what is the person's own: requests they
// handled as a supporter belong to their requesters (counts only), and a request that names them as someone who
// must not be involved is the requester's secret (not even counted).

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

// ---------------------------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------------------------

export type MyDataMessage = { at: string; author: "you" | "your supporter"; text: string };

export type MyDataRequest = {
  reference: string;
  status: RequestStatus;
  category: string;
  protectedCharacteristic: string | null;
  contactMethod: string;
  anonymousToSupporter: boolean;
  preferOutsideDepartment: boolean;
  /** The requester chose them, so their name is the requester's to know. Null once they are no longer in Confide. */
  supporterName: string | null;
  sentAt: string;
  acknowledgeBy: string;
  acknowledgedAt: string | null;
  endedAt: string | null;
  contentErasedAt: string | null;
  outcome: string | null;
  /** Null once erased. */
  message: string | null;
  safeContact: string | null;
  declineReason: string | null;
  peopleYouExcluded: string[];
  conversation: MyDataMessage[];
};

export type MyData = {
  aboutThisFile: { service: string; exportedAt: string; notes: string[] };
  profile: {
    name: string | null;
    email: string;
    rankOrGrade: string | null;
    department: string | null;
    site: string | null;
    textSize: string;
    accountCreatedAt: string;
    lastSignInAt: string | null;
  };
  singleSignOn: { provider: string; accountId: string }[];
  sessions: { startedAt: string; expiresAt: string }[];
  roles: { equalityUnit: { grantedAt: string } | null; coordinatorOf: { network: string; since: string }[] };
  supporterProfile: null | {
    status: string;
    roleTitle: string;
    site: string;
    introduction: string;
    workingPattern: string;
    trainedOn: string;
    refresherDue: string;
    pausedUntil: string | null;
    pauseReason: string | null;
    capacity: number;
    specialisms: string[];
    languages: string[];
    contactMethods: string[];
    addedAt: string;
    updatedAt: string | null;
    refresherReminder60SentAt: string | null;
    refresherReminder14SentAt: string | null;
    rosterHistory: { at: string; from: string | null; to: string; reason: string; by: "you" | "the Equality Unit" | "Confide, automatically" }[];
    requestsYouSupported: { total: number; open: number; ended: number };
  };
  networkMemberships: {
    network: string;
    status: string;
    visibility: string;
    yourNote: string | null;
    coordinatorReason: string | null;
    requestedAt: string;
    decidedAt: string | null;
  }[];
  requestsYouMade: MyDataRequest[];
  notifications: { sentence: string; link: string; reference: string | null; createdAt: string; readAt: string | null }[];
  feedbackYouSentWithYourName: {
    sentAt: string;
    topic: string | null;
    text: string | null;
    volunteeredForFocusGroups: boolean;
    archivedAt: string | null;
  }[];
  networkAnnouncementsYouWrote: { network: string; title: string; body: string; createdAt: string }[];
  workForTheEqualityUnit: {
    staffImports: {
      fileName: string;
      startedAt: string;
      status: string;
      totalRows: number;
      createdRows: number;
      updatedRows: number;
      unchangedRows: number;
      rejectedRows: number;
    }[];
    equalityUnitRolesGranted: number;
    feedbackArchived: number;
    rosterChangesForOthers: number;
  };
};

export const MY_DATA_NOTES = [
  "This file holds everything Confide keeps about you, as it was when you downloaded it. Keep it somewhere safe: it may include what you wrote in confidential requests.",
  "Requests you made include their messages. In each conversation, \u201cyou\u201d wrote a message yourself and \u201cyour supporter\u201d wrote the others.",
  "Requests you handled as an equality supporter belong to the colleagues who made them, so this file only counts them.",
  "Anonymous feedback is stored without any link to whoever sent it, so it cannot be included here: only feedback you sent with your name is.",
  "The audit log records what was done in Confide (an action, a time, and opaque ids) and never what anyone wrote. It is kept to keep the service accountable and is not part of this file.",
  "Request content and messages are erased automatically a set time after a request ends; what has been erased is shown as null.",
];

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

const requestField = (column: "message_cipher" | "safe_contact_cipher" | "decline_reason_cipher", rowId: string) => ({
  table: "support_requests",
  column,
  rowId,
});

function decryptOrNull(stored: string | null, context: { table: string; column: string; rowId: string }): string | null {
  return stored ? decryptField(stored, context) : null;
}

// Two rows can share a millisecond and ids are random, so insertion order (rowid) breaks ties.
const rowid = (table: SQLiteTable) => sql`${table}.rowid`;

function collect(tx: Tx, viewer: SessionUser, now: Date): MyData {
  const me = viewer.id;
  const user = tx
    .select({
      name: users.name,
      email: users.email,
      jobTitle: users.jobTitle,
      department: users.department,
      site: users.site,
      textSize: users.textSize,
      createdAt: users.createdAt,
      lastSignInAt: users.lastSignInAt,
    })
    .from(users)
    .where(and(eq(users.id, me), isNull(users.deactivatedAt)))
    .get();
  if (!user) throw new NotFoundError("user");

  const ssoLinks = tx
    .select({ provider: accounts.provider, accountId: accounts.providerAccountId })
    .from(accounts)
    .where(eq(accounts.userId, me))
    .orderBy(asc(accounts.provider), asc(accounts.providerAccountId))
    .all();
  const mySessions = tx
    .select({ createdAt: sessions.createdAt, expires: sessions.expires })
    .from(sessions)
    .where(eq(sessions.userId, me))
    .orderBy(asc(sessions.createdAt))
    .all();

  const equalityUnit = tx
    .select({ grantedAt: roleGrants.grantedAt })
    .from(roleGrants)
    .where(and(eq(roleGrants.userId, me), eq(roleGrants.role, "equality_unit")))
    .get();
  const coordinatorOf = tx
    .select({ network: networks.name, since: networkCoordinators.assignedAt })
    .from(networkCoordinators)
    .innerJoin(networks, eq(networks.id, networkCoordinators.networkId))
    .where(eq(networkCoordinators.userId, me))
    .orderBy(asc(networks.name))
    .all();

  const memberships = tx
    .select({
      network: networks.name,
      status: networkMemberships.status,
      visibility: networkMemberships.visibility,
      requestNote: networkMemberships.requestNote,
      decisionReason: networkMemberships.decisionReason,
      requestedAt: networkMemberships.requestedAt,
      decidedAt: networkMemberships.decidedAt,
    })
    .from(networkMemberships)
    .innerJoin(networks, eq(networks.id, networkMemberships.networkId))
    .where(eq(networkMemberships.userId, me))
    .orderBy(asc(networks.name))
    .all();

  const myNotifications = tx
    .select({
      kind: notifications.kind,
      link: notifications.link,
      reference: notifications.reference,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(eq(notifications.userId, me))
    .orderBy(asc(notifications.createdAt), rowid(notifications))
    .all();

  const myFeedback = tx
    .select({ id: feedback.id, body: feedback.bodyCipher, volunteer: feedback.volunteer, createdAt: feedback.createdAt, archivedAt: feedback.archivedAt })
    .from(feedback)
    .where(eq(feedback.userId, me))
    .orderBy(asc(feedback.createdAt), rowid(feedback))
    .all();

  const announcements = tx
    .select({ network: networks.name, title: networkAnnouncements.title, body: networkAnnouncements.body, createdAt: networkAnnouncements.createdAt })
    .from(networkAnnouncements)
    .innerJoin(networks, eq(networks.id, networkAnnouncements.networkId))
    .where(eq(networkAnnouncements.authorId, me))
    .orderBy(asc(networkAnnouncements.createdAt), rowid(networkAnnouncements))
    .all();

  const imports = tx
    .select({
      fileName: staffImports.fileName,
      startedAt: staffImports.createdAt,
      status: staffImports.status,
      totalRows: staffImports.totalRows,
      createdRows: staffImports.createdRows,
      updatedRows: staffImports.updatedRows,
      unchangedRows: staffImports.unchangedRows,
      rejectedRows: staffImports.rejectedRows,
    })
    .from(staffImports)
    .where(eq(staffImports.actorId, me))
    .orderBy(asc(staffImports.createdAt), rowid(staffImports))
    .all();
  const rolesGranted = tx.select({ n: count() }).from(roleGrants).where(and(eq(roleGrants.grantedBy, me), ne(roleGrants.userId, me))).get()?.n ?? 0;
  const feedbackArchived = tx.select({ n: count() }).from(feedback).where(eq(feedback.archivedBy, me)).get()?.n ?? 0;

  const supporter = tx.select().from(supporters).where(eq(supporters.userId, me)).get();
  let supporterProfile: MyData["supporterProfile"] = null;
  // Changes the person made to other supporters' roster entries, as the Equality Unit: theirs to count, not to read.
  const rosterChangesForOthers =
    tx
      .select({ n: count() })
      .from(supporterStatusEvents)
      .where(and(eq(supporterStatusEvents.actorId, me), supporter ? ne(supporterStatusEvents.supporterId, supporter.id) : sql`1`))
      .get()?.n ?? 0;
  if (supporter) {
    const attributes = tx
      .select({ kind: supporterAttributes.kind, value: supporterAttributes.value })
      .from(supporterAttributes)
      .where(eq(supporterAttributes.supporterId, supporter.id))
      .orderBy(asc(supporterAttributes.kind), asc(supporterAttributes.value))
      .all();
    const history = tx
      .select({
        at: supporterStatusEvents.at,
        from: supporterStatusEvents.fromStatus,
        to: supporterStatusEvents.toStatus,
        reason: supporterStatusEvents.reason,
        actorId: supporterStatusEvents.actorId,
      })
      .from(supporterStatusEvents)
      .where(eq(supporterStatusEvents.supporterId, supporter.id))
      .orderBy(asc(supporterStatusEvents.at), rowid(supporterStatusEvents))
      .all();
    const handled = tx
      .select({
        total: count(),
        open: sql<number>`coalesce(sum(case when ${inArray(supportRequests.status, OPEN_REQUEST_STATUSES)} then 1 else 0 end), 0)`,
      })
      .from(supportRequests)
      .where(eq(supportRequests.supporterUserId, me))
      .get() ?? { total: 0, open: 0 };
    const values = (kind: "specialism" | "language" | "contact_method") => attributes.filter((a) => a.kind === kind).map((a) => a.value);
    supporterProfile = {
      status: supporter.status,
      roleTitle: supporter.roleTitle,
      site: supporter.site,
      introduction: supporter.introduction,
      workingPattern: supporter.workingPattern,
      trainedOn: supporter.trainedOn,
      refresherDue: supporter.refresherDue,
      pausedUntil: supporter.pausedUntil,
      pauseReason: supporter.pauseReason,
      capacity: supporter.capacity,
      specialisms: values("specialism"),
      languages: values("language"),
      contactMethods: values("contact_method"),
      addedAt: iso(supporter.createdAt),
      updatedAt: isoOrNull(supporter.updatedAt),
      refresherReminder60SentAt: isoOrNull(supporter.reminder60SentAt),
      refresherReminder14SentAt: isoOrNull(supporter.reminder14SentAt),
      // Who changed the roster is named by role only: the person's own record, not the Equality Unit's staff list.
      rosterHistory: history.map((h) => ({
        at: iso(h.at),
        from: h.from,
        to: h.to,
        reason: h.reason,
        by: h.actorId === me ? "you" : h.actorId === null ? "Confide, automatically" : "the Equality Unit",
      })),
      requestsYouSupported: { total: handled.total, open: Number(handled.open), ended: handled.total - Number(handled.open) },
    };
  }

  return {
    aboutThisFile: { service: "Confide", exportedAt: iso(now), notes: MY_DATA_NOTES },
    profile: {
      name: user.name,
      email: user.email,
      rankOrGrade: user.jobTitle,
      department: user.department,
      site: user.site,
      textSize: user.textSize,
      accountCreatedAt: iso(user.createdAt),
      lastSignInAt: isoOrNull(user.lastSignInAt),
    },
    singleSignOn: ssoLinks,
    sessions: mySessions.map((s) => ({ startedAt: iso(s.createdAt), expiresAt: iso(s.expires) })),
    roles: {
      equalityUnit: equalityUnit ? { grantedAt: iso(equalityUnit.grantedAt) } : null,
      coordinatorOf: coordinatorOf.map((c) => ({ network: c.network, since: iso(c.since) })),
    },
    supporterProfile,
    networkMemberships: memberships.map((m) => ({
      network: m.network,
      status: m.status,
      visibility: m.visibility,
      yourNote: m.requestNote,
      coordinatorReason: m.decisionReason,
      requestedAt: iso(m.requestedAt),
      decidedAt: isoOrNull(m.decidedAt),
    })),
    requestsYouMade: requestsMadeBy(tx, me),
    notifications: myNotifications.map((n) => ({
      sentence: notificationSentence(n.kind),
      link: n.link,
      reference: n.reference,
      createdAt: iso(n.createdAt),
      readAt: isoOrNull(n.readAt),
    })),
    feedbackYouSentWithYourName: myFeedback.map((f) => ({
      sentAt: iso(f.createdAt),
      ...(openFeedbackBody(f.id, f.body) ?? { topic: null, text: null }),
      volunteeredForFocusGroups: f.volunteer,
      archivedAt: isoOrNull(f.archivedAt),
    })),
    networkAnnouncementsYouWrote: announcements.map((a) => ({ network: a.network, title: a.title, body: a.body, createdAt: iso(a.createdAt) })),
    workForTheEqualityUnit: {
      staffImports: imports.map((i) => ({ ...i, startedAt: iso(i.startedAt) })),
      equalityUnitRolesGranted: rolesGranted,
      feedbackArchived,
      rosterChangesForOthers,
    },
  };
}

// Three statements whatever the number of requests: the requests, then every message and every exclusion of them.
function requestsMadeBy(tx: Tx, me: string): MyDataRequest[] {
  const rows = tx
    .select({
      id: supportRequests.id,
      status: supportRequests.status,
      category: supportRequests.category,
      protectedCharacteristic: supportRequests.protectedCharacteristic,
      contactMethod: supportRequests.contactMethod,
      anonymous: supportRequests.anonymousToSupporter,
      preferOutsideDepartment: supportRequests.preferOutsideDepartment,
      supporterName: sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${supportRequests.supporterUserId})`,
      messageCipher: supportRequests.messageCipher,
      safeContactCipher: supportRequests.safeContactCipher,
      declineReasonCipher: supportRequests.declineReasonCipher,
      outcome: supportRequests.outcome,
      createdAt: supportRequests.createdAt,
      acknowledgeBy: supportRequests.acknowledgeBy,
      acknowledgedAt: supportRequests.acknowledgedAt,
      endedAt: supportRequests.endedAt,
      erasedAt: supportRequests.erasedAt,
    })
    .from(supportRequests)
    .where(eq(supportRequests.requesterId, me))
    .orderBy(asc(supportRequests.createdAt), asc(supportRequests.id))
    .all();
  if (rows.length === 0) return [];
  const mine = sql`${supportRequests.requesterId} = ${me}`;
  const messages = tx
    .select({ id: requestMessages.id, requestId: requestMessages.requestId, authorId: requestMessages.authorId, body: requestMessages.bodyCipher, at: requestMessages.createdAt })
    .from(requestMessages)
    .innerJoin(supportRequests, eq(supportRequests.id, requestMessages.requestId))
    .where(mine)
    .orderBy(asc(requestMessages.createdAt), rowid(requestMessages))
    .all();
  const excluded = alias(users, "excluded");
  const exclusions = tx
    .select({ requestId: requestExclusions.requestId, name: excluded.name, email: excluded.email })
    .from(requestExclusions)
    .innerJoin(supportRequests, eq(supportRequests.id, requestExclusions.requestId))
    .innerJoin(excluded, eq(excluded.id, requestExclusions.userId))
    .where(mine)
    .orderBy(asc(excluded.name))
    .all();
  return rows.map((r) => ({
    reference: requestReference(r.id),
    status: r.status,
    category: r.category,
    protectedCharacteristic: r.protectedCharacteristic,
    contactMethod: r.contactMethod,
    anonymousToSupporter: r.anonymous,
    preferOutsideDepartment: r.preferOutsideDepartment,
    supporterName: r.supporterName,
    sentAt: iso(r.createdAt),
    acknowledgeBy: iso(r.acknowledgeBy),
    acknowledgedAt: isoOrNull(r.acknowledgedAt),
    endedAt: isoOrNull(r.endedAt),
    contentErasedAt: isoOrNull(r.erasedAt),
    outcome: r.outcome,
    message: decryptOrNull(r.messageCipher, requestField("message_cipher", r.id)),
    safeContact: decryptOrNull(r.safeContactCipher, requestField("safe_contact_cipher", r.id)),
    declineReason: decryptOrNull(r.declineReasonCipher, requestField("decline_reason_cipher", r.id)),
    peopleYouExcluded: exclusions.filter((e) => e.requestId === r.id).map((e) => e.name ?? e.email),
    conversation: messages
      .filter((m) => m.requestId === r.id)
      .map((m) => ({
        at: iso(m.at),
        author: m.authorId === me ? "you" : "your supporter",
        text: decryptField(m.body, { table: "request_messages", column: "body_cipher", rowId: m.id }),
      })),
  }));
}

/** Everything Confide holds about the viewer. The export and its audit event happen together, in one snapshot. */
export function exportMyData(viewer: SessionUser): MyData {
  const now = clock.now();
  return db.transaction(
    (tx) => {
      const data = collect(tx, viewer, now);
      appendAudit(tx, { actorId: viewer.id, action: "account.data_exported", objectType: "user", objectId: viewer.id, outcome: "success" });
      return data;
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Erase
// ---------------------------------------------------------------------------------------------------------------

/** What erasing would do, for the confirmation page. */
export type ErasePreview = {
  requestsMade: number;
  openRequestsMade: number;
  networks: number;
  coordinatorOf: number;
  isSupporter: boolean;
  openRequestsSupported: number;
  lastEqualityUnitMember: boolean;
};

function isLastEqualityUnitMember(tx: Tx | Db, me: string): boolean {
  const mine = tx
    .select({ one: sql`1` })
    .from(roleGrants)
    .where(and(eq(roleGrants.userId, me), eq(roleGrants.role, "equality_unit")))
    .get();
  if (!mine) return false;
  return currentEqualityUnitCount(tx, me) === 0;
}

export function erasePreview(viewer: SessionUser): ErasePreview {
  const me = viewer.id;
  const open = inArray(supportRequests.status, OPEN_REQUEST_STATUSES);
  const made = db
    .select({ total: count(), open: sql<number>`coalesce(sum(case when ${open} then 1 else 0 end), 0)` })
    .from(supportRequests)
    .where(eq(supportRequests.requesterId, me))
    .get() ?? { total: 0, open: 0 };
  const supporter = db.select({ id: supporters.id, status: supporters.status }).from(supporters).where(eq(supporters.userId, me)).get();
  const supported = supporter
    ? (db.select({ n: count() }).from(supportRequests).where(and(eq(supportRequests.supporterId, supporter.id), open)).get()?.n ?? 0)
    : 0;
  return {
    requestsMade: made.total,
    openRequestsMade: Number(made.open),
    networks: db.select({ n: count() }).from(networkMemberships).where(eq(networkMemberships.userId, me)).get()?.n ?? 0,
    coordinatorOf: db.select({ n: count() }).from(networkCoordinators).where(eq(networkCoordinators.userId, me)).get()?.n ?? 0,
    isSupporter: Boolean(supporter && supporter.status !== "retired"),
    openRequestsSupported: supported,
    lastEqualityUnitMember: isLastEqualityUnitMember(db, me),
  };
}

export type EraseResult = { ok: true; kept: "nothing" | "retired-supporter" } | { ok: false; reason: "last_equality_unit" };

/** Shown to the Equality Unit in the roster's history of a retired supporter who erased their data. */
export const ERASED_ROSTER_REASON = "Erased their data in Confide.";

export const erasedEmail = (userId: string) => `erased-${userId}@erased.invalid`;

/**
 * Erases the viewer's data in one IMMEDIATE transaction: ends their sessions, hands back the requests they were
 * supporting (each requester is told and can choose someone else), withdraws and erases the requests they made,
 * leaves their networks and roles, and deletes everything else that names them. The account row goes too, unless
 * they supported requests that stay with their requesters: those rows must point at a supporter (NOT NULL), so an
 * empty, deactivated tombstone stays, with no name and an address that can never sign in.
 */
export function eraseMyData(viewer: SessionUser): EraseResult {
  const me = viewer.id;
  const now = clock.now();
  return db.transaction(
    (tx): EraseResult => {
      const user = tx
        .select({ email: users.email })
        .from(users)
        .where(and(eq(users.id, me), isNull(users.deactivatedAt)))
        .get();
      if (!user) throw new NotFoundError("user");
      if (isLastEqualityUnitMember(tx, me)) {
        appendAudit(tx, { actorId: me, action: "account.erased", objectType: "user", objectId: me, outcome: "denied" });
        return { ok: false, reason: "last_equality_unit" };
      }

      depart(tx, { userId: me, actorId: me, rosterReason: ERASED_ROSTER_REASON, now, eraseOwnRequests: true });
      eraseSupporterProfile(tx, me, now);

      tx.delete(notifications).where(eq(notifications.userId, me)).run();
      tx.delete(feedback).where(eq(feedback.userId, me)).run();
      tx.delete(accounts).where(eq(accounts.userId, me)).run();
      tx.delete(roleGrants).where(eq(roleGrants.userId, me)).run();
      tx.delete(requestExclusions).where(eq(requestExclusions.userId, me)).run();
      // Mail already queued or sent to them (the outbox keeps the address), counters keyed by their id, and any
      // verification token for their address.
      tx.delete(mailOutbox).where(sql`lower(${mailOutbox.toAddress}) = lower(${user.email})`).run();
      tx.delete(rateLimits).where(sql`${rateLimits.key} like ${`%:${me}`}`).run();
      tx.delete(verificationTokens).where(sql`lower(${verificationTokens.identifier}) = lower(${user.email})`).run();

      // What they did for others stays, no longer naming them: roles they granted, announcements they wrote,
      // feedback they archived, roster changes and imports they made, and messages they wrote as a supporter,
      // which stay in their requesters' conversations.
      tx.update(roleGrants).set({ grantedBy: null }).where(eq(roleGrants.grantedBy, me)).run();
      tx.update(networkAnnouncements).set({ authorId: null }).where(eq(networkAnnouncements.authorId, me)).run();
      tx.update(feedback).set({ archivedBy: null }).where(eq(feedback.archivedBy, me)).run();
      tx.update(supporterStatusEvents).set({ actorId: null }).where(eq(supporterStatusEvents.actorId, me)).run();
      tx.update(staffImports).set({ actorId: null }).where(eq(staffImports.actorId, me)).run();
      tx.update(requestMessages).set({ authorId: null }).where(eq(requestMessages.authorId, me)).run();

      const supporter = tx.select({ id: supporters.id }).from(supporters).where(eq(supporters.userId, me)).get();
      const stillSupported = supporter
        ? tx
            .select({ one: sql`1` })
            .from(supportRequests)
            .where(
              or(
                eq(supportRequests.supporterUserId, me),
                eq(supportRequests.supporterId, supporter.id),
                eq(supportRequests.handoverSupporterId, supporter.id),
              ),
            )
            .get()
        : tx.select({ one: sql`1` }).from(supportRequests).where(eq(supportRequests.supporterUserId, me)).get();

      let kept: "nothing" | "retired-supporter" = "nothing";
      if (stillSupported) {
        // The roster's history held their reasons (a pause, say); only the retirement just recorded stays, so
        // the Equality Unit can see why this entry is retired.
        if (supporter) {
          tx.delete(supporterStatusEvents)
            .where(
              and(
                eq(supporterStatusEvents.supporterId, supporter.id),
                sql`not (${supporterStatusEvents.toStatus} = 'retired' and ${supporterStatusEvents.reason} = ${ERASED_ROSTER_REASON} and ${supporterStatusEvents.at} = ${now.getTime()})`,
              ),
            )
            .run();
        }
        tx.update(users)
          .set({
            name: null,
            email: erasedEmail(me),
            emailVerified: null,
            image: null,
            jobTitle: null,
            department: null,
            site: null,
            textSize: "standard",
            lastSignInAt: null,
            deactivatedAt: now,
          })
          .where(eq(users.id, me))
          .run();
        kept = "retired-supporter";
      } else {
        // Cascades to the supporter row (if any), its attributes and history.
        tx.delete(users).where(eq(users.id, me)).run();
      }

      appendAudit(tx, { actorId: me, action: "account.erased", objectType: "user", objectId: me, outcome: "success" });
      return { ok: true, kept };
    },
    { behavior: "immediate" },
  );
}
