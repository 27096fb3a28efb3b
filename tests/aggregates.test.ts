import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";

import fc from "fast-check";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { factories } from "./factories";
import { freshDatabase, ROOT } from "./helpers";

// The aggregates that triggers keep current (migrations 0008 to 0012): network_member_counts, request_rollup,
// request_duration_rollup, site_staff_counts and supporters.open_requests. After random sequences of writes through the real data layer (and through plain SQL, as
// another writer would), each table must equal a fresh recount written here independently of the migration's
// views, and the reports read from them must equal counting every request.

let db: Db;
let make: ReturnType<typeof factories>;
let eve: SessionUser;

type Modules = {
  users: typeof import("@/db/queries/users");
  networks: typeof import("@/db/queries/networks");
  console: typeof import("@/db/queries/network-console");
  admin: typeof import("@/db/queries/network-admin");
  staff: typeof import("@/db/queries/staff-admin");
  myData: typeof import("@/db/queries/my-data");
  requests: typeof import("@/db/queries/requests");
  reports: typeof import("@/db/queries/reports");
  validation: typeof import("@/db/validation/reports");
  suppression: typeof import("@/lib/suppression");
  vocabulary: typeof import("@/lib/vocabulary");
  clock: typeof import("@/lib/clock");
};
let m: Modules;

const HOUR = 3_600_000;
const DAY = 86_400_000;

function session(id: string): SessionUser {
  const user = m.users.loadSessionUser(id);
  assert.ok(user, "a live account");
  return user;
}

// Anything the real functions refuse (a 404 for a gone network, a state that does not allow the step, a leaver who
// cannot sign in) is part of a random sequence: what matters is that the counts stay right whatever happened.
function attempt(action: () => unknown): void {
  try {
    action();
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    if (/SQLITE|constraint|no such/i.test(error.message)) throw error;
  }
}

before(async () => {
  ({ db } = await freshDatabase());
  make = factories(db);
  m = {
    users: await import("@/db/queries/users"),
    networks: await import("@/db/queries/networks"),
    console: await import("@/db/queries/network-console"),
    admin: await import("@/db/queries/network-admin"),
    staff: await import("@/db/queries/staff-admin"),
    myData: await import("@/db/queries/my-data"),
    requests: await import("@/db/queries/requests"),
    reports: await import("@/db/queries/reports"),
    validation: await import("@/db/validation/reports"),
    suppression: await import("@/lib/suppression"),
    vocabulary: await import("@/lib/vocabulary"),
    clock: await import("@/lib/clock"),
  };
  const eveId = make.insertUser("Eve");
  db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(eveId);
  eve = session(eveId);
});

// ---------------------------------------------------------------------------------------------------------------
// Network member counts
// ---------------------------------------------------------------------------------------------------------------

type CountRow = { network_id: string; status: string; visibility: string; n: number };

function storedCounts(): CountRow[] {
  return db.$client
    .prepare("SELECT network_id, status, visibility, n FROM network_member_counts ORDER BY network_id, status, visibility")
    .all() as CountRow[];
}

// What the table must hold: memberships of live accounts, counted now.
function recountedMembers(): CountRow[] {
  return db.$client
    .prepare(
      `SELECT m.network_id, m.status, m.visibility, count(*) AS n
       FROM network_memberships m INNER JOIN users u ON u.id = m.user_id
       WHERE u.deactivated_at IS NULL
       GROUP BY m.network_id, m.status, m.visibility ORDER BY m.network_id, m.status, m.visibility`,
    )
    .all() as CountRow[];
}

const VISIBILITY = fc.constantFrom("visible" as const, "silent" as const);
const person = fc.nat({ max: 5 });
const net = fc.nat({ max: 1 });

const membershipAction = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constant("join" as const), person, net, VISIBILITY) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("leave" as const), person, net) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("visibility" as const), person, net, VISIBILITY) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom("approve" as const, "decline" as const, "remove" as const), person, net) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("leaver" as const, "reinstate" as const, "erase" as const), person) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("deactivate" as const, "reactivate" as const, "delete-user" as const), person) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("archive" as const, "restore" as const, "delete-network" as const), net) },
);

