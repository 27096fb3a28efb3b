import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { factories } from "./factories";
import { freshDatabase } from "./helpers";

type AdminModule = typeof import("@/db/queries/network-admin");
type ConsoleModule = typeof import("@/db/queries/network-console");
type UsersModule = typeof import("@/db/queries/users");
type ValidationModule = typeof import("@/db/validation/network-admin");
type ErrorsModule = typeof import("@/lib/errors");

let db: Db;
let make: ReturnType<typeof factories>;

// This file's audit assertions compare the event without its sequence number.
const auditSince = (seq: number) =>
  make.auditSince(seq).map(({ actor_id, action, object_type, object_id, outcome }) => ({ actor_id, action, object_type, object_id, outcome }));
let admin: AdminModule;
let consoleQueries: ConsoleModule;
let users: UsersModule;
let validation: ValidationModule;
let errors: ErrorsModule;

before(async () => {
  ({ db } = await freshDatabase());
  make = factories(db);
  admin = await import("@/db/queries/network-admin");
  consoleQueries = await import("@/db/queries/network-console");
  users = await import("@/db/queries/users");
  validation = await import("@/db/validation/network-admin");
  errors = await import("@/lib/errors");
});

function addMembers(networkId: string, n: number, status: "active" | "pending", prefix: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const name = `${prefix} ${i}`;
    names.push(name);
    db.$client
      .prepare("INSERT INTO network_memberships (id, network_id, user_id, status, visibility) VALUES (?, ?, ?, ?, 'silent')")
      .run(randomUUID(), networkId, make.insertUser(name), status);
  }
  return names;
}

function equalityUnitViewer(): SessionUser {
  const id = make.insertUser("Eva Equality");
  db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(id);
  return viewerFor(id);
}

function viewerFor(userId: string): SessionUser {
  const viewer = users.loadSessionUser(userId);
  assert.ok(viewer, "the user loads");
  return viewer;
}

type NetworkRow = { slug: string; name: string; status: string; contact_mailbox: string | null; join_policy: string; offers: string };
const networkRow = (id: string) =>
  db.$client.prepare("SELECT slug, name, status, contact_mailbox, join_policy, offers FROM networks WHERE id = ?").get(id) as
    | NetworkRow
    | undefined;
const networkCount = () => (db.$client.prepare("SELECT count(*) AS n FROM networks").get() as { n: number }).n;
const coordinatorRows = (networkId: string) =>
  db.$client.prepare("SELECT user_id FROM network_coordinators WHERE network_id = ? ORDER BY user_id").all(networkId) as {
    user_id: string;
  }[];


function input(overrides: Partial<Record<string, string>> = {}) {
  const parsed = validation.NetworkInput.safeParse({
    name: "Parents and Carers Network",
    slug: `parents-${randomUUID().slice(0, 8)}`,
    summary: "Support for colleagues who are parents or carers.",
    description: "A place to share advice on flexible working and caring.",
    whoFor: "Parents and carers, and anyone who supports them.",
    howToJoin: "Select Join this network.",
    offers: "Peer support and a monthly coffee morning.",
    contactMailbox: "Parents.Network@Example.org",
    joinPolicy: "open",
    ...overrides,
  });
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  return parsed.data;
}

/** Everyone outside the Equality Unit, including a coordinator and a member, plus an Equality Unit member whose grant was revoked a moment ago. */
function outsiders(networkId: string): Record<string, SessionUser> {
  const coordinator = make.insertUser("Cora Coordinator");
  make.addCoordinator(networkId, coordinator);
  const member = make.insertUser("Mo Member");
  db.$client
    .prepare("INSERT INTO network_memberships (id, network_id, user_id, status, visibility) VALUES (?, ?, ?, 'active', 'visible')")
    .run(randomUUID(), networkId, member);
  const revoked = equalityUnitViewer();
  db.$client.prepare("DELETE FROM role_grants WHERE user_id = ?").run(revoked.id);
  return {
    "the network's coordinator": viewerFor(coordinator),
    "a member": viewerFor(member),
    "other staff": viewerFor(make.insertUser("Sid Staff")),
    "an Equality Unit member whose role was just revoked": revoked,
  };
}

