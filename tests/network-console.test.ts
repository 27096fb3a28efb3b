import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { csvCell } from "@/lib/csv";
import { factories } from "./factories";
import { freshDatabase } from "./helpers";

type ConsoleModule = typeof import("@/db/queries/network-console");
type UsersModule = typeof import("@/db/queries/users");
type ValidationModule = typeof import("@/db/validation/network-console");
type ErrorsModule = typeof import("@/lib/errors");

let db: Db;
let make: ReturnType<typeof factories>;
let consoleQueries: ConsoleModule;
let users: UsersModule;
let validation: ValidationModule;
let errors: ErrorsModule;

before(async () => {
  ({ db } = await freshDatabase());
  make = factories(db);
  consoleQueries = await import("@/db/queries/network-console");
  users = await import("@/db/queries/users");
  validation = await import("@/db/validation/network-console");
  errors = await import("@/lib/errors");
});

type Status = "pending" | "active" | "declined" | "removed";

function addMembership(
  networkId: string,
  userId: string,
  status: Status,
  visibility: "visible" | "silent" = "visible",
  note: string | null = null,
  requestedAt = Date.now(),
): string {
  const id = randomUUID();
  db.$client
    .prepare(
      `INSERT INTO network_memberships (id, network_id, user_id, status, visibility, request_note, created_at, decided_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, networkId, userId, status, visibility, note, requestedAt, status === "pending" ? null : requestedAt);
  return id;
}

function grantEqualityUnit(userId: string): void {
  db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(userId);
}

function viewerFor(userId: string): SessionUser {
  const viewer = users.loadSessionUser(userId);
  assert.ok(viewer, "the user loads");
  return viewer;
}

type MembershipRow = { status: string; decision_reason: string | null; decided_at: number | null };
const membership = (id: string): MembershipRow =>
  db.$client.prepare("SELECT status, decision_reason, decided_at FROM network_memberships WHERE id = ?").get(id) as MembershipRow;

type NotificationRow = { user_id: string; kind: string; link: string };
const notificationsFor = (userId: string): NotificationRow[] =>
  db.$client.prepare("SELECT user_id, kind, link FROM notifications WHERE user_id = ? ORDER BY created_at, id").all(userId) as NotificationRow[];
const mailCountFor = (userId: string): number =>
  (
    db.$client
      .prepare("SELECT count(*) AS n FROM mail_outbox WHERE to_address = (SELECT email FROM users WHERE id = ?)")
      .get(userId) as { n: number }
  ).n;

const counts = () =>
  db.$client
    .prepare(
      `SELECT (SELECT count(*) FROM notifications) AS notifications, (SELECT count(*) FROM mail_outbox) AS mail,
              (SELECT count(*) FROM network_announcements) AS announcements`,
    )
    .get() as { notifications: number; mail: number; announcements: number };

/**
 * A network with its coordinator, members in every state, and everyone the permission matrix says must get
 * nothing: a coordinator of another network, a visible and a silent member, the Equality Unit and plain staff.
 */
function scenario() {
  const network = make.insertNetwork("Rainbow Network");
  const other = make.insertNetwork("Other Network");
  const coordinator = make.insertUser("Cora Coordinator");
  make.addCoordinator(network.id, coordinator);
  const otherCoordinator = make.insertUser("Otto Othercoordinator");
  make.addCoordinator(other.id, otherCoordinator);

  const visible = make.insertUser("Vera Visible");
  const silent = make.insertUser("Simon Silent");
  const pending = make.insertUser("Penny Pending");
  const secondPending = make.insertUser("Pat Secondpending");
  const declined = make.insertUser("Derek Declined");
  const removed = make.insertUser("Rita Removed");
  const leaver = make.insertUser("Lee Leaver", { deactivated: true });
  const otherMember = make.insertUser("Olive Othermember");
  const equalityUnit = make.insertUser("Eva Equality");
  grantEqualityUnit(equalityUnit);
  const staff = make.insertUser("Sid Staff");

  const ids = {
    visible: addMembership(network.id, visible, "active", "visible"),
    silent: addMembership(network.id, silent, "active", "silent"),
    pending: addMembership(network.id, pending, "pending", "silent", "Please let me in", Date.now() - 60_000),
    secondPending: addMembership(network.id, secondPending, "pending", "visible", null),
    declined: addMembership(network.id, declined, "declined"),
    removed: addMembership(network.id, removed, "removed"),
    leaver: addMembership(network.id, leaver, "active"),
    otherMember: addMembership(other.id, otherMember, "active"),
  };
  return {
    network,
    other,
    users: { coordinator, otherCoordinator, visible, silent, pending, secondPending, declined, removed, leaver, otherMember, equalityUnit, staff },
    ids,
    // Everyone who must be refused: "not yours" and "does not exist" are the same NotFoundError.
    refused: () => ({
      "coordinator of another network": viewerFor(otherCoordinator),
      "visible member": viewerFor(visible),
      "silent member": viewerFor(silent),
      "Equality Unit": viewerFor(equalityUnit),
      "other staff": viewerFor(staff),
    }),
  };
}

function assertNotFound(work: () => unknown, message: string): void {
  assert.throws(work, (error: unknown) => error instanceof errors.NotFoundError, message);
}

describe("reading the console", () => {
  test("the coordinator sees every active member, silent ones included, and the pending requests with their notes", () => {
    const s = scenario();
    consoleQueries.assertCoordinates(viewerFor(s.users.coordinator), s.network.id);
    const overview = consoleQueries.getConsoleOverview(viewerFor(s.users.coordinator), s.network.slug, { page: 1, requests: 1 });
    assert.deepEqual(overview.network, { id: s.network.id, slug: s.network.slug, name: "Rainbow Network", joinPolicy: "approval" });
    assert.deepEqual(
      overview.members.items.map((m) => [m.name, m.visibility]),
      [
        ["Simon Silent", "silent"],
        ["Vera Visible", "visible"],
      ],
    );
    assert.equal(overview.members.total, 2);
    // Oldest request first, with the person's own note.
    assert.deepEqual(
      overview.requests.items.map((r) => [r.name, r.note]),
      [
        ["Penny Pending", "Please let me in"],
        ["Pat Secondpending", null],
      ],
    );
    const serialised = JSON.stringify(overview);
    for (const name of ["Derek Declined", "Rita Removed", "Lee Leaver", "Olive Othermember"]) {
      assert.ok(!serialised.includes(name), `${name} is not in the console`);
    }
    // No contact details on the page; they are only in the audited export.
    assert.ok(!serialised.includes("@example.org"));
  });

  test("everyone else gets NotFoundError for every read, exactly as for a network that does not exist", () => {
    const s = scenario();
    for (const [who, viewer] of Object.entries(s.refused())) {
      assertNotFound(() => consoleQueries.getConsoleNetwork(viewer, s.network.slug), `${who}: network`);
      assertNotFound(() => consoleQueries.getConsoleOverview(viewer, s.network.slug, { page: 1, requests: 1 }), `${who}: overview`);
      assertNotFound(() => consoleQueries.getPendingRequest(viewer, s.network.slug, s.ids.pending), `${who}: pending request`);
      assertNotFound(() => consoleQueries.getActiveMember(viewer, s.network.slug, s.ids.silent), `${who}: member`);
      assertNotFound(() => consoleQueries.exportMembersCsv(viewer, s.network.slug), `${who}: export`);
      assertNotFound(() => consoleQueries.assertCoordinates(viewer, s.network.id), `${who}: action guard`);
      assert.equal(consoleQueries.countAnnouncementRecipients(viewer, s.network.id), 0, `${who}: recipient count`);
      assert.deepEqual(consoleQueries.listRecentAnnouncements(viewer, s.network.id), [], `${who}: announcements`);
    }
    assertNotFound(
      () => consoleQueries.getConsoleOverview(viewerFor(s.users.coordinator), "no-such-network", { page: 1, requests: 1 }),
      "a network that does not exist",
    );
  });

  test("a coordinator cannot reach another network's rows through their own network's address", () => {
    const s = scenario();
    const coordinator = viewerFor(s.users.coordinator);
    assertNotFound(() => consoleQueries.getActiveMember(coordinator, s.network.slug, s.ids.otherMember), "other network's member");
    assertNotFound(() => consoleQueries.getActiveMember(coordinator, s.other.slug, s.ids.otherMember), "other network's console");
    // A pending request is not a member, and a member is not a pending request.
    assertNotFound(() => consoleQueries.getActiveMember(coordinator, s.network.slug, s.ids.pending), "pending as member");
    assertNotFound(() => consoleQueries.getPendingRequest(coordinator, s.network.slug, s.ids.visible), "member as request");
  });

  test("an archived network has no console, even for its coordinator", () => {
    const s = scenario();
    db.$client.prepare("UPDATE networks SET status = 'archived' WHERE id = ?").run(s.network.id);
    const coordinator = viewerFor(s.users.coordinator);
    assertNotFound(() => consoleQueries.getConsoleOverview(coordinator, s.network.slug, { page: 1, requests: 1 }), "overview");
    assertNotFound(() => consoleQueries.approveRequest(coordinator, s.network.id, s.ids.pending), "approve");
    assertNotFound(() => consoleQueries.exportMembersCsv(coordinator, s.network.slug), "export");
    assert.equal(membership(s.ids.pending).status, "pending");
  });

  test("members are paginated, and a page beyond the end shows the last page", () => {
    const network = make.insertNetwork("Big Network");
    const coordinator = make.insertUser("Big Coordinator");
    make.addCoordinator(network.id, coordinator);
    for (let i = 0; i < 30; i += 1) addMembership(network.id, make.insertUser(`Member ${String(i).padStart(2, "0")}`), "active");
    const viewer = viewerFor(coordinator);
    const first = consoleQueries.getConsoleOverview(viewer, network.slug, { page: 1, requests: 1 });
    assert.equal(first.members.items.length, validation.CONSOLE_PAGE_SIZE);
    assert.equal(first.members.total, 30);
    assert.equal(first.members.pageCount, 2);
    const beyond = consoleQueries.getConsoleOverview(viewer, network.slug, { page: 99, requests: 1 });
    assert.equal(beyond.members.page, 2);
    assert.deepEqual(
      beyond.members.items.map((m) => m.name),
      ["Member 25", "Member 26", "Member 27", "Member 28", "Member 29"],
    );
  });

  test("members are listed by their current name, ignoring case, however the name changed", () => {
    const network = make.insertNetwork("Renaming Network");
    const coordinator = make.insertUser("Renaming Coordinator");
    make.addCoordinator(network.id, coordinator);
    const bea = make.insertUser("bea Lowercase");
    const zed = make.insertUser("Zed Later");
    const amy = make.insertUser("Amy First");
    const nameless = make.insertUser(null);
    for (const user of [bea, zed, amy, nameless]) addMembership(network.id, user, "active");
    const viewer = viewerFor(coordinator);
    const names = () => consoleQueries.getConsoleOverview(viewer, network.slug, { page: 1, requests: 1 }).members.items.map((m) => m.name);
    assert.deepEqual(names(), [consoleQueries.NAME_FALLBACK, "Amy First", "bea Lowercase", "Zed Later"]);

    // The order follows a rename after joining (the copy on the membership is kept current by a trigger).
    db.$client.prepare("UPDATE users SET name = ? WHERE id = ?").run("Aaron Renamed", zed);
    db.$client.prepare("UPDATE users SET name = ? WHERE id = ?").run("Yan Named Later", nameless);
    assert.deepEqual(names(), ["Aaron Renamed", "Amy First", "bea Lowercase", "Yan Named Later"]);
  });

  test("the members page and the pending requests are read in index order, not sorted whole", () => {
    const s = scenario();
    const source = (pattern: RegExp) => {
      const statements: string[] = [];
      const original = db.$client.prepare.bind(db.$client);
      db.$client.prepare = ((sql: string) => {
        statements.push(sql);
        return original(sql);
      }) as typeof db.$client.prepare;
      try {
        consoleQueries.getConsoleOverview(viewerFor(s.users.coordinator), s.network.slug, { page: 1, requests: 1 });
      } finally {
        db.$client.prepare = original;
      }
      const found = statements.find((sql) => pattern.test(sql));
      assert.ok(found, `a statement matching ${pattern}`);
      return found;
    };
    for (const [pattern, index] of [
      [/"network_memberships"\."visibility"/, "network_memberships_network_status_name_idx"],
      [/"network_memberships"\."request_note"/, "network_memberships_network_status_requested_idx"],
    ] as const) {
      const sql = source(pattern);
      // The plan does not depend on the values bound (the test database has no statistics), so nulls will do.
      const params = Array.from(sql.matchAll(/\?/g), () => null);
      const plan = db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
      const details = plan.map((row) => row.detail).join("\n");
      assert.match(details, new RegExp(`USING INDEX ${index}`), details);
      assert.doesNotMatch(details, /TEMP B-TREE FOR ORDER BY/, details);
    }
  });
});

describe("decisions", () => {
  test("approving makes the request an active membership, tells the person without content, and audits the opaque id", () => {
    const s = scenario();
    const seq = make.lastSeq();
    const { slug } = consoleQueries.approveRequest(viewerFor(s.users.coordinator), s.network.id, s.ids.pending);
    assert.equal(slug, s.network.slug);
    const row = membership(s.ids.pending);
    assert.equal(row.status, "active");
    assert.equal(row.decision_reason, null);
    assert.ok(row.decided_at);
    assert.deepEqual(notificationsFor(s.users.pending), [
      { user_id: s.users.pending, kind: "network.request_decided", link: `/networks/${s.network.slug}` },
    ]);
    assert.equal(mailCountFor(s.users.pending), 1);
    assert.deepEqual(
      make.auditSince(seq).map((e) => [e.actor_id, e.action, e.object_type, e.object_id, e.outcome]),
      [[s.users.coordinator, "network_membership.approved", "network_membership", s.ids.pending, "success"]],
    );
  });

  test("declining keeps the reason on the membership row, never in the audit event", () => {
    const s = scenario();
    const seq = make.lastSeq();
    const reason = "This network is for staff based in the north of the force area.";
    consoleQueries.declineRequest(viewerFor(s.users.coordinator), s.network.id, s.ids.pending, reason);
    const row = membership(s.ids.pending);
    assert.equal(row.status, "declined");
    assert.equal(row.decision_reason, reason);
    assert.ok(row.decided_at);
    assert.deepEqual(notificationsFor(s.users.pending).map((n) => n.kind), ["network.request_decided"]);
    const events = make.auditSince(seq);
    assert.deepEqual(events.map((e) => [e.action, e.object_type, e.object_id]), [["network_membership.declined", "network_membership", s.ids.pending]]);
    const serialised = JSON.stringify(events);
    for (const text of [reason, "north", s.network.slug, s.network.name, "Penny"]) assert.ok(!serialised.includes(text), text);
  });

  test("removing a member records the reason and tells them", () => {
    const s = scenario();
    const seq = make.lastSeq();
    consoleQueries.removeMember(viewerFor(s.users.coordinator), s.network.id, s.ids.silent, "Left the force area");
    const row = membership(s.ids.silent);
    assert.equal(row.status, "removed");
    assert.equal(row.decision_reason, "Left the force area");
    assert.deepEqual(notificationsFor(s.users.silent), [
      { user_id: s.users.silent, kind: "network.membership_removed", link: `/networks/${s.network.slug}` },
    ]);
    assert.deepEqual(make.auditSince(seq).map((e) => [e.action, e.object_id]), [["network_membership.removed", s.ids.silent]]);
  });

  test("nobody but the network's coordinator can approve, decline or remove: NotFoundError and nothing changes", () => {
    const s = scenario();
    for (const [who, viewer] of Object.entries(s.refused())) {
      const before = counts();
      const seq = make.lastSeq();
      assertNotFound(() => consoleQueries.approveRequest(viewer, s.network.id, s.ids.pending), `${who}: approve`);
      assertNotFound(() => consoleQueries.declineRequest(viewer, s.network.id, s.ids.pending, "No"), `${who}: decline`);
      assertNotFound(() => consoleQueries.removeMember(viewer, s.network.id, s.ids.silent, "No"), `${who}: remove`);
      assert.equal(membership(s.ids.pending).status, "pending", who);
      assert.equal(membership(s.ids.silent).status, "active", who);
      assert.deepEqual(counts(), before, `${who}: no notification, mail or announcement`);
      assert.deepEqual(make.auditSince(seq), [], `${who}: no audit event of a change`);
    }
  });

  test("a coordinator cannot decide another network's memberships, nor a row in the wrong state", () => {
    const s = scenario();
    const coordinator = viewerFor(s.users.coordinator);
    const otherPending = addMembership(s.other.id, make.insertUser("Quentin Otherpending"), "pending");
    // With the other network's id, and with their own network's id and the other's membership.
    assertNotFound(() => consoleQueries.approveRequest(coordinator, s.other.id, otherPending), "other network");
    assertNotFound(() => consoleQueries.approveRequest(coordinator, s.network.id, otherPending), "mismatched ids");
    assertNotFound(() => consoleQueries.removeMember(coordinator, s.network.id, s.ids.otherMember, "x"), "other member");
    assert.equal(membership(otherPending).status, "pending");
    assert.equal(membership(s.ids.otherMember).status, "active");
    // Wrong states: approving a member, removing a pending request, deciding twice.
    assertNotFound(() => consoleQueries.approveRequest(coordinator, s.network.id, s.ids.visible), "approve a member");
    assertNotFound(() => consoleQueries.removeMember(coordinator, s.network.id, s.ids.pending, "x"), "remove a request");
    assertNotFound(() => consoleQueries.approveRequest(coordinator, s.network.id, s.ids.declined), "approve a declined request");
    consoleQueries.declineRequest(coordinator, s.network.id, s.ids.pending, "Not this time");
    assertNotFound(() => consoleQueries.approveRequest(coordinator, s.network.id, s.ids.pending), "approve after decline");
    assert.equal(membership(s.ids.pending).status, "declined");
  });

  test("a coordinator who loses the role mid-session is refused at once", () => {
    const s = scenario();
    const viewer = viewerFor(s.users.coordinator);
    db.$client.prepare("DELETE FROM network_coordinators WHERE user_id = ?").run(s.users.coordinator);
    assertNotFound(() => consoleQueries.approveRequest(viewer, s.network.id, s.ids.pending), "approve");
    assertNotFound(() => consoleQueries.getConsoleNetwork(viewer, s.network.slug), "read");
    assert.equal(membership(s.ids.pending).status, "pending");
  });
});

describe("announcements", () => {
  test("one notification and one email per active member, silent ones too; nobody else; stored once", () => {
    const s = scenario();
    const before = counts();
    const seq = make.lastSeq();
    const { recipients } = consoleQueries.sendAnnouncement(viewerFor(s.users.coordinator), {
      networkId: s.network.id,
      title: "Summer social",
      body: "Join us at the sports club on Friday.",
    });
    assert.equal(recipients, 2);
    const after = counts();
    assert.equal(after.announcements, before.announcements + 1);
    assert.equal(after.notifications, before.notifications + 2);
    assert.equal(after.mail, before.mail + 2);
    for (const member of [s.users.visible, s.users.silent]) {
      assert.deepEqual(notificationsFor(member), [{ user_id: member, kind: "network.announcement", link: `/networks/${s.network.slug}` }]);
      assert.equal(mailCountFor(member), 1);
    }
    for (const nobody of [
      s.users.pending,
      s.users.secondPending,
      s.users.declined,
      s.users.removed,
      s.users.leaver,
      s.users.otherMember,
      s.users.coordinator,
      s.users.otherCoordinator,
      s.users.equalityUnit,
      s.users.staff,
    ]) {
      assert.deepEqual(notificationsFor(nobody), [], "only active members are told");
    }
    // The notification and the email carry nothing of the announcement; the announcement is stored once.
    const stored = db.$client.prepare("SELECT network_id, author_id, title, body FROM network_announcements WHERE network_id = ?").all(s.network.id);
    assert.deepEqual(stored, [{ network_id: s.network.id, author_id: s.users.coordinator, title: "Summer social", body: "Join us at the sports club on Friday." }]);
    const outbox = JSON.stringify(db.$client.prepare("SELECT * FROM mail_outbox").all());
    const notifications = JSON.stringify(db.$client.prepare("SELECT * FROM notifications").all());
    for (const text of ["Summer social", "sports club", s.network.name]) {
      assert.ok(!outbox.includes(text), `mail: ${text}`);
      assert.ok(!notifications.includes(text), `notifications: ${text}`);
    }
    const events = make.auditSince(seq);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.action, "network.announcement_sent");
    assert.equal(events[0]?.object_type, "network_announcement");
    assert.ok(!JSON.stringify(events).includes("Summer"));
  });

  test("a member's notification says nothing about who else received it", () => {
    const s = scenario();
    consoleQueries.sendAnnouncement(viewerFor(s.users.coordinator), { networkId: s.network.id, title: "Hello", body: "Hi all" });
    // Each notification row belongs to one person; the silent member's id or name appears in no other row.
    const rows = db.$client.prepare("SELECT * FROM notifications WHERE user_id != ?").all(s.users.silent);
    const serialised = JSON.stringify(rows);
    assert.ok(!serialised.includes(s.users.silent));
    assert.ok(!serialised.includes("Simon"));
  });

  test("nobody but the network's coordinator can send one: NotFoundError, nothing stored, nobody told", () => {
    const s = scenario();
    for (const [who, viewer] of Object.entries(s.refused())) {
      const before = counts();
      assertNotFound(
        () => consoleQueries.sendAnnouncement(viewer, { networkId: s.network.id, title: "Spoof", body: "Spoof" }),
        who,
      );
      assert.deepEqual(counts(), before, who);
    }
  });

  test("the form's limits: title up to 120 characters, body up to 5,000, both required", () => {
    const base = { networkId: randomUUID(), title: "T", body: "B" };
    assert.ok(validation.AnnouncementInput.safeParse(base).success);
    assert.ok(validation.AnnouncementInput.safeParse({ ...base, title: "x".repeat(120), body: "y".repeat(5000) }).success);
    assert.ok(!validation.AnnouncementInput.safeParse({ ...base, title: "x".repeat(121) }).success);
    assert.ok(!validation.AnnouncementInput.safeParse({ ...base, body: "y".repeat(5001) }).success);
    assert.ok(!validation.AnnouncementInput.safeParse({ ...base, title: "   " }).success);
    assert.ok(!validation.AnnouncementInput.safeParse({ ...base, body: "" }).success);
    assert.ok(!validation.AnnouncementInput.safeParse({ ...base, networkId: "lgbt-plus-network" }).success);
  });

  test("a decline or removal needs a reason of at most 500 characters", () => {
    const ids = { networkId: randomUUID(), membershipId: randomUUID() };
    assert.ok(validation.DeclineInput.safeParse({ ...ids, reason: "x".repeat(500) }).success);
    assert.ok(!validation.DeclineInput.safeParse({ ...ids, reason: "x".repeat(501) }).success);
    assert.ok(!validation.DeclineInput.safeParse({ ...ids, reason: "  \n " }).success);
    assert.ok(!validation.RemoveInput.safeParse({ ...ids }).success);
    // CRLF from a browser textarea counts as one character per line break.
    assert.ok(validation.RemoveInput.safeParse({ ...ids, reason: `${"x".repeat(249)}\r\n${"y".repeat(250)}` }).success);
  });
});

describe("CSV export", () => {
  test("cells that a spreadsheet would run as formulas are made text, and RFC 4180 quoting applies", () => {
    assert.equal(csvCell("Alex Morgan"), "Alex Morgan");
    assert.equal(csvCell("=HYPERLINK(\"http://evil\")"), "\"'=HYPERLINK(\"\"http://evil\"\")\"");
    assert.equal(csvCell("+44 1234"), "'+44 1234");
    assert.equal(csvCell("-1+1"), "'-1+1");
    assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
    assert.equal(csvCell("\tcmd"), "'\tcmd");
    assert.equal(csvCell("O'Connor, Daniel"), "\"O'Connor, Daniel\"");
    assert.equal(csvCell("line\nbreak"), "\"line\nbreak\"");
    assert.equal(csvCell("a-b=c"), "a-b=c");
  });

  test("the coordinator's export lists every active member with contact details, and is audited", () => {
    const network = make.insertNetwork("Export Network");
    const coordinator = make.insertUser("Exporting Coordinator");
    make.addCoordinator(network.id, coordinator);
    const joined = Date.parse("2026-03-04T12:00:00Z");
    const add = (name: string, email: string, status: Status, visibility: "visible" | "silent" = "visible") =>
      addMembership(network.id, make.insertUser(name, { email }), status, visibility, null, joined);
    add("Amy Able", "amy.able@example.org", "active", "visible");
    add("=cmd|' /C calc'!A0", "formula@example.org", "active", "silent");
    add("Smith, Jo", "jo.smith@example.org", "active");
    add("Pending Person", "pending.person@example.org", "pending");
    add("Removed Person", "removed.person@example.org", "removed");
    const seq = make.lastSeq();

    const csv = consoleQueries.exportMembersCsv(viewerFor(coordinator), network.slug);

    assert.equal(
      csv,
      [
        "name,email,visibility,joined",
        "'=cmd|' /C calc'!A0,formula@example.org,silent,2026-03-04",
        "Amy Able,amy.able@example.org,visible,2026-03-04",
        '"Smith, Jo",jo.smith@example.org,visible,2026-03-04',
        "",
      ].join("\r\n"),
    );
    assert.deepEqual(
      make.auditSince(seq).map((e) => [e.actor_id, e.action, e.object_type, e.object_id, e.outcome]),
      [[coordinator, "network.members_exported", "network", network.id, "success"]],
    );
  });

  test("a refused export writes no export event", () => {
    const s = scenario();
    for (const [who, viewer] of Object.entries(s.refused())) {
      const seq = make.lastSeq();
      assertNotFound(() => consoleQueries.exportMembersCsv(viewer, s.network.slug), who);
      assert.deepEqual(make.auditSince(seq).filter((e) => e.action === "network.members_exported"), [], who);
    }
  });
});

describe("the audit log", () => {
  test("never names a network, its slug, or a person", () => {
    const s = scenario();
    const coordinator = viewerFor(s.users.coordinator);
    consoleQueries.approveRequest(coordinator, s.network.id, s.ids.pending);
    consoleQueries.declineRequest(coordinator, s.network.id, s.ids.secondPending, "Reason text");
    consoleQueries.removeMember(coordinator, s.network.id, s.ids.visible, "Another reason");
    consoleQueries.sendAnnouncement(coordinator, { networkId: s.network.id, title: "Title", body: "Body" });
    consoleQueries.exportMembersCsv(coordinator, s.network.slug);
    const all = JSON.stringify(db.$client.prepare("SELECT * FROM audit_events").all());
    for (const text of [s.network.name, s.network.slug, "Penny", "Vera", "Reason text", "Another reason", "@example.org"]) {
      assert.ok(!all.includes(text), text);
    }
  });
});
