import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { freshDatabase } from "./helpers";

type UsersModule = typeof import("@/db/queries/users");
type ClockModule = typeof import("@/lib/clock");
type ErrorsModule = typeof import("@/lib/errors");

type AuditRow = {
  seq: number;
  at: number;
  actor_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string;
  prev_hash: string;
  hash: string;
};

let db: Db;
let users: UsersModule;
let clockLib: ClockModule;
let errors: ErrorsModule;
let realNow: () => Date;

// Time is fixed so that deactivated_at can be checked exactly.
const NOW = new Date("2026-04-01T08:15:00.000Z");

before(async () => {
  ({ db } = await freshDatabase());
  users = await import("@/db/queries/users");
  clockLib = await import("@/lib/clock");
  errors = await import("@/lib/errors");
  realNow = clockLib.clock.now;
  clockLib.clock.now = () => NOW;
});

after(() => {
  clockLib.clock.now = realNow;
});

// Rows are written with plain SQL so that the code under test is the only Drizzle query in play.
function insertUser(email: string, name: string | null = null): string {
  const id = randomUUID();
  db.$client.prepare("INSERT INTO users (id, email, name) VALUES (?, ?, ?)").run(id, email, name);
  return id;
}

function insertSupporter(userId: string, status: "active" | "paused" | "lapsed" | "retired"): string {
  const id = randomUUID();
  db.$client
    .prepare(
      `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due)
       VALUES (?, ?, ?, 'Sergeant', 'Headquarters', '2025-01-10', '2027-01-10')`,
    )
    .run(id, userId, status);
  return id;
}

function insertNetwork(slug: string, name: string, status: "active" | "archived" = "active"): string {
  const id = randomUUID();
  db.$client
    .prepare(
      `INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join, status)
       VALUES (?, ?, ?, 'summary', 'description', 'who for', 'how to join', ?)`,
    )
    .run(id, slug, name, status);
  return id;
}

function insertSession(userId: string): string {
  const token = randomUUID();
  db.$client
    .prepare("INSERT INTO sessions (session_token, user_id, expires) VALUES (?, ?, ?)")
    .run(token, userId, NOW.getTime() + 30 * 60_000);
  return token;
}

const sessionCount = (userId: string): number =>
  (db.$client.prepare("SELECT count(*) AS n FROM sessions WHERE user_id = ?").get(userId) as { n: number }).n;

const textSizeOf = (userId: string): string =>
  (db.$client.prepare("SELECT text_size FROM users WHERE id = ?").get(userId) as { text_size: string }).text_size;

const auditRows = (action: string): AuditRow[] =>
  db.$client.prepare("SELECT * FROM audit_events WHERE action = ? ORDER BY seq").all(action) as AuditRow[];

function viewerFor(userId: string): SessionUser {
  const viewer = users.loadSessionUser(userId);
  assert.ok(viewer, "the user loads");
  return viewer;
}

describe("loadSessionUser", () => {
  test("returns the roles from the database", () => {
    const userId = insertUser("Eve.Equality@Example.org", "Eve Equality");
    db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(userId);
    const supporterId = insertSupporter(userId, "active");
    const networkId = insertNetwork("lgbt-plus", "LGBT+ Network");
    db.$client.prepare("INSERT INTO network_coordinators (network_id, user_id) VALUES (?, ?)").run(networkId, userId);

    assert.deepEqual(users.loadSessionUser(userId), {
      id: userId,
      email: "Eve.Equality@Example.org",
      name: "Eve Equality",
      textSize: "standard",
      isEqualityUnit: true,
      supporterId,
      coordinates: [{ slug: "lgbt-plus", name: "LGBT+ Network" }],
    });
  });

  test("a plain staff member has no roles, and the name falls back to the email", () => {
    const userId = insertUser("alex.staff@example.org");
    assert.deepEqual(users.loadSessionUser(userId), {
      id: userId,
      email: "alex.staff@example.org",
      name: "alex.staff@example.org",
      textSize: "standard",
      isEqualityUnit: false,
      supporterId: null,
      coordinates: [],
    });
  });

  test("a paused supporter keeps their supporterId; a lapsed or retired one does not", () => {
    const paused = insertUser("paused.supporter@example.org");
    const pausedSupporterId = insertSupporter(paused, "paused");
    assert.equal(users.loadSessionUser(paused)?.supporterId, pausedSupporterId);

    const lapsed = insertUser("lapsed.supporter@example.org");
    insertSupporter(lapsed, "lapsed");
    const lapsedUser = users.loadSessionUser(lapsed);
    assert.ok(lapsedUser);
    assert.equal(lapsedUser.supporterId, null);

    const retired = insertUser("retired.supporter@example.org");
    insertSupporter(retired, "retired");
    assert.equal(users.loadSessionUser(retired)?.supporterId, null);
  });

  test("an archived network is not among the networks a person coordinates", () => {
    const userId = insertUser("casey.coordinator@example.org");
    const active = insertNetwork("womens-network", "Women's Network");
    const archived = insertNetwork("old-network", "Old Network", "archived");
    for (const networkId of [active, archived]) {
      db.$client.prepare("INSERT INTO network_coordinators (network_id, user_id) VALUES (?, ?)").run(networkId, userId);
    }
    assert.deepEqual(users.loadSessionUser(userId)?.coordinates, [{ slug: "womens-network", name: "Women's Network" }]);
  });

  test("a deactivated user gives null", () => {
    const userId = insertUser("leaver@example.org");
    assert.ok(users.loadSessionUser(userId));
    db.$client.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(NOW.getTime(), userId);
    assert.equal(users.loadSessionUser(userId), null);
  });

  test("an unknown id gives null", () => {
    assert.equal(users.loadSessionUser(randomUUID()), null);
  });
});

