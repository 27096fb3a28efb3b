import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { before, describe, test } from "node:test";

import Database from "better-sqlite3";

import type { Db } from "@/db/client";
import type { CreateRequest } from "@/db/validation/requests";
import type { SessionUser } from "@/lib/auth/session";
import { factories } from "./factories";
import { freshDatabase, ROOT } from "./helpers";

// The Equality Unit's staff records (db/queries/staff-admin.ts): search, leavers, reinstating, and the Equality Unit
// role, with the command-line tools that share the same steps (npm run deactivate, npm run grant).

type StaffAdminModule = typeof import("@/db/queries/staff-admin");
type UsersModule = typeof import("@/db/queries/users");
type RequestsModule = typeof import("@/db/queries/requests");
type DirectoryModule = typeof import("@/db/queries/directory");
type ErrorsModule = typeof import("@/lib/errors");
type ClockModule = typeof import("@/lib/clock");

let db: Db;
let file: string;
let make: ReturnType<typeof factories>;
let staffAdmin: StaffAdminModule;
let users: UsersModule;
let requests: RequestsModule;
let directory: DirectoryModule;
let errors: ErrorsModule;
let clockLib: ClockModule;

before(async () => {
  ({ db, file } = await freshDatabase());
  make = factories(db);
  staffAdmin = await import("@/db/queries/staff-admin");
  users = await import("@/db/queries/users");
  requests = await import("@/db/queries/requests");
  directory = await import("@/db/queries/directory");
  errors = await import("@/lib/errors");
  clockLib = await import("@/lib/clock");
});

// ---------------------------------------------------------------------------------------------------------------
// People and rows, written with plain SQL so that the code under test is the only Drizzle query in play
// ---------------------------------------------------------------------------------------------------------------

type PersonInput = { email?: string; jobTitle?: string; department?: string; site?: string; deactivated?: boolean; equalityUnit?: boolean };

function person(name: string, input: PersonInput = {}): string {
  const id = randomUUID();
  db.$client
    .prepare("INSERT INTO users (id, email, name, job_title, department, site, deactivated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .run(
      id,
      input.email ?? `${name.toLowerCase().replace(/[^a-z]+/g, ".")}.${id.slice(0, 6)}@example.org`,
      name,
      input.jobTitle ?? null,
      input.department ?? null,
      input.site ?? null,
      input.deactivated ? Date.now() : null,
    );
  if (input.equalityUnit) db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(id);
  return id;
}

function viewerFor(userId: string): SessionUser {
  const viewer = users.loadSessionUser(userId);
  assert.ok(viewer, "the user can sign in");
  return viewer;
}

function equalityUnitMember(name = "Eve Unit"): SessionUser {
  return viewerFor(person(name, { equalityUnit: true }));
}

function supporterFor(userId: string): string {
  const supporterId = randomUUID();
  db.$client
    .prepare(
      `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, capacity)
       VALUES (?, ?, 'active', 'Sergeant', 'Force HQ', '2025-01-10', '2099-01-10', 5)`,
    )
    .run(supporterId, userId);
  db.$client.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'contact_method', 'in_app')").run(supporterId);
  return supporterId;
}

const ask = (supporterId: string): CreateRequest => ({
  supporterId,
  category: "wellbeing",
  message: "A private message that must never reach the Equality Unit",
  contactMethod: "in_app",
  safeContact: "",
  anonymous: false,
  preferOutsideDepartment: false,
  excludedUserIds: [],
  acknowledgeLimits: true,
});

const count = (query: string, ...args: unknown[]) => db.$client.prepare(query).pluck().get(...args) as number;
const deactivatedAt = (userId: string) => db.$client.prepare("SELECT deactivated_at FROM users WHERE id = ?").pluck().get(userId) as number | null;
const hasRole = (userId: string) => count("SELECT count(*) FROM role_grants WHERE user_id = ? AND role = 'equality_unit'", userId) === 1;
const auditSince = (seq: number) =>
  make.auditSince(seq).map(({ actor_id, action, object_type, object_id, outcome }) => ({ actor_id, action, object_type, object_id, outcome }));

function network(name: string): string {
  return make.insertNetwork(name).id;
}

// ---------------------------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------------------------

