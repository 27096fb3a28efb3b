import * as z from "zod";

import { addDays, addYears } from "@/lib/clock";
import { parseDateParts, type DateParts } from "./roster";

// The reports' date range (a GET form, so it works without JavaScript and the address can be bookmarked) and the
// names of the CSV downloads. Dates are the force's calendar dates (Europe/London), both ends included.

/** The longest range a report covers: longer ones are slow and are not what the board asks for. */
export const MAX_RANGE_YEARS = 5;

export type ReportRange = {
  /** ISO dates, both included. */
  from: string;
  to: string;
  /** The same range as instants: from the start of `from` in London up to (not including) the start of the day after `to`. */
  startMs: number;
  endMs: number;
};

export type RangeFields = { from: DateParts; to: DateParts };

export type RangeResult =
  | { ok: true; range: ReportRange; fields: RangeFields }
  | { ok: false; fields: RangeFields; errors: { from?: string; to?: string } };

const londonParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
  hourCycle: "h23",
});

// How far London's clock is ahead of UTC at an instant (0 in winter, an hour in summer).
function londonOffsetMs(at: number): number {
  const parts = Object.fromEntries(londonParts.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant a London calendar day starts. The clocks change at 01:00 or 02:00, never at midnight. */
export function londonDayStart(isoDate: string): number {
  const midnightUtc = Date.parse(`${isoDate}T00:00:00Z`);
  const guess = midnightUtc - londonOffsetMs(midnightUtc);
  return midnightUtc - londonOffsetMs(guess);
}

export function rangeOf(from: string, to: string): ReportRange {
  return { from, to, startMs: londonDayStart(from), endMs: londonDayStart(addDays(to, 1)) };
}

/** The last 12 months: from the first day of the month 11 months ago up to today, so every month is whole but this one. */
export function defaultRange(today: string): ReportRange {
  const [year = 0, month = 1] = today.split("-").map(Number);
  const first = new Date(Date.UTC(year, month - 1 - 11, 1)).toISOString().slice(0, 10);
  return rangeOf(first, today);
}

const firstValue = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const part = z.preprocess(firstValue, z.string().trim().max(10).optional().catch(undefined)).transform((v) => v ?? "");

const RangeQuery = z.object({
  "from-day": part,
  "from-month": part,
  "from-year": part,
  "to-day": part,
  "to-month": part,
  "to-year": part,
});

function isoToParts(iso: string): DateParts {
  const [year = "", month = "", day = ""] = iso.split("-");
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/**
 * Reads the range from the query string. With no date fields at all it is the last 12 months; otherwise both dates
 * must be real, From not after To, and the range at most MAX_RANGE_YEARS years.
 */
export function parseRange(searchParams: Record<string, string | string[] | undefined> | URLSearchParams, today: string): RangeResult {
  const raw = searchParams instanceof URLSearchParams ? Object.fromEntries(searchParams) : searchParams;
  const q = RangeQuery.parse(raw);
  const fields: RangeFields = {
    from: { day: q["from-day"], month: q["from-month"], year: q["from-year"] },
    to: { day: q["to-day"], month: q["to-month"], year: q["to-year"] },
  };
  const blank = Object.values(q).every((v) => v === "");
  if (blank) {
    const range = defaultRange(today);
    return { ok: true, range, fields: { from: isoToParts(range.from), to: isoToParts(range.to) } };
  }
  const from = parseDateParts(fields.from, "From date");
  const to = parseDateParts(fields.to, "To date");
  const errors: { from?: string; to?: string } = {};
  if ("error" in from) errors.from = from.error;
  if ("error" in to) errors.to = to.error;
  if ("iso" in from && "iso" in to) {
    if (from.iso > to.iso) errors.from = "From date must be the same as or before the To date";
    else if (from.iso < addYears(to.iso, -MAX_RANGE_YEARS)) {
      errors.from = `The range must be ${MAX_RANGE_YEARS} years or shorter. Enter a later From date`;
    }
  }
  if (errors.from || errors.to || !("iso" in from) || !("iso" in to)) return { ok: false, fields, errors };
  return { ok: true, range: rangeOf(from.iso, to.iso), fields };
}

/** The range as a query string, for the CSV links beside each report. */
export function rangeQueryString(range: Pick<ReportRange, "from" | "to">): string {
  const f = isoToParts(range.from);
  const t = isoToParts(range.to);
  return new URLSearchParams({
    "from-day": f.day,
    "from-month": f.month,
    "from-year": f.year,
    "to-day": t.day,
    "to-month": t.month,
    "to-year": t.year,
  }).toString();
}

// ---------------------------------------------------------------------------------------------------------------
// CSV downloads: the last part of the address names the report
// ---------------------------------------------------------------------------------------------------------------

export const ADMIN_REPORTS = [
  "requests-by-month",
  "requests-by-topic",
  "requests-by-outcome",
  "response-times",
  "requests-by-site",
  "coverage-by-site",
  "coverage-by-specialism",
  "roster-health",
  "network-sizes",
] as const;
export type AdminReportName = (typeof ADMIN_REPORTS)[number];
export const AdminReportParam = z.enum(ADMIN_REPORTS);

export const NETWORK_REPORTS = ["joins-by-month", "membership"] as const;
export type NetworkReportName = (typeof NETWORK_REPORTS)[number];
export const NetworkReportParam = z.enum(NETWORK_REPORTS);
