import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import Database from "better-sqlite3";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import type { ScaleManifest } from "../scripts/scale";
import { setTestEnv } from "./helpers";

// Issue 8, query discipline: EXPLAIN QUERY PLAN shows an index for every hot query. The data layer's own functions
// run, as the key pages call them, against the benchmark's synthetic data (scripts/scale.ts, small size, analysed);
// every statement they execute is recorded with its bound parameters (by wrapping better-sqlite3's Statement
// methods, so nothing in the app changes), and its plan must not read any large table from end to end.

type Captured = { source: string; args: unknown[]; pages: Set<string> };
type PlanRow = { id: number; parent: number; detail: string };

// The tables that grow with the force: a statement that reads one of these whole gets slower with every person,
// request or message. The rest (networks, supporters, role grants, coordinators) stay in the tens to a thousand rows
// whatever the force's size, and are read whole where that is the point (the directory filters over all supporters).
const LARGE_TABLES = [
  "users",
  "staff_name_keys", // about four rows a person: the staff search's keys (migration 0015)
  "sessions",
  "supporter_attributes",
  "network_memberships",
  "support_requests",
  "request_messages",
  "request_status_events",
  "notifications",
  "audit_events",
  "rate_limits",
];

const captured = new Map<string, Captured>();
let page = "";

// Every statement the data layer executes, while `page` is set, with the first parameters it was run with.
function record(): void {
  const probe = new Database(":memory:");
  const Statement = Object.getPrototypeOf(probe.prepare("select 1")) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  for (const method of ["run", "get", "all", "iterate"]) {
    const original = Statement[method] as (...args: unknown[]) => unknown;
    Statement[method] = function recorded(this: Database.Statement, ...args: unknown[]) {
      if (page) {
        const entry = captured.get(this.source) ?? { source: this.source, args, pages: new Set<string>() };
        entry.pages.add(page);
        captured.set(this.source, entry);
      }
      return original.apply(this, args);
    };
  }
}

function during(name: string, work: () => unknown): void {
  page = name;
  try {
    work();
  } finally {
    page = "";
  }
}

let db: Db;
let manifest: ScaleManifest;

