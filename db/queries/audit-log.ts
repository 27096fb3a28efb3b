import "server-only";

import { and, sql, type SQL } from "drizzle-orm";

import type { SessionUser } from "@/lib/auth/session";
import { appendAudit, verifyAuditChainInBatches, type ChainCheck } from "@/lib/audit";
import { csvLine } from "@/lib/csv";
import { NotFoundError } from "@/lib/errors";
import { db } from "../client";
import { auditEvents, users } from "../schema";
import { AUDIT_EXPORT_MAX_ROWS, AUDIT_PAGE_SIZE, type AuditCursor, type AuditLogFilter } from "../validation/audit-log";
import { viewerIsEqualityUnit } from "./permissions";
import { viewerIsEqualityUnitNow } from "./roster";

// The Equality Unit's audit log viewer (/admin/audit) and its CSV download. Every statement carries
// viewerIsEqualityUnit in its WHERE; the functions also throw NotFoundError first, so nobody else gets even an empty
// page.
//
// The log holds no content by design (lib/audit.ts), but the actor of an event can itself be the secret. Who is
// shown is decided per family of actions (the part of the action before the first dot), from every `action:` the
// code writes (grep -rn "action:" db lib app scripts auth.ts):
//
//   shown   auth.*                 auth.sign_in (success or refused) and auth.sign_out: the person's own sign-ins;
//                                  auth.sign_in_failed: a failed sign-in callback, by reason class only, with no actor
//                                  unless the browser was already signed in (lib/auth/sign-in-failure.ts)
//   shown   user.*                 user.created (first sign-in, by the person), user.deactivated and user.reinstated
//                                  (Equality Unit or the deactivate script)
//   shown   role.*                 role.granted / role.revoked (Equality Unit, the grant script or the seed)
//   shown   account.*              account.preferences_updated, account.data_exported, account.erased: about the
//                                  person's own account (the requests and memberships an erasure touches are written
//                                  as request.* and network_membership.* events, hidden below)
//   shown   supporter.*            added/updated/activated/paused/lapsed/retired/resumed/refresher_reminder_* and
//                                  profile_updated/capacity_changed: the Equality Unit's roster work, a supporter's
//                                  own settings, or maintenance. Being a supporter is public (the directory)
//   shown   network.*              created/updated/archived/restored/coordinator_* by the Equality Unit;
//                                  updated (the network's page), announcement_sent and members_exported by a
//                                  coordinator: coordinators are the networks' public contact points
//   shown   access.*               access.denied: someone opened a page or action that is not theirs (object type,
//                                  no id), except where the object is a request or a membership (below)
//   shown   audit.*, staff.*,      the Equality Unit's own work: audit.verified/exported, staff.import_started/
//           report.*               finished, report.exported (a coordinator's own network report included)
//   HIDDEN  request.*              created/withdrawn/erased/released name the requester; read, acknowledged, started,
//                                  closed, declined, change, message_sent, handover_* name the requester or the
//                                  supporter; a refused request.read names someone who tried to open a request. The
//                                  maintenance events (acknowledge_reminder, acknowledge_overdue, erased_by_retention)
//                                  and request.origin_rejected have no actor, and are hidden the same way so that
//                                  "Not shown" does not itself tell the two kinds apart
//   HIDDEN  network_membership.*   joined/requested/left/withdrawn/cleared/visibility_changed name the member;
//                                  approved/declined/removed name the coordinator, but the family is hidden whole so
//                                  that no event of it can line a person up with a network
//   HIDDEN  feedback.*             feedback.sent and feedback.rate_limited: feedback can be sent anonymously, and its
//                                  sender must not appear here
//   HIDDEN  rate_limit.*           rate_limit.refused: someone searched staff (or sent requests) faster than the
//                                  limit; the staff search is part of asking for help, so who did it stays hidden.
//                                  With object type sign_in (no actor) it marks a flood of failed sign-ins
//   HIDDEN  data_key.*             data_key.rotated has no actor (npm run rotate-key); hidden as an unclassified
//                                  family would be, which changes nothing
//   HIDDEN  anything else          a family nobody has decided on yet stays hidden until someone adds it above
//
// And whatever the family, an event whose object is a request or a network membership hides its actor (for example
// an access.denied about a request, were one written): the pair "this person, this request" is the secret.
//
// Hidden means: the actor's id, name and email never leave SQL for these events (the CASE and the join condition
// below), filtering by a person never returns them (that would reveal them just as well), and the CSV says "Not
// shown" too. Objects are shown as type and opaque id; nothing here joins to requests, memberships or networks.

