import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";

import Database from "better-sqlite3";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import type { Published } from "@/lib/suppression";
import { factories } from "./factories";
import { freshDatabase, ROOT } from "./helpers";

type ReportsModule = typeof import("@/db/queries/reports");
type ValidationModule = typeof import("@/db/validation/reports");
type ErrorsModule = typeof import("@/lib/errors");

let db: Db;
let file: string;
let make: ReturnType<typeof factories>;
let reports: ReportsModule;
let v: ValidationModule;
let NotFoundError: ErrorsModule["NotFoundError"];

// The roster's rules are about calendar dates, so the supporter reports use a fixed "today".
const TODAY = "2025-05-20";

let eve: SessionUser; // Equality Unit
let alex: SessionUser; // staff
let casey: SessionUser; // coordinator of the test network
let network: { id: string; slug: string; name: string };

function viewer(id: string, isEqualityUnit = false): SessionUser {
  return { id, email: `${id}@example.org`, name: id, textSize: "standard", isEqualityUnit, supporterId: null, coordinates: [] };
}

function insertSupporter(site: string, options: { status?: string; refresherDue?: string; specialisms?: string[] } = {}) {
  const userId = make.insertUser(`Supporter ${randomUUID().slice(0, 4)}`);
  const id = randomUUID();
  db.$client
    .prepare(
      `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, capacity)
       VALUES (?, ?, ?, 'PC', ?, '2024-01-01', ?, 3)`,
    )
    .run(id, userId, options.status ?? "active", site, options.refresherDue ?? "2026-01-01");
  for (const s of options.specialisms ?? ["Age"]) {
    db.$client.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'specialism', ?)").run(id, s);
  }
  return { id, userId };
}

type RequestInput = {
  supporter: { id: string; userId: string };
  createdAt: string;
  status?: string;
  category?: string;
  outcome?: string | null;
  acknowledgedAfterHours?: number;
  endedAfterHours?: number;
  erased?: boolean;
};

