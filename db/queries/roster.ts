import "server-only";

import { and, asc, count, desc, eq, getTableColumns, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { alias, type SQLiteTable } from "drizzle-orm/sqlite-core";

import type { ChangeStatusInput, EditSupporterInput } from "@/db/validation/roster";
import { ROSTER_PAGE_SIZE } from "@/db/validation/roster";
import { appendAudit } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/session";
import { availabilityLabel, availabilityOf } from "@/lib/availability";
import { addDays, clock } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { SPECIALISMS, type ContactMethod, type Language, type Specialism } from "@/lib/vocabulary";
import { db, type Db } from "../client";
import { siteStaffCounts, SUPPORTER_STATUSES, supporterAttributes, supporterStatusEvents, supporters, users } from "../schema";
import { viewerIsEqualityUnit } from "./permissions";
import { availableOn, listedOn, pausedOn } from "./supporter-rules";

// The Equality Unit's roster: every supporter whatever their status, their private details (pause reason, status
// history with reasons) and the writes that change the roster. Every statement here, reads and writes alike, carries
// viewerIsEqualityUnit(viewer) in its WHERE: anyone else reads nothing and changes nothing, whatever page or action
// they reach, and a grant revoked a moment ago stops working on the next statement.

export type SupporterStatus = (typeof SUPPORTER_STATUSES)[number];
type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** How many days ahead "due soon" looks: the first refresher reminder goes 60 days before (DESIGN.md). */
export const DUE_SOON_DAYS = 60;

const OPEN_STATUSES = ["active", "paused"] as const;

// INSERT … SELECT … WHERE <guard>: the permission check sits in the statement itself, as for reads, updates and
// deletes. Column names come from the Drizzle table, so a renamed column cannot be missed.
function guardedInsert<T extends SQLiteTable>(
  tx: Tx,
  table: T,
  rows: readonly Partial<Record<keyof T["_"]["columns"] & string, string | number | null>>[],
  guard: SQL,
): number {
  const first = rows[0];
  if (!first) return 0;
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const keys = Object.keys(first);
  const names = sql.join(
    keys.map((k) => {
      const column = columns[k];
      if (!column) throw new Error(`unknown column ${k}`);
      return sql.identifier(column.name);
    }),
    sql`, `,
  );
  const selects = rows.map(
    (row) =>
      sql`select ${sql.join(
        keys.map((k) => sql`${(row as Record<string, string | number | null>)[k] ?? null}`),
        sql`, `,
      )} where ${guard}`,
  );
  return tx.run(sql`insert into ${table} (${names}) ${sql.join(selects, sql` union all `)}`).changes;
}

/** True when the viewer holds the Equality Unit role now, asked of the database (not of the session). */
export function viewerIsEqualityUnitNow(viewer: SessionUser, database: Db | Tx = db): boolean {
  return database.get<{ ok: number } | undefined>(sql`select 1 as ok where ${viewerIsEqualityUnit(viewer)}`) !== undefined;
}

/** Throws NotFoundError unless the viewer is in the Equality Unit: actions call it before they read the form. */
export function assertEqualityUnit(viewer: SessionUser): void {
  if (!viewerIsEqualityUnitNow(viewer)) throw new NotFoundError("roster");
}

// ---------------------------------------------------------------------------------------------------------------
// The roster list
// ---------------------------------------------------------------------------------------------------------------

export type RosterRow = {
  id: string;
  name: string;
  site: string;
  status: SupporterStatus;
  refresherDue: string;
  /** The directory's badge for listed supporters; why not, for the rest. */
  availability: string;
  accountClosed: boolean;
};

export type RosterPage = { rows: RosterRow[]; total: number; page: number; pageCount: number };

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function availabilityText(
  s: { status: SupporterStatus; pausedUntil: string | null; capacity: number; openRequests: number; refresherDue: string; accountClosed: boolean },
  today: string,
): string {
  if (s.accountClosed) return "Not listed: account closed";
  if (s.status === "lapsed") return "Not listed: lapsed";
  if (s.status === "retired") return "Not listed: retired";
  if (s.refresherDue < today) return "Not listed: refresher overdue";
  return availabilityLabel(availabilityOf(s, today), today);
}

export function listRoster(
  viewer: SessionUser,
  query: { status?: SupporterStatus; q?: string; page: number },
  today: string,
): RosterPage {
  const conditions: SQL[] = [viewerIsEqualityUnit(viewer)];
  if (query.status) conditions.push(eq(supporters.status, query.status));
  const q = query.q?.trim();
  if (q) conditions.push(sql`${users.name} like ${`%${escapeLike(q)}%`} escape '\\'`);
  const where = and(...conditions);

  const total =
    db.select({ n: count() }).from(supporters).innerJoin(users, eq(users.id, supporters.userId)).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / ROSTER_PAGE_SIZE));
  const rows = db
    .select({
      id: supporters.id,
      name: users.name,
      email: users.email,
      site: supporters.site,
      status: supporters.status,
      refresherDue: supporters.refresherDue,
      pausedUntil: supporters.pausedUntil,
      capacity: supporters.capacity,
      openRequests: supporters.openRequests,
      deactivatedAt: users.deactivatedAt,
    })
    .from(supporters)
    .innerJoin(users, eq(users.id, supporters.userId))
    .where(where)
    .orderBy(sql`${users.name} collate nocase`, asc(supporters.id))
    .limit(ROSTER_PAGE_SIZE)
    .offset((query.page - 1) * ROSTER_PAGE_SIZE)
    .all();
  return {
    total,
    page: query.page,
    pageCount,
    rows: rows.map((r) => {
      const accountClosed = r.deactivatedAt !== null;
      return {
        id: r.id,
        name: r.name ?? r.email,
        site: r.site,
        status: r.status,
        refresherDue: r.refresherDue,
        availability: availabilityText({ ...r, accountClosed }, today),
        accountClosed,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One supporter, with everything the Equality Unit may see
// ---------------------------------------------------------------------------------------------------------------

export type StatusEvent = {
  id: string;
  at: Date;
  fromStatus: SupporterStatus | null;
  toStatus: SupporterStatus;
  reason: string;
  /** Null when maintenance made the change, or the person who made it has since been removed. */
  actorName: string | null;
  automatic: boolean;
};

export type RosterSupporter = {
  id: string;
  userId: string;
  name: string;
  email: string;
  department: string | null;
  jobTitle: string | null;
  accountClosed: boolean;
  status: SupporterStatus;
  roleTitle: string;
  site: string;
  introduction: string;
  workingPattern: string;
  trainedOn: string;
  refresherDue: string;
  pausedUntil: string | null;
  /** Private to the supporter and the Equality Unit. */
  pauseReason: string | null;
  capacity: number;
  openRequests: number;
  availability: string;
  specialisms: Specialism[];
  languages: Language[];
  contactMethods: ContactMethod[];
  history: StatusEvent[];
  historyTotal: number;
};

export const HISTORY_LIMIT = 50;

export function getRosterSupporter(viewer: SessionUser, supporterId: string, today: string): RosterSupporter {
  const eu = viewerIsEqualityUnit(viewer);
  const row = db
    .select({
      id: supporters.id,
      userId: supporters.userId,
      name: users.name,
      email: users.email,
      department: users.department,
      jobTitle: users.jobTitle,
      deactivatedAt: users.deactivatedAt,
      status: supporters.status,
      roleTitle: supporters.roleTitle,
      site: supporters.site,
      introduction: supporters.introduction,
      workingPattern: supporters.workingPattern,
      trainedOn: supporters.trainedOn,
      refresherDue: supporters.refresherDue,
      pausedUntil: supporters.pausedUntil,
      pauseReason: supporters.pauseReason,
      capacity: supporters.capacity,
      openRequests: supporters.openRequests,
    })
    .from(supporters)
    .innerJoin(users, eq(users.id, supporters.userId))
    .where(and(eq(supporters.id, supporterId), eu))
    .get();
  if (!row) throw new NotFoundError("supporter");

  const attributes = db
    .select({ kind: supporterAttributes.kind, value: supporterAttributes.value })
    .from(supporterAttributes)
    .where(and(eq(supporterAttributes.supporterId, supporterId), eu))
    .orderBy(asc(supporterAttributes.value))
    .all();
  const ofKind = <T extends string>(kind: (typeof attributes)[number]["kind"]) =>
    attributes.filter((a) => a.kind === kind).map((a) => a.value as T);

  const actor = alias(users, "actor");
  const events = db
    .select({
      id: supporterStatusEvents.id,
      at: supporterStatusEvents.at,
      fromStatus: supporterStatusEvents.fromStatus,
      toStatus: supporterStatusEvents.toStatus,
      reason: supporterStatusEvents.reason,
      actorId: supporterStatusEvents.actorId,
      actorName: actor.name,
      actorEmail: actor.email,
    })
    .from(supporterStatusEvents)
    .leftJoin(actor, eq(actor.id, supporterStatusEvents.actorId))
    .where(and(eq(supporterStatusEvents.supporterId, supporterId), eu))
    .orderBy(desc(supporterStatusEvents.at), desc(sql`${supporterStatusEvents}.rowid`))
    .limit(HISTORY_LIMIT)
    .all();
  const historyTotal =
    db
      .select({ n: count() })
      .from(supporterStatusEvents)
      .where(and(eq(supporterStatusEvents.supporterId, supporterId), eu))
      .get()?.n ?? 0;

  const accountClosed = row.deactivatedAt !== null;
  return {
    id: row.id,
    userId: row.userId,
    name: row.name ?? row.email,
    email: row.email,
    department: row.department,
    jobTitle: row.jobTitle,
    accountClosed,
    status: row.status,
    roleTitle: row.roleTitle,
    site: row.site,
    introduction: row.introduction,
    workingPattern: row.workingPattern,
    trainedOn: row.trainedOn,
    refresherDue: row.refresherDue,
    pausedUntil: row.pausedUntil,
    pauseReason: row.pauseReason,
    capacity: row.capacity,
    openRequests: row.openRequests,
    availability: availabilityText({ ...row, accountClosed }, today),
    specialisms: ofKind<Specialism>("specialism"),
    languages: ofKind<Language>("language"),
    contactMethods: ofKind<ContactMethod>("contact_method"),
    history: events.map((e) => ({
      id: e.id,
      at: e.at,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      reason: e.reason,
      actorName: e.actorId === null ? null : (e.actorName ?? e.actorEmail ?? null),
      automatic: e.actorId === null,
    })),
    historyTotal,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Adding a member of staff to the roster
// ---------------------------------------------------------------------------------------------------------------

export type NewSupporter = {
  /** The picker's hidden field, filled in when a person was chosen from the list. */
  staffId: string;
  /** The picker's text field: a full email address when there was no JavaScript. */
  staff: string;
  roleTitle: string;
  site: string;
  introduction: string;
  workingPattern: string;
  capacity: number;
  specialisms: readonly Specialism[];
  languages: readonly Language[];
  contactMethods: readonly ContactMethod[];
  trainedOn: string;
  refresherDue: string;
};

export type RosterWriteResult<T> =
  | { ok: true; data: T }
  | { ok: false; field: string; error: string };

const EMAIL = /^[^\s@]+@[^\s@]+$/;
export const ADDED_REASON = "Added to the roster";

const STATUS_WORDS: Record<SupporterStatus, string> = { active: "active", paused: "paused", lapsed: "lapsed", retired: "retired" };

function attributeRows(supporterId: string, input: Pick<NewSupporter, "specialisms" | "languages" | "contactMethods">) {
  return [
    ...input.specialisms.map((value) => ({ supporterId, kind: "specialism", value })),
    ...input.languages.map((value) => ({ supporterId, kind: "language", value })),
    ...input.contactMethods.map((value) => ({ supporterId, kind: "contact_method", value })),
  ];
}

/**
 * Adds a member of staff to the roster as an active supporter: the supporter row, their specialisms, languages and
 * contact methods, the first entry of their status history and the audit event, in one transaction. The person is
 * found by the picker's id or, without JavaScript, by their full email address.
 */
export function addSupporter(viewer: SessionUser, input: NewSupporter): RosterWriteResult<{ id: string }> {
  return db.transaction(
    (tx): RosterWriteResult<{ id: string }> => {
      const eu = viewerIsEqualityUnit(viewer);
      if (!viewerIsEqualityUnitNow(viewer, tx)) throw new NotFoundError("roster");

      let match: SQL;
      if (input.staffId) match = eq(users.id, input.staffId);
      else if (EMAIL.test(input.staff)) match = sql`lower(${users.email}) = ${input.staff.toLowerCase()}`;
      else if (input.staff) {
        return { ok: false, field: "staff", error: "Choose a member of staff from the list, or enter their full email address" };
      } else {
        return { ok: false, field: "staff", error: "Enter their name and choose them from the list, or enter their full email address" };
      }
      const person = tx
        .select({
          id: users.id,
          name: users.name,
          email: users.email,
          jobTitle: users.jobTitle,
          site: users.site,
          deactivatedAt: users.deactivatedAt,
          supporterStatus: supporters.status,
        })
        .from(users)
        .leftJoin(supporters, eq(supporters.userId, users.id))
        .where(and(match, eu))
        .get();
      if (!person) {
        return input.staffId
          ? { ok: false, field: "staff", error: "That member of staff could not be found. Search again and choose them from the list" }
          : { ok: false, field: "staff", error: "No member of staff with that email address" };
      }
      const who = person.name ?? "This person";
      if (person.deactivatedAt !== null) {
        return { ok: false, field: "staff", error: `${who} has left: their account is closed, so they cannot be added to the roster` };
      }
      if (person.supporterStatus !== null) {
        const more = person.supporterStatus === "active" ? "" : ` (${STATUS_WORDS[person.supporterStatus]}). Change their status from their roster page instead`;
        return { ok: false, field: "staff", error: `${who} is already on the roster${more}` };
      }
      const roleTitle = input.roleTitle || person.jobTitle?.trim() || "";
      if (!roleTitle) return { ok: false, field: "roleTitle", error: "Enter their role or rank: the staff record does not have one" };
      const site = input.site || person.site?.trim() || "";
      if (!site) return { ok: false, field: "site", error: "Enter the site where they work: the staff record does not have one" };

      const id = crypto.randomUUID();
      const now = clock.now().getTime();
      const inserted = guardedInsert(
        tx,
        supporters,
        [
          {
            id,
            userId: person.id,
            status: "active",
            roleTitle,
            site,
            introduction: input.introduction,
            workingPattern: input.workingPattern,
            trainedOn: input.trainedOn,
            refresherDue: input.refresherDue,
            capacity: input.capacity,
            createdAt: now,
            updatedAt: now,
          },
        ],
        eu,
      );
      if (inserted !== 1) throw new NotFoundError("roster");
      guardedInsert(tx, supporterAttributes, attributeRows(id, input), eu);
      const eventId = crypto.randomUUID();
      guardedInsert(
        tx,
        supporterStatusEvents,
        [{ id: eventId, supporterId: id, fromStatus: null, toStatus: "active", reason: ADDED_REASON, actorId: viewer.id, at: now }],
        eu,
      );
      appendAudit(tx, { actorId: viewer.id, action: "supporter.added", objectType: "supporter", objectId: id, outcome: "success" });
      return { ok: true, data: { id } };
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Editing a profile
// ---------------------------------------------------------------------------------------------------------------

export function updateSupporterProfile(viewer: SessionUser, supporterId: string, input: EditSupporterInput): void {
  db.transaction(
    (tx) => {
      const eu = viewerIsEqualityUnit(viewer);
      const current = tx
        .select({ refresherDue: supporters.refresherDue })
        .from(supporters)
        .where(and(eq(supporters.id, supporterId), eu))
        .get();
      if (!current) throw new NotFoundError("supporter");
      const changed = tx
        .update(supporters)
        .set({
          roleTitle: input.roleTitle,
          site: input.site,
          introduction: input.introduction,
          workingPattern: input.workingPattern,
          capacity: input.capacity,
          trainedOn: input.trainedOn,
          refresherDue: input.refresherDue,
          // A new due date earns new reminders: the ones already sent were for the old date.
          ...(input.refresherDue !== current.refresherDue ? { reminder60SentAt: null, reminder14SentAt: null } : {}),
          updatedAt: clock.now(),
        })
        .where(and(eq(supporters.id, supporterId), eu))
        .run();
      if (changed.changes !== 1) throw new NotFoundError("supporter");
      tx.delete(supporterAttributes).where(and(eq(supporterAttributes.supporterId, supporterId), eu)).run();
      guardedInsert(tx, supporterAttributes, attributeRows(supporterId, input), eu);
      appendAudit(tx, { actorId: viewer.id, action: "supporter.updated", objectType: "supporter", objectId: supporterId, outcome: "success" });
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Changing status, with a reason kept in the roster history (never in the audit log)
// ---------------------------------------------------------------------------------------------------------------

const STATUS_ACTIONS: Record<SupporterStatus, string> = {
  active: "supporter.activated",
  paused: "supporter.paused",
  lapsed: "supporter.lapsed",
  retired: "supporter.retired",
};

export function changeSupporterStatus(
  viewer: SessionUser,
  supporterId: string,
  input: ChangeStatusInput,
  today: string,
): RosterWriteResult<{ eventId: string }> {
  return db.transaction(
    (tx): RosterWriteResult<{ eventId: string }> => {
      const eu = viewerIsEqualityUnit(viewer);
      const current = tx
        .select({ status: supporters.status, refresherDue: supporters.refresherDue, deactivatedAt: users.deactivatedAt })
        .from(supporters)
        .innerJoin(users, eq(users.id, supporters.userId))
        .where(and(eq(supporters.id, supporterId), eu))
        .get();
      if (!current) throw new NotFoundError("supporter");
      if (current.status === input.status) {
        return { ok: false, field: "status", error: `They are already ${STATUS_WORDS[current.status]}. Choose a different status` };
      }
      const returning = input.status === "active" || input.status === "paused";
      let refresherDue = current.refresherDue;
      if (returning) {
        if (current.deactivatedAt !== null) {
          return { ok: false, field: "status", error: "Their account is closed because they have left, so they cannot return to the roster" };
        }
        // A lapsed supporter comes back only after refresher training, so the next refresher date must be new.
        if (current.status === "lapsed" && !input.refresherDue) {
          return {
            ok: false,
            field: "refresherDue",
            error: "Enter the date their next refresher training is due: a lapsed supporter returns only after refresher training",
          };
        }
        refresherDue = input.refresherDue ?? current.refresherDue;
        if (refresherDue <= today) {
          return {
            ok: false,
            field: "refresherDue",
            error: "Their refresher training is overdue. Enter the date their next refresher is due, in the future",
          };
        }
      }
      const now = clock.now();
      const changed = tx
        .update(supporters)
        .set({
          status: input.status,
          // A pause set by the supporter ends with any change made here; a pause made here has no end date.
          pausedUntil: null,
          pauseReason: null,
          ...(refresherDue !== current.refresherDue ? { refresherDue, reminder60SentAt: null, reminder14SentAt: null } : {}),
          updatedAt: now,
        })
        .where(and(eq(supporters.id, supporterId), eq(supporters.status, current.status), eu))
        .run();
      if (changed.changes !== 1) throw new NotFoundError("supporter");
      const eventId = crypto.randomUUID();
      guardedInsert(
        tx,
        supporterStatusEvents,
        [
          {
            id: eventId,
            supporterId,
            fromStatus: current.status,
            toStatus: input.status,
            reason: input.reason,
            actorId: viewer.id,
            at: now.getTime(),
          },
        ],
        eu,
      );
      appendAudit(tx, {
        actorId: viewer.id,
        action: STATUS_ACTIONS[input.status],
        objectType: "supporter_status_event",
        objectId: eventId,
        outcome: "success",
      });
      return { ok: true, data: { eventId } };
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Roster health
// ---------------------------------------------------------------------------------------------------------------

export type HealthCounts = {
  dueSoon: number;
  overdue: number;
  lapsed: number;
  paused: number;
  atCapacity: number;
  active: number;
  retired: number;
  listed: number;
  available: number;
  /** Still active or paused although their account is closed: leavers the unit should retire. */
  leavers: number;
};

export type DueRow = { id: string; name: string; site: string; status: SupporterStatus; refresherDue: string };
export type CoverageRow = { name: string; listed: number; available: number };
export type SiteCoverageRow = CoverageRow & { staff: number };

export type RosterHealth = {
  today: string;
  counts: HealthCounts;
  dueSoon: DueRow[];
  overdue: DueRow[];
  bySite: SiteCoverageRow[];
  bySpecialism: CoverageRow[];
};

export const HEALTH_LIST_LIMIT = 100;

/** Roster health's figures without its lists of names, for the Equality Unit's reports. */
export type RosterCounts = Pick<RosterHealth, "today" | "counts" | "bySite" | "bySpecialism">;

// Every count but atCapacity, which is derived from "available" (getRosterCounts).
const FLAG_KEYS = [
  "dueSoon", "overdue", "lapsed", "paused", "active", "retired", "listed", "available", "leavers",
] as const satisfies readonly (keyof HealthCounts)[];
type FlagKey = (typeof FLAG_KEYS)[number];

// Each of roster health's rules, for a row of supporters joined to users.
function healthRules(today: string): Record<FlagKey | "listedUnpaused", SQL> {
  const current = and(inArray(supporters.status, OPEN_STATUSES), isNull(users.deactivatedAt)) as SQL;
  return {
    dueSoon: and(current, sql`${supporters.refresherDue} >= ${today}`, sql`${supporters.refresherDue} <= ${addDays(today, DUE_SOON_DAYS)}`) as SQL,
    // Overdue but not yet lapsed by maintenance: still active or paused on paper, already hidden from the directory.
    overdue: and(current, sql`${supporters.refresherDue} < ${today}`) as SQL,
    lapsed: eq(supporters.status, "lapsed"),
    paused: and(pausedOn(today), isNull(users.deactivatedAt)) as SQL,
    listedUnpaused: and(listedOn(today), sql`not (${pausedOn(today)})`) as SQL,
    active: and(eq(supporters.status, "active"), isNull(users.deactivatedAt)) as SQL,
    retired: eq(supporters.status, "retired"),
    listed: listedOn(today),
    available: availableOn(today),
    leavers: and(inArray(supporters.status, OPEN_STATUSES), isNotNull(users.deactivatedAt)) as SQL,
  };
}

const flag = (condition: SQL) => sql<number>`case when ${condition} then 1 else 0 end`;

/**
 * Roster health's counts and coverage, without the lists of names. Each supporter is read once, with every rule
 * decided in SQL, and the sums by site and specialism are made here: grouping in three statements joined every
 * supporter to users and counted their open requests three or more times over.
 */
export function getRosterCounts(viewer: SessionUser, today: string): RosterCounts {
  assertEqualityUnit(viewer);
  const eu = viewerIsEqualityUnit(viewer);
  const rules = healthRules(today);
  const perSupporter = db
    .select({
      id: supporters.id,
      site: supporters.site,
      ...(Object.fromEntries(FLAG_KEYS.map((key) => [key, flag(rules[key])])) as Record<FlagKey, SQL<number>>),
      listedUnpaused: flag(rules.listedUnpaused),
    })
    .from(supporters)
    .innerJoin(users, eq(users.id, supporters.userId))
    .where(eu)
    .all();
  const specialisms = db
    .select({ supporterId: supporterAttributes.supporterId, name: supporterAttributes.value })
    .from(supporterAttributes)
    .where(and(eq(supporterAttributes.kind, "specialism"), eu))
    .all();
  // Sites where staff work but no supporter does are the gaps that matter most, so staff sites are listed too.
  const staffSites = db
    .select({ name: siteStaffCounts.site, staff: siteStaffCounts.n })
    .from(siteStaffCounts)
    .where(eu)
    .all();

  const counts: HealthCounts = { ...(Object.fromEntries(FLAG_KEYS.map((key) => [key, 0])) as Record<FlagKey, number>), atCapacity: 0 };
  const sites = new Map<string, SiteCoverageRow>();
  for (const s of staffSites) sites.set(s.name, { name: s.name, staff: s.staff, listed: 0, available: 0 });
  const byId = new Map<string, { listed: number; available: number }>();
  for (const row of perSupporter) {
    for (const key of FLAG_KEYS) counts[key] += row[key];
    // At capacity is listed, not paused and open requests >= capacity; available is the same with < capacity
    // (availableOn), and capacity is never null, so one is the other's complement: each supporter's open requests
    // are counted once, not twice.
    if (row.listedUnpaused && !row.available) counts.atCapacity += 1;
    const site = sites.get(row.site) ?? { name: row.site, staff: 0, listed: 0, available: 0 };
    sites.set(row.site, { ...site, listed: site.listed + row.listed, available: site.available + row.available });
    byId.set(row.id, { listed: row.listed, available: row.available });
  }
  const bySpecialismName = new Map<string, CoverageRow>();
  for (const { supporterId, name } of specialisms) {
    const supporter = byId.get(supporterId);
    if (!supporter) continue;
    const row = bySpecialismName.get(name) ?? { name, listed: 0, available: 0 };
    bySpecialismName.set(name, { name, listed: row.listed + supporter.listed, available: row.available + supporter.available });
  }

  return {
    today,
    counts,
    bySite: [...sites.values()].sort((a, b) => a.name.localeCompare(b.name, "en-GB")),
    // Every specialism in the vocabulary, so one that nobody offers shows as a gap rather than being left out.
    bySpecialism: SPECIALISMS.map((name) => {
      const row = bySpecialismName.get(name);
      return { name, listed: row?.listed ?? 0, available: row?.available ?? 0 };
    }),
  };
}

export function getRosterHealth(viewer: SessionUser, today: string): RosterHealth {
  const figures = getRosterCounts(viewer, today);
  const eu = viewerIsEqualityUnit(viewer);
  const rules = healthRules(today);

  const dueList = (rule: SQL) =>
    db
      .select({ id: supporters.id, name: users.name, email: users.email, site: supporters.site, status: supporters.status, refresherDue: supporters.refresherDue })
      .from(supporters)
      .innerJoin(users, eq(users.id, supporters.userId))
      .where(and(rule, eu))
      .orderBy(asc(supporters.refresherDue), sql`${users.name} collate nocase`)
      .limit(HEALTH_LIST_LIMIT)
      .all()
      .map((r) => ({ id: r.id, name: r.name ?? r.email, site: r.site, status: r.status, refresherDue: r.refresherDue }));

  return {
    ...figures,
    dueSoon: dueList(rules.dueSoon),
    overdue: dueList(rules.overdue),
  };
}
