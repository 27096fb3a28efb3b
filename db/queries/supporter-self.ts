import "server-only";

import { and, eq, inArray, isNull, type SQL } from "drizzle-orm";

import type { ProfileData } from "@/db/validation/supporter-self";
import { CAPACITY_MAX, CAPACITY_MIN } from "@/db/validation/supporter-self";
import type { SessionUser } from "@/lib/auth/session";
import { appendAudit } from "@/lib/audit";
import { addYears, clock, today as todayInLondon } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { CONTACT_METHODS, LANGUAGES, SPECIALISMS, type ContactMethod, type Language } from "@/lib/vocabulary";
import { db } from "../client";
import { supporterAttributes, supporterStatusEvents, supporters, users } from "../schema";

// A supporter's own profile and availability. Every statement finds the supporter by the signed-in person's user
// id and the roster statuses that allow self-service, so no supporter id ever comes from a form: a supporter
// cannot reach another supporter's row, and a lapsed or retired one cannot reach their own.

const SELF_SERVICE_STATUSES = ["active", "paused"] as const;

// The status event reasons are fixed text: the supporter's own pause reason is private and stays in
// supporters.pause_reason, never in the roster history or the audit log.
export const PAUSED_BY_SUPPORTER = "Paused by the supporter";
export const RESUMED_BY_SUPPORTER = "Resumed by the supporter";

function ownSupporter(viewer: SessionUser): SQL {
  return and(eq(supporters.userId, viewer.id), inArray(supporters.status, SELF_SERVICE_STATUSES)) as SQL;
}

export type OwnSupporter = {
  id: string;
  status: "active" | "paused";
  roleTitle: string;
  site: string;
  introduction: string;
  workingPattern: string;
  refresherDue: string;
  pausedUntil: string | null;
  pauseReason: string | null;
  capacity: number;
  openRequests: number;
  specialisms: string[];
  languages: Language[];
  contactMethods: ContactMethod[];
};

function inVocabularyOrder<T extends string>(vocabulary: readonly T[], values: string[]): T[] {
  return vocabulary.filter((item) => values.includes(item));
}

export function getOwnSupporter(viewer: SessionUser): OwnSupporter {
  const row = db
    .select({
      id: supporters.id,
      status: supporters.status,
      roleTitle: supporters.roleTitle,
      site: supporters.site,
      introduction: supporters.introduction,
      workingPattern: supporters.workingPattern,
      refresherDue: supporters.refresherDue,
      pausedUntil: supporters.pausedUntil,
      pauseReason: supporters.pauseReason,
      capacity: supporters.capacity,
      openRequests: supporters.openRequests,
    })
    .from(supporters)
    .innerJoin(users, eq(users.id, supporters.userId))
    .where(and(ownSupporter(viewer), isNull(users.deactivatedAt)))
    .get();
  if (!row || (row.status !== "active" && row.status !== "paused")) throw new NotFoundError("supporter");

  const attributes = db
    .select({ kind: supporterAttributes.kind, value: supporterAttributes.value })
    .from(supporterAttributes)
    .where(eq(supporterAttributes.supporterId, row.id))
    .all();
  const valuesOf = (kind: (typeof attributes)[number]["kind"]) =>
    attributes.filter((attribute) => attribute.kind === kind).map((attribute) => attribute.value);

  return {
    ...row,
    status: row.status,
    openRequests: Number(row.openRequests),
    specialisms: inVocabularyOrder(SPECIALISMS, valuesOf("specialism")),
    languages: inVocabularyOrder(LANGUAGES, valuesOf("language")),
    contactMethods: inVocabularyOrder(CONTACT_METHODS, valuesOf("contact_method")),
  };
}