const SHOWN_FAMILIES = ["auth", "user", "role", "account", "supporter", "network", "access", "audit", "staff", "report"] as const;
const ACTOR_HIDING_OBJECTS = ["request", "network_membership"] as const;

export type HiddenReason = "request" | "membership" | "feedback" | "other";

const family = sql`substr(${auditEvents.action}, 1, instr(${auditEvents.action}, '.') - 1)`;
const actorShown: SQL = sql`(${family} in (${sql.join(
  SHOWN_FAMILIES.map((f) => sql`${f}`),
  sql`, `,
)}) and coalesce(${auditEvents.objectType}, '') not in (${sql.join(
  ACTOR_HIDING_OBJECTS.map((t) => sql`${t}`),
  sql`, `,
)}))`;

/** Why an event's actor is not shown, for the short explanation beside "Not shown". */
export function hiddenReason(action: string, objectType: string | null): HiddenReason {
  if (action.startsWith("request.") || objectType === "request") return "request";
  if (action.startsWith("network_membership.") || objectType === "network_membership") return "membership";
  if (action.startsWith("feedback.")) return "feedback";
  return "other";
}

export type AuditActor =
  | { kind: "person"; id: string; name: string | null; email: string }
  /** The id of someone whose account no longer exists. */
  | { kind: "unknown"; id: string }
  /** No one: a scheduled task, a script, or a request from someone not signed in. */
  | { kind: "none" }
  | { kind: "hidden"; reason: HiddenReason };

export type AuditLogRow = {
  seq: number;
  at: Date;
  actor: AuditActor;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: "success" | "denied" | "failure";
};

export type AuditLogPage = {
  rows: AuditLogRow[];
  /** Cursor for the next-newer page, when there are newer events. */
  newer: AuditCursor | null;
  /** Cursor for the next-older page, when there are older events. */
  older: AuditCursor | null;
};

export type ActorMatch = { ok: true; userId: string } | { ok: false; error: string };

function assertEqualityUnit(viewer: SessionUser): void {
  if (!viewerIsEqualityUnitNow(viewer)) throw new NotFoundError("audit_log");
}

// ---------------------------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------------------------

/**
 * The person a filter names: their full email address (users_email_unique on lower(email)) or their full name
 * (users_name_idx; a name typed in another case falls back to a scan of names). People who have left are included:
 * their past actions are still in the log.
 */
export function resolveActor(viewer: SessionUser, text: string): ActorMatch {
  assertEqualityUnit(viewer);
  const term = text.trim();
  const eu = viewerIsEqualityUnit(viewer);
  if (term.includes("@")) {
    const row = db
      .select({ id: users.id })
      .from(users)
      .where(and(sql`lower(${users.email}) = ${term.toLowerCase()}`, eu))
      .get();
    return row ? { ok: true, userId: row.id } : { ok: false, error: "No member of staff has that email address. Check it and try again" };
  }
  const byName = (match: SQL) =>
    db.select({ id: users.id }).from(users).where(and(match, eu)).limit(2).all();
  let rows = byName(sql`${users.name} = ${term}`);
  if (rows.length === 0) rows = byName(sql`lower(${users.name}) = ${term.toLowerCase()}`);
  if (rows.length === 0) {
    return { ok: false, error: "No member of staff has that name. Enter their full name or their email address" };
  }
  if (rows.length > 1) {
    return { ok: false, error: "More than one member of staff has that name. Enter their email address instead" };
  }
  return { ok: true, userId: rows[0]!.id };
}

/** The filter as SQL, with the actor already resolved to a user id. */
export type ResolvedFilter = Omit<AuditLogFilter, "actor"> & { actorId?: string };

// A family filter ("supporter.") is a range on the action index: every action that starts with the prefix sorts
// at or after it and before the same prefix with its final dot replaced by the next character, "/".
function filterSql(filter: ResolvedFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.fromMs !== undefined) where.push(sql`${auditEvents.at} >= ${filter.fromMs}`);
  if (filter.toExclusiveMs !== undefined) where.push(sql`${auditEvents.at} < ${filter.toExclusiveMs}`);
  // Only events whose actor may be shown: filtering by a person must not find them where they are hidden.
  if (filter.actorId !== undefined) where.push(sql`${auditEvents.actorId} = ${filter.actorId}`, actorShown);
  if (filter.action?.kind === "exact") where.push(sql`${auditEvents.action} = ${filter.action.action}`);
  if (filter.action?.kind === "family") {
    const upper = `${filter.action.prefix.slice(0, -1)}/`;
    where.push(sql`${auditEvents.action} >= ${filter.action.prefix}`, sql`${auditEvents.action} < ${upper}`);
  }
  if (filter.objectType !== undefined) where.push(sql`${auditEvents.objectType} = ${filter.objectType}`);
  if (filter.objectId !== undefined) where.push(sql`${auditEvents.objectId} = ${filter.objectId}`);
  return where;
}

