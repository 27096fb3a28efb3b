import "server-only";

import { and, eq, isNull, sql, type SQL } from "drizzle-orm";

import { audit } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/session";
import { csvLine } from "@/lib/csv";
import { NotFoundError } from "@/lib/errors";
import {
  FEWER_THAN_5,
  publishCount,
  publishedCsv,
  suppressList,
  suppressTable,
  suppressTogether,
  type Published,
  type PublishedList,
} from "@/lib/suppression";
import { REQUEST_CATEGORIES, REQUEST_OUTCOMES } from "@/lib/vocabulary";
import { db } from "../client";
import { networkMemberships, networks, ROLLUP_GRAINS, SUPPORTER_STATUSES, supporters, users } from "../schema";
import { londonDayStart, type AdminReportName, type NetworkReportName, type ReportRange } from "../validation/reports";
import { getConsoleNetwork } from "./network-console";
import { viewerIsEqualityUnit } from "./permissions";
import { cacheUntilChange } from "./cache";
import { DUE_SOON_DAYS, getRosterCounts } from "./roster";

// The Equality Unit's reports (/admin/reports) and a coordinator's report on their own network's membership.
//
// Every figure is suppressed (lib/suppression) inside the function that counts it, before it is returned: exact
// counts from 1 to 4 never reach a page, its React payload or a CSV file. Requests are counted from their
// non-identifying columns only (status, category, outcome, dates, the assigned supporter's site), which outlive the
// erasure of a request's content: nothing here reads an encrypted column or who asked.
//
// Every statement carries the permission in its WHERE: viewerIsEqualityUnit for the Equality Unit's reports; for a
// network's report, the coordinator check of the console (getConsoleNetwork) and the same rule again in the counts.

export type ReportRow = { key: string; label: string; value: Published };
export type ListReport = { rows: ReportRow[]; total: Published | null; hasNotShown: boolean };
export type ColumnsReport = {
  columns: string[];
  rows: { key: string; label: string; values: Published[] }[];
  /** Column totals, when the report has them. */
  totals: Published[] | null;
  hasNotShown: boolean;
};

/** A duration in milliseconds, or null when fewer than 5 requests had one. */
export type Timing = { key: "acknowledge" | "close"; label: string; median: number | null; p90: number | null };

export type RequestReports = {
  byMonth: ListReport;
  byTopic: ListReport;
  byOutcome: ListReport;
  bySite: ListReport;
  timings: Timing[];
};

export type SupporterReports = {
  today: string;
  coverageBySite: ColumnsReport;
  coverageBySpecialism: ColumnsReport;
  byStatus: ListReport;
  refreshers: ListReport;
};

export type NetworkSizes = { rows: ReportRow[] };

export type EqualityUnitReports = RequestReports & SupporterReports & { networkSizes: NetworkSizes };

const monthLabel = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

// A month's label and London start, remembered: working them out (Intl) took longer than the report's queries. Pure
// facts about the calendar, a few hundred at most.
const calendarMonths = new Map<string, { label: string; startMs: number }>();
function calendarMonth(key: string): { label: string; startMs: number } {
  let known = calendarMonths.get(key);
  if (!known) {
    known = { label: monthLabel.format(new Date(`${key}-01T00:00:00Z`)), startMs: londonDayStart(`${key}-01`) };
    calendarMonths.set(key, known);
  }
  return known;
}

