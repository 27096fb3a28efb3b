import "server-only";

import { and, asc, count, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";

import type { SessionUser } from "@/lib/auth/session";
import { appendAudit } from "@/lib/audit";
import { clock } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { db, type Db } from "../client";
import { networkCoordinators, networks, roleGrants, supporters, users, type SUPPORTER_STATUSES } from "../schema";
import { STAFF_PAGE_SIZE, type StaffFilter } from "../validation/staff-admin";
import { depart } from "./departures";
import { viewerIsEqualityUnit } from "./permissions";

// The Equality Unit's staff records (/admin/staff): search, leavers and the Equality Unit role. Unlike the staff
// picker (./staff.ts), which any member of staff may use and which says no more than the phone book, this shows
// email addresses, leavers and role holders, so every statement carries viewerIsEqualityUnit in its WHERE (writes
// ask it inside their IMMEDIATE transaction, after taking the write lock).
//
// A staff record never says which networks someone belongs to, nor anything about requests they made: coordinators
// are named because they are the networks' public contact points; memberships are nobody's business.

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type StaffAdminRow = {
  id: string;
  name: string;
  email: string;
  jobTitle: string | null;
  department: string | null;
  site: string | null;
  leaver: boolean;
  equalityUnit: boolean;
};

export type StaffAdminPage = { rows: StaffAdminRow[]; total: number; page: number; pageCount: number };

export type StaffRecord = {
  id: string;
  name: string;
  email: string;
  jobTitle: string | null;
  department: string | null;
  site: string | null;
  lastSignInAt: Date | null;
  deactivatedAt: Date | null;
  equalityUnit: boolean;
  supporter: { id: string; status: (typeof SUPPORTER_STATUSES)[number] } | null;
  /** Networks they coordinate: public contact points, so named here. Never their memberships. */
  coordinates: { id: string; name: string; archived: boolean }[];
  /** The record is the viewer's own. */
  isViewer: boolean;
  /** Current (not leaver) holders of the Equality Unit role, the viewer included. */
  equalityUnitMembers: number;
};

export type StaffResult<T> = { ok: true; data: T } | { ok: false; error: string };

export const CANNOT_MARK_SELF = "You cannot mark yourself as a leaver. Ask another member of the Equality Unit";
export const ALREADY_LEFT = "They are already marked as a leaver";
export const NOT_A_LEAVER = "They are not marked as a leaver";
export const LEAVER_CANNOT_BE_GRANTED = "A leaver cannot be given the Equality Unit role. Reinstate them first";
export const ALREADY_EQUALITY_UNIT = "They are already in the Equality Unit";
export const NOT_EQUALITY_UNIT = "They are not in the Equality Unit";
export const LAST_MEMBER =
  "Nobody would be left in the Equality Unit. Give the role to someone else before you remove it from yourself";

/** Kept in the roster's history when a leaver was a supporter (never in the audit log). */
export const LEAVER_ROSTER_REASON = "Left the force: marked as a leaver on their staff record";

// ---------------------------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------------------------

// LIKE treats % and _ as wildcards; a search for "a_b" means those three characters.
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// The staff picker's matching rule: the name or any word of it starts with the text, or the email address does,
// ignoring case. instr() finds " smi" in "jo smith" without LIKE '% smi%' backtracking. With a count for paging a
// search reads every row once (tens of milliseconds for 50,000; tests/staff-admin.test.ts measures it).
function matching(q: string | undefined): SQL | undefined {
  const term = q?.trim().toLowerCase();
  if (!term) return undefined;
  const prefix = `${escapeLike(term)}%`;
  return or(
    sql`${users.name} like ${prefix} escape '\\'`,
    sql`instr(lower(${users.name}), ${` ${term}`}) > 0`,
    sql`lower(${users.email}) like ${prefix} escape '\\'`,
  );
}

const equalityUnitHolders = () =>
  db.select({ userId: roleGrants.userId }).from(roleGrants).where(eq(roleGrants.role, "equality_unit"));

function filtered(show: StaffFilter): SQL | undefined {
  switch (show) {
    case "current":
      return isNull(users.deactivatedAt);
    case "leavers":
      return isNotNull(users.deactivatedAt);
    case "equality-unit":
      // Driven by role_grants (a handful of rows), looked up in users by primary key.
      return inArray(users.id, equalityUnitHolders());
    case "all":
      return undefined;
  }
}

// Written out with the table name because Drizzle leaves columns unqualified in a single-table select list.
const isEqualityUnitColumn = sql<number>`exists (select 1 from role_grants as g where g.user_id = users.id and g.role = 'equality_unit')`;

const rowColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  jobTitle: users.jobTitle,
  department: users.department,
  site: users.site,
  deactivatedAt: users.deactivatedAt,
  equalityUnit: isEqualityUnitColumn,
};