before(async () => {
  const file = setTestEnv();
  const scale = await import("../scripts/scale");
  manifest = scale.seedScale(file, scale.SIZES.small, new Date(), () => {});
  ({ db } = await import("@/db/client"));
  record();

  const { loadSessionUser } = await import("@/db/queries/users");
  const person = (id: string): SessionUser => {
    const user = loadSessionUser(id);
    assert.ok(user, `no session user ${id}`);
    return user;
  };
  const staff = person(manifest.staff.userId);
  const supporter = person(manifest.supporter.userId);
  const requester = person(manifest.requester.userId);
  const coordinator = person(manifest.coordinator.userId);
  const equalityUnit = person(manifest.equalityUnit.userId);
  // A member of the big network, for the parts of the network page only members see.
  const memberId = db.$client
    .prepare(`SELECT m.user_id FROM network_memberships m JOIN networks n ON n.id = m.network_id
              WHERE n.slug = ? AND m.status = 'active' ORDER BY m.user_id LIMIT 1`)
    .pluck()
    .get(manifest.bigNetworkSlug) as string;
  const member = person(memberId);

  const directory = await import("@/db/queries/directory");
  const { parseDirectoryQuery } = await import("@/db/validation/directory");
  const requests = await import("@/db/queries/requests");
  const { getOwnSupporter } = await import("@/db/queries/supporter-self");
  const networks = await import("@/db/queries/networks");
  const { getConsoleOverview } = await import("@/db/queries/network-console");
  const { ConsoleQuery } = await import("@/db/validation/network-console");
  const { getEqualityUnitReports } = await import("@/db/queries/reports");
  const { parseRange } = await import("@/db/validation/reports");
  const auditLog = await import("@/db/queries/audit-log");
  const { parseAuditLogQuery } = await import("@/db/validation/audit-log");
  const { searchStaff } = await import("@/db/queries/staff");
  const { hitRateLimit, STAFF_SEARCH_LIMIT } = await import("@/lib/rate-limit");
  const notifications = await import("@/db/queries/notifications");
  const { audit } = await import("@/lib/audit");
  const { today } = await import("@/lib/clock");
  const { DrizzleAdapter } = await import("@auth/drizzle-adapter");
  const schema = await import("@/db/schema");

  // What every page does first: Auth.js reads the session (the base adapter's query; the app's wrapper in auth.ts
  // reads the same row by its token), the person and their roles are loaded, and the layout counts unread notices.
  const token = "query-plans-session";
  db.insert(schema.sessions).values({ sessionToken: token, userId: staff.id, expires: new Date(Date.now() + 3_600_000) }).run();
  const adapter = DrizzleAdapter(db, {
    usersTable: schema.users,
    accountsTable: schema.accounts,
    sessionsTable: schema.sessions,
    verificationTokensTable: schema.verificationTokens,
  });
  page = "every page";
  await adapter.getSessionAndUser?.(token);
  page = "";
  during("every page", () => loadSessionUser(staff.id));
  during("every page", () => notifications.countUnread(staff));

  const listDirectory = (query: Record<string, string>) => {
    const sites = directory.listDirectorySites(staff);
    return directory.listDirectory(staff, parseDirectoryQuery(query, sites).filters);
  };
  during("directory", () => listDirectory({}));
  during("directory, filtered", () => listDirectory({ specialism: "Bullying and harassment", contact: "phone", available: "yes" }));
  during("directory, text search", () => listDirectory({ q: "pat" }));
  const lastPage = Math.ceil(directory.listDirectory(staff, parseDirectoryQuery({}, []).filters).total / 20);
  during("directory, last page", () => listDirectory({ page: String(lastPage) }));
  during("supporter profile", () => directory.getSupporterProfile(staff, manifest.profileSupporterId));
  during("inbox", () => {
    getOwnSupporter(supporter);
    requests.listAssignedRequests(supporter, 1, true);
    requests.listAssignedRequests(supporter, 1, false);
  });
  during("my requests", () => requests.listMyRequests(requester, 1));
  during("conversation", () => {
    requests.getRequestForViewer(requester, manifest.conversationId);
    audit({ actorId: requester.id, action: "request.read", objectType: "request", objectId: manifest.conversationId, outcome: "success" });
  });
  during("conversation, as the supporter", () => {
    requests.getRequestForViewer(supporter, manifest.conversationId);
    requests.listHandoverCandidates(supporter, manifest.conversationId);
  });
  during("networks", () => networks.listActiveNetworks(staff, 1));
  during("network page", () => networks.getNetworkPage(staff, manifest.bigNetworkSlug));
  during("network page, as a member", () => {
    networks.getNetworkPage(member, manifest.bigNetworkSlug);
    networks.listVisibleMembers(member, manifest.bigNetworkSlug, 1);
    networks.listAnnouncements(member, manifest.bigNetworkSlug, 1);
  });
  during("coordinator console", () => getConsoleOverview(coordinator, manifest.bigNetworkSlug, ConsoleQuery.parse({})));
  during("reports", () => {
    const day = today();
    // Every request seeded (they go back three years): from 1 January four years ago up to today.
    const parsed = parseRange({ "from-day": "1", "from-month": "1", "from-year": String(Number(day.slice(0, 4)) - 4),
      "to-day": String(Number(day.slice(8, 10))), "to-month": String(Number(day.slice(5, 7))), "to-year": day.slice(0, 4) }, day);
    assert.ok(parsed.ok, "the reports' date range did not parse");
    getEqualityUnitReports(equalityUnit, parsed.range, day);
  });
  during("audit log", () => {
    const query = parseAuditLogQuery({});
    auditLog.listAuditActions(equalityUnit);
    auditLog.listAuditEvents(equalityUnit, query.filter, query.cursor);
  });
  during("audit log, by person", () => {
    const match = auditLog.resolveActor(equalityUnit, manifest.requester.email);
    assert.ok(match.ok, "the audit log's actor did not resolve");
    const query = parseAuditLogQuery({});
    auditLog.listAuditEvents(equalityUnit, { ...query.filter, actorId: match.userId }, query.cursor);
  });
  // Staff records (/admin/staff) are left out on purpose: an Equality Unit page used now and then, not a hot path.
  // Its count of staff and its search for names containing the words read the whole staff table by design (3.5 and
  // 7 ms at 50,000 people, measured); the list itself walks users_name_idx.
  during("staff search API", () => {
    hitRateLimit(STAFF_SEARCH_LIMIT, staff.id);
    searchStaff(staff, "pat");
  });
  during("account", () => networks.listMyNetworks(member));
  during("notifications", () => notifications.listForViewer(staff, 1));
});

