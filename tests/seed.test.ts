import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import type { Db } from "@/db/client";

// db/client opens a default database at import from DATABASE_PATH, so point it at a throwaway file first and import
// the modules only afterwards (dynamically: this file is compiled as CommonJS, so static imports would be hoisted
// above this line, and top-level await is unavailable).
const dir = mkdtempSync(join(tmpdir(), "confide-seed-"));
process.env.DATABASE_PATH = join(dir, "default.db");

type Modules = {
  openDatabase: typeof import("@/db/client").openDatabase;
  runMigrations: typeof import("@/db/migrate").runMigrations;
  seedDemo: typeof import("@/db/seed").seedDemo;
  verifyAuditChain: typeof import("@/lib/audit").verifyAuditChain;
  data: typeof import("@/db/seed-data");
};

async function load(): Promise<Modules> {
  const [client, migrate, seed, audit, data] = await Promise.all([
    import("@/db/client"),
    import("@/db/migrate"),
    import("@/db/seed"),
    import("@/lib/audit"),
    import("@/db/seed-data"),
  ]);
  return {
    openDatabase: client.openDatabase,
    runMigrations: migrate.runMigrations,
    seedDemo: seed.seedDemo,
    verifyAuditChain: audit.verifyAuditChain,
    data,
  };
}

const TABLES = [
  "users",
  "networks",
  "network_coordinators",
  "network_memberships",
  "supporters",
  "supporter_attributes",
  "role_grants",
  "audit_events",
] as const;

function counts(db: Db): Record<string, number> {
  const result: Record<string, number> = {};
  for (const table of TABLES) {
    const row = db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number };
    result[table] = row.n;
  }
  return result;
}

function column<T>(db: Db, query: string, ...params: string[]): T[] {
  return (db.$client.prepare(query).all(...params) as { v: T }[]).map((r) => r.v);
}

