import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, test } from "node:test";

import { SMTPServer } from "smtp-server";

import type { Db } from "@/db/client";
import type { CreateRequest } from "@/db/validation/requests";
import type { SessionUser } from "@/lib/auth/session";
import { freshDatabase, ROOT } from "./helpers";

// The request jobs of `npm run maintenance` on a real database: acknowledgement reminders, the Equality Unit's
// alert by opaque reference, and the retention erase. Requests are made with the real data access layer; time is
// controlled by setting clock.now (lib/clock, which the DAL reads) while making them and by passing `now` to the
// jobs. Mail goes to a real SMTP server in this process.
//
// The first part is one timeline through June 2026 (tests run in order and build on each other):
//   Mon 1 June    a request to Olu, acknowledged at once (later handed over to Priya, see below)
//   Wed 3 June    a request to Wren (due Fri 5 June 14:00), one to Ash acknowledged at once, one to Ash withdrawn
//   Fri 5 June    a request to Fen at 14:00 (due Tue 9 June 14:00: the weekend does not count)

type Maintenance = typeof import("@/lib/maintenance");
type Requests = typeof import("@/db/queries/requests");

type Received = { to: string[]; raw: string };
const received: Received[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  hideSTARTTLS: true,
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      received.push({ to: session.envelope.rcptTo.map((a) => a.address), raw: Buffer.concat(chunks).toString("utf8") });
      callback();
    });
  },
});

let db: Db;
let file: string;
let maintenance: Maintenance;
let requests: Requests;
let schema: typeof import("@/db/schema");
let users: typeof import("@/db/queries/users");
let notifications: typeof import("@/db/queries/notifications");
let clockLib: typeof import("@/lib/clock");
let mailLib: typeof import("@/lib/mail");

const MARKER = "MARKER-7c41d9-retention-secret";
const realNow = () => new Date();

type Person = { id: string; email: string; name: string; viewer: () => SessionUser };
type Supporter = Person & { supporterId: string };

let counter = 0;
function person(label: string, options: { deactivated?: boolean; equalityUnit?: boolean } = {}): Person {
  counter += 1;
  const id = crypto.randomUUID();
  const email = `${label.toLowerCase()}.${counter}@example.org`;
  // Distinctive names, so that a leak into a notification, an email or the audit log is easy to spot.
  const name = `Zebedee ${label} Quixley${counter}`;
  db.insert(schema.users)
    .values({ id, email, name, department: `Department ${label}`, deactivatedAt: options.deactivated ? new Date("2026-01-01T00:00:00Z") : null })
    .run();
  if (options.equalityUnit) db.insert(schema.roleGrants).values({ userId: id, role: "equality_unit" }).run();
  return {
    id,
    email,
    name,
    viewer: () => {
      const user = users.loadSessionUser(id);
      assert.ok(user, `${label} can sign in`);
      return user;
    },
  };
}

function supporter(label: string): Supporter {
  const user = person(label);
  const supporterId = crypto.randomUUID();
  db.insert(schema.supporters)
    .values({ id: supporterId, userId: user.id, status: "active", roleTitle: "PC", site: "Force HQ", trainedOn: "2024-01-01", refresherDue: "2030-01-01", capacity: 20 })
    .run();
  for (const value of ["in_app", "phone"]) db.insert(schema.supporterAttributes).values({ supporterId, kind: "contact_method", value }).run();
  return { ...user, supporterId };
}

function ask(to: Supporter, extra: Partial<CreateRequest> = {}): CreateRequest {
  return {
    supporterId: to.supporterId,
    category: "bullying_harassment",
    message: `Please help me. ${MARKER}`,
    contactMethod: "phone",
    safeContact: `Personal mobile after 6pm. ${MARKER}`,
    anonymous: false,
    preferOutsideDepartment: false,
    excludedUserIds: [],
    acknowledgeLimits: true,
    ...extra,
  };
}

