import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { freshDatabase } from "./helpers";

// The staff-facing network rules in db/queries/networks.ts, against a real SQLite file.
//
// Design choice, tested below: a non-member who asks for a network's member list or announcements gets
// NotFoundError (the same as for a network that does not exist), never an empty list. The page only asks for them
// for an active member, so for anyone else they are not even read.

type QueriesModule = typeof import("@/db/queries/networks");
type ValidationModule = typeof import("@/db/validation/networks");
type ClockModule = typeof import("@/lib/clock");
type ErrorsModule = typeof import("@/lib/errors");

let db: Db;
let q: QueriesModule;
let v: ValidationModule;
let clockLib: ClockModule;
let errors: ErrorsModule;
let realNow: () => Date;

const NOW = new Date("2026-11-25T12:00:00.000Z");

before(async () => {
  ({ db } = await freshDatabase());
  q = await import("@/db/queries/networks");
  v = await import("@/db/validation/networks");
  clockLib = await import("@/lib/clock");
  errors = await import("@/lib/errors");
  realNow = clockLib.clock.now;
  clockLib.clock.now = () => NOW;
});

after(() => {
  clockLib.clock.now = realNow;
});

type Status = "pending" | "active" | "declined" | "removed";
type Visibility = "visible" | "silent";

// Rows are written with plain SQL so that the code under test is the only Drizzle query in play.
function insertUser(name: string | null = "Test Person"): string {
  const id = randomUUID();
  db.$client.prepare("INSERT INTO users (id, email, name) VALUES (?, ?, ?)").run(id, `${id}@example.org`, name);
  return id;
}

function viewer(id: string, name = "Viewer"): SessionUser {
  return { id, email: `${id}@example.org`, name, textSize: "standard", isEqualityUnit: false, supporterId: null, coordinates: [] };
}

let networkCounter = 0;
function insertNetwork(
  options: { joinPolicy?: "open" | "approval"; status?: "active" | "archived"; name?: string; mailbox?: string | null } = {},
): { id: string; slug: string; name: string } {
  networkCounter += 1;
  const id = randomUUID();
  const slug = `network-${networkCounter}-${id.slice(0, 8)}`;
  const name = options.name ?? `Network ${networkCounter}`;
  db.$client
    .prepare(
      `INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join, offers, contact_mailbox,
         join_policy, status)
       VALUES (?, ?, ?, 'summary', 'description', 'who for', 'how to join', 'peer support', ?, ?, ?)`,
    )
    .run(id, slug, name, options.mailbox === undefined ? "net@example.org" : options.mailbox, options.joinPolicy ?? "open", options.status ?? "active");
  return { id, slug, name };
}