describe("network member counts", () => {
  test("equal a fresh recount after random joins, decisions, departures, erasure and cascades (property)", () => {
    fc.assert(
      fc.property(fc.array(membershipAction, { minLength: 1, maxLength: 25 }), (actions) => {
        // Each run has its own networks (one open, one by approval), coordinators and people.
        const networks = [make.insertNetwork("Open"), make.insertNetwork("Approval")];
        db.$client.prepare("UPDATE networks SET join_policy = 'open' WHERE id = ?").run(networks[0]?.id);
        const coordinators = networks.map((n) => {
          const id = make.insertUser("Coordinator");
          make.addCoordinator(n.id, id);
          return id;
        });
        const people = Array.from({ length: 6 }, (_, i) => make.insertUser(`Person ${i}`));
        const membershipOf = (userId: string, networkId: string) =>
          (db.$client.prepare("SELECT id FROM network_memberships WHERE user_id = ? AND network_id = ?").get(userId, networkId) as
            | { id: string }
            | undefined)?.id;

        for (const action of actions) {
          const [kind] = action;
          if (kind === "join" || kind === "leave" || kind === "visibility") {
            const [, p, n] = action;
            const userId = people[p] as string;
            const slug = (networks[n] as { slug: string }).slug;
            attempt(() => {
              const viewer = session(userId);
              if (action[0] === "join") m.networks.joinNetwork(viewer, { slug, visibility: action[3], note: "" });
              else if (action[0] === "visibility") m.networks.setVisibility(viewer, { slug, visibility: action[3] });
              else m.networks.leaveNetwork(viewer, { slug });
            });
          } else if (kind === "approve" || kind === "decline" || kind === "remove") {
            const [, p, n] = action;
            const network = networks[n] as { id: string };
            const membershipId = membershipOf(people[p] as string, network.id);
            if (!membershipId) continue;
            attempt(() => {
              const coordinator = session(coordinators[n] as string);
              if (kind === "approve") m.console.approveRequest(coordinator, network.id, membershipId);
              else if (kind === "decline") m.console.declineRequest(coordinator, network.id, membershipId, "Not this time");
              else m.console.removeMember(coordinator, network.id, membershipId, "Left the force area");
            });
          } else if (kind === "leaver" || kind === "reinstate" || kind === "erase") {
            const userId = people[action[1]] as string;
            attempt(() => {
              if (kind === "leaver") m.staff.markLeaver(eve, userId);
              else if (kind === "reinstate") m.staff.reinstateLeaver(eve, userId);
              else m.myData.eraseMyData(session(userId));
            });
          } else if (kind === "deactivate" || kind === "reactivate" || kind === "delete-user") {
            // Another writer (an operator, a future script): the triggers must follow it too.
            const userId = people[action[1]] as string;
            if (kind === "delete-user") db.$client.prepare("DELETE FROM users WHERE id = ?").run(userId);
            else db.$client.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(kind === "deactivate" ? Date.now() : null, userId);
          } else {
            const network = networks[action[1]] as { id: string };
            if (kind === "delete-network") db.$client.prepare("DELETE FROM networks WHERE id = ?").run(network.id);
            else attempt(() => (kind === "archive" ? m.admin.archiveNetwork(eve, network.id) : m.admin.restoreNetwork(eve, network.id)));
          }
        }

        assert.deepEqual(storedCounts(), recountedMembers());
        // The coordinators' console reads the same counts, for the networks still there and active.
        for (const [i, network] of networks.entries()) {
          const row = db.$client.prepare("SELECT status FROM networks WHERE id = ?").get(network.id) as { status: string } | undefined;
          if (row?.status !== "active") continue;
          const overview = m.console.getConsoleOverview(session(coordinators[i] as string), network.slug, { page: 1, requests: 1 });
          const counted = (status: string) =>
            recountedMembers().filter((c) => c.network_id === network.id && c.status === status).reduce((s, c) => s + c.n, 0);
          assert.equal(overview.members.total, counted("active"));
          assert.equal(overview.requests.total, counted("pending"));
        }
      }),
      { numRuns: 200 },
    );
  });

  test("never keeps a row at 0 or below, and a deleted network leaves nothing behind", () => {
    const network = make.insertNetwork("Short-lived");
    db.$client.prepare("UPDATE networks SET join_policy = 'open' WHERE id = ?").run(network.id);
    const ids = Array.from({ length: 6 }, () => make.insertUser("Member"));
    for (const id of ids) m.networks.joinNetwork(session(id), { slug: network.slug, visibility: "visible", note: "" });
    assert.deepEqual(
      storedCounts().filter((c) => c.network_id === network.id),
      [{ network_id: network.id, status: "active", visibility: "visible", n: 6 }],
    );
    assert.equal(m.networks.getNetworkPage(session(ids[0] as string), network.slug).network.memberCount, 6);
    m.networks.leaveNetwork(session(ids[0] as string), { slug: network.slug });
    m.networks.leaveNetwork(session(ids[1] as string), { slug: network.slug });
    // 4 members: suppressed again, as before.
    assert.equal(m.networks.getNetworkPage(session(ids[2] as string), network.slug).network.memberCount, null);
    db.$client.prepare("DELETE FROM networks WHERE id = ?").run(network.id);
    assert.deepEqual(storedCounts().filter((c) => c.network_id === network.id), []);
    assert.equal((db.$client.prepare("SELECT count(*) AS n FROM network_member_counts WHERE n <= 0").get() as { n: number }).n, 0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Request roll-ups and the reports read from them
// ---------------------------------------------------------------------------------------------------------------

// Independent of the migration's SQL: the periods and histogram buckets as db/schema.ts describes them.
function monthPeriod(ms: number): number {
  const d = new Date(ms);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return ms >= next - HOUR ? next - HOUR : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function dayPeriod(ms: number): number {
  const start = Math.floor(ms / DAY) * DAY;
  return ms >= start + 23 * HOUR ? start + 23 * HOUR : start;
}

function bucketOf(durationMs: number): number {
  const minutes = Math.trunc(Math.max(durationMs, 0) / 60_000);
  if (minutes < 100) return minutes - (minutes % 5);
  const digits = String(minutes).length;
  const width = 2 * 10 ** Math.min(digits - 2, 5);
  return minutes - (minutes % width);
}

type RequestRow = {
  created_at: number;
  status: string;
  category: string;
  outcome: string | null;
  acknowledged_at: number | null;
  ended_at: number | null;
  site: string;
};

function requestRows(): RequestRow[] {
  return db.$client
    .prepare(
      `SELECT r.created_at, r.status, r.category, r.outcome, r.acknowledged_at, r.ended_at, s.site
       FROM support_requests r INNER JOIN supporters s ON s.id = r.supporter_id`,
    )
    .all() as RequestRow[];
}

function tallied(keys: string[]): string[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts.entries()].map(([key, n]) => `${key}|${n}`).sort();
}

function expectedRollups(): { rollup: string[]; durations: string[] } {
  const rollup: string[] = [];
  const durations: string[] = [];
  for (const r of requestRows()) {
    for (const [grain, period] of [["month", monthPeriod(r.created_at)], ["day", dayPeriod(r.created_at)]] as const) {
      rollup.push(`category|${grain}|${period}|${r.category}`);
      rollup.push(`outcome|${grain}|${period}|${r.status === "closed" ? `closed:${r.outcome ?? ""}` : r.status}`);
      rollup.push(`site|${grain}|${period}|${r.site}`);
      if (r.acknowledged_at !== null) durations.push(`acknowledge|${grain}|${period}|${bucketOf(r.acknowledged_at - r.created_at)}`);
      if (r.status === "closed" && r.ended_at !== null) durations.push(`close|${grain}|${period}|${bucketOf(r.ended_at - r.created_at)}`);
    }
  }
  return { rollup: tallied(rollup), durations: tallied(durations) };
}

function storedRollups(): { rollup: string[]; durations: string[] } {
  const rollup = db.$client
    .prepare("SELECT dimension || '|' || grain || '|' || period_start || '|' || value || '|' || n AS k FROM request_rollup WHERE n <> 0")
    .all() as { k: string }[];
  const durations = db.$client
    .prepare("SELECT measure || '|' || grain || '|' || period_start || '|' || bucket || '|' || n AS k FROM request_duration_rollup WHERE n <> 0")
    .all() as { k: string }[];
  return { rollup: rollup.map((r) => r.k).sort(), durations: durations.map((r) => r.k).sort() };
}

// What getRequestReports returned before the roll-ups: every request in the range counted one by one.
function countedReports(range: { from: string; to: string; startMs: number; endMs: number }) {
  const { REQUEST_CATEGORIES, REQUEST_OUTCOMES } = m.vocabulary;
  const rows = requestRows().filter((r) => r.created_at >= range.startMs && r.created_at < range.endMs);
  const months = m.reports.monthsOf(range);
  const perMonth = months.map((mo) => rows.filter((r) => r.created_at >= mo.startMs && r.created_at < mo.endMs).length);
  const topics = Object.keys(REQUEST_CATEGORIES).map((k) => rows.filter((r) => r.category === k).length);
  const outcomeKey = (r: RequestRow) =>
    r.status === "closed"
      ? r.outcome !== null && r.outcome in REQUEST_OUTCOMES
        ? `closed:${r.outcome}`
        : "closed:unrecorded"
      : r.status === "withdrawn" || r.status === "declined"
        ? r.status
        : "open";
  const outcomeKeys = [...Object.keys(REQUEST_OUTCOMES).map((k) => `closed:${k}`), "closed:unrecorded", "withdrawn", "declined", "open"];
  const outcomes = outcomeKeys.map((k) => rows.filter((r) => outcomeKey(r) === k).length);
  const allSites = (db.$client.prepare("SELECT DISTINCT site FROM supporters").all() as { site: string }[]).map((s) => s.site);
  const siteNames = [...new Set([...allSites, ...rows.map((r) => r.site)])].sort((a, b) => a.localeCompare(b, "en-GB"));
  const sites = siteNames.map((s) => rows.filter((r) => r.site === s).length);
  const rank = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const n = sorted.length;
    if (n < 5) return { median: null, p90: null };
    return { median: sorted[Math.floor((n + 1) / 2) - 1] ?? null, p90: sorted[Math.floor((9 * n + 9) / 10) - 1] ?? null };
  };
  const published = m.suppression.suppressTogether([perMonth, topics, outcomes, sites]);
  return {
    published: published.map((p) => [p.values, p.total, p.hasNotShown]),
    siteNames,
    acknowledge: rank(rows.filter((r) => r.acknowledged_at !== null).map((r) => (r.acknowledged_at as number) - r.created_at)),
    close: rank(rows.filter((r) => r.status === "closed" && r.ended_at !== null).map((r) => (r.ended_at as number) - r.created_at)),
  };
}

function assertReportsMatchCounting(from: string, to: string): void {
  const range = m.validation.rangeOf(from, to);
  const got = m.reports.getRequestReports(eve, range);
  const want = countedReports(range);
  const lists = [got.byMonth, got.byTopic, got.byOutcome, got.bySite];
  assert.deepEqual(
    lists.map((l) => [l.rows.map((r) => r.value), l.total, l.hasNotShown]),
    want.published,
    `${from} to ${to}`,
  );
  assert.deepEqual(got.bySite.rows.map((r) => r.key), want.siteNames);
  const timing = (key: string) => got.timings.find((t) => t.key === key);
  assert.deepEqual([timing("acknowledge")?.median, timing("acknowledge")?.p90], [want.acknowledge.median, want.acknowledge.p90], `${from} to ${to}`);
  assert.deepEqual([timing("close")?.median, timing("close")?.p90], [want.close.median, want.close.p90], `${from} to ${to}`);
}

// Instants near the edges that matter: London and UTC month starts, the last hour of a UTC day and month, and the
// clock changes (30 March and 26 October 2025, 29 March and 25 October 2026).
const EDGES = ["2025-01-01T00:00:00Z", "2025-03-30T01:00:00Z", "2025-03-31T23:00:00Z", "2025-04-30T23:00:00Z", "2025-06-15T23:00:00Z",
  "2025-10-26T01:00:00Z", "2025-10-31T23:00:00Z", "2025-11-01T00:00:00Z", "2025-12-31T23:00:00Z", "2026-03-29T01:00:00Z",
  "2026-03-31T23:00:00Z", "2026-10-25T00:00:00Z"].map(Date.parse);
const instant = fc.oneof(
  fc.tuple(fc.constantFrom(...EDGES), fc.integer({ min: -2 * HOUR, max: 2 * HOUR })).map(([edge, offset]) => edge + offset),
  fc.integer({ min: Date.parse("2024-12-01T00:00:00Z"), max: Date.parse("2026-12-31T00:00:00Z") }),
);
const isoDay = fc.integer({ min: 0, max: 760 }).map((d) => new Date(Date.parse("2024-12-01T00:00:00Z") + d * DAY).toISOString().slice(0, 10));
const CATEGORIES = ["bullying_harassment", "discrimination", "unfair_treatment", "wellbeing", "other"] as const;
const hours = fc.integer({ min: 0, max: 24 * 60 }).map((h) => h * HOUR + 12_345);

const requestAction = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constant("create" as const), instant, fc.constantFrom(...CATEGORIES), fc.nat({ max: 2 })) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom("acknowledge" as const, "start" as const, "decline" as const, "withdraw" as const, "erase" as const), fc.nat(), hours) },
  { weight: 3, arbitrary: fc.tuple(fc.constant("close" as const), fc.nat(), hours, fc.constantFrom("resolved", "signposted", "no_further_action", "bogus")) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("move-supporter" as const, "hand-over" as const, "delete" as const), fc.nat(), fc.nat({ max: 2 })) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("leaver" as const), fc.nat({ max: 2 })) },
);