// Statements that are not queries of the data: transactions and pragmas.
const NOT_A_QUERY = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA)\b/i;

// Walks of a large table that read only a bounded number of rows: the scan delivers rows already in the ORDER BY's
// order (so the plan has no temporary B-tree for the ORDER BY) and stops at the LIMIT, and the WHERE keeps nearly
// every row it meets, so it stops soon. Each is named (table and index; null is the table itself in rowid order)
// with the reason; anything else that scans a large table is an offence.
const BOUNDED_WALKS: { table: string; index: string | null; why: string }[] = [
  {
    table: "audit_events",
    index: null,
    why: "seq is the INTEGER PRIMARY KEY: the hash chain's last event (ORDER BY seq DESC LIMIT 1) and the unfiltered " +
      "audit log's page (newest first, LIMIT 51) read the last rows of the table and stop",
  },
  {
    table: "users",
    index: "users_name_idx",
    why: "the staff records list is alphabetical, LIMIT 20 after OFFSET (page - 1) × 20, filtering only leavers out: " +
      "it reads the page's rows in name order and stops",
  },
];

type PlanStep = PlanRow & { depth: number };

function plan(entry: Captured): PlanStep[] {
  const rows = db.$client.prepare(`EXPLAIN QUERY PLAN ${entry.source}`).all(...entry.args) as PlanRow[];
  const depth = new Map<number, number>([[0, -1]]);
  return rows.map((row) => {
    const d = (depth.get(row.parent) ?? -1) + 1;
    depth.set(row.id, d);
    return { ...row, depth: d };
  });
}

const SQL_WORDS = new Set(["where", "on", "inner", "left", "right", "full", "cross", "natural", "join", "order", "group",
  "limit", "using", "union", "select", "as", "set", "values", "returning", "having", "window", "except", "intersect"]);

// The plan names a table by its alias where the SQL gives one ("SCAN r"): which table each name stands for.
function tablesByName(source: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const match of source.matchAll(/\b(?:from|join|into|update)\s+"?(\w+)"?(?:\s+(?:as\s+)?"?(\w+)"?)?/gi)) {
    const table = (match[1] as string).toLowerCase();
    names.set(table, table);
    const alias = match[2]?.toLowerCase();
    if (alias && !SQL_WORDS.has(alias)) names.set(alias, table);
  }
  return names;
}

// Why a statement's plan reads a large table whole, or nothing when every access to one is bounded by an index.
function offences(entry: Captured, steps: PlanStep[]): string[] {
  const names = tablesByName(entry.source);
  const sortsForOrderBy = steps.some((step) => step.detail === "USE TEMP B-TREE FOR ORDER BY");
  const ordered = /\border\s+by\b/i.test(entry.source) && /\blimit\b/i.test(entry.source) && !sortsForOrderBy;
  const found: string[] = [];
  for (const step of steps) {
    const access = /^(SCAN|SEARCH) (\S+)(.*)$/.exec(step.detail);
    if (!access) continue;
    const [, kind, name = "", rest = ""] = access;
    const table = names.get(name.toLowerCase());
    if (!table || !LARGE_TABLES.includes(table)) continue;
    // An automatic index is built by reading the whole table, on every execution.
    if (rest.includes("AUTOMATIC")) {
      found.push(`builds an automatic index over ${table}: ${step.detail}`);
      continue;
    }
    if (kind === "SEARCH") continue;
    const index = /USING (?:COVERING )?INDEX (\S+)/.exec(rest)?.[1] ?? null;
    const walk = BOUNDED_WALKS.find((w) => w.table === table && w.index === index);
    if (walk && ordered) continue;
    found.push(index ? `reads all of ${table} through ${index}: ${step.detail}` : `reads all of ${table}: ${step.detail}`);
  }
  return found;
}