// Runs DAL code as if it were `at` (the DAL takes its time from clock.now).
function at<T>(when: Date | string, work: () => T): T {
  const fixed = new Date(when);
  clockLib.clock.now = () => new Date(fixed);
  try {
    return work();
  } finally {
    clockLib.clock.now = realNow;
  }
}

// The whole of `npm run maintenance` at a given moment (today is that moment's London date).
const run = (now: string | Date, options: { retentionDays?: number } = {}) =>
  maintenance.runMaintenance({ now: new Date(now), today: at(now, () => clockLib.today()), ...options });

type RequestRow = {
  status: string;
  category: string;
  outcome: string | null;
  created_at: number;
  ended_at: number | null;
  acknowledge_by: number;
  reminder_sent_at: number | null;
  escalated_at: number | null;
  erased_at: number | null;
  message_cipher: string | null;
  safe_contact_cipher: string | null;
  decline_reason_cipher: string | null;
};
const requestRow = (id: string) => db.$client.prepare("SELECT * FROM support_requests WHERE id = ?").get(id) as RequestRow;

type NotificationRow = { user_id: string; kind: string; link: string; reference: string | null };
const notificationsOfKind = (kind: string): NotificationRow[] =>
  db.$client.prepare("SELECT user_id, kind, link, reference FROM notifications WHERE kind = ? ORDER BY user_id").all(kind) as NotificationRow[];
const remindersFor = (who: Person) =>
  (db.$client.prepare("SELECT link FROM notifications WHERE user_id = ? AND kind = 'request.acknowledge_reminder'").all(who.id) as { link: string }[]).map(
    (r) => r.link,
  );
const overdueAlertsAbout = (requestId: string) =>
  notificationsOfKind("request.acknowledge_overdue").filter((n) => n.reference === requests.requestReference(requestId));

type AuditRow = { actor_id: string | null; action: string; object_type: string | null; object_id: string | null; outcome: string };
const auditFor = (action: string, objectId?: string): AuditRow[] =>
  (db.$client.prepare("SELECT actor_id, action, object_type, object_id, outcome FROM audit_events WHERE action = ? ORDER BY seq").all(action) as AuditRow[]).filter(
    (row) => objectId === undefined || row.object_id === objectId,
  );
const mailTo = (who: Person) => received.filter((m) => m.to.includes(who.email));

let eu1: Person;
let eu2: Person;
let euLeaver: Person;
let bystander: Person;
let wren: Supporter;
let fen: Supporter;
let ash: Supporter;
let olu: Supporter;
let priya: Supporter;
let requesters: Person[];
const ids = { wed: "", fri: "", acked: "", withdrawn: "", handover: "" };

before(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  // Before anything reads the configuration (env() is parsed once, on first use). RETENTION_DAYS is left unset, so
  // the default of 90 days is what the retention tests exercise.
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  delete process.env.RETENTION_DAYS;
  ({ db, file } = await freshDatabase());
  maintenance = await import("@/lib/maintenance");
  requests = await import("@/db/queries/requests");
  schema = await import("@/db/schema");
  users = await import("@/db/queries/users");
  notifications = await import("@/db/queries/notifications");
  clockLib = await import("@/lib/clock");
  mailLib = await import("@/lib/mail");

  eu1 = person("Unit", { equalityUnit: true });
  eu2 = person("Unit", { equalityUnit: true });
  euLeaver = person("Unit", { equalityUnit: true, deactivated: true });
  bystander = person("Bystander");
  wren = supporter("Wren");
  fen = supporter("Fen");
  ash = supporter("Ash");
  olu = supporter("Olu");
  priya = supporter("Priya");
  requesters = [1, 2, 3, 4, 5].map(() => person("Requester"));
  const [r1, r2, r3, r4, r5] = requesters as [Person, Person, Person, Person, Person];

  ids.handover = at("2026-06-01T09:00:00Z", () => requests.createRequest(r5.viewer(), ask(olu)).id);
  at("2026-06-01T10:00:00Z", () => requests.acknowledgeRequest(olu.viewer(), ids.handover));
  ids.wed = at("2026-06-03T14:00:00Z", () => requests.createRequest(r1.viewer(), ask(wren)).id);
  ids.acked = at("2026-06-03T09:00:00Z", () => requests.createRequest(r2.viewer(), ask(ash)).id);
  at("2026-06-03T10:00:00Z", () => requests.acknowledgeRequest(ash.viewer(), ids.acked));
  ids.withdrawn = at("2026-06-03T09:00:00Z", () => requests.createRequest(r3.viewer(), ask(ash, { anonymous: true, contactMethod: "in_app", safeContact: "" })).id);
  at("2026-06-03T11:00:00Z", () => requests.withdrawRequest(r3.viewer(), ids.withdrawn));
  ids.fri = at("2026-06-05T14:00:00Z", () => requests.createRequest(r4.viewer(), ask(fen)).id);
});