function insertMembership(networkId: string, userId: string, status: Status = "active", visibility: Visibility = "visible", reason: string | null = null): string {
  const id = randomUUID();
  db.$client
    .prepare(
      "INSERT INTO network_memberships (id, network_id, user_id, status, visibility, decision_reason) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .run(id, networkId, userId, status, visibility, reason);
  return id;
}

function insertCoordinator(networkId: string, userId: string): void {
  db.$client.prepare("INSERT INTO network_coordinators (network_id, user_id) VALUES (?, ?)").run(networkId, userId);
}

type MembershipRow = { id: string; user_id: string; status: Status; visibility: Visibility; request_note: string | null; decision_reason: string | null };

function membershipsOf(networkId: string): MembershipRow[] {
  return db.$client
    .prepare("SELECT id, user_id, status, visibility, request_note, decision_reason FROM network_memberships WHERE network_id = ? ORDER BY user_id")
    .all(networkId) as MembershipRow[];
}

function membershipOf(networkId: string, userId: string): MembershipRow | undefined {
  return membershipsOf(networkId).find((row) => row.user_id === userId);
}

type AuditRow = { seq: number; actor_id: string | null; action: string; object_type: string | null; object_id: string | null; outcome: string };

const lastSeq = (): number => (db.$client.prepare("SELECT coalesce(max(seq), 0) AS seq FROM audit_events").get() as { seq: number }).seq;
const auditAfter = (seq: number): AuditRow[] =>
  db.$client
    .prepare("SELECT seq, actor_id, action, object_type, object_id, outcome FROM audit_events WHERE seq > ? ORDER BY seq")
    .all(seq) as AuditRow[];

function assertNoNetworkInAudit(events: AuditRow[], network: { id: string; slug: string; name: string }): void {
  const text = JSON.stringify(events);
  for (const value of [network.id, network.slug, network.name]) assert.ok(!text.includes(value), `the audit events must not contain ${value}`);
}

// Counts the statements prepared while `work` runs, to show a page of networks is not one query per network.
function statementsDuring(work: () => void): number {
  const client = db.$client;
  const original = client.prepare.bind(client);
  let prepared = 0;
  client.prepare = ((source: string) => {
    prepared += 1;
    return original(source);
  }) as typeof client.prepare;
  try {
    work();
  } finally {
    client.prepare = original;
  }
  return prepared;
}

const isNotFound = (error: unknown) => error instanceof errors.NotFoundError;

function addMembers(networkId: string, n: number, visibility: Visibility = "visible"): string[] {
  return Array.from({ length: n }, () => {
    const userId = insertUser();
    insertMembership(networkId, userId, "active", visibility);
    return userId;
  });
}

describe("listActiveNetworks", () => {
  test("lists active networks only, with coordinators' names and the mailbox; archived networks never appear", () => {
    const active = insertNetwork({ name: "Aardvark Active Network" });
    const archived = insertNetwork({ name: "Aardvark Archived Network", status: "archived" });
    const coordinator = insertUser("Cora Ordinator");
    const leaver = insertUser("Lee Leaver");
    db.$client.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(NOW.getTime(), leaver);
    insertCoordinator(active.id, coordinator);
    insertCoordinator(active.id, leaver);
    insertCoordinator(archived.id, coordinator);

    const list = q.listActiveNetworks(viewer(insertUser()), 1);
    const slugs = list.entries.map((entry) => entry.slug);
    assert.ok(slugs.includes(active.slug));
    assert.ok(!slugs.includes(archived.slug));
    const entry = list.entries.find((e) => e.slug === active.slug);
    assert.deepEqual(entry?.coordinators, ["Cora Ordinator"], "a deactivated coordinator is not a contact point");
    assert.equal(entry?.contactMailbox, "net@example.org");
    assert.equal(entry?.memberCount, null);
    assert.equal(list.total, db.$client.prepare("SELECT count(*) AS n FROM networks WHERE status = 'active'").pluck().get());
  });

  test("member counts are suppressed below 5: only active, non-deactivated members count", () => {
    const network = insertNetwork();
    const members = addMembers(network.id, 4, "silent");
    // Not members: a pending request, a declined one, a removed member.
    for (const status of ["pending", "declined", "removed"] as const) insertMembership(network.id, insertUser(), status);
    const entry = () => q.listActiveNetworks(viewer(insertUser()), 1).entries.find((e) => e.slug === network.slug);
    assert.equal(entry()?.memberCount, null, "4 members: no count at all");

    const fifth = insertUser();
    insertMembership(network.id, fifth, "active", "silent");
    assert.equal(entry()?.memberCount, 5);

    db.$client.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(NOW.getTime(), members[0]);
    assert.equal(entry()?.memberCount, null, "a leaver does not count, and 4 is suppressed again");
  });

  test("one statement for a page of networks and their coordinators (plus one for the total), however many networks", () => {
    for (let i = 0; i < 3; i += 1) {
      const n = insertNetwork();
      insertCoordinator(n.id, insertUser(`Coordinator ${i}`));
      addMembers(n.id, 5);
    }
    const someone = viewer(insertUser());
    const statements = statementsDuring(() => q.listActiveNetworks(someone, 1));
    assert.ok(statements <= 2, `expected at most 2 statements, got ${statements}`);
  });

  test("paginates at 20 and clamps a page beyond the end to the last page", () => {
    const before = q.listActiveNetworks(viewer(insertUser()), 1).total;
    for (let i = before; i < 25; i += 1) insertNetwork();
    const first = q.listActiveNetworks(viewer(insertUser()), 1);
    assert.equal(first.entries.length, v.NETWORKS_PAGE_SIZE);
    assert.ok(first.pageCount >= 2);
    const last = q.listActiveNetworks(viewer(insertUser()), 999);
    assert.equal(last.page, first.pageCount);
    const seen = new Set([...first.entries, ...q.listActiveNetworks(viewer(insertUser()), 2).entries].map((e) => e.slug));
    assert.equal(seen.size, Math.min(first.total, 2 * v.NETWORKS_PAGE_SIZE), "pages do not overlap");
  });
});

describe("getNetworkPage", () => {
  test("an archived or unknown network is NotFoundError", () => {
    const archived = insertNetwork({ status: "archived" });
    const someone = viewer(insertUser());
    insertMembership(archived.id, someone.id);
    assert.throws(() => q.getNetworkPage(someone, archived.slug), isNotFound);
    assert.throws(() => q.getNetworkPage(someone, "no-such-network"), isNotFound);
  });

  test("returns the viewer's own membership and nothing about anyone else's", () => {
    const network = insertNetwork({ joinPolicy: "approval" });
    const member = viewer(insertUser());
    insertMembership(network.id, member.id, "declined", "silent", "Not the right network for this");
    addMembers(network.id, 3);

    const mine = q.getNetworkPage(member, network.slug);
    assert.equal(mine.membership?.status, "declined");
    assert.equal(mine.membership?.decisionReason, "Not the right network for this");
    assert.equal(mine.network.offers, "peer support");
    assert.equal(mine.network.memberCount, null);

    const stranger = q.getNetworkPage(viewer(insertUser()), network.slug);
    assert.equal(stranger.membership, null);
    assert.ok(!JSON.stringify(stranger).includes("Not the right network"), "another person's reason is not returned");
  });
});

describe("joinNetwork", () => {
  test("an open network: a member at once, with the chosen visibility, audited by membership id only", () => {
    const network = insertNetwork({ joinPolicy: "open" });
    const person = viewer(insertUser());
    const seq = lastSeq();

    const result = q.joinNetwork(person, v.JoinInput.parse({ slug: network.slug, visibility: "visible", note: "ignored here" }));

    assert.equal(result.status, "active");
    assert.equal(result.changed, true);
    const row = membershipOf(network.id, person.id);
    assert.equal(row?.id, result.membershipId);
    assert.equal(row?.status, "active");
    assert.equal(row?.visibility, "visible");
    assert.equal(row?.request_note, null, "an open network has no decision, so no note is kept");
    const events = auditAfter(seq);
    assert.deepEqual(
      events.map((e) => [e.actor_id, e.action, e.object_type, e.object_id, e.outcome]),
      [[person.id, "network_membership.joined", "network_membership", result.membershipId, "success"]],
    );
    assertNoNetworkInAudit(events, network);
  });

  test("an approval network: pending with the note, and each live coordinator gets a content-free notification", () => {
    const network = insertNetwork({ joinPolicy: "approval" });
    const coordinator = insertUser("Coordinator");
    const leaver = insertUser("Leaving Coordinator");
    db.$client.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(NOW.getTime(), leaver);
    insertCoordinator(network.id, coordinator);
    insertCoordinator(network.id, leaver);
    const person = viewer(insertUser());
    const seq = lastSeq();

    const result = q.joinNetwork(person, v.JoinInput.parse({ slug: network.slug, visibility: "silent", note: "  I work nights.  " }));

    assert.equal(result.status, "pending");
    const row = membershipOf(network.id, person.id);
    assert.equal(row?.status, "pending");
    assert.equal(row?.request_note, "I work nights.");
    const notes = db.$client
      .prepare("SELECT user_id, kind, link FROM notifications WHERE user_id IN (?, ?, ?)")
      .all(coordinator, leaver, person.id) as { user_id: string; kind: string; link: string }[];
    assert.deepEqual(notes, [{ user_id: coordinator, kind: "network.join_requested", link: `/networks/${network.slug}/manage` }]);
    const mail = db.$client
      .prepare("SELECT to_address, kind FROM mail_outbox WHERE to_address = ?")
      .all(`${coordinator}@example.org`) as { to_address: string; kind: string }[];
    assert.deepEqual(mail, [{ to_address: `${coordinator}@example.org`, kind: "network.join_requested" }]);
    const events = auditAfter(seq);
    assert.deepEqual(events.map((e) => [e.action, e.object_type, e.object_id]), [["network_membership.requested", "network_membership", result.membershipId]]);
    assertNoNetworkInAudit(events, network);
  });

  test("joining twice is idempotent: one row, no second audit event, no second notification", () => {
    const open = insertNetwork({ joinPolicy: "open" });
    const approval = insertNetwork({ joinPolicy: "approval" });
    const coordinator = insertUser();
    insertCoordinator(approval.id, coordinator);
    const person = viewer(insertUser());
    const first = q.joinNetwork(person, v.JoinInput.parse({ slug: open.slug, visibility: "silent" }));
    const firstRequest = q.joinNetwork(person, v.JoinInput.parse({ slug: approval.slug, visibility: "silent", note: "first" }));
    const seq = lastSeq();

    const again = q.joinNetwork(person, v.JoinInput.parse({ slug: open.slug, visibility: "visible" }));
    const requestAgain = q.joinNetwork(person, v.JoinInput.parse({ slug: approval.slug, visibility: "visible", note: "second" }));

    assert.deepEqual(again, { membershipId: first.membershipId, status: "active", changed: false });
    assert.deepEqual(requestAgain, { membershipId: firstRequest.membershipId, status: "pending", changed: false });
    assert.equal(membershipsOf(open.id).length, 1);
    assert.equal(membershipOf(open.id, person.id)?.visibility, "silent", "a second join does not change the first");
    assert.equal(membershipOf(approval.id, person.id)?.request_note, "first");
    assert.deepEqual(auditAfter(seq), []);
    const notified = db.$client.prepare("SELECT count(*) FROM notifications WHERE user_id = ?").pluck().get(coordinator);
    assert.equal(notified, 1);
  });

  test("the unique index stops a second row for the same person and network whatever the code does", () => {
    const network = insertNetwork();
    const person = insertUser();
    insertMembership(network.id, person);
    assert.throws(() => insertMembership(network.id, person), /UNIQUE/);
  });

  test("an archived or unknown network cannot be joined", () => {
    const archived = insertNetwork({ status: "archived" });
    const person = viewer(insertUser());
    const seq = lastSeq();
    assert.throws(() => q.joinNetwork(person, v.JoinInput.parse({ slug: archived.slug, visibility: "silent" })), isNotFound);
    assert.throws(() => q.joinNetwork(person, v.JoinInput.parse({ slug: "no-such-network", visibility: "silent" })), isNotFound);
    assert.deepEqual(membershipsOf(archived.id), []);
    assert.deepEqual(auditAfter(seq), []);
  });

  test("after a decline, asking again replaces the row: pending again, the old reason cleared", () => {
    const network = insertNetwork({ joinPolicy: "approval" });
    const person = viewer(insertUser());
    const id = insertMembership(network.id, person.id, "declined", "silent", "Please speak to me first");

    const result = q.joinNetwork(person, v.JoinInput.parse({ slug: network.slug, visibility: "visible", note: "Spoke to you" }));

    assert.deepEqual(result, { membershipId: id, status: "pending", changed: true });
    const row = membershipOf(network.id, person.id);
    assert.equal(row?.status, "pending");
    assert.equal(row?.decision_reason, null);
    assert.equal(row?.request_note, "Spoke to you");
    assert.equal(row?.visibility, "visible");
  });

  test("a user id in the input is ignored: the row is always the viewer's", () => {
    const network = insertNetwork({ joinPolicy: "open" });
    const person = viewer(insertUser());
    const victim = insertUser();
    const parsed = v.JoinInput.parse({ slug: network.slug, visibility: "visible", userId: victim, user_id: victim });
    assert.ok(!("userId" in parsed) && !("user_id" in parsed), "the schema drops a user id");
    // Even if one got through, the data access layer takes the person from the viewer alone.
    const smuggled = { ...parsed, userId: victim };
    q.joinNetwork(person, smuggled);
    assert.deepEqual(membershipsOf(network.id).map((row) => row.user_id), [person.id]);
  });
});

describe("setVisibility", () => {
  test("switches the viewer's own visibility and audits it", () => {
    const network = insertNetwork();
    const person = viewer(insertUser());
    const id = insertMembership(network.id, person.id, "active", "silent");
    const other = insertUser();
    insertMembership(network.id, other, "active", "silent");
    const seq = lastSeq();

    q.setVisibility(person, v.VisibilityInput.parse({ slug: network.slug, visibility: "visible", userId: other }));

    assert.equal(membershipOf(network.id, person.id)?.visibility, "visible");
    assert.equal(membershipOf(network.id, other)?.visibility, "silent", "another member's row is untouched");
    const events = auditAfter(seq);
    assert.deepEqual(events.map((e) => [e.action, e.object_type, e.object_id]), [["network_membership.visibility_changed", "network_membership", id]]);
    assertNoNetworkInAudit(events, network);
  });

  test("a non-member, or a member of an archived network, gets NotFoundError and changes nothing", () => {
    const network = insertNetwork();
    const archived = insertNetwork({ status: "archived" });
    const person = viewer(insertUser());
    insertMembership(archived.id, person.id, "active", "silent");
    const seq = lastSeq();
    assert.throws(() => q.setVisibility(person, { slug: network.slug, visibility: "visible" }), isNotFound);
    assert.throws(() => q.setVisibility(person, { slug: archived.slug, visibility: "visible" }), isNotFound);
    assert.equal(membershipOf(archived.id, person.id)?.visibility, "silent");
    assert.deepEqual(auditAfter(seq), []);
  });
});

describe("leaveNetwork", () => {
  test("leaving deletes the row at once and audits network_membership.left with the deleted row's id", () => {
    const network = insertNetwork();
    const person = viewer(insertUser());
    const id = insertMembership(network.id, person.id);
    const other = insertUser();
    insertMembership(network.id, other);
    const seq = lastSeq();

    const result = q.leaveNetwork(person, v.LeaveInput.parse({ slug: network.slug, userId: other }));

    assert.deepEqual(result, { membershipId: id, previousStatus: "active" });
    assert.deepEqual(membershipsOf(network.id).map((row) => row.user_id), [other], "the row is gone, not flagged");
    const events = auditAfter(seq);
    assert.deepEqual(events.map((e) => [e.actor_id, e.action, e.object_type, e.object_id]), [[person.id, "network_membership.left", "network_membership", id]]);
    assertNoNetworkInAudit(events, network);

    assert.throws(() => q.leaveNetwork(person, { slug: network.slug }), isNotFound, "leaving twice finds nothing");
  });

  test("withdrawing a request and clearing a decline also delete the row", () => {
    const network = insertNetwork({ joinPolicy: "approval" });
    const other = insertNetwork({ joinPolicy: "approval" });
    const person = viewer(insertUser());
    insertMembership(network.id, person.id, "pending");
    insertMembership(other.id, person.id, "declined", "silent", "No");
    const seq = lastSeq();
    q.leaveNetwork(person, { slug: network.slug });
    q.leaveNetwork(person, { slug: other.slug });
    assert.deepEqual(membershipsOf(network.id), []);
    assert.deepEqual(membershipsOf(other.id), []);
    assert.deepEqual(auditAfter(seq).map((e) => e.action), ["network_membership.withdrawn", "network_membership.cleared"]);
  });

  test("a person can leave a network that has since been archived", () => {
    const archived = insertNetwork({ status: "archived" });
    const person = viewer(insertUser());
    insertMembership(archived.id, person.id);
    q.leaveNetwork(person, { slug: archived.slug });
    assert.deepEqual(membershipsOf(archived.id), []);
  });

  test("a non-member's leave changes nothing for anyone", () => {
    const network = insertNetwork();
    const member = insertUser();
    insertMembership(network.id, member);
    const stranger = viewer(insertUser());
    assert.throws(() => q.leaveNetwork(stranger, { slug: network.slug }), isNotFound);
    assert.deepEqual(membershipsOf(network.id).map((row) => row.user_id), [member]);
  });
});

describe("listVisibleMembers", () => {
  test("members see visible members only; silent members are never listed; the viewer is marked", () => {
    const network = insertNetwork();
    const alice = insertUser("Alice Visible");
    const sam = insertUser("Sam Silent");
    const pat = insertUser("Pat Pending");
    const leaver = insertUser("Lee Leaver");
    insertMembership(network.id, alice, "active", "visible");
    insertMembership(network.id, sam, "active", "silent");
    insertMembership(network.id, pat, "pending", "visible");
    insertMembership(network.id, leaver, "active", "visible");
    db.$client.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(NOW.getTime(), leaver);
    insertMembership(network.id, insertUser("Rory Removed"), "removed", "visible");

    assert.deepEqual(q.listVisibleMembers(viewer(alice), network.slug, 1).members, [{ name: "Alice Visible", isViewer: true }]);
    // A silent member sees the visible ones, and not themself (they are not visible to anyone else either).
    const silentView = q.listVisibleMembers(viewer(sam), network.slug, 1);
    assert.deepEqual(silentView.members, [{ name: "Alice Visible", isViewer: false }]);
    assert.equal(silentView.total, 1);
  });

  test("non-members get NotFoundError, not a list: strangers, people waiting, declined and removed people", () => {
    const network = insertNetwork({ joinPolicy: "approval" });
    addMembers(network.id, 6);
    const people = (["pending", "declined", "removed"] as const).map((status) => {
      const id = insertUser();
      insertMembership(network.id, id, status);
      return id;
    });
    for (const id of [insertUser(), ...people]) {
      assert.throws(() => q.listVisibleMembers(viewer(id), network.slug, 1), isNotFound);
      assert.throws(() => q.listAnnouncements(viewer(id), network.slug, 1), isNotFound);
    }
  });

  test("a member of another network learns nothing about this one", () => {
    const network = insertNetwork();
    const otherNetwork = insertNetwork();
    addMembers(network.id, 2);
    const outsider = insertUser();
    insertMembership(otherNetwork.id, outsider);
    assert.throws(() => q.listVisibleMembers(viewer(outsider), network.slug, 1), isNotFound);
  });

  test("an archived network's members are not listed even to its members", () => {
    const archived = insertNetwork({ status: "archived" });
    const [member] = addMembers(archived.id, 2);
    assert.throws(() => q.listVisibleMembers(viewer(member!), archived.slug, 1), isNotFound);
  });

  test("paginates the list", () => {
    const network = insertNetwork();
    const [first] = addMembers(network.id, v.MEMBERS_PAGE_SIZE + 3);
    const page1 = q.listVisibleMembers(viewer(first!), network.slug, 1);
    const page2 = q.listVisibleMembers(viewer(first!), network.slug, 2);
    assert.equal(page1.total, v.MEMBERS_PAGE_SIZE + 3);
    assert.equal(page1.members.length, v.MEMBERS_PAGE_SIZE);
    assert.equal(page2.members.length, 3);
    assert.equal(page1.pageCount, 2);
  });
});

describe("listAnnouncements", () => {
  test("active members (silent ones too) read the network's announcements, newest first, paginated", () => {
    const network = insertNetwork();
    const otherNetwork = insertNetwork();
    const silent = insertUser();
    insertMembership(network.id, silent, "active", "silent");
    const insert = (networkId: string, title: string, at: number) =>
      db.$client
        .prepare("INSERT INTO network_announcements (id, network_id, title, body, created_at) VALUES (?, ?, ?, 'body', ?)")
        .run(randomUUID(), networkId, title, at);
    for (let i = 0; i < v.ANNOUNCEMENTS_PAGE_SIZE + 2; i += 1) insert(network.id, `Announcement ${i}`, NOW.getTime() + i * 1000);
    insert(otherNetwork.id, "Another network's news", NOW.getTime() + 999_999);

    const page1 = q.listAnnouncements(viewer(silent), network.slug, 1);
    assert.equal(page1.total, v.ANNOUNCEMENTS_PAGE_SIZE + 2);
    assert.equal(page1.announcements[0]?.title, `Announcement ${v.ANNOUNCEMENTS_PAGE_SIZE + 1}`);
    assert.ok(page1.announcements.every((a) => a.title !== "Another network's news"));
    const page2 = q.listAnnouncements(viewer(silent), network.slug, 2);
    assert.deepEqual(page2.announcements.map((a) => a.title), ["Announcement 1", "Announcement 0"]);
  });

  test("a member of a network with no announcements gets an empty page, not NotFoundError", () => {
    const network = insertNetwork();
    const [member] = addMembers(network.id, 1);
    assert.deepEqual(q.listAnnouncements(viewer(member!), network.slug, 1), { announcements: [], total: 0, page: 1, pageCount: 1 });
  });
});

describe("listMyNetworks", () => {
  test("every network the viewer belongs to or asked to join, archived ones included, and only the viewer's", () => {
    const a = insertNetwork({ name: "Zz Alpha" });
    const b = insertNetwork({ name: "Zz Beta", joinPolicy: "approval" });
    const c = insertNetwork({ name: "Zz Gamma", status: "archived" });
    insertNetwork({ name: "Zz Delta" });
    const person = viewer(insertUser());
    insertMembership(a.id, person.id, "active", "silent");
    insertMembership(b.id, person.id, "pending", "visible");
    insertMembership(c.id, person.id, "removed", "visible");
    insertMembership(a.id, insertUser(), "active", "visible");

    assert.deepEqual(q.listMyNetworks(person), [
      { slug: a.slug, name: "Zz Alpha", joinPolicy: "open", status: "active", visibility: "silent", networkActive: true },
      { slug: b.slug, name: "Zz Beta", joinPolicy: "approval", status: "pending", visibility: "visible", networkActive: true },
      { slug: c.slug, name: "Zz Gamma", joinPolicy: "open", status: "removed", visibility: "visible", networkActive: false },
    ]);
  });
});

describe("validation", () => {
  test("a note over 500 characters is refused; a blank note is no note", () => {
    const slug = "some-network";
    const long = v.JoinInput.safeParse({ slug, visibility: "silent", note: "x".repeat(v.REQUEST_NOTE_MAX + 1) });
    assert.equal(long.success, false);
    assert.equal(v.JoinInput.parse({ slug, visibility: "silent", note: "   " }).note, null);
    assert.equal(v.JoinInput.parse({ slug, visibility: "silent", note: "x".repeat(v.REQUEST_NOTE_MAX) }).note?.length, v.REQUEST_NOTE_MAX);
  });

  test("visibility must be chosen from the two options; slugs must look like slugs", () => {
    assert.equal(v.JoinInput.safeParse({ slug: "a-network", visibility: "public" }).success, false);
    assert.equal(v.JoinInput.safeParse({ slug: "a-network" }).success, false);
    assert.equal(v.LeaveInput.safeParse({ slug: "../admin" }).success, false);
    assert.equal(v.parseSlug("LGBT Network"), null);
    assert.equal(v.parseSlug("lgbt-plus-network"), "lgbt-plus-network");
  });
});