// Languages and contact methods are replaced together with the profile columns, in one transaction, so the
// directory never shows a half-saved profile. Specialisms are left alone: the Equality Unit sets them after
// training.
export function updateOwnProfile(viewer: SessionUser, input: ProfileData): void {
  const languages = [...new Set(input.languages)];
  const contactMethods = [...new Set(input.contactMethods)];
  if (languages.length === 0 || contactMethods.length === 0) {
    throw new RangeError("a supporter needs at least one language and one contact method");
  }
  db.transaction(
    (tx) => {
      const row = tx
        .update(supporters)
        .set({ introduction: input.introduction, site: input.site, workingPattern: input.workingPattern, updatedAt: clock.now() })
        .where(ownSupporter(viewer))
        .returning({ id: supporters.id })
        .get();
      if (!row) throw new NotFoundError("supporter");
      tx.delete(supporterAttributes)
        .where(and(eq(supporterAttributes.supporterId, row.id), inArray(supporterAttributes.kind, ["language", "contact_method"])))
        .run();
      tx.insert(supporterAttributes)
        .values([
          ...languages.map((value) => ({ supporterId: row.id, kind: "language" as const, value })),
          ...contactMethods.map((value) => ({ supporterId: row.id, kind: "contact_method" as const, value })),
        ])
        .run();
      appendAudit(tx, { actorId: viewer.id, action: "supporter.profile_updated", objectType: "supporter", objectId: row.id, outcome: "success" });
    },
    { behavior: "immediate" },
  );
}

// The form checks the date too; this guard keeps any other caller to the same rule.
function assertPauseDate(until: string, today: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || until <= today || until > addYears(today, 1)) {
    throw new RangeError("a pause must end after today and within a year");
  }
}

// Pausing again while paused moves the end date (and replaces the private reason).
export function pauseOwn(
  viewer: SessionUser,
  input: { until: string; reason: string | null },
  today: string = todayInLondon(),
): void {
  assertPauseDate(input.until, today);
  db.transaction(
    (tx) => {
      const current = tx.select({ id: supporters.id, status: supporters.status }).from(supporters).where(ownSupporter(viewer)).get();
      if (!current) throw new NotFoundError("supporter");
      const now = clock.now();
      tx.update(supporters)
        .set({ status: "paused", pausedUntil: input.until, pauseReason: input.reason, updatedAt: now })
        .where(and(eq(supporters.id, current.id), ownSupporter(viewer)))
        .run();
      const event = tx
        .insert(supporterStatusEvents)
        .values({ supporterId: current.id, fromStatus: current.status, toStatus: "paused", reason: PAUSED_BY_SUPPORTER, actorId: viewer.id, at: now })
        .returning({ id: supporterStatusEvents.id })
        .get();
      // The audit event points to the roster history row, which says whose status changed and why.
      appendAudit(tx, { actorId: viewer.id, action: "supporter.paused", objectType: "supporter_status_event", objectId: event.id, outcome: "success" });
    },
    { behavior: "immediate" },
  );
}

/** Ends a pause now. Returns false, changing nothing, when the supporter was not paused. */
export function resumeOwn(viewer: SessionUser): boolean {
  return db.transaction(
    (tx) => {
      const current = tx.select({ id: supporters.id, status: supporters.status }).from(supporters).where(ownSupporter(viewer)).get();
      if (!current) throw new NotFoundError("supporter");
      if (current.status !== "paused") return false;
      const now = clock.now();
      tx.update(supporters)
        .set({ status: "active", pausedUntil: null, pauseReason: null, updatedAt: now })
        .where(and(eq(supporters.id, current.id), ownSupporter(viewer)))
        .run();
      const event = tx
        .insert(supporterStatusEvents)
        .values({ supporterId: current.id, fromStatus: "paused", toStatus: "active", reason: RESUMED_BY_SUPPORTER, actorId: viewer.id, at: now })
        .returning({ id: supporterStatusEvents.id })
        .get();
      appendAudit(tx, { actorId: viewer.id, action: "supporter.resumed", objectType: "supporter_status_event", objectId: event.id, outcome: "success" });
      return true;
    },
    { behavior: "immediate" },
  );
}

export function setOwnCapacity(viewer: SessionUser, capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < CAPACITY_MIN || capacity > CAPACITY_MAX) {
    throw new RangeError(`capacity must be a whole number from ${CAPACITY_MIN} to ${CAPACITY_MAX}`);
  }
  db.transaction(
    (tx) => {
      const row = tx
        .update(supporters)
        .set({ capacity, updatedAt: clock.now() })
        .where(ownSupporter(viewer))
        .returning({ id: supporters.id })
        .get();
      if (!row) throw new NotFoundError("supporter");
      appendAudit(tx, { actorId: viewer.id, action: "supporter.capacity_changed", objectType: "supporter", objectId: row.id, outcome: "success" });
    },
    { behavior: "immediate" },
  );
}