afterEach(() => {
  clockLib.clock.now = realNow;
});

after(async () => {
  await new Promise<void>((resolve) => smtp.close(resolve));
});

describe("acknowledgement reminders and the Equality Unit alert (a June 2026 timeline)", () => {
  test("acknowledge-by is 2 working days after sending: Wednesday → Friday, Friday → Tuesday", () => {
    assert.equal(new Date(requestRow(ids.wed).acknowledge_by).toISOString(), "2026-06-05T14:00:00.000Z");
    assert.equal(new Date(requestRow(ids.fri).acknowledge_by).toISOString(), "2026-06-09T14:00:00.000Z");
  });

  test("the supporter is reminded when the acknowledge-by time passes, not a minute before, and once", async () => {
    const early = await run("2026-06-05T13:59:00Z");
    assert.equal(early.acknowledgeReminders, 0);
    assert.equal(requestRow(ids.wed).reminder_sent_at, null);
    assert.deepEqual(remindersFor(wren), []);

    const mailBefore = mailTo(wren).length;
    const due = await run("2026-06-05T14:00:00Z");
    assert.equal(due.acknowledgeReminders, 1);
    assert.equal(maintenance.formatSummary(due).includes("acknowledgement reminders 1, escalations 0, erased 0"), true, maintenance.formatSummary(due));
    assert.equal(requestRow(ids.wed).reminder_sent_at, Date.parse("2026-06-05T14:00:00Z"));
    assert.deepEqual(remindersFor(wren), [`/requests/${ids.wed}`]);
    const note = db.$client
      .prepare("SELECT reference FROM notifications WHERE user_id = ? AND kind = 'request.acknowledge_reminder'")
      .get(wren.id) as { reference: string | null };
    assert.equal(note.reference, null, "the supporter can open the request: no reference needed");
    assert.deepEqual(auditFor("request.acknowledge_reminder", ids.wed), [
      { actor_id: null, action: "request.acknowledge_reminder", object_type: "request", object_id: ids.wed, outcome: "success" },
    ]);
    // One email, the same content-free text as every other.
    assert.equal(mailTo(wren).length, mailBefore + 1);
    assert.ok(mailTo(wren).at(-1)!.raw.includes(mailLib.MAIL_TEXT));

    const again = await run("2026-06-05T15:00:00Z");
    assert.equal(again.acknowledgeReminders, 0);
    assert.deepEqual(remindersFor(wren), [`/requests/${ids.wed}`]);
  });

  test("a request sent on a Friday is not overdue over the weekend, and the reminder's grace day skips it too", async () => {
    for (const now of ["2026-06-06T14:00:00Z", "2026-06-07T14:00:00Z", "2026-06-08T13:59:00Z"]) {
      const summary = await run(now);
      assert.deepEqual([summary.acknowledgeReminders, summary.escalations], [0, 0], now);
    }
    assert.equal(requestRow(ids.fri).reminder_sent_at, null, "sent Friday, not overdue on Sunday or Monday morning");
    assert.deepEqual(remindersFor(fen), []);
    // Reminded on Friday; the working day after it is Monday, so nobody is alerted over the weekend.
    assert.equal(requestRow(ids.wed).escalated_at, null);
    assert.deepEqual(notificationsOfKind("request.acknowledge_overdue"), []);
  });

  test("with nobody in the Equality Unit, the alert waits for the first person granted the role", async () => {
    const grants = db.$client.prepare("SELECT user_id, role FROM role_grants WHERE role = 'equality_unit'").all() as { user_id: string; role: string }[];
    db.$client.prepare("DELETE FROM role_grants WHERE role = 'equality_unit'").run();
    try {
      const summary = await run("2026-06-08T14:00:00Z");
      assert.equal(summary.escalations, 0);
      assert.equal(requestRow(ids.wed).escalated_at, null);
    } finally {
      const insert = db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, ?)");
      for (const grant of grants) insert.run(grant.user_id, grant.role);
    }
  });

  test("one working day after the reminder, every active Equality Unit member is alerted once, by opaque reference only", async () => {
    const mailBefore = received.length;
    const summary = await run("2026-06-08T14:01:00Z");
    assert.equal(summary.escalations, 1);
    assert.equal(requestRow(ids.wed).escalated_at, Date.parse("2026-06-08T14:01:00Z"));

    const reference = requests.requestReference(ids.wed);
    assert.match(reference, /^[0-9A-F]{8}$/);
    // The two active members; not the deactivated one, the supporter, the requester or anyone else.
    assert.deepEqual(
      notificationsOfKind("request.acknowledge_overdue"),
      [eu1, eu2]
        .map((member) => ({ user_id: member.id, kind: "request.acknowledge_overdue", link: "/notifications", reference }))
        .sort((a, b) => a.user_id.localeCompare(b.user_id)),
    );
    assert.deepEqual(auditFor("request.acknowledge_overdue", ids.wed), [
      { actor_id: null, action: "request.acknowledge_overdue", object_type: "request", object_id: ids.wed, outcome: "success" },
    ]);

    // What a member of the unit sees: the fixed sentence and the reference; nothing that names or describes it.
    const requester = requesters[0]!;
    const secrets = [requester.name, requester.email, wren.name, wren.email, MARKER, ids.wed, "bullying", "Bullying", "phone"];
    const page = notifications.listForViewer(eu1.viewer(), 1);
    const alert = page.items.find((item) => item.reference === reference);
    assert.ok(alert);
    assert.equal(alert.sentence, notifications.NOTIFICATION_SENTENCES["request.acknowledge_overdue"]);
    assert.equal(alert.link, "/notifications");
    for (const secret of secrets) assert.ok(!JSON.stringify(page).includes(secret), `the alert does not contain ${secret}`);
    // …and the unit still cannot open the request.
    assert.throws(() => requests.getRequestForViewer(eu1.viewer(), ids.wed), { name: "NotFoundError" });

    // The supporter sees the same reference on the request, so the unit can ask about "reference 4F2A91C0".
    assert.equal(requests.getRequestForViewer(wren.viewer(), ids.wed).reference, reference);
    assert.equal(requests.listAssignedRequests(wren.viewer()).items.find((item) => item.id === ids.wed)?.reference, reference);

    // One content-free email to each active member; the reference is not in it either.
    const mail = received.slice(mailBefore);
    assert.deepEqual(mail.map((m) => m.to).flat().sort(), [eu1.email, eu2.email].sort());
    for (const message of mail) {
      for (const secret of [...secrets, reference]) assert.ok(!message.raw.includes(secret), `the email does not contain ${secret}`);
    }
    assert.equal(mailTo(euLeaver).length, 0);
  });

  test("the Friday request is reminded on Tuesday and alerted on Wednesday, each once", async () => {
    assert.equal((await run("2026-06-09T13:59:00Z")).acknowledgeReminders, 0);
    assert.equal((await run("2026-06-09T14:00:00Z")).acknowledgeReminders, 1);
    assert.deepEqual(remindersFor(fen), [`/requests/${ids.fri}`]);
    assert.equal((await run("2026-06-10T13:59:00Z")).escalations, 0);
    assert.equal((await run("2026-06-10T14:00:00Z")).escalations, 1);
    assert.deepEqual(overdueAlertsAbout(ids.fri).map((n) => n.user_id).sort(), [eu1.id, eu2.id].sort());
  });

  test("a handed-over request gets a new target, reminder and grace day with its new supporter", async () => {
    at("2026-06-10T09:00:00Z", () => requests.proposeHandover(olu.viewer(), ids.handover, priya.supporterId));
    // Thursday: acknowledge by Monday, reminded then, alerted Tuesday.
    at("2026-06-11T09:00:00Z", () => requests.answerHandover(requesters[4]!.viewer(), ids.handover, true));
    assert.equal(new Date(requestRow(ids.handover).acknowledge_by).toISOString(), "2026-06-15T09:00:00.000Z");
    assert.equal((await run("2026-06-12T09:00:00Z")).acknowledgeReminders, 0);
    assert.equal((await run("2026-06-15T09:00:00Z")).acknowledgeReminders, 1);
    assert.deepEqual(remindersFor(priya), [`/requests/${ids.handover}`]);
    assert.deepEqual(remindersFor(olu), [], "the old supporter has nothing to acknowledge");
    assert.equal((await run("2026-06-16T09:00:00Z")).escalations, 1);
    assert.equal(overdueAlertsAbout(ids.handover).length, 2);
  });

  test("runs later and several at once add nothing: each reminder and each alert happened exactly once", async () => {
    const counts = () => ({
      reminders: notificationsOfKind("request.acknowledge_reminder").length,
      alerts: notificationsOfKind("request.acknowledge_overdue").length,
      audit: (db.$client.prepare("SELECT count(*) AS n FROM audit_events").get() as { n: number }).n,
    });
    const initial = counts();
    const runs = await Promise.all([run("2026-06-17T09:00:00Z"), run("2026-06-17T09:00:00Z"), run("2026-06-30T09:00:00Z")]);
    assert.deepEqual(runs.map((r) => [r.acknowledgeReminders, r.escalations]), [[0, 0], [0, 0], [0, 0]]);
    assert.deepEqual(counts(), initial);
    assert.equal(initial.reminders, 3);
    assert.equal(initial.alerts, 6, "three requests, two members each");
  });

  test("acknowledged and withdrawn requests are never reminded or escalated", () => {
    for (const id of [ids.acked, ids.withdrawn]) {
      const row = requestRow(id);
      assert.deepEqual([row.reminder_sent_at, row.escalated_at], [null, null]);
      assert.equal(overdueAlertsAbout(id).length, 0);
    }
    assert.deepEqual(remindersFor(ash), []);
  });

  test("nothing about requests reaches anyone outside the request and the unit", () => {
    assert.equal(
      (db.$client.prepare("SELECT count(*) AS n FROM notifications WHERE user_id = ?").get(bystander.id) as { n: number }).n,
      0,
    );
    const audit = JSON.stringify(db.$client.prepare("SELECT * FROM audit_events").all());
    for (const secret of [MARKER, ...requesters.map((r) => r.name)]) assert.ok(!audit.includes(secret));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Retention: requests that ended long before RET_NOW, made after the timeline above has finished.
// ---------------------------------------------------------------------------------------------------------------

const RET_NOW = new Date("2026-10-01T12:00:00.000Z");
const DAY = 86_400_000;
const ago = (ms: number) => new Date(RET_NOW.getTime() - ms);

describe("retention: content of requests ended more than RETENTION_DAYS (default 90) ago is erased", () => {
  type Case = { id: string; requester: Person; supporter: Supporter };
  const cases = {} as Record<
    "closedOld" | "withdrawnOld" | "declinedOld" | "justOver" | "justUnder" | "openAncient" | "inProgressOld" | "erasedByRequester",
    Case
  >;
  let keeper: Supporter;
  let snapshot: Map<string, { row: RequestRow; events: unknown[]; messages: number }>;

  const events = (id: string) =>
    db.$client.prepare("SELECT from_status, to_status, actor, created_at FROM request_status_events WHERE request_id = ? ORDER BY created_at, id").all(id);
  const messageCount = (id: string) => (db.$client.prepare("SELECT count(*) AS n FROM request_messages WHERE request_id = ?").get(id) as { n: number }).n;
  const exclusionCount = (id: string) =>
    (db.$client.prepare("SELECT count(*) AS n FROM request_exclusions WHERE request_id = ?").get(id) as { n: number }).n;

  // Made at `created`, then (as the supporter and the requester) taken through `steps` at the times given.
  function make(created: Date, steps: ((c: Case) => [Date, () => void])[] = []): Case {
    const requester = person("Requester");
    const supporter = keeper;
    const excluded = bystander.id;
    const id = at(created, () => requests.createRequest(requester.viewer(), ask(supporter, { excludedUserIds: [excluded] })).id);
    const c = { id, requester, supporter };
    for (const step of steps) {
      const [when, work] = step(c);
      at(when, work);
    }
    return c;
  }
  const ack = (when: Date) => (c: Case): [Date, () => void] => [when, () => requests.acknowledgeRequest(c.supporter.viewer(), c.id)];
  const talk = (when: Date) => (c: Case): [Date, () => void] => [
    when,
    () => {
      requests.addMessage(c.requester.viewer(), c.id, `From the requester. ${MARKER}`);
      requests.addMessage(c.supporter.viewer(), c.id, `From the supporter. ${MARKER}`);
    },
  ];
  const close = (when: Date) => (c: Case): [Date, () => void] => [when, () => requests.closeRequest(c.supporter.viewer(), c.id, "resolved")];

  before(() => {
    keeper = supporter("Keeper");
    cases.closedOld = make(ago(120 * DAY), [ack(ago(119 * DAY)), talk(ago(118 * DAY)), close(ago(91 * DAY))]);
    cases.withdrawnOld = make(ago(100 * DAY), [talk(ago(99 * DAY)), (c) => [ago(91 * DAY), () => requests.withdrawRequest(c.requester.viewer(), c.id)]]);
    cases.declinedOld = make(ago(95 * DAY), [(c) => [ago(91 * DAY), () => requests.declineRequest(c.supporter.viewer(), c.id, `Not the right person. ${MARKER}`)]]);
    cases.justOver = make(ago(100 * DAY), [ack(ago(99 * DAY)), talk(ago(98 * DAY)), close(ago(90 * DAY + 60_000))]);
    cases.justUnder = make(ago(100 * DAY), [ack(ago(99 * DAY)), talk(ago(98 * DAY)), close(ago(90 * DAY - 60_000))]);
    cases.openAncient = make(ago(400 * DAY), [talk(ago(399 * DAY))]);
    cases.inProgressOld = make(ago(300 * DAY), [
      ack(ago(299 * DAY)),
      (c) => [ago(298 * DAY), () => requests.startRequest(c.supporter.viewer(), c.id)],
      talk(ago(200 * DAY)),
    ]);
    cases.erasedByRequester = make(ago(200 * DAY), [ack(ago(199 * DAY)), close(ago(190 * DAY)), (c) => [ago(150 * DAY), () => requests.eraseRequestNow(c.requester.viewer(), c.id)]]);
    snapshot = new Map(
      Object.values(cases).map((c) => [c.id, { row: requestRow(c.id), events: events(c.id), messages: messageCount(c.id) }]),
    );
  });

  const erasedCases = () => [cases.closedOld, cases.withdrawnOld, cases.declinedOld, cases.justOver];
  const keptCases = () => [cases.justUnder, cases.openAncient, cases.inProgressOld];

  test("the cases start with content (except the one its requester erased)", () => {
    for (const c of [...erasedCases(), ...keptCases()]) {
      const row = requestRow(c.id);
      assert.ok(row.message_cipher, "message");
      assert.equal(row.erased_at, null);
      assert.equal(exclusionCount(c.id), 1);
    }
    assert.ok(requestRow(cases.declinedOld.id).decline_reason_cipher);
    assert.equal(messageCount(cases.closedOld.id), 2);
    assert.ok(requestRow(cases.erasedByRequester.id).erased_at);
  });

  test("two runs at once erase exactly the requests ended more than 90 days ago, each once, with an audit event", async () => {
    const runs = await Promise.all([maintenance.runMaintenance({ now: RET_NOW }), maintenance.runMaintenance({ now: RET_NOW })]);
    // The timeline's request withdrawn on 3 June is more than 90 days old too.
    assert.equal(runs[0]!.erased + runs[1]!.erased, erasedCases().length + 1);
    assert.equal(requestRow(ids.withdrawn).erased_at, RET_NOW.getTime());
    for (const c of erasedCases()) {
      assert.deepEqual(auditFor("request.erased_by_retention", c.id), [
        { actor_id: null, action: "request.erased_by_retention", object_type: "request", object_id: c.id, outcome: "success" },
      ]);
    }
    for (const c of [...keptCases(), cases.erasedByRequester]) assert.deepEqual(auditFor("request.erased_by_retention", c.id), []);
  });

  test("erased: messages, exclusions and ciphertexts gone; category, dates, outcome and status history kept", () => {
    for (const c of erasedCases()) {
      const was = snapshot.get(c.id)!;
      const row = requestRow(c.id);
      assert.deepEqual(
        [row.message_cipher, row.safe_contact_cipher, row.decline_reason_cipher, row.erased_at],
        [null, null, null, RET_NOW.getTime()],
      );
      assert.equal(messageCount(c.id), 0);
      assert.equal(exclusionCount(c.id), 0);
      const keep = ({ status, category, outcome, created_at, ended_at, acknowledge_by }: RequestRow) => ({ status, category, outcome, created_at, ended_at, acknowledge_by });
      assert.deepEqual(keep(row), keep(was.row));
      assert.deepEqual(events(c.id), was.events);
    }
    assert.equal(requestRow(cases.closedOld.id).outcome, "resolved");
    assert.equal(requestRow(cases.declinedOld.id).status, "declined");

    // The requester still finds the request, with its facts and no words.
    const view = requests.getRequestForViewer(cases.closedOld.requester.viewer(), cases.closedOld.id);
    assert.deepEqual(
      { message: view.message, safeContact: view.safeContact, messages: view.messages, erasedAt: view.erasedAt?.getTime(), category: view.category, status: view.status },
      { message: null, safeContact: null, messages: [], erasedAt: RET_NOW.getTime(), category: "bullying_harassment", status: "closed" },
    );
  });

  test("open requests (however old) and requests ended less than 90 days ago are left alone", () => {
    for (const c of keptCases()) {
      const was = snapshot.get(c.id)!;
      const row = requestRow(c.id);
      assert.equal(row.erased_at, null);
      assert.equal(row.message_cipher, was.row.message_cipher);
      assert.equal(row.safe_contact_cipher, was.row.safe_contact_cipher);
      assert.equal(messageCount(c.id), was.messages);
      assert.ok(was.messages > 0);
      const view = requests.getRequestForViewer(c.requester.viewer(), c.id);
      assert.equal(view.message, `Please help me. ${MARKER}`);
    }
    // Already erased by its requester: not touched again.
    assert.equal(requestRow(cases.erasedByRequester.id).erased_at, snapshot.get(cases.erasedByRequester.id)!.row.erased_at);
  });

  test("running again erases nothing more; the next day, the one that has now passed 90 days is erased", async () => {
    const audit = (db.$client.prepare("SELECT count(*) AS n FROM audit_events").get() as { n: number }).n;
    assert.equal((await maintenance.runMaintenance({ now: new Date(RET_NOW.getTime() + 30_000) })).erased, 0);
    assert.equal((db.$client.prepare("SELECT count(*) AS n FROM audit_events").get() as { n: number }).n, audit);
    assert.equal((await maintenance.runMaintenance({ now: new Date(RET_NOW.getTime() + DAY) })).erased, 1);
    assert.ok(requestRow(cases.justUnder.id).erased_at);
    assert.equal(requestRow(cases.openAncient.id).erased_at, null);
  });

  test("RETENTION_DAYS can be shorter: the in-progress request is still kept", async () => {
    const ended = make(ago(40 * DAY), [ack(ago(39 * DAY)), close(ago(31 * DAY))]);
    assert.equal((await maintenance.runMaintenance({ now: RET_NOW, retentionDays: 60 })).erased, 0);
    assert.equal((await maintenance.runMaintenance({ now: RET_NOW, retentionDays: 30 })).erased, 1);
    assert.ok(requestRow(ended.id).erased_at);
    assert.equal(requestRow(cases.inProgressOld.id).erased_at, null);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Real concurrency: two `npm run maintenance` processes at once on this database, on today's real date.
// ---------------------------------------------------------------------------------------------------------------

describe("npm run maintenance as two processes at once", () => {
  test("one reminder, one alert per unit member and one erase, whichever process gets there first", async () => {
    const now = Date.now();
    const overdue = at(new Date(now - 10 * DAY), () => requests.createRequest(requesters[0]!.viewer(), ask(fen, { contactMethod: "in_app", safeContact: "" })).id);
    const reminded = at(new Date(now - 12 * DAY), () => requests.createRequest(requesters[1]!.viewer(), ask(fen, { contactMethod: "in_app", safeContact: "" })).id);
    // As if an earlier run had reminded the supporter a week ago.
    db.$client.prepare("UPDATE support_requests SET reminder_sent_at = ? WHERE id = ?").run(now - 7 * DAY, reminded);
    const ended = at(new Date(now - 100 * DAY), () => requests.createRequest(requesters[2]!.viewer(), ask(fen)).id);
    at(new Date(now - 99 * DAY), () => requests.acknowledgeRequest(fen.viewer(), ended));
    at(new Date(now - 91 * DAY), () => requests.closeRequest(fen.viewer(), ended, "resolved"));

    const runOnce = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/maintenance.ts"], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_PATH: file },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
      });
    const results = await Promise.all([runOnce(), runOnce()]);
    for (const result of results) {
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stdout.trim(),
        /^lapsed \d+, reminders 60-day \d+, 14-day \d+, pauses ended \d+, acknowledgement reminders \d+, escalations \d+, erased \d+, mail sent \d+, mail failed 0$/,
      );
      for (const secret of [MARKER, fen.name, fen.email, ...requesters.map((r) => r.name)]) assert.ok(!`${result.stdout}${result.stderr}`.includes(secret));
    }
    assert.equal(
      (db.$client.prepare("SELECT count(*) AS n FROM notifications WHERE kind = 'request.acknowledge_reminder' AND link = ?").get(`/requests/${overdue}`) as { n: number }).n,
      1,
    );
    assert.equal(auditFor("request.acknowledge_reminder", overdue).length, 1);
    assert.deepEqual(overdueAlertsAbout(reminded).map((n) => n.user_id).sort(), [eu1.id, eu2.id].sort());
    assert.equal(auditFor("request.acknowledge_overdue", reminded).length, 1);
    assert.equal(auditFor("request.erased_by_retention", ended).length, 1);
    assert.equal(requestRow(ended).message_cipher, null);
  });
});
