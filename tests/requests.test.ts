import assert from "node:assert/strict";
import fs from "node:fs";
import { before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { CreateRequest } from "@/db/validation/requests";
import type { SessionUser } from "@/lib/auth/session";
import { freshDatabase } from "./helpers";

// The confidential request rules on a real database: who can see and change a request, that content is
// encrypted at rest, and that the lifecycle only moves the way DESIGN.md says.

let db: Db;
let file: string;
let requests: typeof import("@/db/queries/requests");
let users: typeof import("@/db/queries/users");
let schema: typeof import("@/db/schema");

type Person = { id: string; viewer: () => SessionUser };

before(async () => {
  ({ db, file } = await freshDatabase());
  requests = await import("@/db/queries/requests");
  users = await import("@/db/queries/users");
  schema = await import("@/db/schema");
});

let counter = 0;
function person(department = "Response Policing"): Person {
  counter += 1;
  const id = crypto.randomUUID();
  db.insert(schema.users).values({ id, email: `person${counter}@example.org`, name: `Person Number${counter}`, department }).run();
  return {
    id,
    viewer: () => {
      const user = users.loadSessionUser(id);
      assert.ok(user);
      return user;
    },
  };
}

function supporter(options: { department?: string; status?: "active" | "paused"; pausedUntil?: string; capacity?: number; methods?: string[] } = {}) {
  const user = person(options.department ?? "Custody");
  const supporterId = crypto.randomUUID();
  db.insert(schema.supporters)
    .values({
      id: supporterId,
      userId: user.id,
      status: options.status ?? "active",
      pausedUntil: options.pausedUntil ?? null,
      roleTitle: "PC",
      site: "Force HQ",
      trainedOn: "2026-01-01",
      refresherDue: "2028-01-01",
      capacity: options.capacity ?? 3,
    })
    .run();
  for (const value of options.methods ?? ["in_app", "phone"]) {
    db.insert(schema.supporterAttributes).values({ supporterId, kind: "contact_method", value }).run();
  }
  return { ...user, supporterId };
}

const MARKER = "MARKER-5b1e0c-do-not-leak";

function ask(supporterId: string, extra: Partial<CreateRequest> = {}): CreateRequest {
  return {
    supporterId,
    category: "bullying_harassment",
    message: `I need help. ${MARKER}`,
    contactMethod: "in_app",
    safeContact: "",
    anonymous: false,
    preferOutsideDepartment: false,
    excludedUserIds: [],
    acknowledgeLimits: true,
    ...extra,
  };
}

describe("asking for confidential contact", () => {
  test("stores the request encrypted, tells the supporter content-free, and audits without content", () => {
    const requester = person();
    const sam = supporter();
    const { id } = requests.createRequest(requester.viewer(), ask(sam.supporterId, { contactMethod: "phone", safeContact: `mobile after 6pm ${MARKER}` }));

    const raw = db.$client.prepare("SELECT * FROM support_requests WHERE id = ?").get(id) as Record<string, unknown>;
    assert.equal(raw.status, "new");
    assert.ok(!JSON.stringify(raw).includes(MARKER), "no plaintext in the row");
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    for (const f of [file, `${file}-wal`]) {
      if (fs.existsSync(f)) assert.ok(!fs.readFileSync(f).includes(Buffer.from(MARKER)), `${f} holds no plaintext`);
    }
    const notes = db.$client.prepare("SELECT kind, link FROM notifications WHERE user_id = ?").all(sam.id);
    assert.deepEqual(notes, [{ kind: "request.update", link: `/requests/${id}` }]);
    const audits = db.$client.prepare("SELECT * FROM audit_events").all();
    assert.ok(!JSON.stringify(audits).includes(MARKER));

    const view = requests.getRequestForViewer(sam.viewer(), id);
    assert.equal(view.message, `I need help. ${MARKER}`);
    assert.equal(view.safeContact, `mobile after 6pm ${MARKER}`);
    assert.equal(view.requesterName, db.$client.prepare("SELECT name FROM users WHERE id = ?").pluck().get(requester.id));
  });

  test("nobody but the requester and the assigned supporter can read it, and the refusal is audited", () => {
    const requester = person();
    const sam = supporter();
    const other = supporter();
    const equalityUnit = person();
    db.insert(schema.roleGrants).values({ userId: equalityUnit.id, role: "equality_unit" }).run();
    const { id } = requests.createRequest(requester.viewer(), ask(sam.supporterId));
    for (const outsider of [other, equalityUnit, person()]) {
      assert.throws(() => requests.getRequestForViewer(outsider.viewer(), id), { name: "NotFoundError" });
      assert.throws(() => requests.addMessage(outsider.viewer(), id, "hello"), { name: "NotFoundError" });
      assert.throws(() => requests.withdrawRequest(outsider.viewer(), id), { name: "NotFoundError" });
      const denied = db.$client
        .prepare("SELECT count(*) FROM audit_events WHERE actor_id = ? AND object_id = ? AND outcome = 'denied'")
        .pluck()
        .get(outsider.id, id);
      assert.ok(Number(denied) >= 1);
    }
    assert.equal(requests.listAssignedRequests(other.viewer()).total, 0);
    assert.equal(requests.listMyRequests(sam.viewer()).total, 0);
  });

  test("an anonymous requester is never named to the supporter", () => {
    const requester = person();
    const sam = supporter();
    const { id } = requests.createRequest(requester.viewer(), ask(sam.supporterId, { anonymous: true }));
    requests.addMessage(requester.viewer(), id, "a follow-up");
    const view = requests.getRequestForViewer(sam.viewer(), id);
    assert.equal(view.requesterName, null);
    assert.deepEqual(view.messages.map((m) => m.author), [requests.ANONYMOUS]);
    assert.equal(requests.listAssignedRequests(sam.viewer()).items[0]?.with, requests.ANONYMOUS);
    const name = String(db.$client.prepare("SELECT name FROM users WHERE id = ?").pluck().get(requester.id));
    assert.ok(!JSON.stringify(view).includes(name));
  });

  test("refuses supporters who cannot be chosen, with a clear reason, and writes nothing", () => {
    const requester = person("Custody");
    const paused = supporter({ status: "paused", pausedUntil: "2099-01-01" });
    const full = supporter({ capacity: 1 });
    requests.createRequest(person().viewer(), ask(full.supporterId));
    const excluded = supporter();
    const sameDepartment = supporter({ department: "Custody" });
    const phoneless = supporter({ methods: ["in_app"] });
    const before = db.$client.prepare("SELECT count(*) FROM support_requests").pluck().get();
    const refused = (input: CreateRequest, field: string) =>
      assert.throws(() => requests.createRequest(requester.viewer(), input), (error: unknown) => {
        assert.ok(error instanceof requests.RequestRefusedError);
        assert.equal(error.field, field);
        return true;
      });
    refused(ask(paused.supporterId), "supporterId");
    refused(ask(full.supporterId), "supporterId");
    refused(ask(excluded.supporterId, { excludedUserIds: [excluded.id] }), "supporterId");
    refused(ask(sameDepartment.supporterId, { preferOutsideDepartment: true }), "supporterId");
    refused(ask(phoneless.supporterId, { contactMethod: "phone", safeContact: "desk phone" }), "contactMethod");
    assert.equal(db.$client.prepare("SELECT count(*) FROM support_requests").pluck().get(), before);
    // Without the department preference the same supporter is fine.
    assert.ok(requests.createRequest(requester.viewer(), ask(sameDepartment.supporterId)).id);
  });

  test("a supporter cannot be asked by themself", () => {
    const sam = supporter();
    assert.throws(() => requests.createRequest(sam.viewer(), ask(sam.supporterId)), requests.RequestRefusedError);
  });

  test(`at most ${5} requests an hour per person`, () => {
    const requester = person();
    const many = supporter({ capacity: 20 });
    for (let i = 0; i < requests.REQUESTS_PER_HOUR; i += 1) requests.createRequest(requester.viewer(), ask(many.supporterId));
    assert.throws(() => requests.createRequest(requester.viewer(), ask(many.supporterId)), /in the last hour/);
  });
});

describe("the conversation and its lifecycle", () => {
  test("acknowledge, talk, move to in progress and close; then no more messages", () => {
    const requester = person();
    const sam = supporter();
    const { id } = requests.createRequest(requester.viewer(), ask(sam.supporterId));
    requests.acknowledgeRequest(sam.viewer(), id);
    assert.throws(() => requests.acknowledgeRequest(sam.viewer(), id), requests.RequestStateError);
    assert.throws(() => requests.acknowledgeRequest(requester.viewer(), id), { name: "NotFoundError" });
    requests.addMessage(sam.viewer(), id, "Thanks for getting in touch");
    requests.addMessage(requester.viewer(), id, `Reply ${MARKER}`);
    requests.startRequest(sam.viewer(), id);
    requests.closeRequest(sam.viewer(), id, "signposted");
    const view = requests.getRequestForViewer(requester.viewer(), id);
    assert.equal(view.status, "closed");
    assert.equal(view.outcome, "signposted");
    assert.deepEqual(view.messages.map((m) => [m.author, m.body]), [
      [view.supporterName, "Thanks for getting in touch"],
      ["You", `Reply ${MARKER}`],
    ]);
    assert.throws(() => requests.addMessage(requester.viewer(), id, "more"), requests.RequestStateError);
    const statuses = db.$client.prepare("SELECT to_status FROM request_status_events WHERE request_id = ? ORDER BY rowid").pluck().all(id);
    assert.deepEqual(statuses, ["new", "acknowledged", "in_progress", "closed"]);
    const raw = db.$client.prepare("SELECT body_cipher FROM request_messages WHERE request_id = ?").pluck().all(id);
    assert.ok(!JSON.stringify(raw).includes(MARKER));
  });

  test("a decline reaches the requester with its reason", () => {
    const requester = person();
    const sam = supporter();
    const { id } = requests.createRequest(requester.viewer(), ask(sam.supporterId));
    requests.declineRequest(sam.viewer(), id, "I know the person involved");
    const view = requests.getRequestForViewer(requester.viewer(), id);
    assert.equal(view.status, "declined");
    assert.equal(view.declineReason, "I know the person involved");
    assert.ok(db.$client.prepare("SELECT 1 FROM notifications WHERE user_id = ? AND link = ?").get(requester.id, `/requests/${id}`));
  });

  test("a handover moves only with the requester's consent, and the old supporter loses access", () => {
    const requester = person();
    const sam = supporter();
    const next = supporter();
    const { id } = requests.createRequest(requester.viewer(), ask(sam.supporterId));
    requests.acknowledgeRequest(sam.viewer(), id);
    requests.proposeHandover(sam.viewer(), id, next.supporterId);
    assert.throws(() => requests.getRequestForViewer(next.viewer(), id), { name: "NotFoundError" });
    assert.equal(requests.getRequestForViewer(requester.viewer(), id).handoverSupporter?.id, next.supporterId);
    requests.answerHandover(requester.viewer(), id, true);
    assert.equal(requests.getRequestForViewer(next.viewer(), id).status, "new");
    assert.throws(() => requests.getRequestForViewer(sam.viewer(), id), { name: "NotFoundError" });
  });

  test("a handover to someone the requester excluded is refused, and a refusal keeps the supporter", () => {
    const requester = person();
    const sam = supporter();
    const excluded = supporter();
    const next = supporter();
    const { id } = requests.createRequest(requester.viewer(), ask(sam.supporterId, { excludedUserIds: [excluded.id] }));
    requests.acknowledgeRequest(sam.viewer(), id);
    assert.throws(() => requests.proposeHandover(sam.viewer(), id, excluded.supporterId), requests.RequestStateError);
    requests.proposeHandover(sam.viewer(), id, next.supporterId);
    requests.answerHandover(requester.viewer(), id, false);
    const view = requests.getRequestForViewer(sam.viewer(), id);
    assert.equal(view.status, "in_progress");
    assert.equal(view.handoverSupporter, null);
  });

  test("erase now withdraws, removes every word and keeps the facts for reports", () => {
    const requester = person();
    const sam = supporter();
    const { id } = requests.createRequest(requester.viewer(), ask(sam.supporterId, { contactMethod: "phone", safeContact: "desk" }));
    requests.addMessage(sam.viewer(), id, "hello");
    requests.eraseRequestNow(requester.viewer(), id);
    const row = db.$client.prepare("SELECT * FROM support_requests WHERE id = ?").get(id) as Record<string, unknown>;
    assert.equal(row.status, "withdrawn");
    assert.equal(row.message_cipher, null);
    assert.equal(row.safe_contact_cipher, null);
    assert.notEqual(row.erased_at, null);
    assert.equal(row.category, "bullying_harassment");
    assert.equal(db.$client.prepare("SELECT count(*) FROM request_messages WHERE request_id = ?").pluck().get(id), 0);
    assert.equal(requests.getRequestForViewer(requester.viewer(), id).message, null);
  });
});