function pageOf(where: SQL | undefined, page: number, withTotal: boolean) {
  return db
    .select({ ...rowColumns, total: withTotal ? sql<number>`count(*) over ()` : sql<number>`0` })
    .from(users)
    .where(where)
    // users_name_idx is in BINARY order, so the list without a search walks the index and stops after the page.
    .orderBy(asc(users.name), asc(users.id))
    .limit(STAFF_PAGE_SIZE)
    .offset((page - 1) * STAFF_PAGE_SIZE)
    .all();
}

const countOf = (where: SQL | undefined): number => db.select({ n: count() }).from(users).where(where).get()?.n ?? 0;

/** A page of staff records, 20 at a time in name order (then id, so the order is stable). */
export function searchStaffRecords(viewer: SessionUser, query: { q?: string; show: StaffFilter; page: number }): StaffAdminPage {
  const match = matching(query.q);
  const where = and(viewerIsEqualityUnit(viewer), filtered(query.show), match);
  const requested = Math.max(1, Math.trunc(query.page) || 1);
  let page = requested;
  let total: number;
  let rows: ReturnType<typeof pageOf>;
  if (match) {
    // A search reads every row anyway: count the matches in the same pass (a window over the result).
    rows = pageOf(where, page, true);
    total = rows[0]?.total ?? 0;
    if (rows.length === 0 && page > 1) total = countOf(where);
  } else {
    // Without a search the count is a quick scan and the page a short walk of the name index.
    total = countOf(where);
    rows = [];
  }
  const pageCount = Math.max(1, Math.ceil(total / STAFF_PAGE_SIZE));
  // A page past the end (an old bookmark, a list that shrank) shows the last page.
  if (page > pageCount) page = pageCount;
  if (!match || page !== requested) rows = total === 0 ? [] : pageOf(where, page, false);
  return {
    total,
    page,
    pageCount,
    rows: rows.map((r) => ({
      id: r.id,
      // Someone appointed with `npm run grant` before their first sign-in has no name yet.
      name: r.name ?? r.email,
      email: r.email,
      jobTitle: r.jobTitle,
      department: r.department,
      site: r.site,
      leaver: r.deactivatedAt !== null,
      equalityUnit: r.equalityUnit === 1,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One record
// ---------------------------------------------------------------------------------------------------------------

/** Current (not leaver) holders of the Equality Unit role, leaving one person out if asked. */
export function currentEqualityUnitCount(database: Db | Tx, exceptUserId?: string): number {
  return (
    database
      .select({ n: count() })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(
        and(
          eq(roleGrants.role, "equality_unit"),
          isNull(users.deactivatedAt),
          exceptUserId ? ne(roleGrants.userId, exceptUserId) : undefined,
        ),
      )
      .get()?.n ?? 0
  );
}

export function getStaffRecord(viewer: SessionUser, userId: string): StaffRecord {
  const row = db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      jobTitle: users.jobTitle,
      department: users.department,
      site: users.site,
      lastSignInAt: users.lastSignInAt,
      deactivatedAt: users.deactivatedAt,
      equalityUnit: isEqualityUnitColumn,
    })
    .from(users)
    .where(and(eq(users.id, userId), viewerIsEqualityUnit(viewer)))
    .get();
  if (!row) throw new NotFoundError("user");
  const supporter =
    db
      .select({ id: supporters.id, status: supporters.status })
      .from(supporters)
      .where(and(eq(supporters.userId, userId), viewerIsEqualityUnit(viewer)))
      .get() ?? null;
  const coordinates = db
    .select({ id: networks.id, name: networks.name, status: networks.status })
    .from(networkCoordinators)
    .innerJoin(networks, eq(networks.id, networkCoordinators.networkId))
    .where(and(eq(networkCoordinators.userId, userId), viewerIsEqualityUnit(viewer)))
    .orderBy(sql`${networks.name} collate nocase`, asc(networks.id))
    .all();
  return {
    id: row.id,
    name: row.name ?? row.email,
    email: row.email,
    jobTitle: row.jobTitle,
    department: row.department,
    site: row.site,
    lastSignInAt: row.lastSignInAt,
    deactivatedAt: row.deactivatedAt,
    equalityUnit: row.equalityUnit === 1,
    supporter,
    coordinates: coordinates.map((c) => ({ id: c.id, name: c.name, archived: c.status === "archived" })),
    isViewer: row.id === viewer.id,
    equalityUnitMembers: currentEqualityUnitCount(db),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The steps shared by the app and the command-line tools (npm run deactivate, npm run grant). Each runs in the
// caller's IMMEDIATE transaction; the caller has checked who may do it.
// ---------------------------------------------------------------------------------------------------------------

export type LeaverSummary = {
  /** Open requests assigned to them as a supporter, now declined so that each requester can choose again. */
  releasedRequests: number;
  retiredSupporter: boolean;
  roleRemoved: boolean;
};
// What the leaver's own requests and networks were is deliberately not in the summary: it would tell the Equality
// Unit that a named person asked for support or belonged to a network.

export type LeaverOutcome = { ok: true; summary: LeaverSummary } | { ok: false; reason: "already_left" };

/**
 * Marks someone as a leaver: they cannot sign in from now on, every session ends, they leave the directory and the
 * roster (retired), their requesters are asked to choose another supporter, their own open requests are withdrawn,
 * and their memberships, coordinator roles and Equality Unit role are removed.
 */
export function departLeaver(tx: Tx, input: { userId: string; actorId: string | null; now: Date }): LeaverOutcome {
  const marked = tx
    .update(users)
    .set({ deactivatedAt: input.now })
    .where(and(eq(users.id, input.userId), isNull(users.deactivatedAt)))
    .run();
  if (marked.changes !== 1) return { ok: false, reason: "already_left" };
  const departure = depart(tx, {
    userId: input.userId,
    actorId: input.actorId, // null from the command line

    rosterReason: LEAVER_ROSTER_REASON,
    now: input.now,
    eraseOwnRequests: false,
  });
  const roles = tx.delete(roleGrants).where(eq(roleGrants.userId, input.userId)).returning({ role: roleGrants.role }).all();
  roles.forEach(() =>
    appendAudit(tx, { actorId: input.actorId, action: "role.revoked", objectType: "user", objectId: input.userId, outcome: "success" }),
  );
  appendAudit(tx, { actorId: input.actorId, action: "user.deactivated", objectType: "user", objectId: input.userId, outcome: "success" });
  return {
    ok: true,
    summary: { releasedRequests: departure.releasedRequests, retiredSupporter: departure.retiredSupporter, roleRemoved: roles.length > 0 },
  };
}

export type GrantOutcome = "granted" | "already_granted" | "leaver";

export function grantEqualityUnitRole(tx: Tx, input: { userId: string; actorId: string | null; now: Date }): GrantOutcome {
  const person = tx.select({ deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, input.userId)).get();
  if (!person) throw new NotFoundError("user");
  if (person.deactivatedAt) return "leaver";
  const inserted = tx
    .insert(roleGrants)
    .values({ userId: input.userId, role: "equality_unit", grantedBy: input.actorId, grantedAt: input.now })
    .onConflictDoNothing()
    .run();
  if (inserted.changes === 0) return "already_granted";
  appendAudit(tx, { actorId: input.actorId, action: "role.granted", objectType: "user", objectId: input.userId, outcome: "success" });
  return "granted";
}

export type RevokeOutcome = "revoked" | "not_member" | "last_member";

/**
 * With `keepOne`, refuses to remove the last current member. The count is read inside the caller's IMMEDIATE
 * transaction, after it has taken the write lock, so two members removing themselves at the same moment cannot both
 * see the other one and leave nobody.
 */
export function revokeEqualityUnitRole(tx: Tx, input: { userId: string; actorId: string | null; keepOne: boolean }): RevokeOutcome {
  const holds = tx
    .select({ userId: roleGrants.userId })
    .from(roleGrants)
    .where(and(eq(roleGrants.userId, input.userId), eq(roleGrants.role, "equality_unit")))
    .get();
  if (!holds) return "not_member";
  if (input.keepOne && currentEqualityUnitCount(tx, input.userId) === 0) return "last_member";
  tx.delete(roleGrants).where(and(eq(roleGrants.userId, input.userId), eq(roleGrants.role, "equality_unit"))).run();
  appendAudit(tx, { actorId: input.actorId, action: "role.revoked", objectType: "user", objectId: input.userId, outcome: "success" });
  return "revoked";
}

// ---------------------------------------------------------------------------------------------------------------
// The Equality Unit's actions
// ---------------------------------------------------------------------------------------------------------------

/** The target, read under the write lock with the viewer's role checked in the same statement. */
function targetFor(tx: Tx, viewer: SessionUser, userId: string): { id: string; deactivatedAt: Date | null } {
  const target = tx
    .select({ id: users.id, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(and(eq(users.id, userId), viewerIsEqualityUnit(viewer)))
    .get();
  if (!target) throw new NotFoundError("user");
  return target;
}

export function markLeaver(viewer: SessionUser, userId: string): StaffResult<LeaverSummary> {
  return db.transaction(
    (tx): StaffResult<LeaverSummary> => {
      const target = targetFor(tx, viewer, userId);
      if (target.id === viewer.id) return { ok: false, error: CANNOT_MARK_SELF };
      const outcome = departLeaver(tx, { userId, actorId: viewer.id, now: clock.now() });
      return outcome.ok ? { ok: true, data: outcome.summary } : { ok: false, error: ALREADY_LEFT };
    },
    { behavior: "immediate" },
  );
}

/** They can sign in again. Memberships, roles and the roster are not restored: those were ended on purpose. */
export function reinstateLeaver(viewer: SessionUser, userId: string): StaffResult<undefined> {
  return db.transaction(
    (tx): StaffResult<undefined> => {
      const target = targetFor(tx, viewer, userId);
      if (!target.deactivatedAt) return { ok: false, error: NOT_A_LEAVER };
      tx.update(users).set({ deactivatedAt: null }).where(eq(users.id, userId)).run();
      appendAudit(tx, { actorId: viewer.id, action: "user.reinstated", objectType: "user", objectId: userId, outcome: "success" });
      return { ok: true, data: undefined };
    },
    { behavior: "immediate" },
  );
}

export function grantEqualityUnit(viewer: SessionUser, userId: string): StaffResult<undefined> {
  return db.transaction(
    (tx): StaffResult<undefined> => {
      targetFor(tx, viewer, userId);
      const outcome = grantEqualityUnitRole(tx, { userId, actorId: viewer.id, now: clock.now() });
      if (outcome === "leaver") return { ok: false, error: LEAVER_CANNOT_BE_GRANTED };
      if (outcome === "already_granted") return { ok: false, error: ALREADY_EQUALITY_UNIT };
      return { ok: true, data: undefined };
    },
    { behavior: "immediate" },
  );
}

export function revokeEqualityUnit(viewer: SessionUser, userId: string): StaffResult<undefined> {
  return db.transaction(
    (tx): StaffResult<undefined> => {
      targetFor(tx, viewer, userId);
      const outcome = revokeEqualityUnitRole(tx, { userId, actorId: viewer.id, keepOne: true });
      if (outcome === "not_member") return { ok: false, error: NOT_EQUALITY_UNIT };
      if (outcome === "last_member") return { ok: false, error: LAST_MEMBER };
      return { ok: true, data: undefined };
    },
    { behavior: "immediate" },
  );
}