function assertNotFound(work: () => unknown, message: string): void {
  assert.throws(work, (error: unknown) => error instanceof errors.NotFoundError, message);
}

describe("validation", () => {
  test("the web address takes lower-case letters, digits and single hyphens only", () => {
    for (const slug of ["womens-network", "lgbt-plus", "network2", "a"]) {
      assert.ok(validation.NetworkInput.safeParse({ ...input(), slug }).success, slug);
    }
    for (const slug of ["Womens", "womens network", "-womens", "womens-", "womens--network", "womens_network", "", "x".repeat(61), "réseau"]) {
      const result = validation.NetworkInput.safeParse({ ...input(), slug });
      assert.ok(!result.success, slug);
    }
  });

  test("the contact mailbox is optional, but must be an email address when given", () => {
    assert.equal(input({ contactMailbox: "" }).contactMailbox, null);
    assert.equal(input({ contactMailbox: "  " }).contactMailbox, null);
    assert.equal(input({ contactMailbox: "LGBT@Example.org" }).contactMailbox, "lgbt@example.org");
    const bad = validation.NetworkInput.safeParse({ ...input(), contactMailbox: "not an email" });
    assert.ok(!bad.success);
    assert.deepEqual(Object.keys(bad.error.flatten().fieldErrors), ["contactMailbox"]);
  });

  test("every required field, the limits and the join policy", () => {
    for (const field of ["name", "summary", "description", "whoFor", "howToJoin"]) {
      assert.ok(!validation.NetworkInput.safeParse({ ...input(), [field]: "   " }).success, field);
    }
    assert.ok(!validation.NetworkInput.safeParse({ ...input(), name: "x".repeat(101) }).success);
    assert.ok(!validation.NetworkInput.safeParse({ ...input(), summary: "x".repeat(301) }).success);
    assert.ok(!validation.NetworkInput.safeParse({ ...input(), joinPolicy: "invite" }).success);
    assert.equal(input({ offers: "" }).offers, "");
  });
});

describe("listing and reading networks", () => {
  test("the Equality Unit sees every network, archived too, with counts under 5 suppressed in SQL and no member names", () => {
    const eu = equalityUnitViewer();
    const big = make.insertNetwork("Aardvark Big Network");
    const small = make.insertNetwork("Aardvark Small Network");
    const archived = make.insertNetwork("Aardvark Archived Network", "archived");
    const names = [
      ...addMembers(big.id, 5, "active", "Big Member"),
      ...addMembers(big.id, 6, "pending", "Big Pending"),
      ...addMembers(small.id, 4, "active", "Small Member"),
      ...addMembers(small.id, 1, "pending", "Small Pending"),
      ...addMembers(archived.id, 7, "active", "Archived Member"),
    ];
    // A leaver does not count: four live members and a deactivated one are still "fewer than 5".
    db.$client
      .prepare("INSERT INTO network_memberships (id, network_id, user_id, status) VALUES (?, ?, ?, 'active')")
      .run(randomUUID(), small.id, make.insertUser("Lee Leaver", { deactivated: true }));
    const coordinator = make.insertUser("Cora Coordinator");
    make.addCoordinator(small.id, coordinator);

    const list = admin.listNetworksForAdmin(eu, 1);
    const byId = new Map(list.items.map((n) => [n.id, n]));
    assert.deepEqual(
      [byId.get(big.id)?.members, byId.get(big.id)?.pending, byId.get(small.id)?.members, byId.get(small.id)?.pending],
      [5, 6, null, null],
    );
    assert.equal(byId.get(archived.id)?.status, "archived");
    assert.equal(byId.get(archived.id)?.members, 7);
    assert.deepEqual(byId.get(small.id)?.coordinators.map((c) => c.name), ["Cora Coordinator"]);
    // Active networks first.
    const statuses = list.items.map((n) => n.status);
    assert.deepEqual(statuses, [...statuses].sort());

    const detail = admin.getNetworkForAdmin(eu, small.id);
    assert.equal(detail.members, null);
    assert.equal(detail.pending, null);
    const serialised = JSON.stringify([list, detail, admin.getNetworkForAdmin(eu, big.id)]);
    for (const name of [...names, "Lee Leaver"]) assert.ok(!serialised.includes(name), name);
    assert.ok(!serialised.includes('"members":4') && !serialised.includes('"pending":1'), "no exact small count");
  });

  test("nobody outside the Equality Unit gets anything", () => {
    const network = make.insertNetwork("Listed Network");
    for (const [who, viewer] of Object.entries(outsiders(network.id))) {
      const list = admin.listNetworksForAdmin(viewer, 1);
      assert.deepEqual([list.items, list.total], [[], 0], who);
      assertNotFound(() => admin.getNetworkForAdmin(viewer, network.id), who);
      assertNotFound(() => admin.assertNetworkAdmin(viewer), who);
    }
  });
});