/** The calendar months a range touches, each cut to the range; the first and last may be part months. */
export function monthsOf(range: ReportRange): { key: string; label: string; startMs: number; endMs: number }[] {
  const months: { key: string; label: string; startMs: number; endMs: number }[] = [];
  let [year = 0, month = 1] = range.from.split("-").map(Number);
  for (;;) {
    const first = new Date(Date.UTC(year, month - 1, 1));
    const key = first.toISOString().slice(0, 7);
    if (key > range.to.slice(0, 7)) break;
    const next = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 7);
    months.push({
      key,
      label: calendarMonth(key).label,
      startMs: Math.max(range.startMs, calendarMonth(key).startMs),
      endMs: Math.min(range.endMs, calendarMonth(next).startMs),
    });
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

function toList(rows: { key: string; label: string }[], published: PublishedList): ListReport {
  return {
    rows: rows.map((row, i) => ({ ...row, value: published.values[i] as Published })),
    total: published.total,
    hasNotShown: published.hasNotShown,
  };
}

const OUTCOME_ROWS = [
  ...Object.entries(REQUEST_OUTCOMES).map(([key, label]) => ({ key: `closed:${key}`, label: `Closed: ${label.toLowerCase()}` })),
  { key: "closed:unrecorded", label: "Closed: outcome not recorded" },
  { key: "withdrawn", label: "Withdrawn by the requester" },
  { key: "declined", label: "Declined by the supporter" },
  { key: "open", label: "Still open" },
];

function outcomeKey(status: string, outcome: string | null): string {
  if (status === "closed") return outcome !== null && outcome in REQUEST_OUTCOMES ? `closed:${outcome}` : "closed:unrecorded";
  if (status === "withdrawn" || status === "declined") return status;
  return "open";
}

// ---------------------------------------------------------------------------------------------------------------
// Requests over a range, from the roll-ups (request_rollup, request_duration_rollup: db/schema.ts, migration 0009)
// rather than from every request. Month periods (a UTC month less its last hour, or that hour) and day periods (the
// same for a UTC day) start at 00:00 or 23:00 UTC, as London's days do, so a range is exactly whole month periods in
// the middle and whole day periods at its ends: the figures are those of counting every request in the range.
// ---------------------------------------------------------------------------------------------------------------

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

const utcMonthStart = (ms: number, add = 0): number => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1);
};

/** The first month period boundary at or after an instant. */
function boundaryAtOrAfter(ms: number): number {
  if (utcMonthStart(ms) === ms) return ms;
  const next = utcMonthStart(ms, 1);
  return ms <= next - HOUR_MS ? next - HOUR_MS : next;
}

/** The last month period boundary at or before an instant. */
function boundaryAtOrBefore(ms: number): number {
  const lastHour = utcMonthStart(ms, 1) - HOUR_MS;
  return lastHour <= ms ? lastHour : utcMonthStart(ms);
}

export type RangePart = { grain: (typeof ROLLUP_GRAINS)[number]; from: number; to: number };

/** A range (starting and ending on London days) as whole month periods in the middle and day periods at the ends. */
export function splitRange(startMs: number, endMs: number): RangePart[] {
  const from = boundaryAtOrAfter(startMs);
  const to = boundaryAtOrBefore(endMs);
  const parts: RangePart[] =
    from < to
      ? [
          { grain: "day", from: startMs, to: from },
          { grain: "month", from, to },
          { grain: "day", from: to, to: endMs },
        ]
      : [{ grain: "day", from: startMs, to: endMs }];
  return parts.filter((p) => p.from < p.to);
}

// The widths of request_duration_source's histogram buckets (migration 0009), for a bucket's bounds: 5 minutes
// below 100 minutes, then 20, 200, 2,000... minutes a decade at a time, up to 200,000. tests/aggregates.test.ts
// checks that they agree with the view.
function bucketWidth(minutes: number): number {
  if (minutes < 100) return 5;
  let width = 20;
  for (let limit = 1000; minutes >= limit && width < 200_000; limit *= 10) width *= 10;
  return width;
}

/** The upper bound (exclusive, in minutes) of the bucket whose lower bound is `bucket`. */
export function bucketEnd(bucket: number): number {
  return bucket + bucketWidth(bucket);
}

type Dimension = "category" | "outcome" | "site";
type Measure = "acknowledge" | "close";

// What the duration indexes (support_requests_*_time_idx) are built on: the query must say the same to use them.
const DURATIONS: Record<Measure, { index: SQL; value: SQL; condition: SQL }> = {
  acknowledge: {
    index: sql.raw("support_requests_acknowledge_time_idx"),
    value: sql`(r.acknowledged_at - r.created_at)`,
    condition: sql`r.acknowledged_at is not null`,
  },
  close: {
    index: sql.raw("support_requests_close_time_idx"),
    value: sql`(r.ended_at - r.created_at)`,
    condition: sql`r.status = 'closed' and r.ended_at is not null`,
  },
};