function describePlan(steps: PlanStep[]): string {
  return steps.map((step) => `      ${"  ".repeat(step.depth)}${step.detail}`).join("\n");
}

const PAGES = ["every page", "directory", "directory, filtered", "directory, text search", "directory, last page",
  "supporter profile", "inbox", "my requests", "conversation", "conversation, as the supporter", "networks",
  "network page", "network page, as a member", "coordinator console", "reports", "audit log", "audit log, by person",
  "staff search API", "account", "notifications"];

describe("query plans of the key pages", () => {
  test("every page's statements were captured", () => {
    const seen = new Set([...captured.values()].flatMap((entry) => [...entry.pages]));
    assert.deepEqual(PAGES.filter((name) => !seen.has(name)), []);
  });

  test("no statement reads a large table from end to end", () => {
    const report: string[] = [];
    let explained = 0;
    for (const entry of captured.values()) {
      if (NOT_A_QUERY.test(entry.source)) continue;
      const steps = plan(entry);
      explained += 1;
      const found = offences(entry, steps);
      if (found.length === 0) continue;
      report.push([
        `  [${[...entry.pages].join(", ")}]`,
        `    ${entry.source.replace(/\s+/g, " ").trim()}`,
        ...found.map((line) => `    → ${line}`),
        "    plan:",
        describePlan(steps),
      ].join("\n"));
    }
    assert.ok(explained > 30, `only ${explained} statements explained`);
    assert.equal(report.length, 0, `${report.length} statement(s) scan a large table:\n${report.join("\n\n")}`);
  });
});

// The rule itself, on plans whose answer is known, so that a change in SQLite's wording cannot make it pass vacuously.
describe("the scan rule", () => {
  const entry = (source: string): Captured => ({ source, args: [], pages: new Set(["rule"]) });
  const steps = (...details: string[]): PlanStep[] => details.map((detail, id) => ({ id, parent: 0, detail, depth: 0 }));

  test("a scan of a large table, by alias, is an offence; a search is not", () => {
    assert.equal(offences(entry("select count(*) from support_requests r where r.status = ?"), steps("SCAN r")).length, 1);
    assert.equal(offences(entry("select * from \"users\" where \"users\".\"id\" = ?"), steps("SEARCH users USING INDEX sqlite_autoindex_users_1 (id=?)")).length, 0);
    assert.equal(offences(entry("select * from networks"), steps("SCAN networks")).length, 0);
  });

  test("an automatic index over a large table is an offence", () => {
    const found = offences(entry("select * from networks n join network_memberships m on m.visibility = n.id"),
      steps("SCAN n", "SEARCH m USING AUTOMATIC COVERING INDEX (visibility=?)"));
    assert.equal(found.length, 1);
  });

  test("a named walk passes only when it is ordered and limited", () => {
    const walk = "select hash from audit_events order by seq desc limit ?";
    assert.equal(offences(entry(walk), steps("SCAN audit_events")).length, 0);
    assert.equal(offences(entry("select hash from audit_events order by seq desc"), steps("SCAN audit_events")).length, 1);
    assert.equal(offences(entry(walk), steps("SCAN audit_events", "USE TEMP B-TREE FOR ORDER BY")).length, 1);
    assert.equal(offences(entry("select id from users order by name limit ?"), steps("SCAN users USING INDEX users_name_idx")).length, 0);
    assert.equal(offences(entry("select id from users order by name limit ?"), steps("SCAN users")).length, 1);
  });
});