describe("searching staff records", () => {
  let eve: SessionUser;
  const current: string[] = [];
  let leaverIds: string[] = [];
  let unitId = "";

  before(() => {
    eve = equalityUnitMember("Eve Searcher");
    // 23 current members of staff named "Zephyr Test NN", two leavers and one Equality Unit member, all "Zephyr".
    for (let i = 1; i <= 23; i += 1) {
      const n = String(i).padStart(2, "0");
      current.push(
        person(`Zephyr Test ${n}`, { email: `zephyr.test${n}@example.org`, jobTitle: "PC", department: "Response", site: "Northtown" }),
      );
    }
    leaverIds = [person("Zephyr Gone A", { deactivated: true }), person("Zephyr Gone B", { deactivated: true })];
    unitId = person("Zephyr Unit", { equalityUnit: true, email: "zunit@example.org" });
  });

  test("current staff by default, 20 a page in name order, with the columns the Equality Unit needs", () => {
    const page1 = staffAdmin.searchStaffRecords(eve, { q: "zephyr", show: "current", page: 1 });
    assert.equal(page1.total, 24);
    assert.equal(page1.pageCount, 2);
    assert.equal(page1.rows.length, 20);
    assert.deepEqual(page1.rows[0], {
      id: current[0],
      name: "Zephyr Test 01",
      email: "zephyr.test01@example.org",
      jobTitle: "PC",
      department: "Response",
      site: "Northtown",
      leaver: false,
      equalityUnit: false,
    });
    const page2 = staffAdmin.searchStaffRecords(eve, { q: "zephyr", show: "current", page: 2 });
    assert.deepEqual(
      page2.rows.map((r) => r.name),
      ["Zephyr Test 21", "Zephyr Test 22", "Zephyr Test 23", "Zephyr Unit"],
    );
    assert.equal(page2.rows[3]?.equalityUnit, true);
    // Every row once, in name order, across the pages.
    const all = [...page1.rows, ...page2.rows].map((r) => r.name);
    assert.deepEqual(all, [...all].sort());
    assert.equal(new Set(all).size, 24);
    // A page past the end shows the last page.
    assert.equal(staffAdmin.searchStaffRecords(eve, { q: "zephyr", show: "current", page: 99 }).page, 2);
  });

  test("filters: leavers, Equality Unit members, everyone", () => {
    const leavers = staffAdmin.searchStaffRecords(eve, { q: "zephyr", show: "leavers", page: 1 });
    assert.deepEqual(leavers.rows.map((r) => r.id), leaverIds);
    assert.ok(leavers.rows.every((r) => r.leaver));
    const unit = staffAdmin.searchStaffRecords(eve, { q: "zephyr", show: "equality-unit", page: 1 });
    assert.deepEqual(unit.rows.map((r) => r.id), [unitId]);
    assert.ok(staffAdmin.searchStaffRecords(eve, { show: "equality-unit", page: 1 }).rows.some((r) => r.id === eve.id));
    assert.equal(staffAdmin.searchStaffRecords(eve, { q: "zephyr", show: "all", page: 1 }).total, 26);
  });

  test("matches the start of the name or of any word in it, or the start of the email address, ignoring case", () => {
    const names = (q: string, show: "current" | "all" = "current") =>
      staffAdmin.searchStaffRecords(eve, { q, show, page: 1 }).rows.map((r) => r.name);
    assert.deepEqual(names("ZEPHYR TEST 07"), ["Zephyr Test 07"]);
    assert.deepEqual(names("test 1").length, 10); // a later word: "Test 10" … "Test 19"
    assert.deepEqual(names("zephyr.test2"), ["Zephyr Test 20", "Zephyr Test 21", "Zephyr Test 22", "Zephyr Test 23"]);
    assert.deepEqual(names("zunit@"), ["Zephyr Unit"]);
    assert.deepEqual(names("gone b", "all"), ["Zephyr Gone B"]);
    assert.deepEqual(names("ephyr"), [], "not from the middle of a word");
    assert.deepEqual(names("zephyr_"), [], "_ is a character, not a wildcard");
    assert.deepEqual(names("zephyr%"), [], "% is a character, not a wildcard");
  });

  test("anyone outside the Equality Unit finds nobody", () => {
    const alex = viewerFor(person("Alex Outsider"));
    const result = staffAdmin.searchStaffRecords(alex, { q: "zephyr", show: "all", page: 1 });
    assert.deepEqual(result.rows, []);
    assert.equal(result.total, 0);
    assert.throws(() => staffAdmin.getStaffRecord(alex, current[0] ?? ""), errors.NotFoundError);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A record
// ---------------------------------------------------------------------------------------------------------------

describe("a staff record", () => {
  test("shows supporter status, coordinator roles and the Equality Unit role, never network memberships", () => {
    const eve = equalityUnitMember("Eve Reader");
    const rita = person("Rita Record", { email: "rita.record@example.org", jobTitle: "Inspector", department: "Crime", site: "Southport" });
    const supporterId = supporterFor(rita);
    const coordinated = network("Coordinated Network");
    const archived = make.insertNetwork("Archived Network", "archived").id;
    const secret = network("Secret Membership Network");
    make.addCoordinator(coordinated, rita);
    make.addCoordinator(archived, rita);
    db.$client.prepare("INSERT INTO network_memberships (id, network_id, user_id, status) VALUES (?, ?, ?, 'active')").run(randomUUID(), secret, rita);
    db.$client.prepare("UPDATE users SET last_sign_in_at = ? WHERE id = ?").run(Date.UTC(2026, 2, 1, 9, 30), rita);

    const record = staffAdmin.getStaffRecord(eve, rita);
    assert.deepEqual(
      { ...record, equalityUnitMembers: undefined },
      {
        id: rita,
        name: "Rita Record",
        email: "rita.record@example.org",
        jobTitle: "Inspector",
        department: "Crime",
        site: "Southport",
        lastSignInAt: new Date(Date.UTC(2026, 2, 1, 9, 30)),
        deactivatedAt: null,
        equalityUnit: false,
        supporter: { id: supporterId, status: "active" },
        coordinates: [
          { id: archived, name: "Archived Network", archived: true },
          { id: coordinated, name: "Coordinated Network", archived: false },
        ],
        isViewer: false,
        equalityUnitMembers: undefined,
      },
    );
    assert.ok(!JSON.stringify(record).includes("Secret Membership"), "memberships are nobody's business");
    assert.ok(!JSON.stringify(record).includes(secret));

    const own = staffAdmin.getStaffRecord(eve, eve.id);
    assert.equal(own.isViewer, true);
    assert.equal(own.equalityUnit, true);
    assert.equal(own.equalityUnitMembers, staffAdmin.currentEqualityUnitCount(db));
    assert.throws(() => staffAdmin.getStaffRecord(eve, randomUUID()), errors.NotFoundError);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Leavers
// ---------------------------------------------------------------------------------------------------------------

describe("marking a leaver", () => {
  let eve: SessionUser;
  let sam = "";
  let samSupporter = "";
  let ava = "";
  let toSam = "";
  let samsOwn = "";
  let otto = "";
  let stayer = "";
  let leftSeq = 0;

  before(() => {
    eve = equalityUnitMember("Eve Marker");
    // Sam: a supporter with a request from Ava, who also asked Otto for support himself, belongs to one network,
    // coordinates another, holds the Equality Unit role and is signed in twice.
    sam = person("Sam Leaving", { email: "sam.leaving@example.org" });
    samSupporter = supporterFor(sam);
    ava = person("Ava Asker");
    otto = person("Otto Other");
    supporterFor(otto);
    const ottoSupporter = db.$client.prepare("SELECT id FROM supporters WHERE user_id = ?").pluck().get(otto) as string;
    toSam = requests.createRequest(viewerFor(ava), ask(samSupporter)).id;
    samsOwn = requests.createRequest(viewerFor(sam), ask(ottoSupporter)).id;
    const member = network("Member Network");
    const coordinated = network("Coordinated By Sam");
    db.$client.prepare("INSERT INTO network_memberships (id, network_id, user_id, status) VALUES (?, ?, ?, 'active')").run(randomUUID(), member, sam);
    make.addCoordinator(coordinated, sam);
    db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(sam);
    stayer = person("Stella Stayer");
    for (const who of [sam, sam, stayer]) {
      db.$client.prepare("INSERT INTO sessions (session_token, user_id, expires) VALUES (?, ?, ?)").run(randomUUID(), who, Date.now() + 600_000);
    }
  });

  test("before: Sam is listed in the directory and signed in", () => {
    assert.equal(directory.getSupporterProfile(viewerFor(ava), samSupporter).name, "Sam Leaving");
    assert.equal(count("SELECT count(*) FROM sessions WHERE user_id = ?", sam), 2);
  });

  test("anyone outside the Equality Unit gets NotFoundError and nothing changes", () => {
    const seq = make.lastSeq();
    for (const outsider of [viewerFor(ava), viewerFor(otto), viewerFor(stayer)]) {
      assert.throws(() => staffAdmin.markLeaver(outsider, sam), errors.NotFoundError);
    }
    assert.equal(deactivatedAt(sam), null);
    assert.equal(count("SELECT count(*) FROM sessions WHERE user_id = ?", sam), 2);
    assert.equal(count("SELECT count(*) FROM supporters WHERE id = ? AND status = 'active'", samSupporter), 1);
    assert.equal(count("SELECT count(*) FROM support_requests WHERE id = ? AND status = 'new'", toSam), 1);
    assert.deepEqual(auditSince(seq), []);
  });

  test("an Equality Unit member cannot mark themselves a leaver", () => {
    const seq = make.lastSeq();
    assert.deepEqual(staffAdmin.markLeaver(eve, eve.id), { ok: false, error: staffAdmin.CANNOT_MARK_SELF });
    assert.equal(deactivatedAt(eve.id), null);
    assert.ok(users.loadSessionUser(eve.id)?.isEqualityUnit);
    assert.deepEqual(auditSince(seq), []);
  });

  test("ends sessions, retires the supporter, declines their requests, withdraws their own, removes memberships and roles", () => {
    const avaTold = count("SELECT count(*) FROM notifications WHERE user_id = ? AND link = ?", ava, `/requests/${toSam}`);
    const ottoTold = count("SELECT count(*) FROM notifications WHERE user_id = ? AND link = ?", otto, `/requests/${samsOwn}`);
    leftSeq = make.lastSeq();

    const result = staffAdmin.markLeaver(eve, sam);

    assert.deepEqual(result, { ok: true, data: { releasedRequests: 1, retiredSupporter: true, roleRemoved: true } });
    // Cannot sign in, and every session is gone; other people's sessions stay.
    assert.ok(deactivatedAt(sam));
    assert.equal(users.loadSessionUser(sam), null);
    assert.equal(users.isDeactivatedEmail("sam.leaving@example.org"), true);
    assert.equal(count("SELECT count(*) FROM sessions WHERE user_id = ?", sam), 0);
    assert.equal(count("SELECT count(*) FROM sessions WHERE user_id = ?", stayer), 1);
    // Out of the directory at once (the listing rule) and retired on the roster, with the reason in its history.
    assert.throws(() => directory.getSupporterProfile(viewerFor(ava), samSupporter), errors.NotFoundError);
    const listed = directory.listDirectory(viewerFor(ava), { q: "Sam Leaving", availableNow: false, notMyDepartment: false, page: 1 });
    assert.deepEqual(listed.entries, []);
    assert.equal(count("SELECT count(*) FROM supporters WHERE id = ? AND status = 'retired'", samSupporter), 1);
    assert.equal(
      count("SELECT count(*) FROM supporter_status_events WHERE supporter_id = ? AND to_status = 'retired' AND reason = ? AND actor_id = ?", samSupporter, staffAdmin.LEAVER_ROSTER_REASON, eve.id),
      1,
    );
    // Ava's request is declined with the standard reason, and she is told and can choose again.
    const seen = requests.getRequestForViewer(viewerFor(ava), toSam);
    assert.equal(seen.status, "declined");
    assert.equal(seen.declineReason, requests.SUPPORTER_GONE_REASON);
    assert.equal(count("SELECT count(*) FROM notifications WHERE user_id = ? AND link = ?", ava, `/requests/${toSam}`), avaTold + 1);
    // Sam's own request is withdrawn, and Otto is told.
    assert.equal(count("SELECT count(*) FROM support_requests WHERE id = ? AND status = 'withdrawn'", samsOwn), 1);
    assert.equal(count("SELECT count(*) FROM notifications WHERE user_id = ? AND link = ?", otto, `/requests/${samsOwn}`), ottoTold + 1);
    // Memberships, coordinator roles and the Equality Unit role are gone.
    assert.equal(count("SELECT count(*) FROM network_memberships WHERE user_id = ?", sam), 0);
    assert.equal(count("SELECT count(*) FROM network_coordinators WHERE user_id = ?", sam), 0);
    assert.equal(hasRole(sam), false);
    // Audited, with opaque ids only.
    const events = auditSince(leftSeq);
    assert.deepEqual(
      events.filter((e) => e.object_id === sam),
      [
        { actor_id: eve.id, action: "role.revoked", object_type: "user", object_id: sam, outcome: "success" },
        { actor_id: eve.id, action: "user.deactivated", object_type: "user", object_id: sam, outcome: "success" },
      ],
    );
    assert.ok(events.some((e) => e.action === "supporter.retired" && e.actor_id === eve.id));
    assert.ok(events.some((e) => e.action === "request.released" && e.object_id === toSam));
    assert.equal(count("SELECT count(*) FROM request_status_events WHERE request_id = ? AND to_status = 'withdrawn'", samsOwn), 1);
    const text = JSON.stringify(events);
    for (const secret of ["Sam", "sam.leaving", "Member Network", "private message"]) assert.ok(!text.includes(secret), secret);
  });

  test("marking them again changes nothing", () => {
    const seq = make.lastSeq();
    const before = deactivatedAt(sam);
    assert.deepEqual(staffAdmin.markLeaver(eve, sam), { ok: false, error: staffAdmin.ALREADY_LEFT });
    assert.equal(deactivatedAt(sam), before);
    assert.deepEqual(auditSince(seq), []);
  });

  test("a leaver is listed as a leaver, not as current staff", () => {
    assert.deepEqual(staffAdmin.searchStaffRecords(eve, { q: "sam leaving", show: "current", page: 1 }).rows, []);
    const leavers = staffAdmin.searchStaffRecords(eve, { q: "sam leaving", show: "leavers", page: 1 }).rows;
    assert.deepEqual(leavers.map((r) => [r.id, r.leaver, r.equalityUnit]), [[sam, true, false]]);
  });

  test("an unknown id is NotFoundError", () => {
    assert.throws(() => staffAdmin.markLeaver(eve, randomUUID()), errors.NotFoundError);
  });

  test("reinstating lets them sign in again without giving back roles, networks or the roster", () => {
    const alex = viewerFor(person("Alex Outsider Two"));
    assert.throws(() => staffAdmin.reinstateLeaver(alex, sam), errors.NotFoundError);
    assert.ok(deactivatedAt(sam), "an outsider changed nothing");

    const seq = make.lastSeq();
    assert.deepEqual(staffAdmin.reinstateLeaver(eve, sam), { ok: true, data: undefined });
    assert.equal(deactivatedAt(sam), null);
    const back = users.loadSessionUser(sam);
    assert.ok(back);
    assert.equal(back.isEqualityUnit, false);
    assert.equal(back.supporterId, null);
    assert.deepEqual(back.coordinates, []);
    assert.equal(count("SELECT count(*) FROM network_memberships WHERE user_id = ?", sam), 0);
    assert.equal(count("SELECT count(*) FROM supporters WHERE id = ? AND status = 'retired'", samSupporter), 1);
    assert.deepEqual(auditSince(seq), [{ actor_id: eve.id, action: "user.reinstated", object_type: "user", object_id: sam, outcome: "success" }]);

    const again = make.lastSeq();
    assert.deepEqual(staffAdmin.reinstateLeaver(eve, sam), { ok: false, error: staffAdmin.NOT_A_LEAVER });
    assert.deepEqual(auditSince(again), []);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The Equality Unit role
// ---------------------------------------------------------------------------------------------------------------

describe("granting and revoking the Equality Unit role", () => {
  test("a grant works from the person's next request, records who granted it, and can be revoked", () => {
    const eve = equalityUnitMember("Eve Granter");
    const gina = person("Gina Granted");
    const before = viewerFor(gina);
    assert.equal(before.isEqualityUnit, false);
    assert.throws(() => staffAdmin.getStaffRecord(before, eve.id), errors.NotFoundError);

    const seq = make.lastSeq();
    assert.deepEqual(staffAdmin.grantEqualityUnit(eve, gina), { ok: true, data: undefined });
    const grant = db.$client.prepare("SELECT granted_by FROM role_grants WHERE user_id = ? AND role = 'equality_unit'").get(gina) as { granted_by: string };
    assert.equal(grant.granted_by, eve.id);
    assert.deepEqual(auditSince(seq), [{ actor_id: eve.id, action: "role.granted", object_type: "user", object_id: gina, outcome: "success" }]);
    // Roles are read from the database on each request: the next one has the role, and so does every statement.
    assert.equal(viewerFor(gina).isEqualityUnit, true);
    assert.equal(staffAdmin.getStaffRecord(before, eve.id).id, eve.id);

    const again = make.lastSeq();
    assert.deepEqual(staffAdmin.grantEqualityUnit(eve, gina), { ok: false, error: staffAdmin.ALREADY_EQUALITY_UNIT });
    assert.deepEqual(auditSince(again), []);

    const revokedSeq = make.lastSeq();
    assert.deepEqual(staffAdmin.revokeEqualityUnit(eve, gina), { ok: true, data: undefined });
    assert.equal(hasRole(gina), false);
    assert.deepEqual(auditSince(revokedSeq), [{ actor_id: eve.id, action: "role.revoked", object_type: "user", object_id: gina, outcome: "success" }]);
    assert.equal(viewerFor(gina).isEqualityUnit, false);
    // A session object from while she had the role opens nothing: each statement asks the database.
    const stale = { ...before, isEqualityUnit: true };
    assert.throws(() => staffAdmin.getStaffRecord(stale, eve.id), errors.NotFoundError);
    assert.throws(() => staffAdmin.grantEqualityUnit(stale, gina), errors.NotFoundError);
    assert.equal(hasRole(gina), false);
    assert.deepEqual(staffAdmin.revokeEqualityUnit(eve, gina), { ok: false, error: staffAdmin.NOT_EQUALITY_UNIT });
  });

  test("a leaver cannot be granted the role", () => {
    const eve = equalityUnitMember("Eve Refuser");
    const leaver = person("Lee Left", { deactivated: true });
    const seq = make.lastSeq();
    assert.deepEqual(staffAdmin.grantEqualityUnit(eve, leaver), { ok: false, error: staffAdmin.LEAVER_CANNOT_BE_GRANTED });
    assert.equal(hasRole(leaver), false);
    assert.deepEqual(auditSince(seq), []);
  });

  test("anyone outside the Equality Unit gets NotFoundError for every change, and nothing changes", () => {
    const eve = equalityUnitMember("Eve Target");
    const target = person("Tara Target");
    const leaver = person("Lou Leaver", { deactivated: true });
    const alex = viewerFor(person("Alex Outsider Three"));
    const seq = make.lastSeq();
    assert.throws(() => staffAdmin.grantEqualityUnit(alex, target), errors.NotFoundError);
    assert.throws(() => staffAdmin.grantEqualityUnit(alex, alex.id), errors.NotFoundError);
    assert.throws(() => staffAdmin.revokeEqualityUnit(alex, eve.id), errors.NotFoundError);
    assert.throws(() => staffAdmin.markLeaver(alex, target), errors.NotFoundError);
    assert.throws(() => staffAdmin.reinstateLeaver(alex, leaver), errors.NotFoundError);
    assert.equal(hasRole(target), false);
    assert.equal(hasRole(alex.id), false);
    assert.equal(hasRole(eve.id), true);
    assert.equal(deactivatedAt(target), null);
    assert.ok(deactivatedAt(leaver));
    assert.deepEqual(auditSince(seq), []);
  });

  describe("the last member", () => {
    // Its own set of members: the earlier tests' members are removed first, so the counts below are exact.
    test("cannot remove the role from themselves; once someone else has it, they can", () => {
      db.$client.exec("DELETE FROM role_grants");
      const lou = equalityUnitMember("Lou Last");
      // A leaver who still holds a grant (from before leavers lost their roles) does not count as a member.
      person("Old Member", { deactivated: true, equalityUnit: true });

      const seq = make.lastSeq();
      assert.deepEqual(staffAdmin.revokeEqualityUnit(lou, lou.id), { ok: false, error: staffAdmin.LAST_MEMBER });
      assert.equal(hasRole(lou.id), true);
      assert.deepEqual(auditSince(seq), []);
      assert.equal(staffAdmin.getStaffRecord(lou, lou.id).equalityUnitMembers, 1);

      const max = person("Max Next");
      assert.equal(staffAdmin.grantEqualityUnit(lou, max).ok, true);
      assert.deepEqual(staffAdmin.revokeEqualityUnit(lou, lou.id), { ok: true, data: undefined });
      assert.equal(hasRole(lou.id), false);
      // Max is the last one now; Lou, without the role, can do nothing about it.
      assert.deepEqual(staffAdmin.revokeEqualityUnit(viewerFor(max), max), { ok: false, error: staffAdmin.LAST_MEMBER });
      assert.throws(() => staffAdmin.revokeEqualityUnit(viewerFor(lou.id), max), errors.NotFoundError);
      assert.equal(hasRole(max), true);
    });

    test("two members removing themselves at the same moment leave one member, not none", async () => {
      db.$client.exec("DELETE FROM role_grants");
      const a = equalityUnitMember("Ann Concurrent");
      const b = equalityUnitMember("Bob Concurrent");

      // Another connection holds the write lock while both processes get ready and ask, so both are waiting on the
      // lock at once; a check made outside the transaction would let both see the other one still there.
      const holder = new Database(file);
      holder.pragma("busy_timeout = 5000");
      holder.exec("BEGIN IMMEDIATE");
      let released = false;
      try {
        const runs = [a.id, b.id].map((id) => revokeInChild(id));
        await Promise.all(runs.map((r) => r.ready));
        await new Promise((resolve) => setTimeout(resolve, 300));
        holder.exec("ROLLBACK");
        released = true;
        const results = (await Promise.all(runs.map((r) => r.done))).map((r) => JSON.stringify(r)).sort();
        assert.deepEqual(results, [JSON.stringify({ ok: false, error: staffAdmin.LAST_MEMBER }), JSON.stringify({ ok: true, data: undefined })].sort());
      } finally {
        if (!released) holder.exec("ROLLBACK");
        holder.close();
      }
      assert.equal(count("SELECT count(*) FROM role_grants WHERE role = 'equality_unit'"), 1);
      assert.equal(staffAdmin.currentEqualityUnitCount(db), 1);
    });
  });
});

// Runs revokeEqualityUnit for someone removing their own role, in a process of its own with its own connection.
function revokeInChild(userId: string): { ready: Promise<void>; done: Promise<unknown> } {
  const code = `
    const { loadSessionUser } = require("./db/queries/users.ts");
    const { revokeEqualityUnit } = require("./db/queries/staff-admin.ts");
    const viewer = loadSessionUser(process.argv[1]);
    console.log("ready");
    console.log(JSON.stringify(revokeEqualityUnit(viewer, process.argv[1])));
  `;
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "-e", code, userId], {
    cwd: ROOT,
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let signalReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes("ready\n")) signalReady();
  });
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<unknown>((resolve, reject) => {
    child.on("exit", (code) => {
      signalReady();
      if (code !== 0) return reject(new Error(`child exited ${code}: ${err}`));
      const last = out.trim().split("\n").at(-1) ?? "";
      resolve(JSON.parse(last));
    });
  });
  return { ready, done };
}

// ---------------------------------------------------------------------------------------------------------------
// The command-line tools use the same steps
// ---------------------------------------------------------------------------------------------------------------

function runScript(script: string, args: string[]) {
  return spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: process.env,
    encoding: "utf8",
  });
}

describe("npm run deactivate and npm run grant", () => {
  test("npm run deactivate does the same departure as marking a leaver in the app", () => {
    const dana = person("Dana Script", { email: "dana.script@example.org" });
    const danaSupporter = supporterFor(dana);
    const asker = person("Ian Asker");
    const asked = requests.createRequest(viewerFor(asker), ask(danaSupporter)).id;
    const member = network("Script Network");
    db.$client.prepare("INSERT INTO network_memberships (id, network_id, user_id, status) VALUES (?, ?, ?, 'active')").run(randomUUID(), member, dana);
    db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(dana);
    db.$client.prepare("INSERT INTO sessions (session_token, user_id, expires) VALUES (?, ?, ?)").run(randomUUID(), dana, Date.now() + 600_000);
    const seq = make.lastSeq();

    const result = runScript("scripts/deactivate.ts", ["Dana.Script@Example.org"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Deactivated dana\.script@example\.org/);
    assert.match(result.stdout, /1 requester has been asked to choose another supporter/);
    assert.ok(!/network/i.test(result.stdout), "nothing about their networks");

    assert.ok(deactivatedAt(dana));
    assert.equal(users.loadSessionUser(dana), null);
    assert.equal(count("SELECT count(*) FROM sessions WHERE user_id = ?", dana), 0);
    assert.equal(count("SELECT count(*) FROM supporters WHERE id = ? AND status = 'retired'", danaSupporter), 1);
    assert.equal(requests.getRequestForViewer(viewerFor(asker), asked).declineReason, requests.SUPPORTER_GONE_REASON);
    assert.equal(count("SELECT count(*) FROM network_memberships WHERE user_id = ?", dana), 0);
    assert.equal(hasRole(dana), false);
    const events = auditSince(seq).filter((e) => e.object_id === dana);
    assert.deepEqual(events, [
      { actor_id: null, action: "role.revoked", object_type: "user", object_id: dana, outcome: "success" },
      { actor_id: null, action: "user.deactivated", object_type: "user", object_id: dana, outcome: "success" },
    ]);

    const again = runScript("scripts/deactivate.ts", ["dana.script@example.org"]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /already marked as a leaver; nothing changed/);
    assert.equal(auditSince(seq).filter((e) => e.object_id === dana).length, 2);

    const unknown = runScript("scripts/deactivate.ts", ["nobody.here@example.org"]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /No staff record for nobody\.here@example\.org/);
  });

  test("npm run grant refuses a leaver, and grants through the same step as the app (audited once)", () => {
    person("Lena Left", { email: "lena.left@example.org", deactivated: true });
    const seq = make.lastSeq();
    const refused = runScript("scripts/grant.ts", ["lena.left@example.org", "equality-unit"]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /marked as a leaver/);
    assert.equal(count("SELECT count(*) FROM role_grants g JOIN users u ON u.id = g.user_id WHERE u.email = 'lena.left@example.org'"), 0);
    assert.deepEqual(auditSince(seq), []);

    const fay = person("Fay Granted", { email: "fay.granted@example.org" });
    assert.equal(runScript("scripts/grant.ts", ["fay.granted@example.org", "equality-unit"]).status, 0);
    assert.equal(viewerFor(fay).isEqualityUnit, true);
    const granted = db.$client.prepare("SELECT granted_by FROM role_grants WHERE user_id = ?").get(fay) as { granted_by: string | null };
    assert.equal(granted.granted_by, null, "the command line is nobody's account");
    assert.deepEqual(auditSince(seq), [{ actor_id: null, action: "role.granted", object_type: "user", object_id: fay, outcome: "success" }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Scale
// ---------------------------------------------------------------------------------------------------------------

describe("at scale", () => {
  test("searching 50,000 staff records stays fast", (t) => {
    const eve = equalityUnitMember("Eve Scale");
    const insert = db.$client.prepare("INSERT INTO users (id, name, email, department, site, deactivated_at) VALUES (?, ?, ?, 'Dept', 'Site', ?)");
    const first = ["Alice", "Ben", "Chloe", "David", "Emma", "Farhan", "Grace", "Harpreet", "Isla", "Jack", "Kofi", "Lucy", "Mohammed"];
    const last = ["Smith", "Jones", "Patel", "Khan", "Williams", "Brown", "Taylor", "Nowak", "Okafor", "Singh", "Evans", "Wilson"];
    db.$client.transaction(() => {
      for (let i = 0; i < 50_000; i += 1) {
        const name = `${first[i % first.length]} ${last[Math.floor(i / first.length) % last.length]}`;
        insert.run(randomUUID(), name, `scale${i}@example.org`, i % 50 === 0 ? Date.now() : null);
      }
    })();
    db.$client.exec("ANALYZE");
    const time = (q: string | undefined, show: "current" | "leavers" | "equality-unit" | "all", page = 1) => {
      staffAdmin.searchStaffRecords(eve, { q, show, page });
      const runs = 5;
      const start = process.hrtime.bigint();
      let total = 0;
      for (let i = 0; i < runs; i += 1) total = staffAdmin.searchStaffRecords(eve, { q, show, page }).total;
      return { label: `${q ?? "(all)"}/${show}/${page}`, ms: Number(process.hrtime.bigint() - start) / 1e6 / runs, total };
    };
    const timings = [
      time(undefined, "current"),
      time(undefined, "current", 2000),
      time(undefined, "leavers"),
      time(undefined, "equality-unit"),
      time("al", "current"),
      time("pat", "all"),
      time("scale4999", "all"),
      time("zzqx", "all"),
    ];
    t.diagnostic(`staff records over 50,000 users: ${timings.map((x) => `${x.label} ${x.ms.toFixed(1)} ms (${x.total})`).join(", ")}`);
    for (const x of timings) assert.ok(x.ms < 250, `${x.label} took ${x.ms.toFixed(1)} ms`);
    assert.equal(timings[2]?.total, count("SELECT count(*) FROM users WHERE deactivated_at IS NOT NULL"));
    assert.equal(timings[6]?.total, 11);
    assert.equal(timings[7]?.total, 0);
  });
});

// clockLib is imported so that the leaver's timestamps come from the app's clock, as in the other query tests.
test("deactivated_at comes from the app's clock", () => {
  const eve = equalityUnitMember("Eve Clock");
  const target = person("Cleo Clock");
  const fixed = new Date("2026-05-04T10:00:00.000Z");
  const real = clockLib.clock.now;
  clockLib.clock.now = () => fixed;
  try {
    assert.equal(staffAdmin.markLeaver(eve, target).ok, true);
  } finally {
    clockLib.clock.now = real;
  }
  assert.equal(deactivatedAt(target), fixed.getTime());
});