// Nearest-rank percentiles (the value at rank ⌈p·n⌉ of the sorted durations). The histogram says which bucket holds
// that rank and how far into it; the value itself is read from that bucket alone, in order, through the duration's
// index, so it is exact however coarse the bucket.
function percentiles(
  viewer: SessionUser,
  measure: Measure,
  histogram: Map<number, number>,
  range: ReportRange,
): { median: number | null; p90: number | null } {
  const buckets = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const n = buckets.reduce((sum, [, k]) => sum + k, 0);
  // A median of fewer than 5 requests is close to describing one person's case.
  if (n < 5) return { median: null, p90: null };
  const at = (rank: number): number | null => {
    let below = 0;
    for (const [bucket, k] of buckets) {
      if (below + k >= rank) {
        const d = DURATIONS[measure];
        const lower = bucket === 0 ? sql`` : sql`and ${d.value} >= ${bucket * MINUTE_MS}`;
        const row = db.get<{ v: number } | undefined>(sql`
          select ${d.value} as v from support_requests r indexed by ${d.index}
          where ${d.condition} ${lower} and ${d.value} < ${bucketEnd(bucket) * MINUTE_MS}
            and r.created_at >= ${range.startMs} and r.created_at < ${range.endMs} and ${viewerIsEqualityUnit(viewer)}
          order by ${d.value} limit 1 offset ${rank - below - 1}`);
        return row?.v ?? null;
      }
      below += k;
    }
    return null;
  };
  return { median: at(Math.floor((n + 1) / 2)), p90: at(Math.floor((9 * n + 9) / 10)) };
}

type Tally = {
  /** Requests per London month (index into monthsOf). */
  months: number[];
  values: Record<Dimension, Map<string, number>>;
  histograms: Record<Measure, Map<number, number>>;
};

const add = <K>(map: Map<K, number>, key: K, n: number) => map.set(key, (map.get(key) ?? 0) + n);

function tallyRange(viewer: SessionUser, range: ReportRange, months: { startMs: number; endMs: number }[]): Tally {
  const eu = viewerIsEqualityUnit(viewer);
  const tally: Tally = {
    months: months.map(() => 0),
    values: { category: new Map(), outcome: new Map(), site: new Map() },
    histograms: { acknowledge: new Map(), close: new Map() },
  };
  // Months are London months, which SQLite cannot compute; every period falls in exactly one.
  const monthOf = (ms: number) => months.findIndex((m) => ms >= m.startMs && ms < m.endMs);
  for (const part of splitRange(range.startMs, range.endMs)) {
    const inPart = sql`grain = ${part.grain} and period_start >= ${part.from} and period_start < ${part.to} and ${eu}`;
    // Every request has exactly one category, so a period's categories add up to its requests.
    const perPeriod = db.all<{ p: number; n: number }>(sql`
      select period_start as p, sum(n) as n from request_rollup where dimension = 'category' and ${inPart} group by period_start`);
    for (const row of perPeriod) {
      const i = monthOf(row.p);
      if (i >= 0) tally.months[i] = (tally.months[i] ?? 0) + row.n;
    }
    const values = db.all<{ d: Dimension; v: string; n: number }>(sql`
      select dimension as d, value as v, sum(n) as n from request_rollup
      where dimension in ('category', 'outcome', 'site') and ${inPart} group by dimension, value`);
    for (const row of values) add(tally.values[row.d], row.v, row.n);
    const buckets = db.all<{ m: Measure; b: number; n: number }>(sql`
      select measure as m, bucket as b, sum(n) as n from request_duration_rollup
      where measure in ('acknowledge', 'close') and ${inPart} group by measure, bucket`);
    for (const row of buckets) add(tally.histograms[row.m], row.b, row.n);
  }
  return tally;
}