describe("creating and editing", () => {
  test("creates an active network and audits it", () => {
    const eu = equalityUnitViewer();
    const data = input();
    const seq = make.lastSeq();
    const result = admin.createNetwork(eu, data);
    assert.ok(result.ok);
    assert.deepEqual(networkRow(result.data.id), {
      slug: data.slug,
      name: "Parents and Carers Network",
      status: "active",
      contact_mailbox: "parents.network@example.org",
      join_policy: "open",
      offers: "Peer support and a monthly coffee morning.",
    });
    assert.deepEqual(auditSince(seq), [
      { actor_id: eu.id, action: "network.created", object_type: "network", object_id: result.data.id, outcome: "success" },
    ]);
  });

  test("a web address already in use is refused with a clear error, and nothing is written", () => {
    const eu = equalityUnitViewer();
    const existing = make.insertNetwork("Existing Network");
    const before = networkCount();
    const seq = make.lastSeq();
    const result = admin.createNetwork(eu, input({ slug: existing.slug }));
    assert.deepEqual(result, { ok: false, field: "slug", error: admin.SLUG_TAKEN });
    assert.equal(networkCount(), before);
    assert.deepEqual(auditSince(seq), []);
  });

  test("edits every field, keeps its own web address, refuses another network's", () => {
    const eu = equalityUnitViewer();
    const network = make.insertNetwork("Old Name");
    const other = make.insertNetwork("Other");
    const seq = make.lastSeq();
    const renamed = admin.updateNetwork(eu, network.id, input({ name: "New Name", slug: network.slug, contactMailbox: "", joinPolicy: "approval" }));
    assert.ok(renamed.ok);
    assert.deepEqual(networkRow(network.id), {
      slug: network.slug,
      name: "New Name",
      status: "active",
      contact_mailbox: null,
      join_policy: "approval",
      offers: "Peer support and a monthly coffee morning.",
    });
    assert.deepEqual(admin.updateNetwork(eu, network.id, input({ slug: other.slug })), { ok: false, field: "slug", error: admin.SLUG_TAKEN });
    assert.equal(networkRow(network.id)?.slug, network.slug);
    assert.deepEqual(auditSince(seq).map((e) => [e.action, e.object_id]), [["network.updated", network.id]]);
  });

  test("nobody outside the Equality Unit can create or edit: NotFoundError and nothing written", () => {
    const network = make.insertNetwork("Guarded Network");
    for (const [who, viewer] of Object.entries(outsiders(network.id))) {
      const before = networkCount();
      const seq = make.lastSeq();
      assertNotFound(() => admin.createNetwork(viewer, input()), `${who}: create`);
      assertNotFound(() => admin.updateNetwork(viewer, network.id, input({ name: "Hijacked" })), `${who}: edit`);
      assert.equal(networkCount(), before, who);
      assert.equal(networkRow(network.id)?.name, "Guarded Network", who);
      assert.deepEqual(auditSince(seq), [], who);
    }
    assertNotFound(() => admin.updateNetwork(equalityUnitViewer(), randomUUID(), input()), "a network that does not exist");
  });
});