describe("seedDemo", () => {
  let m: Modules;
  let db: Db;
  let first: { created: boolean };
  let second: { created: boolean };
  let afterFirst: Record<string, number>;

  before(async () => {
    m = await load();
    db = m.openDatabase(join(dir, "seed.db"));
    m.runMigrations(db);
    first = m.seedDemo(db);
    afterFirst = counts(db);
    second = m.seedDemo(db);
  });

  after(() => {
    db?.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("seeds once, then leaves the database alone", () => {
    assert.deepEqual(first, { created: true });
    assert.deepEqual(second, { created: false });
    assert.deepEqual(counts(db), afterFirst);
    assert.equal(afterFirst.users, m.data.STAFF.length);
  });

  test("creates the seven networks with their descriptions", () => {
    const rows = db.$client
      .prepare("SELECT slug, name, summary, description, who_for, how_to_join, join_policy FROM networks")
      .all() as { slug: string; name: string; summary: string; description: string; who_for: string; how_to_join: string; join_policy: string }[];
    assert.equal(rows.length, 7);
    for (const r of rows) {
      for (const text of [r.name, r.summary, r.description, r.who_for, r.how_to_join]) assert.ok(text.trim().length > 0, r.slug);
    }
    assert.deepEqual(
      rows.map((r) => r.name).sort(),
      [
        "Association of Muslim Police",
        "Black Support Network",
        "Christian Police Association",
        "Disability Support Network",
        "LGBT+ Network",
        "Sikh Police Association",
        "Women's Network",
      ],
    );
    assert.equal(rows.find((r) => r.slug === "lgbt-plus-network")?.join_policy, "approval");
  });

  test("every approval network has a coordinator to decide requests", () => {
    const orphans = column<string>(
      db,
      `SELECT slug AS v FROM networks n WHERE join_policy = 'approval'
         AND NOT EXISTS (SELECT 1 FROM network_coordinators c WHERE c.network_id = n.id)`,
    );
    assert.deepEqual(orphans, []);
  });

  test("the roster has enough active supporters to browse and filter", () => {
    const active = "SELECT id FROM supporters WHERE status = 'active'";
    const activeCount = column<number>(db, "SELECT count(*) AS v FROM supporters WHERE status = 'active'")[0] ?? 0;
    assert.ok(activeCount >= 12, `only ${activeCount} active supporters`);
    const sites = column<string>(db, "SELECT DISTINCT site AS v FROM supporters WHERE status = 'active'");
    assert.ok(sites.length >= 4, `sites: ${sites.join(", ")}`);
    const distinct = (kind: string) =>
      column<string>(db, `SELECT DISTINCT value AS v FROM supporter_attributes WHERE kind = ? AND supporter_id IN (${active})`, kind);
    assert.ok(distinct("specialism").length >= 5);
    assert.ok(distinct("language").length >= 3);
    assert.ok(distinct("contact_method").length >= 3);
  });

  test("attributes come from the fixed lists, so filters match them", () => {
    const allowed: Record<string, readonly string[]> = {
      specialism: m.data.SPECIALISMS,
      language: m.data.LANGUAGES,
      contact_method: m.data.CONTACT_METHODS,
    };
    const rows = db.$client.prepare("SELECT DISTINCT kind, value FROM supporter_attributes").all() as { kind: string; value: string }[];
    for (const r of rows) assert.ok(allowed[r.kind]?.includes(r.value), `${r.kind}: ${r.value}`);
  });

  test("the roster shows every lifecycle state, with refreshers two years after training", () => {
    const rows = db.$client
      .prepare("SELECT status, trained_on, refresher_due, paused_until, pause_reason, capacity FROM supporters")
      .all() as { status: string; trained_on: string; refresher_due: string; paused_until: string | null; pause_reason: string | null; capacity: number }[];
    const statuses = new Set(rows.map((r) => r.status));
    for (const s of ["active", "paused", "lapsed", "retired"]) assert.ok(statuses.has(s), s);
    for (const r of rows) {
      assert.match(r.trained_on, /^202[3-6]-\d\d-\d\d$/);
      assert.equal(r.refresher_due, `${Number(r.trained_on.slice(0, 4)) + 2}${r.trained_on.slice(4)}`);
      assert.ok(r.capacity >= 2 && r.capacity <= 5);
    }
    const paused = rows.find((r) => r.status === "paused");
    assert.ok(paused?.paused_until?.startsWith("2027-") && paused.pause_reason);
    const dueSoon = rows.filter(
      (r) => r.status === "active" && r.refresher_due >= "2026-12-01" && r.refresher_due <= "2027-01-30",
    );
    assert.ok(dueSoon.length >= 1, "no active supporter with a refresher due within 60 days of 2026-12-01");
  });

  test("demo accounts exist with their roles", () => {
    const email = m.data.DEMO_EMAILS;
    const present = column<string>(db, "SELECT email AS v FROM users");
    for (const e of Object.values(email)) assert.ok(present.includes(e), e);
    assert.ok(present.every((e) => e === e.toLowerCase()));

    const grants = column<string>(
      db,
      "SELECT u.email AS v FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.role = 'equality_unit'",
    );
    assert.deepEqual(grants, [email.equalityUnit]);

    const coordinates = column<string>(
      db,
      `SELECT n.slug AS v FROM network_coordinators c JOIN networks n ON n.id = c.network_id
         JOIN users u ON u.id = c.user_id WHERE u.email = ?`,
      email.coordinator,
    );
    assert.deepEqual(coordinates, ["lgbt-plus-network"]);

    const sam = column<string>(
      db,
      "SELECT s.status AS v FROM supporters s JOIN users u ON u.id = s.user_id WHERE u.email = ?",
      email.supporter,
    );
    assert.deepEqual(sam, ["active"]);

    const alexNetworks = column<number>(
      db,
      `SELECT count(*) AS v FROM network_memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ?`,
      email.staff,
    );
    assert.deepEqual(alexNetworks, [0]);
  });

  test("the LGBT+ Network has visible, silent and pending members for its coordinator", () => {
    const rows = db.$client
      .prepare(
        `SELECT m.status, m.visibility, m.decided_at FROM network_memberships m JOIN networks n ON n.id = m.network_id
          WHERE n.slug = 'lgbt-plus-network'`,
      )
      .all() as { status: string; visibility: string; decided_at: number | null }[];
    assert.equal(rows.length, 6);
    assert.equal(rows.filter((r) => r.status === "pending").length, 1);
    assert.ok(rows.some((r) => r.status === "active" && r.visibility === "visible"));
    assert.ok(rows.some((r) => r.status === "active" && r.visibility === "silent"));
    for (const r of rows) assert.equal(r.decided_at === null, r.status === "pending");
  });

  test("the role grant is audited and the audit chain is intact", () => {
    assert.equal(afterFirst.audit_events, 1);
    assert.deepEqual(m.verifyAuditChain(db), { ok: true, events: 1 });
  });

  test("keeps an account that signed in before the seed ran", () => {
    const other = m.openDatabase(join(dir, "early.db"));
    try {
      m.runMigrations(other);
      other.$client.prepare("INSERT INTO users (id, email, name) VALUES ('early-alex', 'Alex.Staff@example.org', 'Alex')").run();
      assert.deepEqual(m.seedDemo(other), { created: true });
      const ids = column<string>(other, "SELECT id AS v FROM users WHERE lower(email) = ?", m.data.DEMO_EMAILS.staff);
      assert.deepEqual(ids, ["early-alex"]);
    } finally {
      other.$client.close();
    }
  });
});
