import * as z from "zod";

import { addDays } from "@/lib/clock";
import { parseDateParts, type DateParts } from "./roster";

// The audit log's filter form (/admin/audit and its CSV download). It is a GET form, so everything arrives as query
// string values that anyone can edit: each one is checked here, and a bad one becomes a message on the form, never
// an error page.

/** Events on a page of the audit log. */
export const AUDIT_PAGE_SIZE = 50;
/** A download stops here; the page says so, and so does the file's last line. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;

export const ACTOR_MAX = 254;
const ACTION_MAX = 100;
const OBJECT_ID_MAX = 100;

// Actions are written by our code as family.verb ("supporter.paused"); a value ending in a dot is a whole family.
const ACTION_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)*\.?$/;
const OBJECT_TYPE_PATTERN = /^[a-z0-9_]{1,50}$/;
// Object ids are opaque: UUIDs, a sequence number, or a report's "<network id>/<report name>".
const OBJECT_ID_PATTERN = /^[A-Za-z0-9_.:/-]+$/;

export type AuditLogField = "from" | "to" | "actor" | "action" | "objectType" | "objectId";

/** What was typed, to put back in the form. */
export type AuditLogFormValues = {
  from: DateParts;
  to: DateParts;
  actor: string;
  action: string;
  objectType: string;
  objectId: string;
};

export type ActionFilter = { kind: "exact"; action: string } | { kind: "family"; prefix: string };

/** A valid filter. Times are milliseconds since the epoch; `toExclusive` is midnight after the "to" date. */
export type AuditLogFilter = {
  fromMs?: number;
  toExclusiveMs?: number;
  /** Still to be resolved to a person by the data access layer (it needs the database). */
  actor?: string;
  action?: ActionFilter;
  objectType?: string;
  objectId?: string;
};

export type AuditCursor = { before?: number; after?: number };

export type AuditLogQuery = {
  values: AuditLogFormValues;
  filter: AuditLogFilter;
  cursor: AuditCursor;
  errors: Partial<Record<AuditLogField, string>>;
  /** Any filter at all was given (for "Clear filters"). */
  filtered: boolean;
};

type SearchParams = Record<string, string | string[] | undefined>;

function one(params: SearchParams, name: string): string {
  const value = params[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first.trim() : "";
}

const Cursor = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined);

const londonParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

// How far London's clocks are ahead of UTC at an instant (0 or 60 minutes), in milliseconds.
function londonOffsetMs(instant: number): number {
  const parts = Object.fromEntries(londonParts.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return wall - Math.floor(instant / 60_000) * 60_000;
}

/**
 * Midnight at the start of a calendar date in London, as an instant. The clocks change at 01:00 UTC, never at
 * midnight, so the offset at UTC midnight of the same date is the offset of London's midnight too.
 */
export function londonMidnightMs(isoDate: string): number {
  const utcMidnight = Date.parse(`${isoDate}T00:00:00Z`);
  return utcMidnight - londonOffsetMs(utcMidnight);
}

const blank = (parts: DateParts) => !parts.day && !parts.month && !parts.year;

function dateOf(params: SearchParams, name: string): DateParts {
  return { day: one(params, `${name}-day`), month: one(params, `${name}-month`), year: one(params, `${name}-year`) };
}

export function parseAuditLogQuery(params: SearchParams): AuditLogQuery {
  const values: AuditLogFormValues = {
    from: dateOf(params, "from"),
    to: dateOf(params, "to"),
    actor: one(params, "actor"),
    action: one(params, "action"),
    objectType: one(params, "objectType"),
    objectId: one(params, "objectId"),
  };
  const errors: AuditLogQuery["errors"] = {};
  const filter: AuditLogFilter = {};

  let fromIso: string | undefined;
  let toIso: string | undefined;
  if (!blank(values.from)) {
    const parsed = parseDateParts(values.from, "The date to search from");
    if ("error" in parsed) errors.from = parsed.error;
    else fromIso = parsed.iso;
  }
  if (!blank(values.to)) {
    const parsed = parseDateParts(values.to, "The date to search to");
    if ("error" in parsed) errors.to = parsed.error;
    else toIso = parsed.iso;
  }
  if (fromIso && toIso && fromIso > toIso) errors.to = "The date to search to must be the same as or after the date to search from";
  if (fromIso && !errors.to) filter.fromMs = londonMidnightMs(fromIso);
  // The "to" date is included whole: events before the following midnight.
  if (toIso && !errors.to) filter.toExclusiveMs = londonMidnightMs(addDays(toIso, 1));

  if (values.actor) {
    if (values.actor.length > ACTOR_MAX) errors.actor = `Enter ${ACTOR_MAX} characters or fewer`;
    else filter.actor = values.actor;
  }

  if (values.action) {
    if (values.action.length > ACTION_MAX || !ACTION_PATTERN.test(values.action)) {
      errors.action = "Choose an action from the list";
    } else {
      filter.action = values.action.endsWith(".")
        ? { kind: "family", prefix: values.action }
        : { kind: "exact", action: values.action };
    }
  }

  if (values.objectType) {
    if (!OBJECT_TYPE_PATTERN.test(values.objectType)) errors.objectType = "Choose a type of object from the list";
    else filter.objectType = values.objectType;
  }

  if (values.objectId) {
    if (values.objectId.length > OBJECT_ID_MAX || !OBJECT_ID_PATTERN.test(values.objectId)) {
      errors.objectId = "Enter the object\u2019s id exactly as it appears in the log";
    } else {
      filter.objectId = values.objectId;
    }
  }

  const before = Cursor.parse(one(params, "before") || undefined);
  const after = Cursor.parse(one(params, "after") || undefined);
  // One direction at a time; "before" wins, as it is the link people follow most.
  const cursor: AuditCursor = before !== undefined ? { before } : after !== undefined ? { after } : {};

  const filtered = Boolean(
    !blank(values.from) || !blank(values.to) || values.actor || values.action || values.objectType || values.objectId,
  );
  return { values, filter, cursor, errors, filtered };
}

/** The query string for the same filter (and optionally a page), for links and the CSV download. */
export function auditLogSearch(values: AuditLogFormValues, cursor: AuditCursor = {}): string {
  const params = new URLSearchParams();
  for (const name of ["from", "to"] as const) {
    const parts = values[name];
    if (blank(parts)) continue;
    params.set(`${name}-day`, parts.day);
    params.set(`${name}-month`, parts.month);
    params.set(`${name}-year`, parts.year);
  }
  for (const name of ["actor", "action", "objectType", "objectId"] as const) {
    if (values[name]) params.set(name, values[name]);
  }
  if (cursor.before !== undefined) params.set("before", String(cursor.before));
  else if (cursor.after !== undefined) params.set("after", String(cursor.after));
  const search = params.toString();
  return search ? `?${search}` : "";
}
