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
import { networkMemberships, networks, REQUEST_STATUSES, SUPPORTER_STATUSES, supporters, users } from "../schema";
import { londonDayStart, type AdminReportName, type NetworkReportName, type ReportRange } from "../validation/reports";
import { getConsoleNetwork } from "./network-console";
import { viewerIsEqualityUnit } from "./permissions";
import { DUE_SOON_DAYS, getRosterHealth } from "./roster";

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

// Every status, so that the (status, created_at) index serves a range on created_at: one index range per status.
const inRange = (range: ReportRange): SQL =>
  sql`r.status in ${REQUEST_STATUSES} and r.created_at >= ${range.startMs} and r.created_at < ${range.endMs}`;

const monthLabel = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** The calendar months a range touches, each cut to the range; the first and last may be part months. */
export function monthsOf(range: ReportRange): { key: string; label: string; startMs: number; endMs: number }[] {
  const months: { key: string; label: string; startMs: number; endMs: number }[] = [];
  let [year = 0, month = 1] = range.from.split("-").map(Number);
  for (;;) {
    const first = new Date(Date.UTC(year, month - 1, 1));
    const key = first.toISOString().slice(0, 7);
    if (key > range.to.slice(0, 7)) break;
    const next = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
    months.push({
      key,
      label: monthLabel.format(first),
      startMs: Math.max(range.startMs, londonDayStart(`${key}-01`)),
      endMs: Math.min(range.endMs, londonDayStart(next)),
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

// Nearest-rank percentiles (the value at rank ⌈p·n⌉ of the sorted durations), computed in SQL so only two rows
// come back however many requests there are.
function percentiles(viewer: SessionUser, duration: SQL, condition: SQL, range: ReportRange): { median: number | null; p90: number | null } {
  const rows = db.all<{ n: number; rn: number; v: number }>(sql`
    with d as (
      select ${duration} as v from support_requests r
      where ${inRange(range)} and ${condition} and ${viewerIsEqualityUnit(viewer)}
    ),
    ranked as (select v, row_number() over (order by v) as rn, count(*) over () as n from d)
    select n, rn, v from ranked where rn = (n + 1) / 2 or rn = (9 * n + 9) / 10`);
  const n = rows[0]?.n ?? 0;
  // A median of fewer than 5 requests is close to describing one person's case.
  if (n < 5) return { median: null, p90: null };
  return {
    median: rows.find((r) => r.rn === Math.floor((n + 1) / 2))?.v ?? null,
    p90: rows.find((r) => r.rn === Math.floor((9 * n + 9) / 10))?.v ?? null,
  };
}

export function getRequestReports(viewer: SessionUser, range: ReportRange): RequestReports {
  const eu = viewerIsEqualityUnit(viewer);
  const months = monthsOf(range);
  const monthCounts = new Map<string, number>();
  if (months.length > 0) {
    const values = sql.join(
      months.map((m) => sql`(${m.key}, ${m.startMs}, ${m.endMs})`),
      sql`, `,
    );
    const rows = db.all<{ k: string; n: number }>(sql`
      with m(k, s, e) as (values ${values})
      select m.k as k, (select count(*) from support_requests r
        where r.status in ${REQUEST_STATUSES} and r.created_at >= m.s and r.created_at < m.e) as n
      from m where ${eu}`);
    for (const row of rows) monthCounts.set(row.k, row.n);
  }

  const grouped = (key: SQL, join: SQL = sql``) =>
    new Map(
      db
        .all<{ k: string | null; n: number }>(sql`select ${key} as k, count(*) as n from support_requests r ${join}
          where ${inRange(range)} and ${eu} group by 1`)
        .map((r) => [r.k ?? "", r.n]),
    );
  const topics = grouped(sql`r.category`);
  const outcomesRaw = db.all<{ status: string; outcome: string | null; n: number }>(sql`
    select r.status as status, case when r.status = 'closed' then r.outcome end as outcome, count(*) as n
    from support_requests r where ${inRange(range)} and ${eu} group by 1, 2`);
  const outcomes = new Map<string, number>();
  for (const row of outcomesRaw) {
    const key = outcomeKey(row.status, row.outcome);
    outcomes.set(key, (outcomes.get(key) ?? 0) + row.n);
  }
  const sites = grouped(sql`s.site`, sql`inner join supporters s on s.id = r.supporter_id`);
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
    monthRows.map((m) => monthCounts.get(m.key) ?? 0),
    topicRows.map((t) => topics.get(t.key) ?? 0),
    OUTCOME_ROWS.map((o) => outcomes.get(o.key) ?? 0),
    siteRows.map((s) => sites.get(s.key) ?? 0),
  ]) as [PublishedList, PublishedList, PublishedList, PublishedList];

  const acknowledge = percentiles(viewer, sql`r.acknowledged_at - r.created_at`, sql`r.acknowledged_at is not null`, range);
  const close = percentiles(viewer, sql`r.ended_at - r.created_at`, sql`r.status = 'closed' and r.ended_at is not null`, range);

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

/** Supporter coverage and roster health as at today, from the roster's own rules (getRosterHealth). */
export function getSupporterReports(viewer: SessionUser, today: string): SupporterReports {
  // getRosterHealth checks the role itself and throws NotFoundError for anyone else. Only its counts are used:
  // its lists of names are left here.
  const health = getRosterHealth(viewer, today);
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

/** Active members of each active network; members whose accounts are closed (leavers) are not counted. */
export function getNetworkSizes(viewer: SessionUser): NetworkSizes {
  const rows = db.all<{ id: string; name: string; n: number }>(sql`
    select n.id as id, n.name as name,
      (select count(*) from network_memberships nm inner join users u on u.id = nm.user_id
        where nm.network_id = n.id and nm.status = 'active' and u.deactivated_at is null) as n
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

export function getEqualityUnitReports(
  viewer: SessionUser,
  range: ReportRange,
  today: string,
): EqualityUnitReports {
  assertReportsViewer(viewer);
  return { ...getRequestReports(viewer, range), ...getSupporterReports(viewer, today), networkSizes: getNetworkSizes(viewer) };
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