describe("archiving and restoring", () => {
  test("archiving hides the network from its coordinators and keeps the memberships; restoring brings it back", () => {
    const eu = equalityUnitViewer();
    const network = make.insertNetwork("Seasonal Network");
    addMembers(network.id, 6, "active", "Seasonal Member");
    const coordinatorId = make.insertUser("Seasonal Coordinator");
    make.addCoordinator(network.id, coordinatorId);
    const seq = make.lastSeq();

    admin.archiveNetwork(eu, network.id);
    assert.equal(networkRow(network.id)?.status, "archived");
    assert.deepEqual(viewerFor(coordinatorId).coordinates, []);
    assertNotFound(() => consoleQueries.getConsoleNetwork(viewerFor(coordinatorId), network.slug), "no console while archived");
    // Twice is harmless and audited once.
    admin.archiveNetwork(eu, network.id);
    const kept = db.$client.prepare("SELECT count(*) AS n FROM network_memberships WHERE network_id = ? AND status = 'active'").get(network.id) as { n: number };
    assert.equal(kept.n, 6);

    admin.restoreNetwork(eu, network.id);
    assert.equal(networkRow(network.id)?.status, "active");
    assert.deepEqual(viewerFor(coordinatorId).coordinates.map((c) => c.slug), [network.slug]);
    assert.equal(consoleQueries.getConsoleOverview(viewerFor(coordinatorId), network.slug, { page: 1, requests: 1 }).members.total, 6);
    assert.deepEqual(auditSince(seq).map((e) => [e.action, e.object_type, e.object_id]), [
      ["network.archived", "network", network.id],
      ["network.restored", "network", network.id],
    ]);
  });

  test("nobody outside the Equality Unit can archive or restore", () => {
    const network = make.insertNetwork("Steady Network");
    const archived = make.insertNetwork("Archived Network", "archived");
    for (const [who, viewer] of Object.entries(outsiders(network.id))) {
      assertNotFound(() => admin.archiveNetwork(viewer, network.id), `${who}: archive`);
      assertNotFound(() => admin.restoreNetwork(viewer, archived.id), `${who}: restore`);
      assert.equal(networkRow(network.id)?.status, "active");
      assert.equal(networkRow(archived.id)?.status, "archived");
    }
  });
});

describe("coordinators", () => {
  test("assigns a current member of staff, refuses a leaver and a duplicate, and removes", () => {
    const eu = equalityUnitViewer();
    const network = make.insertNetwork("Coordinated Network");
    const person = make.insertUser("Nia Newcoordinator");
    const leaver = make.insertUser("Lee Leaver", { deactivated: true });
    const seq = make.lastSeq();

    assert.deepEqual(admin.assignCoordinator(eu, network.id, person), { ok: true, data: undefined });
    assert.deepEqual(coordinatorRows(network.id), [{ user_id: person }]);
    assert.deepEqual(viewerFor(person).coordinates, [{ slug: network.slug, name: "Coordinated Network" }]);

    const again = admin.assignCoordinator(eu, network.id, person);
    assert.equal(again.ok, false);
    const gone = admin.assignCoordinator(eu, network.id, leaver);
    assert.equal(gone.ok, false);
    assert.deepEqual(coordinatorRows(network.id), [{ user_id: person }]);

    admin.removeCoordinator(eu, network.id, person);
    assert.deepEqual(coordinatorRows(network.id), []);
    assertNotFound(() => admin.removeCoordinator(eu, network.id, person), "removing twice");
    assert.deepEqual(auditSince(seq).map((e) => [e.action, e.object_type, e.object_id]), [
      ["network.coordinator_assigned", "network", network.id],
      ["network.coordinator_removed", "network", network.id],
    ]);
  });

  test("nobody outside the Equality Unit can assign or remove coordinators, not even the network's coordinator", () => {
    const network = make.insertNetwork("Locked Network");
    const people = outsiders(network.id);
    const before = coordinatorRows(network.id);
    const coordinatorId = people["the network's coordinator"]!.id;
    for (const [who, viewer] of Object.entries(people)) {
      assertNotFound(() => admin.assignCoordinator(viewer, network.id, viewer.id), `${who}: assign self`);
      assertNotFound(() => admin.removeCoordinator(viewer, network.id, coordinatorId), `${who}: remove`);
      assert.deepEqual(coordinatorRows(network.id), before, who);
    }
  });
});