function insertRequest(input: RequestInput): string {
  const id = randomUUID();
  const created = Date.parse(input.createdAt);
  const requester = input.erased ? null : make.insertUser("Requester");
  db.$client
    .prepare(
      `INSERT INTO support_requests (id, requester_id, supporter_id, supporter_user_id, status, category, contact_method,
         message_cipher, outcome, limits_acknowledged_at, acknowledge_by, acknowledged_at, ended_at, erased_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'in_app', ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      requester,
      input.supporter.id,
      input.supporter.userId,
      input.status ?? "new",
      input.category ?? "bullying_harassment",
      // Not real ciphertext: the reports must never read it, and erased requests have none.
      input.erased ? null : "not-read-by-reports",
      input.outcome ?? null,
      created,
      created + 2 * 86_400_000,
      input.acknowledgedAfterHours === undefined ? null : created + input.acknowledgedAfterHours * 3_600_000,
      input.endedAfterHours === undefined ? null : created + input.endedAfterHours * 3_600_000,
      input.erased ? created + 100 * 86_400_000 : null,
      created,
    );
  return id;
}

const texts = (list: { rows: { label: string; value: Published }[]; total: Published | null }) => [
  ...list.rows.map((r) => [r.label, r.value.kind === "count" ? r.value.value : r.value.kind]),
  ["Total", list.total === null ? null : list.total.kind === "count" ? list.total.value : list.total.kind],
];

/** Every published figure anywhere in a report object. */
function publishedFigures(value: unknown): Published[] {
  if (Array.isArray(value)) return value.flatMap(publishedFigures);
  if (value && typeof value === "object") {
    const kind = (value as { kind?: unknown }).kind;
    if (kind === "count" || kind === "fewer-than-5" || kind === "not-shown") return [value as Published];
    return Object.values(value).flatMap(publishedFigures);
  }
  return [];
}

before(async () => {
  ({ db, file } = await freshDatabase());
  make = factories(db);
  reports = await import("@/db/queries/reports");
  v = await import("@/db/validation/reports");
  ({ NotFoundError } = await import("@/lib/errors"));

  const eveId = make.insertUser("Eve");
  db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(eveId);
  eve = viewer(eveId, true);
  alex = viewer(make.insertUser("Alex"));
  const caseyId = make.insertUser("Casey");
  casey = viewer(caseyId);
  network = make.insertNetwork("Test Network");
  make.addCoordinator(network.id, caseyId);

  const derby = insertSupporter("Derby", { specialisms: ["Age", "Carers"] });
  const chesterfield = insertSupporter("Chesterfield", { specialisms: ["Age"] });
  // Listed nowhere: lapsed, and a refresher overdue.
  insertSupporter("Buxton", { status: "lapsed", refresherDue: "2025-01-01" });
  insertSupporter("Buxton", { refresherDue: "2025-05-01" });

  // Range 1 March – 30 April 2025. British Summer Time starts on 30 March 2025.
  // March, in London: 6 requests, the first at the first instant of 1 March.
  const march = ["2025-03-01T00:00:00.000Z", "2025-03-05T10:00:00Z", "2025-03-10T10:00:00Z", "2025-03-15T10:00:00Z", "2025-03-20T10:00:00Z", "2025-03-31T22:59:59.999Z"];
  // April, in London: 7 requests, the first at 00:30 BST on 1 April (still 31 March in UTC), the last at the last
  // instant of 30 April in London (22:59:59.999 UTC).
  const april = ["2025-03-31T23:30:00Z", "2025-04-02T10:00:00Z", "2025-04-05T10:00:00Z", "2025-04-10T10:00:00Z", "2025-04-15T10:00:00Z", "2025-04-20T10:00:00Z", "2025-04-30T22:59:59.999Z"];
  const inRange = [...march, ...april];
  // Outcomes: 6 resolved (content erased for 3 of them), 2 withdrawn, 5 still open. Sites: 10 Derby, 3 Chesterfield.
  inRange.forEach((createdAt, i) => {
    const supporter = i < 10 ? derby : chesterfield;
    if (i < 6) {
      insertRequest({
        supporter,
        createdAt,
        status: "closed",
        outcome: "resolved",
        category: "bullying_harassment",
        acknowledgedAfterHours: [1, 2, 3, 4, 10, 20][i],
        endedAfterHours: 24 * (i + 1),
        erased: i < 3,
      });
    } else if (i < 8) {
      insertRequest({ supporter, createdAt, status: "withdrawn", category: "bullying_harassment", endedAfterHours: 5, erased: true });
    } else {
      insertRequest({ supporter, createdAt, status: "in_progress", category: "discrimination", acknowledgedAfterHours: 30 });
    }
  });
  // Just outside: 23:30 on 28 February in London, and midnight starting 1 May in London (23:00 UTC on 30 April).
  insertRequest({ supporter: derby, createdAt: "2025-02-28T23:30:00Z", category: "wellbeing" });
  insertRequest({ supporter: derby, createdAt: "2025-04-30T23:00:00Z", category: "wellbeing" });
});

const range = () => v.rangeOf("2025-03-01", "2025-04-30");

describe("date ranges", () => {
  test("a London day starts at midnight GMT in winter and 23:00 UTC the day before in summer", () => {
    assert.equal(new Date(v.londonDayStart("2025-03-01")).toISOString(), "2025-03-01T00:00:00.000Z");
    assert.equal(new Date(v.londonDayStart("2025-03-30")).toISOString(), "2025-03-30T00:00:00.000Z");
    assert.equal(new Date(v.londonDayStart("2025-03-31")).toISOString(), "2025-03-30T23:00:00.000Z");
    assert.equal(new Date(v.londonDayStart("2025-10-26")).toISOString(), "2025-10-25T23:00:00.000Z");
    assert.equal(new Date(v.londonDayStart("2025-10-27")).toISOString(), "2025-10-27T00:00:00.000Z");
  });

  test("the default is the last 12 months, whole months but this one", () => {
    const result = v.parseRange({}, "2025-05-20");
    assert.ok(result.ok);
    assert.equal(result.range.from, "2024-06-01");
    assert.equal(result.range.to, "2025-05-20");
    assert.deepEqual(result.fields.from, { day: "1", month: "6", year: "2024" });
  });

  test("real dates, From not after To, at most 5 years", () => {
    const q = (from: [string, string, string], to: [string, string, string]) => ({
      "from-day": from[0], "from-month": from[1], "from-year": from[2], "to-day": to[0], "to-month": to[1], "to-year": to[2],
    });
    const good = v.parseRange(q(["1", "3", "2025"], ["30", "4", "2025"]), TODAY);
    assert.ok(good.ok);
    assert.deepEqual([good.range.from, good.range.to], ["2025-03-01", "2025-04-30"]);
    const bad = (from: [string, string, string], to: [string, string, string]) => {
      const result = v.parseRange(q(from, to), TODAY);
      assert.equal(result.ok, false);
      return result.ok ? {} : result.errors;
    };
    assert.deepEqual(bad(["31", "2", "2025"], ["1", "3", "2025"]), { from: "From date must be a real date" });
    assert.deepEqual(bad(["", "", ""], ["1", "3", "2025"]), { from: "Enter from date" });
    assert.deepEqual(bad(["2", "3", "2025"], ["1", "3", "2025"]), { from: "From date must be the same as or before the To date" });
    assert.match(bad(["1", "3", "2020"], ["2", "3", "2025"]).from ?? "", /5 years or shorter/);
    assert.ok(v.parseRange(q(["2", "3", "2020"], ["2", "3", "2025"]), TODAY).ok, "exactly 5 years is allowed");
    assert.deepEqual(bad(["1", "3", "2025"], ["x", "4", "2025"]), { to: "To date must be a real date" });
  });
});

describe("Equality Unit reports", () => {
  test("requests by month count London months, both ends of the range included", () => {
    const r = reports.getRequestReports(eve, range());
    assert.deepEqual(texts(r.byMonth), [["March 2025", 6], ["April 2025", 7], ["Total", 13]]);
  });

  test("by topic, by outcome and by site: small counts say fewer than 5 and cannot be worked out from the total", () => {
    const r = reports.getRequestReports(eve, range());
    assert.deepEqual(texts(r.byTopic), [
      ["Bullying or harassment", 8],
      ["Discrimination", 5],
      ["Unfair treatment", 0],
      ["Wellbeing", 0],
      ["Something else", 0],
      ["Total", 13],
    ]);
    const outcome = Object.fromEntries(texts(r.byOutcome));
    assert.equal(outcome["Closed: resolved informally"], 6);
    assert.equal(outcome["Withdrawn by the requester"], "fewer-than-5");
    // The next-smallest, so the 2 is not simply 13 − 6 − 5.
    assert.equal(outcome["Still open"], "not-shown");
    assert.equal(outcome["Declined by the supporter"], 0);
    assert.equal(outcome.Total, 13);
    assert.equal(r.byOutcome.hasNotShown, true);
    const site = Object.fromEntries(texts(r.bySite));
    assert.deepEqual(site, { Buxton: 0, Chesterfield: "fewer-than-5", Derby: "not-shown", Total: 13 });
  });

  test("requests whose content was erased still count; nothing in the module reads content or requesters", () => {
    const erased = db.$client.prepare("SELECT count(*) AS n FROM support_requests WHERE erased_at IS NOT NULL").get() as { n: number };
    assert.equal(erased.n, 5);
    const r = reports.getRequestReports(eve, range());
    assert.equal(r.byMonth.total?.kind === "count" && r.byMonth.total.value, 13);
    const source = fs.readFileSync(path.join(ROOT, "db/queries/reports.ts"), "utf8");
    assert.doesNotMatch(source, /cipher|requester_?id|decryptField/i);
  });

  test("median and 90th percentile times, or nothing when fewer than 5 requests", () => {
    const r = reports.getRequestReports(eve, range());
    const hour = 3_600_000;
    // Acknowledged: 1, 2, 3, 4, 10, 20, 30, 30, 30, 30, 30 hours (11): median is the 6th, the 90th percentile the 10th.
    assert.deepEqual(r.timings.find((t) => t.key === "acknowledge"), { key: "acknowledge", label: "Time to acknowledge", median: 20 * hour, p90: 30 * hour });
    // Closed: 1 to 6 days (6): median the 3rd, the 90th percentile the 6th.
    assert.deepEqual(r.timings.find((t) => t.key === "close"), { key: "close", label: "Time to close", median: 72 * hour, p90: 144 * hour });
    const march = reports.getRequestReports(eve, v.rangeOf("2025-03-01", "2025-03-04"));
    assert.deepEqual(march.timings.map((t) => [t.median, t.p90]), [[null, null], [null, null]]);
  });

  test("supporter coverage, roster health and network sizes publish no figure from 1 to 4", () => {
    const big = make.insertNetwork("Big Network");
    const small = make.insertNetwork("Small Network");
    const archived = make.insertNetwork("Archived Network", "archived");
    const join = (networkId: string, n: number, options: { deactivated?: boolean } = {}) => {
      for (let i = 0; i < n; i += 1) {
        db.$client
          .prepare("INSERT INTO network_memberships (id, network_id, user_id, status, visibility) VALUES (?, ?, ?, 'active', 'silent')")
          .run(randomUUID(), networkId, make.insertUser("Member", options));
      }
    };
    join(big.id, 6);
    join(big.id, 1, { deactivated: true });
    join(small.id, 2);
    join(archived.id, 7);
    const all = reports.getEqualityUnitReports(eve, range(), TODAY);
    for (const figure of publishedFigures(all)) {
      if (figure.kind === "count") assert.ok(figure.value === 0 || figure.value >= 5, `published ${figure.value}`);
    }
    const sizes = Object.fromEntries(all.networkSizes.rows.map((r) => [r.label, r.value]));
    assert.deepEqual(sizes["Big Network"], { kind: "count", value: 6 });
    assert.deepEqual(sizes["Small Network"], { kind: "fewer-than-5" });
    assert.equal(sizes["Archived Network"], undefined);
    // 4 supporters: 2 active and listed, 1 active with an overdue refresher, 1 lapsed.
    assert.deepEqual(texts(all.byStatus), [["Active", "fewer-than-5"], ["Paused", 0], ["Lapsed", "fewer-than-5"], ["Retired", 0], ["Total", "fewer-than-5"]]);
    assert.deepEqual(all.coverageBySpecialism.rows.find((r) => r.label === "Menopause")?.values, [{ kind: "count", value: 0 }, { kind: "count", value: 0 }]);
    // Both listed supporters with Age are full (3 open requests each), so none is available.
    assert.deepEqual(all.coverageBySpecialism.rows.find((r) => r.label === "Age")?.values, [{ kind: "fewer-than-5" }, { kind: "count", value: 0 }]);
  });

  test("CSV files carry the same suppressed figures and are audited by report name", () => {
    const seq = make.lastSeq();
    const csv = reports.exportReportCsv(eve, "requests-by-outcome", range(), TODAY);
    const lines = csv.trim().split("\r\n");
    assert.equal(lines[0], "Outcome,Requests");
    assert.ok(lines.includes("Closed: resolved informally,6"));
    assert.ok(lines.includes("Withdrawn by the requester,fewer than 5"));
    assert.ok(lines.includes("Still open,not shown"));
    assert.ok(lines.includes("Total,13"));
    for (const name of v.ADMIN_REPORTS) {
      const text = reports.exportReportCsv(eve, name, range(), TODAY);
      for (const cell of text.trim().split("\r\n").flatMap((l) => l.split(","))) assert.doesNotMatch(cell, /^[1-4]$/, `${name}: ${cell}`);
    }
    const events = make.auditSince(seq).map((e) => [e.actor_id, e.action, e.object_type, e.object_id, e.outcome]);
    assert.deepEqual(events[0], [eve.id, "report.exported", "report", "requests-by-outcome", "success"]);
    assert.equal(events.length, 1 + v.ADMIN_REPORTS.length);
  });

  test("anyone outside the Equality Unit gets not found, and no export is audited", () => {
    const seq = make.lastSeq();
    for (const who of [alex, casey, { ...alex, isEqualityUnit: true }]) {
      assert.throws(() => reports.getEqualityUnitReports(who, range(), TODAY), NotFoundError);
      assert.throws(() => reports.exportReportCsv(who, "requests-by-month", range(), TODAY), NotFoundError);
      assert.throws(() => reports.getSupporterReports(who, TODAY), NotFoundError);
      // Without the role the statements themselves return nothing.
      const r = reports.getRequestReports(who, range());
      assert.deepEqual(texts(r.byMonth).at(-1), ["Total", 0]);
      assert.deepEqual(reports.getNetworkSizes(who).rows, []);
    }
    assert.deepEqual(make.auditSince(seq), []);
  });

  test("counting by range uses the (status, created_at) index", () => {
    const plan = db.$client
      .prepare(
        `EXPLAIN QUERY PLAN SELECT count(*) FROM support_requests r
         WHERE r.status IN ('new','acknowledged','in_progress','handover_pending','closed','withdrawn','declined')
           AND r.created_at >= 0 AND r.created_at < 1`,
      )
      .all() as { detail: string }[];
    assert.ok(plan.some((row) => row.detail.includes("support_requests_status_created_idx")), JSON.stringify(plan));
  });
});

describe("a coordinator's network report", () => {
  test("joins by month, visible and silent members, pending requests, suppressed", () => {
    const add = (status: string, visibility: string, joinedAt: string | null, options: { deactivated?: boolean } = {}) =>
      db.$client
        .prepare(
          "INSERT INTO network_memberships (id, network_id, user_id, status, visibility, created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .run(randomUUID(), network.id, make.insertUser("Member", options), status, visibility, Date.parse("2025-01-01T00:00:00Z"), joinedAt === null ? null : Date.parse(joinedAt));
    for (let i = 0; i < 5; i += 1) add("active", "visible", `2025-03-0${i + 1}T12:00:00Z`);
    add("active", "silent", "2025-04-30T23:30:00Z"); // 1 May in London: outside
    add("active", "silent", "2025-03-31T23:30:00Z"); // 1 April in London
    add("active", "silent", "2025-03-15T12:00:00Z", { deactivated: true }); // a leaver: not counted
    add("pending", "silent", null);
    add("pending", "silent", null);
    const report = reports.getNetworkReport(casey, network.slug, range());
    // 5 in March and 1 in April: the 1 is hidden, and so is the 5 (or 6 − 5 gives it away); then 1 + 5 is the only
    // way to make 6 from "fewer than 5" and "5 or more", so the total is hidden too.
    assert.deepEqual(texts(report.joinsByMonth), [["March 2025", "not-shown"], ["April 2025", "fewer-than-5"], ["Total", "not-shown"]]);
    // 5 visible and 2 silent (the leaver is not counted): 7 − "5 or more" leaves 1 or 2, so the total can stay.
    assert.deepEqual(texts(report.membership), [["Visible to other members", "not-shown"], ["Silent (known only to coordinators)", "fewer-than-5"], ["Total", 7]]);
    assert.deepEqual(report.pending, { kind: "fewer-than-5" });

    const seq = make.lastSeq();
    const csv = reports.exportNetworkReportCsv(casey, network.slug, "membership", range());
    assert.equal(csv, "Members,People\r\nVisible to other members,not shown\r\nSilent (known only to coordinators),fewer than 5\r\nTotal,7\r\nWaiting for a decision,fewer than 5\r\n");
    assert.deepEqual(make.auditSince(seq).map((e) => [e.action, e.object_type, e.object_id]), [["report.exported", "network_report", `${network.id}/membership`]]);
  });

  test("anyone but the network's coordinators, the Equality Unit included, gets not found", () => {
    for (const who of [eve, alex]) {
      assert.throws(() => reports.getNetworkReport(who, network.slug, range()), NotFoundError);
      assert.throws(() => reports.exportNetworkReportCsv(who, network.slug, "joins-by-month", range()), NotFoundError);
    }
    assert.throws(() => reports.getNetworkReport(casey, "no-such-network", range()), NotFoundError);
  });
});

describe("reports kept between requests", () => {
  test("follow every write at once, from this server or another process, and still check the viewer first", () => {
    const june = v.rangeOf("2019-06-01", "2019-06-30");
    const total = (r: ReturnType<ReportsModule["getEqualityUnitReports"]>) => r.byMonth.total;
    const supporter = insertSupporter("Oakham");
    const first = reports.getEqualityUnitReports(eve, june, TODAY);
    assert.deepEqual(total(first), { kind: "count", value: 0 });
    // Nothing changed: the same figures, not computed again.
    assert.equal(reports.getEqualityUnitReports(eve, june, TODAY), first);

    for (let i = 0; i < 5; i += 1) insertRequest({ supporter, createdAt: "2019-06-10T10:00:00Z" });
    assert.deepEqual(total(reports.getEqualityUnitReports(eve, june, TODAY)), { kind: "count", value: 5 });

    // Another connection's commit (a script, another server process) is seen too.
    const other = new Database(file);
    try {
      const at = Date.parse("2019-06-11T10:00:00Z");
      const insert = other.prepare(
        `INSERT INTO support_requests (id, requester_id, supporter_id, supporter_user_id, status, category, contact_method,
           limits_acknowledged_at, acknowledge_by, created_at) VALUES (?, NULL, ?, ?, 'new', 'bullying_harassment', 'in_app', ?, ?, ?)`,
      );
      other.transaction(() => {
        for (let i = 0; i < 5; i += 1) insert.run(randomUUID(), supporter.id, supporter.userId, at, at + 2 * 86_400_000, at);
      })();
    } finally {
      other.close();
    }
    const afterOther = reports.getEqualityUnitReports(eve, june, TODAY);
    assert.deepEqual(total(afterOther), { kind: "count", value: 10 });
    // Kept figures are never a way round the permission check.
    assert.throws(() => reports.getEqualityUnitReports(alex, june, TODAY), NotFoundError);
    assert.equal(reports.getEqualityUnitReports(eve, june, TODAY), afterOther);
  });
});
