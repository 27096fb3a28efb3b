import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { CreateRequest } from "@/db/validation/requests";
import type { SessionUser } from "@/lib/auth/session";
import { freshDatabase } from "./helpers";

// When someone goes (a leaver or someone erasing their data), the people who relied on them are not left waiting:
// their requesters are told and can choose again, and nothing of the person stays in networks or the directory.

let db: Db;
let requests: typeof import("@/db/queries/requests");
let departures: typeof import("@/db/queries/departures");
let users: typeof import("@/db/queries/users");
let schema: typeof import("@/db/schema");
let crypto: typeof import("@/lib/crypto");

before(async () => {
  ({ db } = await freshDatabase());
  requests = await import("@/db/queries/requests");
  departures = await import("@/db/queries/departures");
  users = await import("@/db/queries/users");
  schema = await import("@/db/schema");
  crypto = await import("@/lib/crypto");
});

let counter = 0;
function person(): { id: string; viewer: () => SessionUser } {
  counter += 1;
  const id = globalThis.crypto.randomUUID();
  db.insert(schema.users).values({ id, email: `departing${counter}@example.org`, name: `Departing Person${counter}` }).run();
  return {
    id,
    viewer: () => {
      const user = users.loadSessionUser(id);
      assert.ok(user);
      return user;
    },
  };
}

function supporter() {
  const user = person();
  const supporterId = globalThis.crypto.randomUUID();
  db.insert(schema.supporters)
    .values({ id: supporterId, userId: user.id, roleTitle: "PC", site: "Force HQ", trainedOn: "2026-01-01", refresherDue: "2028-01-01", capacity: 5 })
    .run();
  db.insert(schema.supporterAttributes).values({ supporterId, kind: "contact_method", value: "in_app" }).run();
  return { ...user, supporterId };
}

const ask = (supporterId: string): CreateRequest => ({
  supporterId,
  category: "wellbeing",
  message: "Please help",
  contactMethod: "in_app",
  safeContact: "",
  anonymous: false,
  preferOutsideDepartment: false,
  excludedUserIds: [],
  acknowledgeLimits: true,
});

const row = (id: string) =>
  db.$client.prepare("SELECT status, requester_id, decline_reason_cipher, message_cipher, ended_at FROM support_requests WHERE id = ?").get(id) as {
    status: string;
    requester_id: string | null;
    decline_reason_cipher: string | null;
    message_cipher: string | null;
    ended_at: number | null;
  };
const count = (sql: string, ...args: unknown[]) => db.$client.prepare(sql).pluck().get(...args) as number;

function depart(userId: string, actorId: string, eraseOwnRequests: boolean) {
  return db.transaction((tx) => departures.depart(tx, { userId, actorId, rosterReason: "Left the force", now: new Date(), eraseOwnRequests }), {
    behavior: "immediate",
  });
}