/**
 * Every action in the log, for the filter's list. A skip scan of the action index (one index seek per distinct
 * action), so it costs the same on a log of a hundred events or a hundred million.
 */
export function listAuditActions(viewer: SessionUser): string[] {
  assertEqualityUnit(viewer);
  const rows = db.all<{ action: string }>(sql`
    with recursive actions(action) as (
      select min(action) from audit_events where ${viewerIsEqualityUnit(viewer)}
      union all
      select (select min(action) from audit_events where action > actions.action)
      from actions where actions.action is not null
    )
    select action from actions where action is not null`);
  return rows.map((r) => r.action);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

type RawRow = {
  seq: number;
  at: number;
  actorId: string | null;
  actorShown: number;
  actorName: string | null;
  actorEmail: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: AuditLogRow["outcome"];
};

// The actor's id, name and email are selected only where the actor may be shown: for any other event they are null
// in SQL, so they cannot reach a page, a React payload or a file by mistake.
function selectEvents(viewer: SessionUser, where: SQL[], order: "newest" | "oldest", limit: number): RawRow[] {
  const direction = order === "newest" ? sql`desc` : sql`asc`;
  return db.all<RawRow>(sql`
    select ${auditEvents.seq} as seq, ${auditEvents.at} as at,
      case when ${actorShown} then ${auditEvents.actorId} end as actorId,
      ${actorShown} as actorShown,
      ${users.name} as actorName, ${users.email} as actorEmail,
      ${auditEvents.action} as action, ${auditEvents.objectType} as objectType, ${auditEvents.objectId} as objectId,
      ${auditEvents.outcome} as outcome
    from ${auditEvents}
    left join ${users} on ${users.id} = ${auditEvents.actorId} and ${actorShown}
    where ${and(...where, viewerIsEqualityUnit(viewer))}
    order by ${auditEvents.seq} ${direction}
    limit ${limit}`);
}

function toRow(r: RawRow): AuditLogRow {
  let actor: AuditActor;
  if (!r.actorShown) actor = { kind: "hidden", reason: hiddenReason(r.action, r.objectType) };
  else if (r.actorId === null) actor = { kind: "none" };
  else if (r.actorEmail === null) actor = { kind: "unknown", id: r.actorId };
  else actor = { kind: "person", id: r.actorId, name: r.actorName, email: r.actorEmail };
  return { seq: r.seq, at: new Date(r.at), actor, action: r.action, objectType: r.objectType, objectId: r.objectId, outcome: r.outcome };
}

/**
 * One page of events, newest first, by keyset on seq: `before` gives the events older than an event, `after` those
 * newer than it. No OFFSET (which would read and throw away every earlier row) and no count of the whole log: whether
 * there is a page either side is one more row read, or one indexed probe.
 */
export function listAuditEvents(viewer: SessionUser, filter: ResolvedFilter, cursor: AuditCursor): AuditLogPage {
  assertEqualityUnit(viewer);
  const base = filterSql(filter);
  const probe = AUDIT_PAGE_SIZE + 1;
  const seq = auditEvents.seq;
  if (cursor.after !== undefined) {
    const found = selectEvents(viewer, [...base, sql`${seq} > ${cursor.after}`], "oldest", probe);
    const rows = found.slice(0, AUDIT_PAGE_SIZE).reverse().map(toRow);
    const last = rows.at(-1);
    const olderExists = last !== undefined && selectEvents(viewer, [...base, sql`${seq} < ${last.seq}`], "newest", 1).length > 0;
    return {
      rows,
      newer: found.length > AUDIT_PAGE_SIZE && rows[0] ? { after: rows[0].seq } : null,
      older: olderExists && last ? { before: last.seq } : null,
    };
  }
  const where = cursor.before !== undefined ? [...base, sql`${seq} < ${cursor.before}`] : base;
  const found = selectEvents(viewer, where, "newest", probe);
  const rows = found.slice(0, AUDIT_PAGE_SIZE).map(toRow);
  const first = rows[0];
  const newerExists =
    cursor.before !== undefined && first !== undefined && selectEvents(viewer, [...base, sql`${seq} > ${first.seq}`], "oldest", 1).length > 0;
  const last = rows.at(-1);
  return {
    rows,
    newer: newerExists && first ? { after: first.seq } : null,
    older: found.length > AUDIT_PAGE_SIZE && last ? { before: last.seq } : null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Verifying and exporting (both audited)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Checks the whole hash chain (in batches, so the server keeps answering others meanwhile) and records that it was
 * checked: "audit.verified", success when intact, failure with the event where the chain breaks as its object.
 */
export async function verifyAuditLog(viewer: SessionUser): Promise<ChainCheck> {
  assertEqualityUnit(viewer);
  const result = await verifyAuditChainInBatches(db);
  db.transaction(
    (tx) => {
      // Checked again inside the write: a role revoked during a long check records nothing.
      if (!viewerIsEqualityUnitNow(viewer, tx)) throw new NotFoundError("audit_log");
      appendAudit(tx, {
        actorId: viewer.id,
        action: "audit.verified",
        objectType: result.ok ? "audit_log" : "audit_event",
        objectId: result.ok ? null : String(result.brokenAt),
        outcome: result.ok ? "success" : "failure",
      });
    },
    { behavior: "immediate" },
  );
  return result;
}

export const AUDIT_CSV_HEADER = [
  "event",
  "time_london",
  "time_utc",
  "actor_name",
  "actor_email",
  "action",
  "object_type",
  "object_id",
  "outcome",
] as const;

export const NOT_SHOWN = "Not shown";
const NO_ACTOR = "None (automatic task or not signed in)";
const UNKNOWN_ACTOR = "Unknown (account no longer exists)";

const londonTime = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

function csvRow(row: AuditLogRow): string {
  const [name, email] =
    row.actor.kind === "person"
      ? [row.actor.name ?? "", row.actor.email]
      : row.actor.kind === "hidden"
        ? [NOT_SHOWN, ""]
        : row.actor.kind === "unknown"
          ? [UNKNOWN_ACTOR, ""]
          : [NO_ACTOR, ""];
  return csvLine([
    String(row.seq),
    londonTime.format(row.at),
    row.at.toISOString(),
    name,
    email,
    row.action,
    row.objectType ?? "",
    row.objectId ?? "",
    row.outcome,
  ]);
}

export type ExportLimits = { maxRows: number; batchSize: number };
const EXPORT_LIMITS: ExportLimits = { maxRows: AUDIT_EXPORT_MAX_ROWS, batchSize: 1000 };

/**
 * The events the filter finds, newest first, as CSV text in chunks of 1,000 rows, stopping after 100,000 (with a
 * last line saying so; tests pass smaller limits). Each chunk is its own keyset query, so memory stays flat and no read is held open between
 * chunks. The export is recorded ("audit.exported") before the first row is read; the filter itself is not recorded,
 * since it can name a person.
 */
export function* exportAuditCsv(viewer: SessionUser, filter: ResolvedFilter, limits: ExportLimits = EXPORT_LIMITS): Generator<string> {
  db.transaction(
    (tx) => {
      if (!viewerIsEqualityUnitNow(viewer, tx)) throw new NotFoundError("audit_log");
      appendAudit(tx, { actorId: viewer.id, action: "audit.exported", objectType: "audit_log", outcome: "success" });
    },
    { behavior: "immediate" },
  );
  yield `${csvLine(AUDIT_CSV_HEADER)}\r\n`;
  const base = filterSql(filter);
  let before: number | undefined;
  let written = 0;
  for (;;) {
    const take = Math.min(limits.batchSize, limits.maxRows - written);
    const where = before === undefined ? base : [...base, sql`${auditEvents.seq} < ${before}`];
    const found = selectEvents(viewer, where, "newest", take + 1);
    const batch = found.slice(0, take).map(toRow);
    if (batch.length > 0) yield batch.map((row) => `${csvRow(row)}\r\n`).join("");
    written += batch.length;
    if (found.length <= take) return;
    if (written >= limits.maxRows) {
      yield `${csvLine([`Only the newest ${limits.maxRows.toLocaleString("en-GB")} matching events are included. Choose a shorter period to download the rest.`])}\r\n`;
      return;
    }
    before = batch.at(-1)?.seq;
  }
}