export function getRequestReports(viewer: SessionUser, range: ReportRange): RequestReports {
  const eu = viewerIsEqualityUnit(viewer);
  const months = monthsOf(range);
  const tally = tallyRange(viewer, range, months);

  const outcomes = new Map<string, number>();
  // "closed:" and the outcome as recorded (empty when none), or the status (request_facts.outcome).
  for (const [value, n] of tally.values.outcome) {
    const [status = "", ...rest] = value.split(":");
    add(outcomes, outcomeKey(status, status === "closed" ? rest.join(":") || null : null), n);
  }
  const sites = new Map(tally.values.site);
  // Every site with a supporter, so a site with no requests shows 0 rather than being left out.
  const siteNames = db
    .selectDistinct({ site: supporters.site })
    .from(supporters)
    .where(eu)
    .all()
    .map((r) => r.site);
  for (const name of siteNames) if (!sites.has(name)) sites.set(name, 0);

  const monthRows = months.map((m) => ({ key: m.key, label: m.label }));
  const topicRows = Object.entries(REQUEST_CATEGORIES).map(([key, label]) => ({ key, label }));
  const siteRows = [...sites.keys()].sort((a, b) => a.localeCompare(b, "en-GB")).map((name) => ({ key: name, label: name }));
  const [byMonth, byTopic, byOutcome, bySite] = suppressTogether([
    tally.months,
    topicRows.map((t) => tally.values.category.get(t.key) ?? 0),
    OUTCOME_ROWS.map((o) => outcomes.get(o.key) ?? 0),
    siteRows.map((s) => sites.get(s.key) ?? 0),
  ]) as [PublishedList, PublishedList, PublishedList, PublishedList];

  const acknowledge = percentiles(viewer, "acknowledge", tally.histograms.acknowledge, range);
  const close = percentiles(viewer, "close", tally.histograms.close, range);

  return {
    byMonth: toList(monthRows, byMonth),
    byTopic: toList(topicRows, byTopic),
    byOutcome: toList(OUTCOME_ROWS, byOutcome),
    bySite: toList(siteRows, bySite),
    timings: [
      { key: "acknowledge", label: "Time to acknowledge", ...acknowledge },
      { key: "close", label: "Time to close", ...close },
    ],
  };
}

const STATUS_LABELS: Record<(typeof SUPPORTER_STATUSES)[number], string> = {
  active: "Active",
  paused: "Paused",
  lapsed: "Lapsed",
  retired: "Retired",
};

/** Supporter coverage and roster health as at today, from the roster's own rules (getRosterCounts). */
export function getSupporterReports(viewer: SessionUser, today: string): SupporterReports {
  // getRosterCounts checks the role itself and throws NotFoundError for anyone else. It is roster health without
  // the lists of names, which the reports never show.
  const health = getRosterCounts(viewer, today);
  const bySite = suppressTable({
    cells: health.bySite.map((s) => [s.staff, s.listed, s.available]),
    totals: "columns",
  });
  // A supporter can have several specialisms, so the columns have no meaningful total and none is published.
  const bySpecialism = suppressTable({ cells: health.bySpecialism.map((s) => [s.listed, s.available]), totals: "none" });

  const statusCounts = new Map(
    db
      .select({ status: supporters.status, n: sql<number>`count(*)` })
      .from(supporters)
      .where(viewerIsEqualityUnit(viewer))
      .groupBy(supporters.status)
      .all()
      .map((r) => [r.status, r.n]),
  );
  const statusRows = SUPPORTER_STATUSES.map((s) => ({ key: s, label: STATUS_LABELS[s] }));
  const byStatus = suppressList(
    statusRows.map((r) => statusCounts.get(r.key) ?? 0),
    { total: true },
  );
  const refresherRows = [
    { key: "due-soon", label: `Refresher due within ${DUE_SOON_DAYS} days` },
    { key: "overdue", label: "Refresher overdue, not yet lapsed" },
  ];
  const refreshers = suppressList([health.counts.dueSoon, health.counts.overdue], { total: false });

  return {
    today,
    coverageBySite: {
      columns: ["Staff", "Listed supporters", "Available supporters"],
      rows: health.bySite.map((s, i) => ({ key: s.name, label: s.name, values: bySite.cells[i] ?? [] })),
      totals: bySite.columnTotals,
      hasNotShown: bySite.hasNotShown,
    },
    coverageBySpecialism: {
      columns: ["Listed supporters", "Available supporters"],
      rows: health.bySpecialism.map((s, i) => ({ key: s.name, label: s.name, values: bySpecialism.cells[i] ?? [] })),
      totals: null,
      hasNotShown: bySpecialism.hasNotShown,
    },
    byStatus: toList(statusRows, byStatus),
    refreshers: toList(refresherRows, refreshers),
  };
}