// supporters.open_requests (migration 0012): each supporter's requests in an open status, counted now.
function storedOpenRequests() {
  return db.$client.prepare("SELECT id, open_requests AS n FROM supporters ORDER BY id").all();
}

function recountedOpenRequests() {
  return db.$client
    .prepare(
      `SELECT s.id, (SELECT count(*) FROM support_requests r WHERE r.supporter_id = s.id
         AND r.status IN ('new', 'acknowledged', 'in_progress', 'handover_pending')) AS n
       FROM supporters s ORDER BY s.id`,
    )
    .all();
}

describe("request roll-ups", () => {
  test("equal a fresh recount, and the reports equal counting every request, after random writes (property)", () => {
    const realNow = m.clock.clock.now;
    try {
      fc.assert(
        fc.property(
          fc.array(requestAction, { minLength: 1, maxLength: 20 }),
          fc.array(fc.tuple(isoDay, isoDay), { minLength: 1, maxLength: 3 }),
          (actions, ranges) => {
            const sites = ["Derby", "Buxton", "Chesterfield"];
            const supporters = sites.map((site) => {
              const userId = make.insertUser("Supporter");
              const id = randomUUID();
              db.$client
                .prepare(`INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, capacity)
                          VALUES (?, ?, 'active', 'PC', ?, '2024-01-01', '2030-01-01', 50)`)
                .run(id, userId, site);
              return { id, userId };
            });
            const requesterId = make.insertUser("Requester");
            const created: { id: string; at: number }[] = [];
            for (const action of actions) {
              const [kind] = action;
              if (kind === "create") {
                const [, at, category, s] = action;
                const supporter = supporters[s] as { id: string; userId: string };
                const id = randomUUID();
                db.$client
                  .prepare(`INSERT INTO support_requests (id, requester_id, supporter_id, supporter_user_id, status, category, contact_method,
                              limits_acknowledged_at, acknowledge_by, created_at) VALUES (?, ?, ?, ?, 'new', ?, 'in_app', ?, ?, ?)`)
                  .run(id, requesterId, supporter.id, supporter.userId, category, at, at + 2 * DAY, at);
                created.push({ id, at });
                continue;
              }
              if (kind === "leaver") {
                attempt(() => m.staff.markLeaver(eve, (supporters[action[1]] as { userId: string }).userId));
                continue;
              }
              const request = created[action[1] % Math.max(created.length, 1)];
              if (!request) continue;
              const current = db.$client.prepare("SELECT supporter_user_id AS s FROM support_requests WHERE id = ?").get(request.id) as
                | { s: string }
                | undefined;
              if (!current) continue;
              if (kind === "move-supporter") {
                db.$client.prepare("UPDATE supporters SET site = ? WHERE user_id = ?").run(sites[action[2]], current.s);
              } else if (kind === "hand-over") {
                const to = supporters[action[2]] as { id: string; userId: string };
                db.$client.prepare("UPDATE support_requests SET supporter_id = ?, supporter_user_id = ? WHERE id = ?").run(to.id, to.userId, request.id);
              } else if (kind === "delete") {
                db.$client.prepare("DELETE FROM support_requests WHERE id = ?").run(request.id);
              } else {
                m.clock.clock.now = () => new Date(request.at + action[2]);
                attempt(() => {
                  if (kind === "withdraw") m.requests.withdrawRequest(session(requesterId), request.id);
                  else if (kind === "erase") m.requests.eraseRequestNow(session(requesterId), request.id);
                  else {
                    const supporter = session(current.s);
                    if (kind === "acknowledge") m.requests.acknowledgeRequest(supporter, request.id);
                    else if (kind === "start") m.requests.startRequest(supporter, request.id);
                    else if (kind === "decline") m.requests.declineRequest(supporter, request.id, "I cannot help with this");
                    else m.requests.closeRequest(supporter, request.id, action[3] as never);
                  }
                });
                m.clock.clock.now = realNow;
              }
            }

            assert.deepEqual(storedRollups(), expectedRollups());
            assert.deepEqual(storedOpenRequests(), recountedOpenRequests());
            for (const [a, b] of ranges) assertReportsMatchCounting(a < b ? a : b, a < b ? b : a);
          },
        ),
        { numRuns: 200 },
      );
    } finally {
      m.clock.clock.now = realNow;
    }
    assert.equal((db.$client.prepare("SELECT count(*) AS n FROM request_rollup WHERE n < 0").get() as { n: number }).n, 0);
    assert.equal((db.$client.prepare("SELECT count(*) AS n FROM request_duration_rollup WHERE n < 0").get() as { n: number }).n, 0);
  });

  test("the reports agree with counting over whole years, single days and the clock changes", () => {
    for (const [from, to] of [["2024-12-01", "2026-12-31"], ["2025-03-30", "2025-03-30"], ["2025-10-26", "2025-10-26"], ["2025-03-01", "2025-04-30"],
      ["2025-01-01", "2025-12-31"], ["2025-04-01", "2025-10-31"], ["2025-10-27", "2026-03-28"]] as const) {
      assertReportsMatchCounting(from, to);
    }
  });

  test("a range is whole month periods in the middle and day periods at the ends, with no gap or overlap", () => {
    fc.assert(
      fc.property(isoDay, isoDay, (a, b) => {
        const range = m.validation.rangeOf(a < b ? a : b, a < b ? b : a);
        const parts = m.reports.splitRange(range.startMs, range.endMs);
        assert.equal(parts[0]?.from, range.startMs);
        assert.equal(parts.at(-1)?.to, range.endMs);
        for (const [i, part] of parts.entries()) {
          assert.ok(part.from < part.to);
          if (i > 0) assert.equal(part.from, parts[i - 1]?.to);
          const period = part.grain === "month" ? monthPeriod : dayPeriod;
          // Both ends are period boundaries of the part's grain.
          assert.equal(period(part.from), part.from);
          assert.equal(period(part.to), part.to);
        }
      }),
      { numRuns: 300 },
    );
  });

  test("a histogram bucket's bounds hold exactly the durations the view puts in it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), (minutes) => {
        const bucket = bucketOf(minutes * 60_000);
        const end = m.reports.bucketEnd(bucket);
        assert.ok(bucket <= minutes && minutes < end);
        assert.equal(bucketOf(end * 60_000), end, "the next bucket starts where this one ends");
        assert.equal(bucketOf(end * 60_000 - 1), bucket);
      }),
      { numRuns: 500 },
    );
    assert.equal(bucketOf(-5 * HOUR), 0, "a negative duration counts as 0");
  });

  test("the migration's backfill builds the same tables as the triggers", () => {
    const before = { members: storedCounts(), ...storedRollups() };
    assert.ok(before.rollup.length > 0 && before.members.length > 0, "the earlier tests left data to rebuild");
    const migration = fs.readFileSync(path.join(ROOT, "db", "migrations", "0009_aggregate_triggers.sql"), "utf8");
    const backfills = migration.split("--> statement-breakpoint").filter((s) => /^\s*INSERT INTO/m.test(s) && !/CREATE TRIGGER/.test(s));
    assert.equal(backfills.length, 3);
    db.$client.exec("DELETE FROM network_member_counts; DELETE FROM request_rollup; DELETE FROM request_duration_rollup;");
    for (const statement of backfills) db.$client.exec(statement);
    assert.deepEqual({ members: storedCounts(), ...storedRollups() }, before);
  });

  test("the open-request backfill of migration 0012 gives the counts the triggers kept", () => {
    const before = storedOpenRequests();
    assert.ok(before.some((row) => (row as { n: number }).n > 0), "the earlier tests left open requests to count");
    const migration = fs.readFileSync(path.join(ROOT, "db", "migrations", "0012_supporter_open_requests.sql"), "utf8");
    const backfill = migration.split("--> statement-breakpoint").filter((s) => /^\s*UPDATE `supporters`/m.test(s));
    assert.equal(backfill.length, 1);
    db.$client.exec("UPDATE supporters SET open_requests = 0");
    db.$client.exec(backfill[0] as string);
    assert.deepEqual(storedOpenRequests(), before);
  });
});