describe("departures", () => {
  test("a departing supporter's open requests are declined with a reason and the requesters told; closed ones are untouched", () => {
    const sam = supporter();
    const other = supporter();
    const asker = person();
    const second = person();
    const open = requests.createRequest(asker.viewer(), ask(sam.supporterId)).id;
    const closed = requests.createRequest(second.viewer(), ask(sam.supporterId)).id;
    requests.acknowledgeRequest(sam.viewer(), closed);
    requests.closeRequest(sam.viewer(), closed, "resolved");
    // A handover proposed *to* the departing supporter goes back to the current one.
    const third = person();
    const handed = requests.createRequest(third.viewer(), ask(other.supporterId)).id;
    requests.acknowledgeRequest(other.viewer(), handed);
    requests.proposeHandover(other.viewer(), handed, sam.supporterId);
    const eve = person();
    const before = count("SELECT count(*) FROM notifications WHERE user_id = ?", asker.id);

    const summary = depart(sam.id, eve.id, false);

    assert.deepEqual(summary, { releasedRequests: 1, withdrawnRequests: 0, leftNetworks: 0, retiredSupporter: true });
    const released = row(open);
    assert.equal(released.status, "declined");
    assert.ok(released.ended_at);
    assert.ok(released.decline_reason_cipher);
    assert.equal(
      crypto.decryptField(released.decline_reason_cipher, { table: "support_requests", column: "decline_reason_cipher", rowId: open }),
      requests.SUPPORTER_GONE_REASON,
    );
    assert.equal(count("SELECT count(*) FROM notifications WHERE user_id = ?", asker.id), before + 1);
    assert.equal(row(closed).status, "closed");
    assert.equal(row(handed).status, "in_progress");
    assert.equal(count("SELECT count(*) FROM support_requests WHERE id = ? AND handover_supporter_id IS NULL", handed), 1);
    assert.equal(count("SELECT count(*) FROM supporters WHERE id = ? AND status = 'retired'", sam.supporterId), 1);
    assert.equal(count("SELECT count(*) FROM supporter_status_events WHERE supporter_id = ? AND to_status = 'retired' AND reason = 'Left the force'", sam.supporterId), 1);
    // The requester sees their request as declined, with the reason, and can ask someone else.
    const view = requests.getRequestForViewer(asker.viewer(), open);
    assert.equal(view.status, "declined");
    assert.equal(view.declineReason, requests.SUPPORTER_GONE_REASON);
  });

  test("their own requests are withdrawn (or erased and unlinked), and memberships, coordinator roles and sessions end", () => {
    const sam = supporter();
    const leaver = person();
    const eraser = person();
    const a = requests.createRequest(leaver.viewer(), ask(sam.supporterId)).id;
    const b = requests.createRequest(eraser.viewer(), ask(sam.supporterId)).id;
    const network = globalThis.crypto.randomUUID();
    db.$client
      .prepare("INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join) VALUES (?, ?, 'N', 's', 'd', 'w', 'h')")
      .run(network, `n-${network.slice(0, 8)}`);
    for (const who of [leaver.id, eraser.id]) {
      db.$client.prepare("INSERT INTO network_memberships (id, network_id, user_id, status) VALUES (?, ?, ?, 'active')").run(globalThis.crypto.randomUUID(), network, who);
      db.$client.prepare("INSERT INTO network_coordinators (network_id, user_id) VALUES (?, ?)").run(network, who);
      db.$client.prepare("INSERT INTO sessions (session_token, user_id, expires) VALUES (?, ?, ?)").run(globalThis.crypto.randomUUID(), who, Date.now() + 60_000);
    }

    const told = () => count("SELECT count(*) FROM notifications WHERE user_id = ? AND link IN (?, ?)", sam.id, `/requests/${a}`, `/requests/${b}`);
    const toldBefore = told();

    assert.deepEqual(depart(leaver.id, leaver.id, false), { releasedRequests: 0, withdrawnRequests: 1, leftNetworks: 1, retiredSupporter: false });
    assert.equal(row(a).status, "withdrawn");
    assert.equal(row(a).requester_id, leaver.id);
    assert.ok(row(a).message_cipher, "a leaver's request keeps its content until retention erases it");

    assert.deepEqual(depart(eraser.id, eraser.id, true), { releasedRequests: 0, withdrawnRequests: 1, leftNetworks: 1, retiredSupporter: false });
    assert.equal(row(b).status, "withdrawn");
    assert.equal(row(b).requester_id, null);
    assert.equal(row(b).message_cipher, null);

    for (const who of [leaver.id, eraser.id]) {
      assert.equal(count("SELECT count(*) FROM network_memberships WHERE user_id = ?", who), 0);
      assert.equal(count("SELECT count(*) FROM network_coordinators WHERE user_id = ?", who), 0);
      assert.equal(count("SELECT count(*) FROM sessions WHERE user_id = ?", who), 0);
    }
    // The supporter was told about both withdrawals.
    assert.equal(told(), toldBefore + 2);
  });
});