/**
 * Active members of each active network; members whose accounts are closed (leavers) are not counted. Read from
 * network_member_counts, which triggers keep current on every change to memberships and accounts.
 */
export function getNetworkSizes(viewer: SessionUser): NetworkSizes {
  const rows = db.all<{ id: string; name: string; n: number }>(sql`
    select n.id as id, n.name as name,
      coalesce((select sum(c.n) from network_member_counts c where c.network_id = n.id and c.status = 'active'), 0) as n
    from networks n
    where n.status = 'active' and ${viewerIsEqualityUnit(viewer)}
    order by n.name collate nocase, n.id`);
  // People can belong to several networks, so no total is published.
  return { rows: rows.map((r) => ({ key: r.id, label: r.name, value: publishCount(r.n) })) };
}

export function assertReportsViewer(viewer: SessionUser): void {
  const ok = db.get<{ ok: number } | undefined>(sql`select 1 as ok where ${viewerIsEqualityUnit(viewer)}`);
  if (!ok) throw new NotFoundError("report");
}

const reportsCache = cacheUntilChange<EqualityUnitReports>(20);

export function getEqualityUnitReports(
  viewer: SessionUser,
  range: ReportRange,
  today: string,
): EqualityUnitReports {
  assertReportsViewer(viewer);
  // Every Equality Unit member sees the same suppressed figures, so one computation serves them all until the
  // database changes.
  return reportsCache.get(`${range.startMs}:${range.endMs}:${today}`, () => ({
    ...getRequestReports(viewer, range),
    ...getSupporterReports(viewer, today),
    networkSizes: getNetworkSizes(viewer),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// CSV: the same published values as the page, never the exact small numbers
// ---------------------------------------------------------------------------------------------------------------

export function formatDuration(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 48) return `${Math.max(0, Math.round(hours * 10) / 10)} hours`;
  return `${Math.round((hours / 24) * 10) / 10} days`;
}

function listCsv(heading: string, report: ListReport): string[] {
  const lines = [csvLine([heading, "Requests"]), ...report.rows.map((r) => csvLine([r.label, publishedCsv(r.value)]))];
  if (report.total) lines.push(csvLine(["Total", publishedCsv(report.total)]));
  return lines;
}

function columnsCsv(heading: string, report: ColumnsReport): string[] {
  const lines = [csvLine([heading, ...report.columns]), ...report.rows.map((r) => csvLine([r.label, ...r.values.map(publishedCsv)]))];
  if (report.totals) lines.push(csvLine(["Total", ...report.totals.map(publishedCsv)]));
  return lines;
}

function withCount(heading: string, countHeading: string, report: ListReport): string[] {
  const [, ...rest] = listCsv(heading, report);
  return [csvLine([heading, countHeading]), ...rest];
}

/** One report as CSV, audited as "report.exported" with the report's name. */
export function exportReportCsv(
  viewer: SessionUser,
  name: AdminReportName,
  range: ReportRange,
  today: string,
): string {
  assertReportsViewer(viewer);
  let lines: string[];
  if (name === "coverage-by-site" || name === "coverage-by-specialism" || name === "roster-health") {
    const s = getSupporterReports(viewer, today);
    if (name === "coverage-by-site") lines = columnsCsv("Site", s.coverageBySite);
    else if (name === "coverage-by-specialism") lines = columnsCsv("Specialism", s.coverageBySpecialism);
    else lines = [...withCount("Status", "Supporters", s.byStatus), ...withCount("Refreshers", "Supporters", s.refreshers).slice(1)];
  } else if (name === "network-sizes") {
    lines = [csvLine(["Network", "Active members"]), ...getNetworkSizes(viewer).rows.map((r) => csvLine([r.label, publishedCsv(r.value)]))];
  } else {
    const r = getRequestReports(viewer, range);
    if (name === "requests-by-month") lines = listCsv("Month", r.byMonth);
    else if (name === "requests-by-topic") lines = listCsv("Topic", r.byTopic);
    else if (name === "requests-by-outcome") lines = listCsv("Outcome", r.byOutcome);
    else if (name === "requests-by-site") lines = listCsv("Site", r.bySite);
    else {
      const shown = (ms: number | null) => (ms === null ? `${FEWER_THAN_5} requests` : formatDuration(ms));
      lines = [csvLine(["Measure", "Median", "90th percentile"]), ...r.timings.map((t) => csvLine([t.label, shown(t.median), shown(t.p90)]))];
    }
  }
  audit({ actorId: viewer.id, action: "report.exported", objectType: "report", objectId: name, outcome: "success" });
  return `${lines.join("\r\n")}\r\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// A coordinator's report on their own network: counts only, suppressed the same way
// ---------------------------------------------------------------------------------------------------------------

export type NetworkReport = {
  network: { id: string; slug: string; name: string };
  joinsByMonth: ListReport;
  membership: ListReport;
  pending: Published;
};

// The console's rule (db/queries/network-console.ts, coordinatedBy), for the counts' own WHERE: the network is
// active and the viewer coordinates it.
function coordinates(viewer: SessionUser): SQL {
  return sql`exists (select 1 from ${networks} inner join network_coordinators nc on nc.network_id = ${networks.id}
    where ${networks.id} = ${networkMemberships.networkId} and ${networks.status} = 'active' and nc.user_id = ${viewer.id})`;
}

export function getNetworkReport(
  viewer: SessionUser,
  slug: string,
  range: ReportRange,
): NetworkReport {
  // The console's own check: anyone but this network's coordinators (the Equality Unit included) gets a 404.
  const network = getConsoleNetwork(viewer, slug);
  const mine = and(eq(networkMemberships.networkId, network.id), isNull(users.deactivatedAt), coordinates(viewer)) as SQL;
  const joined = sql<number>`coalesce(${networkMemberships.decidedAt}, ${networkMemberships.requestedAt})`;

  const months = monthsOf(range);
  const joinedAt = db
    .select({ at: joined })
    .from(networkMemberships)
    .innerJoin(users, eq(users.id, networkMemberships.userId))
    .where(and(mine, eq(networkMemberships.status, "active"), sql`${joined} >= ${range.startMs}`, sql`${joined} < ${range.endMs}`))
    .all();
  // At most a network's size of instants, bucketed here: months are London months, which SQLite cannot compute.
  const perMonth = months.map((m) => joinedAt.filter((j) => j.at >= m.startMs && j.at < m.endMs).length);

  const counts = db
    .select({ status: networkMemberships.status, visibility: networkMemberships.visibility, n: sql<number>`count(*)` })
    .from(networkMemberships)
    .innerJoin(users, eq(users.id, networkMemberships.userId))
    .where(and(mine, sql`${networkMemberships.status} in ('active', 'pending')`))
    .groupBy(networkMemberships.status, networkMemberships.visibility)
    .all();
  const count = (status: string, visibility?: string) =>
    counts.filter((c) => c.status === status && (visibility === undefined || c.visibility === visibility)).reduce((s, c) => s + c.n, 0);

  const membershipRows = [
    { key: "visible", label: "Visible to other members" },
    { key: "silent", label: "Silent (known only to coordinators)" },
  ];
  return {
    network: { id: network.id, slug: network.slug, name: network.name },
    joinsByMonth: toList(
      months.map((m) => ({ key: m.key, label: m.label })),
      suppressList(perMonth, { total: true }),
    ),
    membership: toList(membershipRows, suppressList([count("active", "visible"), count("active", "silent")], { total: true })),
    pending: publishCount(count("pending")),
  };
}

export function exportNetworkReportCsv(
  viewer: SessionUser,
  slug: string,
  name: NetworkReportName,
  range: ReportRange,
): string {
  const report = getNetworkReport(viewer, slug, range);
  const lines =
    name === "joins-by-month"
      ? withCount("Month", "People who joined", report.joinsByMonth)
      : [...withCount("Members", "People", report.membership), csvLine(["Waiting for a decision", publishedCsv(report.pending)])];
  audit({ actorId: viewer.id, action: "report.exported", objectType: "network_report", objectId: `${report.network.id}/${name}`, outcome: "success" });
  return `${lines.join("\r\n")}\r\n`;
}