describe("staff per site", () => {
  test("equals a fresh recount after random new staff, moves, leavers, reinstatements and deletions (property)", () => {
    const sites = ["Force HQ", "Euston Road", " ", "Loughborough"];
    const recount = () =>
      db.$client
        .prepare(`SELECT site, count(*) AS n FROM users WHERE deactivated_at IS NULL AND site IS NOT NULL AND trim(site) <> ''
                  GROUP BY site ORDER BY site`)
        .all();
    const kept = () => db.$client.prepare("SELECT site, n FROM site_staff_counts ORDER BY site").all();
    const step = fc.oneof(
      fc.record({ kind: fc.constant("add" as const), site: fc.option(fc.constantFrom(...sites)), left: fc.boolean() }),
      fc.record({ kind: fc.constant("move" as const), pick: fc.nat(), site: fc.option(fc.constantFrom(...sites)) }),
      fc.record({ kind: fc.constant("leave" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("return" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const ids: string[] = [];
        for (const s of steps) {
          if (s.kind === "add") {
            const id = randomUUID();
            db.$client
              .prepare("INSERT INTO users (id, email, name, site, deactivated_at) VALUES (?, ?, 'Site Person', ?, ?)")
              .run(id, `${id}@example.org`, s.site, s.left ? Date.now() : null);
            ids.push(id);
            continue;
          }
          const id = ids.length > 0 ? ids[s.pick % ids.length] : undefined;
          if (!id) continue;
          if (s.kind === "move") db.$client.prepare("UPDATE users SET site = ? WHERE id = ?").run(s.site, id);
          if (s.kind === "leave") db.$client.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(Date.now(), id);
          if (s.kind === "return") db.$client.prepare("UPDATE users SET deactivated_at = NULL WHERE id = ?").run(id);
          if (s.kind === "delete") db.$client.prepare("DELETE FROM users WHERE id = ?").run(id);
        }
        assert.deepEqual(kept(), recount());
      }),
      { numRuns: 200 },
    );
  });
});
