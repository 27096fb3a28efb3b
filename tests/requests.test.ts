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

  test("every refused change is audited, without content, and changes nothing", () => {
    const requester = person();
    const sam = supporter();
    const other = supporter();
    const { id } = requests.createRequest(requester.viewer(), ask(sam.supporterId));
    const before = db.$client.prepare("SELECT * FROM support_requests WHERE id = ?").get(id);
    const deniedChanges = () =>
      Number(
        db.$client
          .prepare("SELECT count(*) FROM audit_events WHERE actor_id = ? AND object_id = ? AND action = 'request.change' AND outcome = 'denied'")
          .pluck()
          .get(other.id, id),
      );
    const attempts: (() => void)[] = [
      () => requests.addMessage(other.viewer(), id, `hello ${MARKER}`),
      () => requests.acknowledgeRequest(other.viewer(), id),
      () => requests.declineRequest(other.viewer(), id, `no ${MARKER}`),
      () => requests.withdrawRequest(other.viewer(), id),
      () => requests.eraseRequestNow(other.viewer(), id),
    ];
    for (const [index, attempt] of attempts.entries()) {
      assert.throws(attempt, { name: "NotFoundError" });
      assert.equal(deniedChanges(), index + 1);
    }
    assert.deepEqual(db.$client.prepare("SELECT * FROM support_requests WHERE id = ?").get(id), before);
    assert.equal(db.$client.prepare("SELECT count(*) FROM request_messages WHERE request_id = ?").pluck().get(id), 0);
    assert.ok(!JSON.stringify(db.$client.prepare("SELECT * FROM audit_events").all()).includes(MARKER));
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

  test(`at most ${5} requests an hour per person; a refusal writes nothing but its audit event`, () => {
    const requester = person();
    const many = supporter({ capacity: 20 });
    for (let i = 0; i < requests.REQUESTS_PER_HOUR; i += 1) requests.createRequest(requester.viewer(), ask(many.supporterId));
    const refusals = () =>
      db.$client
        .prepare("SELECT action, object_type, object_id, outcome FROM audit_events WHERE actor_id = ? AND action = 'rate_limit.refused'")
        .all(requester.id);
    const sent = () => db.$client.prepare("SELECT count(*) AS n FROM support_requests WHERE requester_id = ?").get(requester.id);
    assert.deepEqual(sent(), { n: requests.REQUESTS_PER_HOUR });
    assert.throws(() => requests.createRequest(requester.viewer(), ask(many.supporterId)), /in the last hour/);
    assert.deepEqual(sent(), { n: requests.REQUESTS_PER_HOUR });
    assert.deepEqual(refusals(), [{ action: "rate_limit.refused", object_type: "request", object_id: null, outcome: "denied" }]);
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

  test("a long conversation comes a page at a time: the latest 50 first, oldest first within a page", () => {
    const requester = person();
    const sam = supporter();
    const { id } = requests.createRequest(requester.viewer(), ask(sam.supporterId));
    const total = 2 * requests.MESSAGE_PAGE_SIZE + 20;
    // Written as fast as possible, so many share a millisecond: the order must still be the order they were sent.
    for (let i = 1; i <= total; i += 1) requests.addMessage(i % 2 ? requester.viewer() : sam.viewer(), id, `Message ${i}`);
    const numbers = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Message ${from + i}`);
    const read = (page?: number) => {
      const view = requests.getRequestForViewer(requester.viewer(), id, page);
      return { bodies: view.messages.map((m) => m.body), page: view.messagePage };
    };

    assert.deepEqual(read(), { bodies: numbers(71, 120), page: { page: 1, pageCount: 3, total, from: 71, to: 120 } });
    assert.deepEqual(read(2), { bodies: numbers(21, 70), page: { page: 2, pageCount: 3, total, from: 21, to: 70 } });
    assert.deepEqual(read(3), { bodies: numbers(1, 20), page: { page: 3, pageCount: 3, total, from: 1, to: 20 } });
    // Beyond the earliest page is the earliest page; nonsense is the latest.
    assert.deepEqual(read(9).page, { page: 3, pageCount: 3, total, from: 1, to: 20 });
    assert.deepEqual(read(0).page, { page: 1, pageCount: 3, total, from: 71, to: 120 });
    assert.deepEqual(read(Number.NaN).page.page, 1);
    // The supporter reads the same pages, with authors from their side.
    const supporterView = requests.getRequestForViewer(sam.viewer(), id, 3);
    assert.deepEqual(supporterView.messages.slice(0, 2).map((m) => [m.author, m.body]), [
      [supporterView.requesterName, "Message 1"],
      ["You", "Message 2"],
    ]);

    assert.ok(supporterView.requesterName?.startsWith("Person Number"));

    const quiet = person();
    const empty = requests.createRequest(quiet.viewer(), ask(supporter().supporterId));
    assert.deepEqual(requests.getRequestForViewer(quiet.viewer(), empty.id).messagePage, { page: 1, pageCount: 1, total: 0, from: 1, to: 0 });
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

describe("handover candidates", () => {
  test("are the supporters the requester could choose, other than the current one, with role and site", () => {
    // Everyone but sameDepartment works outside the requester's department, so each is left out for one reason only.
    const requester = person("Custody");
    const elsewhere = "Operations";
    const sam = supporter({ department: elsewhere });
    const next = supporter({ department: elsewhere });
    const excluded = supporter({ department: elsewhere });
    const paused = supporter({ department: elsewhere, status: "paused", pausedUntil: "2099-01-01" });
    const full = supporter({ department: elsewhere, capacity: 1 });
    requests.createRequest(person().viewer(), ask(full.supporterId));
    const sameDepartment = supporter({ department: "Custody" });
    const { id } = requests.createRequest(
      requester.viewer(),
      ask(sam.supporterId, { excludedUserIds: [excluded.id], preferOutsideDepartment: true }),
    );

    const candidates = requests.listHandoverCandidates(sam.viewer(), id);
    const ids = candidates.map((c) => c.id);
    assert.ok(ids.includes(next.supporterId));
    for (const refused of [sam, excluded, paused, full, sameDepartment]) assert.ok(!ids.includes(refused.supporterId));
    assert.deepEqual(
      candidates.find((c) => c.id === next.supporterId),
      { id: next.supporterId, name: db.$client.prepare("SELECT name FROM users WHERE id = ?").pluck().get(next.id), roleTitle: "PC", site: "Force HQ" },
    );
    const names = candidates.map((c) => c.name);
    assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), "in name order");

    // The list and the proposal apply the same rule.
    requests.acknowledgeRequest(sam.viewer(), id);
    for (const refused of [excluded, paused, full, sameDepartment]) {
      assert.throws(() => requests.proposeHandover(sam.viewer(), id, refused.supporterId), requests.RequestStateError);
    }
    requests.proposeHandover(sam.viewer(), id, next.supporterId);
    assert.deepEqual(requests.getRequestForViewer(requester.viewer(), id).handoverSupporter, {
      id: next.supporterId,
      name: db.$client.prepare("SELECT name FROM users WHERE id = ?").pluck().get(next.id),
      roleTitle: "PC",
      site: "Force HQ",
    });
  });

  test("only the assigned supporter can list them", () => {
    const requester = person();
    const sam = supporter();
    const other = supporter();
    const equalityUnit = person();
    db.insert(schema.roleGrants).values({ userId: equalityUnit.id, role: "equality_unit" }).run();
    const { id } = requests.createRequest(requester.viewer(), ask(sam.supporterId));
    for (const outsider of [requester, other, equalityUnit, person()]) {
      assert.throws(() => requests.listHandoverCandidates(outsider.viewer(), id), { name: "NotFoundError" });
    }
    assert.throws(() => requests.listHandoverCandidates(sam.viewer(), crypto.randomUUID()), { name: "NotFoundError" });
    assert.ok(requests.listHandoverCandidates(sam.viewer(), id).length > 0);
  });
});

describe("the request form's data", () => {
  test("getContactOptions gives the form what it needs under the directory's listing rule", () => {
    const requester = person("Custody");
    const sam = supporter({ department: "Operations", methods: ["video", "phone", "in_app"] });
    const options = requests.getContactOptions(requester.viewer(), sam.supporterId);
    assert.equal(options.supporterId, sam.supporterId);
    assert.equal(options.supporterUserId, sam.id);
    assert.match(options.name, /^Person Number\d+$/);
    assert.equal(options.roleTitle, "PC");
    assert.equal(options.site, "Force HQ");
    assert.deepEqual(options.contactMethods, ["in_app", "phone", "video"], "in the vocabulary's order");
    assert.deepEqual(options.availability, { kind: "available" });
    assert.equal(options.isViewer, false);
    assert.equal(options.inViewersDepartment, false);
    assert.equal(requests.getContactOptions(sam.viewer(), sam.supporterId).isViewer, true);

    const colleague = supporter({ department: "Custody" });
    assert.equal(requests.getContactOptions(requester.viewer(), colleague.supporterId).inViewersDepartment, true);
    // A department missing on either side never counts as the same (as in createRequest).
    const nowhere = person();
    db.$client.prepare("UPDATE users SET department = NULL WHERE id = ?").run(nowhere.id);
    assert.equal(requests.getContactOptions(nowhere.viewer(), colleague.supporterId).inViewersDepartment, false);

    const paused = supporter({ status: "paused", pausedUntil: "2099-01-01" });
    assert.deepEqual(requests.getContactOptions(requester.viewer(), paused.supporterId).availability, { kind: "paused", until: "2099-01-01" });
    const full = supporter({ capacity: 1 });
    requests.createRequest(person().viewer(), ask(full.supporterId));
    assert.deepEqual(requests.getContactOptions(requester.viewer(), full.supporterId).availability, { kind: "at_capacity" });
  });

  test("getContactOptions is a NotFoundError for anyone who is not listed", () => {
    const requester = person();
    const lapsed = supporter();
    db.$client.prepare("UPDATE supporters SET status = 'lapsed' WHERE id = ?").run(lapsed.supporterId);
    const overdue = supporter();
    db.$client.prepare("UPDATE supporters SET refresher_due = '2000-01-01' WHERE id = ?").run(overdue.supporterId);
    const left = supporter();
    db.$client.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(Date.now(), left.id);
    for (const id of [lapsed.supporterId, overdue.supporterId, left.supporterId, crypto.randomUUID()]) {
      assert.throws(() => requests.getContactOptions(requester.viewer(), id), { name: "NotFoundError" });
    }
  });

  test("findPeopleToExclude looks people up by id and by email address, once each, leavers not at all", () => {
    const requester = person();
    const a = person();
    const b = person();
    const leaver = person();
    db.$client.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(Date.now(), leaver.id);
    const emailOf = (id: string) => String(db.$client.prepare("SELECT email FROM users WHERE id = ?").pluck().get(id));
    const unknownId = crypto.randomUUID();
    const lookup = requests.findPeopleToExclude(
      requester.viewer(),
      [a.id, unknownId, a.id],
      [` ${emailOf(b.id).toUpperCase()} `, emailOf(a.id), emailOf(leaver.id), "nobody@example.org"],
    );
    assert.deepEqual(lookup.people.map((p) => p.id), [a.id, b.id]);
    assert.deepEqual(Object.keys(lookup.people[0]!).sort(), ["department", "id", "name", "site"], "never an email address");
    assert.deepEqual(lookup.unknownIds, [unknownId]);
    assert.deepEqual(lookup.unknownEmails, [emailOf(leaver.id), "nobody@example.org"]);
    assert.deepEqual(requests.findPeopleToExclude(requester.viewer(), [], []), { people: [], unknownIds: [], unknownEmails: [] });
  });
});

describe("the request form's validation", () => {
  let validation: typeof import("@/db/validation/requests");
  before(async () => {
    validation = await import("@/db/validation/requests");
  });

  const problems = (input: unknown) => {
    const result = validation.CreateRequestInput.safeParse(input);
    return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message]));
  };

  test("reports every problem at once, cross-field ones included", () => {
    assert.deepEqual(
      problems({ supporterId: crypto.randomUUID(), message: "  ", contactMethod: "phone", safeContact: "", anonymous: "yes", acknowledgeLimits: false }),
      {
        category: "Choose what your request is about",
        message: "Enter your message",
        acknowledgeLimits: "Confirm that you have read the limits of confidentiality",
        contactMethod: "If you stay anonymous, you can only be contacted by messages in Confide",
      },
    );
    assert.deepEqual(problems({ supporterId: crypto.randomUUID(), category: "wellbeing", message: "x", contactMethod: "phone", acknowledgeLimits: false }), {
      acknowledgeLimits: "Confirm that you have read the limits of confidentiality",
      safeContact: "Enter how and when it is safe to contact you",
    });
    // A cross-field rule is not run on a field that is itself wrong.
    assert.deepEqual(problems({ supporterId: crypto.randomUUID(), category: "wellbeing", message: "x", contactMethod: "fax", acknowledgeLimits: true }), {
      contactMethod: "Choose how you would like to be contacted",
    });
    assert.deepEqual(problems(null), { "": "Invalid input: expected object, received null" });
  });

  test("limits the message to 5,000 characters after trimming", () => {
    const base = { supporterId: crypto.randomUUID(), category: "other", contactMethod: "in_app", acknowledgeLimits: true };
    assert.deepEqual(problems({ ...base, message: ` ${"a".repeat(5000)} ` }), {});
    assert.deepEqual(problems({ ...base, message: "a".repeat(5001) }), { message: "Your message must be 5,000 characters or fewer" });
  });

  test("reads the form as typed, and the no-JavaScript list of email addresses", () => {
    const form = new FormData();
    for (const [k, v] of [
      ["supporterId", "s"],
      ["category", "discrimination"],
      ["message", " hello "],
      ["anonymous", "yes"],
      ["excludedIds", "a"],
      ["excludedIds", "b"],
      ["acknowledgeLimits", "yes"],
    ]) form.append(k!, v!);
    const values = validation.requestFormValues(form);
    assert.equal(values.message, " hello ");
    assert.equal(values.anonymous, true);
    assert.equal(values.preferOutsideDepartment, false);
    assert.equal(values.acknowledgeLimits, true);
    assert.deepEqual(values.excludedIds, ["a", "b"]);
    assert.equal(values.contactMethod, "");

    assert.deepEqual(
      validation.excludedEmailList("a@example.org\r\n\n  B@example.org ; Jo Smith <jo@example.org>, a@EXAMPLE.org\nnot an address"),
      ["a@example.org", "B@example.org", "jo@example.org", "not an address"],
    );
    assert.deepEqual(validation.excludedEmailList("  \n "), []);
  });
});

describe("maintenance's helpers: the opaque reference and the retention cut-off", () => {
  test("requestReference is 8 hex digits, stable for a request, different between requests, and on both views", () => {
    const requester = person();
    const sam = supporter();
    const first = requests.createRequest(requester.viewer(), ask(sam.supporterId)).id;
    const second = requests.createRequest(requester.viewer(), ask(sam.supporterId)).id;
    const reference = requests.requestReference(first);
    assert.match(reference, /^[0-9A-F]{8}$/);
    assert.equal(requests.requestReference(first), reference);
    assert.notEqual(requests.requestReference(second), reference);
    assert.ok(!first.toUpperCase().includes(reference), "not a piece of the id itself");
    assert.equal(requests.getRequestForViewer(requester.viewer(), first).reference, reference);
    assert.equal(requests.getRequestForViewer(sam.viewer(), first).reference, reference);
    assert.equal(requests.listMyRequests(requester.viewer()).items.find((item) => item.id === first)?.reference, reference);
    assert.equal(requests.listAssignedRequests(sam.viewer()).items.find((item) => item.id === first)?.reference, reference);
  });

  test("requestsDueForErasure lists ended requests at or before the cut-off that still hold content, never open ones", () => {
    const sam = supporter({ capacity: 10 });
    const make = () => {
      const requester = person();
      return { requester, id: requests.createRequest(requester.viewer(), ask(sam.supporterId)).id };
    };
    const [closed, withdrawn, declined, erased, open] = [make(), make(), make(), make(), make()];
    requests.acknowledgeRequest(sam.viewer(), closed.id);
    requests.closeRequest(sam.viewer(), closed.id, "resolved");
    requests.withdrawRequest(withdrawn.requester.viewer(), withdrawn.id);
    requests.declineRequest(sam.viewer(), declined.id, "Not the right person");
    requests.eraseRequestNow(erased.requester.viewer(), erased.id);
    // Long ago, as far as the cut-off is concerned; the open one too, which must still never be listed.
    const longAgo = Date.parse("2020-01-01T00:00:00Z");
    for (const r of [closed, withdrawn, declined, erased, open]) {
      db.$client.prepare("UPDATE support_requests SET ended_at = ?, created_at = ? WHERE id = ?").run(longAgo, longAgo, r.id);
    }
    const mine = new Set([closed, withdrawn, declined, erased, open].map((r) => r.id));
    const due = (cutoff: string) => requests.requestsDueForErasure(new Date(cutoff)).map((r) => r.id).filter((id) => mine.has(id)).sort();
    assert.deepEqual(due("2020-01-01T00:00:00Z"), [closed.id, withdrawn.id, declined.id].sort(), "at the cut-off counts");
    assert.deepEqual(due("2019-12-31T23:59:59Z"), [], "after the cut-off does not");
  });
});