describe("updateTextSize", () => {
  test("changes only the viewer's row and audits without content", () => {
    const viewerId = insertUser("viewer@example.org");
    const otherId = insertUser("other@example.org");
    const viewer = viewerFor(viewerId);
    const auditsBefore = auditRows("account.preferences_updated").length;

    users.updateTextSize(viewer, "large");

    assert.equal(textSizeOf(viewerId), "large");
    assert.equal(textSizeOf(otherId), "standard");
    assert.equal(users.loadSessionUser(viewerId)?.textSize, "large");

    const events = auditRows("account.preferences_updated");
    assert.equal(events.length, auditsBefore + 1);
    const event = events.at(-1)!;
    assert.equal(event.actor_id, viewerId);
    assert.equal(event.object_type, "user");
    assert.equal(event.object_id, viewerId);
    assert.equal(event.outcome, "success");
    assert.equal(event.at, NOW.getTime());
    // No content: neither the new value nor anything identifying beyond the opaque id.
    const serialised = JSON.stringify(event);
    for (const content of ["large", "standard", "viewer@example.org"]) {
      assert.ok(!serialised.includes(content), `the audit event must not contain ${content}`);
    }

    users.updateTextSize(viewer, "standard");
    assert.equal(textSizeOf(viewerId), "standard");
  });

  test("a viewer object cannot reach another row: a deactivated viewer gets NotFoundError and changes nothing", () => {
    const viewerId = insertUser("soon.gone@example.org");
    const viewer = viewerFor(viewerId);
    db.$client.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(NOW.getTime(), viewerId);
    const auditsBefore = auditRows("account.preferences_updated").length;
    assert.throws(() => users.updateTextSize(viewer, "large"), errors.NotFoundError);
    assert.equal(textSizeOf(viewerId), "standard");
    assert.equal(auditRows("account.preferences_updated").length, auditsBefore);
  });
});

describe("deactivateUserByEmail and isDeactivatedEmail", () => {
  test("deactivates by email in any letter case, ends that user's sessions only, and audits", () => {
    const actorId = insertUser("eve.admin@example.org");
    const leaverId = insertUser("sam.leaver@example.org");
    const stayerId = insertUser("alex.stayer@example.org");
    insertSession(leaverId);
    insertSession(leaverId);
    const stayerToken = insertSession(stayerId);
    assert.equal(users.isDeactivatedEmail("sam.leaver@example.org"), false);

    assert.equal(users.deactivateUserByEmail(actorId, "SAM.Leaver@Example.ORG")?.ok, true);

    const row = db.$client.prepare("SELECT deactivated_at FROM users WHERE id = ?").get(leaverId) as {
      deactivated_at: number | null;
    };
    assert.equal(row.deactivated_at, NOW.getTime());
    assert.equal(sessionCount(leaverId), 0);
    assert.equal(sessionCount(stayerId), 1);
    assert.ok(db.$client.prepare("SELECT 1 FROM sessions WHERE session_token = ?").get(stayerToken));
    const stayer = db.$client.prepare("SELECT deactivated_at FROM users WHERE id = ?").get(stayerId) as {
      deactivated_at: number | null;
    };
    assert.equal(stayer.deactivated_at, null);

    const events = auditRows("user.deactivated");
    assert.equal(events.length, 1);
    assert.equal(events[0]!.actor_id, actorId);
    assert.equal(events[0]!.object_type, "user");
    assert.equal(events[0]!.object_id, leaverId);
    assert.equal(events[0]!.outcome, "success");
    assert.ok(!JSON.stringify(events[0]).includes("leaver"), "the audit event must not contain the email address");

    assert.equal(users.isDeactivatedEmail("sam.leaver@example.org"), true);
    assert.equal(users.isDeactivatedEmail("Sam.Leaver@EXAMPLE.org"), true);
    assert.equal(users.isDeactivatedEmail("alex.stayer@example.org"), false);
    assert.equal(users.loadSessionUser(leaverId), null);
  });

  test("an unknown email deactivates nobody and writes no audit event", () => {
    const before = auditRows("user.deactivated").length;
    assert.equal(users.deactivateUserByEmail(null, "nobody@example.org"), null);
    assert.equal(auditRows("user.deactivated").length, before);
    assert.equal(users.isDeactivatedEmail("nobody@example.org"), false);
  });
});
