import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { CreateRequest } from "@/db/validation/requests";
import type { SessionUser } from "@/lib/auth/session";
import { factories } from "./factories";
import { freshDatabase } from "./helpers";

// Issue 7, item 5: "Your data". The export holds every row linked to the person (and nobody else's words); erasing
// leaves nothing that names them, not even in the bytes of the database file. The tables that reference users are
// read from SQLite itself (PRAGMA foreign_key_list), so a new table that links to a person fails here until the
// export and the erase have been taught about it.

let db: Db;
let file: string;
let myData: typeof import("@/db/queries/my-data");
let requests: typeof import("@/db/queries/requests");
let users: typeof import("@/db/queries/users");
let schema: typeof import("@/db/schema");
let crypto: typeof import("@/lib/crypto");
let errors: typeof import("@/lib/errors");
let f: ReturnType<typeof factories>;

before(async () => {
  ({ db, file } = await freshDatabase());
  myData = await import("@/db/queries/my-data");
  requests = await import("@/db/queries/requests");
  users = await import("@/db/queries/users");
  schema = await import("@/db/schema");
  crypto = await import("@/lib/crypto");
  errors = await import("@/lib/errors");
  f = factories(db);
});

// Every column that references users.id, and what the export does with its rows. "exported": the row's data is in
// the person's file. "counted": the rows are about other people's business (requests they supported, roles they
// granted…), so the file has a count only. "withheld": the row belongs to someone else (a request that names the
// person as someone not to involve) and is not even counted.
const LINKS_TO_USERS: Record<string, "exported" | "counted" | "withheld"> = {
  "accounts.user_id": "exported",
  "sessions.user_id": "exported",
  // The staff search's keys: fragments of the person's name, which the file holds whole.
  "staff_name_keys.user_id": "exported",
  "role_grants.user_id": "exported",
  "role_grants.granted_by": "counted",
  "network_coordinators.user_id": "exported",
  "network_memberships.user_id": "exported",
  "network_announcements.author_id": "exported",
  "supporters.user_id": "exported",
  "supporter_status_events.actor_id": "counted",
  "support_requests.requester_id": "exported",
  "support_requests.supporter_user_id": "counted",
  "request_exclusions.user_id": "withheld",
  "request_messages.author_id": "exported",
  "notifications.user_id": "exported",
  "staff_imports.actor_id": "exported",
  "feedback.user_id": "exported",
  "feedback.archived_by": "counted",
};

// After erasure, the only columns that may still hold the person's id: a supporter who supported requests stays as
// an empty, deactivated tombstone because these are NOT NULL references from rows that belong to the requesters.
// The tombstone's own address is erased-<id>@erased.invalid (unique, and never an address anyone signs in with).
const TOMBSTONE_REFERENCES = ["supporters.user_id", "support_requests.supporter_user_id", "users.email", "users.id"];

function foreignKeysToUsers(): string[] {
  const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  return tables
    .flatMap((table) =>
      (db.$client.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string; from: string }[])
        .filter((fk) => fk.table === "users")
        .map((fk) => `${table}.${fk.from}`),
    )
    .sort();
}

/** Every table.column (but the audit log's opaque events) that holds `value`. */
function columnsHolding(value: string): string[] {
  const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  const found: string[] = [];
  for (const table of tables) {
    if (table === "audit_events" || table === "__drizzle_migrations") continue;
    const columns = (db.$client.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
    for (const column of columns) {
      const n = db.$client.prepare(`SELECT count(*) FROM "${table}" WHERE instr(CAST("${column}" AS TEXT), ?) > 0`).pluck().get(value) as number;
      if (n > 0) found.push(`${table}.${column}`);
    }
  }
  return found.sort();
}

const count = (query: string, ...args: unknown[]) => db.$client.prepare(query).pluck().get(...args) as number;

type Person = { id: string; email: string; name: string; viewer: () => SessionUser };
type Supporter = Person & { supporterId: string };

let counter = 0;
function person(extra: { jobTitle?: string; department?: string; site?: string } = {}): Person {
  counter += 1;
  const id = randomUUID();
  const email = `mydata.${id}@example.org`;
  const name = `Person ${counter} ${id.slice(0, 8)}`;
  db.insert(schema.users)
    .values({ id, email, name, jobTitle: extra.jobTitle, department: extra.department, site: extra.site, lastSignInAt: new Date() })
    .run();
  return {
    id,
    email,
    name,
    viewer: () => {
      const user = users.loadSessionUser(id);
      assert.ok(user, "the person can still sign in");
      return user;
    },
  };
}

function makeSupporter(who: Person, extra: { introduction?: string; pauseReason?: string } = {}): Supporter {
  const supporterId = randomUUID();
  db.insert(schema.supporters)
    .values({
      id: supporterId,
      userId: who.id,
      roleTitle: "Police Sergeant",
      site: "Force HQ",
      introduction: extra.introduction ?? "",
      pauseReason: extra.pauseReason ?? null,
      trainedOn: "2026-01-01",
      refresherDue: "2099-01-01",
      capacity: 10,
    })
    .run();
  for (const [kind, value] of [
    ["contact_method", "in_app"],
    ["contact_method", "phone"],
    ["specialism", "Menopause"],
    ["language", "Polish"],
  ] as const) {
    db.insert(schema.supporterAttributes).values({ supporterId, kind, value }).run();
  }
  return { ...who, supporterId };
}

const ask = (to: Supporter, message: string, extra: Partial<CreateRequest> = {}): CreateRequest => ({
  supporterId: to.supporterId,
  category: "discrimination",
  protectedCharacteristic: "race",
  message,
  contactMethod: "phone",
  safeContact: "",
  anonymous: false,
  preferOutsideDepartment: false,
  excludedUserIds: [],
  acknowledgeLimits: true,
  ...extra,
});

function grantEqualityUnit(userId: string, grantedBy: string | null = null): void {
  db.$client.prepare("INSERT INTO role_grants (user_id, role, granted_by) VALUES (?, 'equality_unit', ?)").run(userId, grantedBy);
}

const marker = (label: string) => `${label}-${randomUUID()}`;

const wal = () => `${file}-wal`;
const bytesOf = (path: string) => (fs.existsSync(path) ? fs.readFileSync(path) : Buffer.alloc(0));
function inDatabaseFiles(text: string): boolean {
  const needles = [Buffer.from(text, "utf8"), Buffer.from(text, "utf16le"), Buffer.from(text, "utf16le").swap16()];
  return [file, wal()].some((path) => needles.some((needle) => bytesOf(path).includes(needle)));
}

// ---------------------------------------------------------------------------------------------------------------
// The person: a requester, a member, a coordinator, a supporter, in the Equality Unit, with feedback and mail
// ---------------------------------------------------------------------------------------------------------------

const MARKERS = [
  "jobTitle", "department", "site", "sso", "networkName", "coordinated", "note", "reason", "announcementTitle", "announcementBody",
  "introduction", "pauseReason", "historyReason", "otherHistoryReason", "requestMessage", "safeContact", "myReply", "supporterReply",
  "otherRequester", "otherRequesterReply", "askedMeMessage", "myReplyAsSupporter", "excludedMe", "feedback", "archivedFeedback", "importFile",
] as const;
type MarkerName = (typeof MARKERS)[number];

type World = {
  subject: Supporter;
  otherSupporter: Supporter;
  askedBySubject: string;
  openForSubject: string;
  closedForSubject: string;
  asker: Person;
  pastAsker: Person;
  bystander: Person;
  m: Record<MarkerName, string>;
  ciphers: string[];
};

let world: World;

function buildWorld(): World {
  const m = Object.fromEntries(MARKERS.map((k) => [k, marker(k)])) as Record<MarkerName, string>;
  const subject = makeSupporter(person({ jobTitle: m.jobTitle, department: m.department, site: m.site }), {
    introduction: m.introduction,
    pauseReason: m.pauseReason,
  });
  const otherSupporter = makeSupporter(person());
  const asker = person();
  const pastAsker = person();
  const bystander = person();
  const eve = person();
  grantEqualityUnit(eve.id);
  grantEqualityUnit(subject.id, eve.id);
  grantEqualityUnit(bystander.id, subject.id);

  db.$client
    .prepare("INSERT INTO accounts (user_id, type, provider, provider_account_id) VALUES (?, 'oidc', 'oidc', ?)")
    .run(subject.id, m.sso);
  db.$client.prepare("INSERT INTO sessions (session_token, user_id, expires) VALUES (?, ?, ?)").run(randomUUID(), subject.id, Date.now() + 60_000);

  const network = f.insertNetwork(m.networkName);
  const coordinated = f.insertNetwork(m.coordinated);
  db.$client
    .prepare("INSERT INTO network_memberships (id, network_id, user_id, status, visibility, request_note, decision_reason, decided_at) VALUES (?, ?, ?, 'removed', 'visible', ?, ?, ?)")
    .run(randomUUID(), network.id, subject.id, m.note, m.reason, Date.now());
  f.addCoordinator(coordinated.id, subject.id);
  db.$client
    .prepare("INSERT INTO network_announcements (id, network_id, author_id, title, body) VALUES (?, ?, ?, ?, ?)")
    .run(randomUUID(), coordinated.id, subject.id, m.announcementTitle, m.announcementBody);

  // The roster's history about the subject, and a change the subject made to someone else's entry.
  db.$client
    .prepare("INSERT INTO supporter_status_events (id, supporter_id, from_status, to_status, reason, actor_id) VALUES (?, ?, 'active', 'paused', ?, ?)")
    .run(randomUUID(), subject.supporterId, m.historyReason, subject.id);
  db.$client
    .prepare("INSERT INTO supporter_status_events (id, supporter_id, from_status, to_status, reason, actor_id) VALUES (?, ?, 'active', 'active', ?, ?)")
    .run(randomUUID(), otherSupporter.supporterId, m.otherHistoryReason, subject.id);

  // A request the subject made, with a conversation, naming the bystander as someone not to involve.
  const askedBySubject = requests.createRequest(
    subject.viewer(),
    ask(otherSupporter, m.requestMessage, { safeContact: m.safeContact, excludedUserIds: [bystander.id] }),
  ).id;
  requests.acknowledgeRequest(otherSupporter.viewer(), askedBySubject);
  requests.addMessage(subject.viewer(), askedBySubject, m.myReply);
  requests.addMessage(otherSupporter.viewer(), askedBySubject, m.supporterReply);
  // Someone else's request to the same supporter: none of it is the subject's.
  const other = requests.createRequest(asker.viewer(), ask(otherSupporter, m.otherRequester)).id;
  requests.addMessage(asker.viewer(), other, m.otherRequesterReply);

  // Requests the subject supports: one open (its requester must be told when the subject goes), one closed; the
  // open one's requester names the bystander… and another's requester names the subject as not to involve.
  const openForSubject = requests.createRequest(asker.viewer(), ask(subject, m.askedMeMessage)).id;
  requests.acknowledgeRequest(subject.viewer(), openForSubject);
  requests.addMessage(subject.viewer(), openForSubject, m.myReplyAsSupporter);
  const closedForSubject = requests.createRequest(pastAsker.viewer(), ask(subject, marker("closed"))).id;
  requests.acknowledgeRequest(subject.viewer(), closedForSubject);
  requests.closeRequest(subject.viewer(), closedForSubject, "resolved");
  requests.createRequest(bystander.viewer(), ask(otherSupporter, m.excludedMe, { excludedUserIds: [subject.id] }));

  // Named feedback, and someone else's feedback the subject archived for the Equality Unit.
  const feedbackId = randomUUID();
  db.insert(schema.feedback)
    .values({
      id: feedbackId,
      userId: subject.id,
      bodyCipher: crypto.encryptField(JSON.stringify({ topic: "accessibility", text: m.feedback }), { table: "feedback", column: "body_cipher", rowId: feedbackId }),
      volunteer: true,
    })
    .run();
  const archivedId = randomUUID();
  db.insert(schema.feedback)
    .values({
      id: archivedId,
      userId: null,
      bodyCipher: crypto.encryptField(JSON.stringify({ topic: null, text: m.archivedFeedback }), { table: "feedback", column: "body_cipher", rowId: archivedId }),
      archivedAt: new Date(),
      archivedBy: subject.id,
    })
    .run();
  db.$client.prepare("INSERT INTO staff_imports (id, actor_id, file_name, status, total_rows) VALUES (?, ?, ?, 'done', 3)").run(randomUUID(), subject.id, m.importFile);
  db.$client.prepare("INSERT INTO rate_limits (key, window_start, count) VALUES (?, 0, 1)").run(`staff-search:${subject.id}`);

  const ciphers = [
    ...(db.$client.prepare("SELECT message_cipher, safe_contact_cipher FROM support_requests WHERE id = ?").raw().get(askedBySubject) as string[]),
    ...(db.$client.prepare("SELECT body_cipher FROM request_messages WHERE request_id = ?").pluck().all(askedBySubject) as string[]),
    db.$client.prepare("SELECT body_cipher FROM feedback WHERE id = ?").pluck().get(feedbackId) as string,
  ];
  return { subject, otherSupporter, askedBySubject, openForSubject, closedForSubject, asker, pastAsker, bystander, m, ciphers };
}

describe("your data", () => {
  test("every column that references a person is covered by the export and the erase", () => {
    assert.deepEqual(foreignKeysToUsers(), Object.keys(LINKS_TO_USERS).sort(), "a new link to users needs a decision in db/queries/my-data.ts");
  });

  test("the last member of the Equality Unit cannot erase their data, and nothing changes", () => {
    // Earlier grants (none yet in this file) would make someone else the last member: this runs first.
    assert.equal(count("SELECT count(*) FROM role_grants"), 0);
    const solo = person();
    grantEqualityUnit(solo.id);
    const network = f.insertNetwork("Solo's network");
    db.$client.prepare("INSERT INTO network_memberships (id, network_id, user_id, status) VALUES (?, ?, ?, 'active')").run(randomUUID(), network.id, solo.id);
    const seq = f.lastSeq();

    assert.equal(myData.erasePreview(solo.viewer()).lastEqualityUnitMember, true);
    assert.deepEqual(myData.eraseMyData(solo.viewer()), { ok: false, reason: "last_equality_unit" });
    assert.equal(count("SELECT count(*) FROM users WHERE id = ? AND name = ? AND deactivated_at IS NULL", solo.id, solo.name), 1);
    assert.equal(count("SELECT count(*) FROM network_memberships WHERE user_id = ?", solo.id), 1);
    assert.equal(count("SELECT count(*) FROM role_grants WHERE user_id = ?", solo.id), 1);
    assert.deepEqual(
      f.auditSince(seq).map((e) => [e.action, e.object_id, e.outcome]),
      [["account.erased", solo.id, "denied"]],
    );

    // A deactivated member does not count as another member; a live one does.
    const leaver = person();
    grantEqualityUnit(leaver.id);
    db.$client.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(Date.now(), leaver.id);
    assert.deepEqual(myData.eraseMyData(solo.viewer()), { ok: false, reason: "last_equality_unit" });
    const colleague = person();
    grantEqualityUnit(colleague.id, solo.id);
    assert.equal(myData.erasePreview(solo.viewer()).lastEqualityUnitMember, false);
    assert.deepEqual(myData.eraseMyData(solo.viewer()), { ok: true, kept: "nothing" });
    assert.equal(count("SELECT count(*) FROM users WHERE id = ?", solo.id), 0);
    assert.equal(count("SELECT count(*) FROM role_grants WHERE user_id = ? AND granted_by IS NULL", colleague.id), 1);
  });

  test("the export holds every row linked to the person, and nobody else's words", () => {
    world = buildWorld();
    const { subject, m } = world;
    const seq = f.lastSeq();
    const data = myData.exportMyData(subject.viewer());
    const json = JSON.stringify(data);

    assert.deepEqual(
      f.auditSince(seq).map((e) => [e.actor_id, e.action, e.object_type, e.object_id, e.outcome]),
      [[subject.id, "account.data_exported", "user", subject.id, "success"]],
    );
    assert.deepEqual(data.aboutThisFile.notes, myData.MY_DATA_NOTES);
    assert.match(json, /Anonymous feedback/);

    // users
    assert.deepEqual(
      { ...data.profile, accountCreatedAt: typeof data.profile.accountCreatedAt, lastSignInAt: typeof data.profile.lastSignInAt },
      {
        name: subject.name,
        email: subject.email,
        rankOrGrade: m.jobTitle,
        department: m.department,
        site: m.site,
        textSize: "standard",
        accountCreatedAt: "string",
        lastSignInAt: "string",
      },
    );
    // accounts, sessions
    assert.deepEqual(data.singleSignOn, [{ provider: "oidc", accountId: m.sso }]);
    assert.equal(data.sessions.length, 1);
    // role_grants.user_id, role_grants.granted_by, network_coordinators
    assert.ok(data.roles.equalityUnit?.grantedAt);
    assert.deepEqual(data.roles.coordinatorOf.map((c) => c.network), [m.coordinated]);
    assert.equal(data.workForTheEqualityUnit.equalityUnitRolesGranted, 1);
    // network_memberships: the note they wrote and the coordinator's reason
    assert.deepEqual(
      data.networkMemberships.map(({ network, status, visibility, yourNote, coordinatorReason }) => ({ network, status, visibility, yourNote, coordinatorReason })),
      [{ network: m.networkName, status: "removed", visibility: "visible", yourNote: m.note, coordinatorReason: m.reason }],
    );
    // network_announcements
    assert.deepEqual(
      data.networkAnnouncementsYouWrote.map(({ network, title, body }) => ({ network, title, body })),
      [{ network: m.coordinated, title: m.announcementTitle, body: m.announcementBody }],
    );
    // supporters, supporter_attributes, supporter_status_events (about them, and a count of those they made)
    const profile = data.supporterProfile;
    assert.ok(profile);
    assert.equal(profile.introduction, m.introduction);
    assert.equal(profile.pauseReason, m.pauseReason);
    assert.deepEqual([profile.specialisms, profile.languages, profile.contactMethods], [["Menopause"], ["Polish"], ["in_app", "phone"]]);
    assert.deepEqual(
      profile.rosterHistory.map(({ from, to, reason, by }) => ({ from, to, reason, by })),
      [{ from: "active", to: "paused", reason: m.historyReason, by: "you" }],
    );
    assert.equal(data.workForTheEqualityUnit.rosterChangesForOthers, 1);
    assert.ok(!json.includes(m.otherHistoryReason));
    // support_requests.supporter_user_id and request_messages they wrote as a supporter: counted, not content
    assert.deepEqual(profile.requestsYouSupported, { total: 2, open: 1, ended: 1 });
    for (const secret of [m.askedMeMessage, m.myReplyAsSupporter]) assert.ok(!json.includes(secret), "requests they supported are their requesters'");
    // support_requests.requester_id, request_messages, request_exclusions they made
    assert.equal(data.requestsYouMade.length, 1);
    const [made] = data.requestsYouMade;
    assert.ok(made);
    assert.deepEqual(
      {
        reference: made.reference,
        status: made.status,
        category: made.category,
        protectedCharacteristic: made.protectedCharacteristic,
        supporterName: made.supporterName,
        message: made.message,
        safeContact: made.safeContact,
        declineReason: made.declineReason,
        peopleYouExcluded: made.peopleYouExcluded,
        conversation: made.conversation.map(({ author, text }) => ({ author, text })),
      },
      {
        reference: requests.requestReference(world.askedBySubject),
        status: "acknowledged",
        category: "discrimination",
        protectedCharacteristic: "race",
        supporterName: world.otherSupporter.name,
        message: m.requestMessage,
        safeContact: m.safeContact,
        declineReason: null,
        peopleYouExcluded: [world.bystander.name],
        conversation: [
          { author: "you", text: m.myReply },
          { author: "your supporter", text: m.supporterReply },
        ],
      },
    );
    // request_exclusions naming them belong to that request's requester: not even a hint
    assert.ok(!json.includes(m.excludedMe));
    // Another requester of the same supporter
    for (const secret of [m.otherRequester, m.otherRequesterReply, world.asker.name, world.asker.email]) assert.ok(!json.includes(secret));
    // notifications: the supporter was told about the requests sent to them
    assert.ok(data.notifications.length >= 2);
    assert.ok(data.notifications.some((n) => n.link === `/requests/${world.openForSubject}` && n.sentence === "There is an update on a confidential request."));
    assert.equal(data.notifications.length, count("SELECT count(*) FROM notifications WHERE user_id = ?", subject.id));
    // feedback.user_id (decrypted), feedback.archived_by (counted), staff_imports
    assert.deepEqual(
      data.feedbackYouSentWithYourName.map(({ topic, text, volunteeredForFocusGroups }) => ({ topic, text, volunteeredForFocusGroups })),
      [{ topic: "accessibility", text: m.feedback, volunteeredForFocusGroups: true }],
    );
    assert.equal(data.workForTheEqualityUnit.feedbackArchived, 1);
    assert.ok(!json.includes(m.archivedFeedback));
    assert.deepEqual(data.workForTheEqualityUnit.staffImports.map((i) => [i.fileName, i.totalRows]), [[m.importFile, 3]]);

    // Each linked row is somewhere in the file (every column in LINKS_TO_USERS has been given a row above).
    for (const link of Object.keys(LINKS_TO_USERS)) {
      const [table, column] = link.split(".") as [string, string];
      assert.ok(count(`SELECT count(*) FROM "${table}" WHERE "${column}" = ?`, subject.id) > 0, `the test gave ${link} a row`);
    }
  });

  test("the supporter's export counts the requests they support and holds none of their words", () => {
    const data = myData.exportMyData(world.otherSupporter.viewer());
    const json = JSON.stringify(data);
    assert.deepEqual(data.supporterProfile?.requestsYouSupported, { total: 3, open: 3, ended: 0 });
    assert.deepEqual(data.requestsYouMade, []);
    for (const secret of [world.m.requestMessage, world.m.myReply, world.m.supporterReply, world.m.otherRequester, world.m.excludedMe, world.subject.name]) {
      assert.ok(!json.includes(secret));
    }
  });

  test("erasing a supporter with past requests leaves only an empty tombstone; their requesters are told and keep their conversations", () => {
    const { subject, m } = world;
    // Mail to the subject is in the outbox with their address.
    assert.ok(count("SELECT count(*) FROM mail_outbox WHERE to_address = ?", subject.email) > 0);
    const askerNotifications = count("SELECT count(*) FROM notifications WHERE user_id = ? AND link = ?", world.asker.id, `/requests/${world.openForSubject}`);
    const seq = f.lastSeq();

    assert.equal(myData.erasePreview(subject.viewer()).openRequestsSupported, 1);
    assert.deepEqual(myData.eraseMyData(subject.viewer()), { ok: true, kept: "retired-supporter" });

    // Nothing names them but the NOT NULL references from requests that stay with their requesters.
    assert.deepEqual(columnsHolding(subject.id), TOMBSTONE_REFERENCES.slice().sort());
    const tombstone = db.$client
      .prepare("SELECT name, email, job_title, department, site, image, last_sign_in_at, deactivated_at FROM users WHERE id = ?")
      .get(subject.id) as Record<string, unknown>;
    assert.deepEqual(
      { ...tombstone, deactivated_at: typeof tombstone.deactivated_at },
      { name: null, email: `erased-${subject.id}@erased.invalid`, job_title: null, department: null, site: null, image: null, last_sign_in_at: null, deactivated_at: "number" },
    );
    assert.equal(users.loadSessionUser(subject.id), null);
    assert.deepEqual(
      db.$client.prepare("SELECT status, role_title, introduction, pause_reason FROM supporters WHERE id = ?").get(subject.supporterId),
      { status: "retired", role_title: "", introduction: "", pause_reason: null },
    );
    // The roster keeps one line, why the entry is retired, with nobody named.
    assert.deepEqual(
      db.$client.prepare("SELECT to_status, reason, actor_id FROM supporter_status_events WHERE supporter_id = ?").all(subject.supporterId),
      [{ to_status: "retired", reason: myData.ERASED_ROSTER_REASON, actor_id: null }],
    );

    // The requester of their open request is told, sees why, and can ask someone else.
    assert.equal(count("SELECT count(*) FROM notifications WHERE user_id = ? AND link = ?", world.asker.id, `/requests/${world.openForSubject}`), askerNotifications + 1);
    const released = requests.getRequestForViewer(world.asker.viewer(), world.openForSubject);
    assert.equal(released.status, "declined");
    assert.equal(released.declineReason, requests.SUPPORTER_GONE_REASON);
    // Their conversation stays theirs, without the supporter's name.
    assert.equal(released.message, m.askedMeMessage);
    assert.deepEqual(released.messages.map((x) => [x.author, x.body]), [["Supporter", m.myReplyAsSupporter]]);
    assert.equal(requests.getRequestForViewer(world.pastAsker.viewer(), world.closedForSubject).status, "closed");

    // Their own request was withdrawn, its words erased and its link to them removed; the supporter sees that.
    const theirs = requests.getRequestForViewer(world.otherSupporter.viewer(), world.askedBySubject);
    assert.equal(theirs.status, "withdrawn");
    assert.equal(theirs.message, null);
    assert.deepEqual(theirs.messages, []);
    assert.equal(theirs.requesterName, null);

    // Audit: the erasure, by them, about them; no content.
    const erased = f.auditSince(seq).filter((e) => e.action === "account.erased");
    assert.deepEqual(
      erased.map((e) => [e.actor_id, e.object_type, e.object_id, e.outcome]),
      [[subject.id, "user", subject.id, "success"]],
    );

    // Not in the bytes of the database file or its log: their name, address, details, notes and ciphertexts.
    const [checkpoint] = db.$client.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
    assert.equal(checkpoint?.busy, 0);
    const gone = [subject.email, subject.name, m.jobTitle, m.department, m.site, m.sso, m.note, m.reason, m.introduction, m.pauseReason, m.historyReason, ...world.ciphers];
    for (const text of gone) assert.ok(!inDatabaseFiles(text), `${text.slice(0, 40)} is gone from the database files`);
    // What they did for others stays (without their name): an announcement to a network, an import's file name.
    assert.ok(inDatabaseFiles(m.announcementBody));
    assert.equal(count("SELECT count(*) FROM network_announcements WHERE body = ? AND author_id IS NULL", m.announcementBody), 1);
  });

  test("erasing someone who never supported anyone deletes their account; the supporter they asked sees a withdrawn request with no content", () => {
    const supporter = makeSupporter(person());
    const requester = person();
    const words = marker("words");
    const id = requests.createRequest(requester.viewer(), ask(supporter, words, { safeContact: marker("safe") })).id;
    requests.addMessage(requester.viewer(), id, marker("reply"));
    const network = f.insertNetwork(marker("net"));
    db.$client.prepare("INSERT INTO network_memberships (id, network_id, user_id, status, request_note) VALUES (?, ?, ?, 'pending', ?)").run(randomUUID(), network.id, requester.id, marker("note"));
    db.$client.prepare("INSERT INTO notifications (id, user_id, kind, link) VALUES (?, ?, 'request.update', '/requests')").run(randomUUID(), requester.id);
    const toldBefore = count("SELECT count(*) FROM notifications WHERE user_id = ? AND link = ?", supporter.id, `/requests/${id}`);

    assert.deepEqual(myData.eraseMyData(requester.viewer()), { ok: true, kept: "nothing" });

    assert.deepEqual(columnsHolding(requester.id), []);
    assert.equal(count("SELECT count(*) FROM users WHERE id = ? OR lower(email) = lower(?)", requester.id, requester.email), 0);
    const view = requests.getRequestForViewer(supporter.viewer(), id);
    assert.deepEqual(
      { status: view.status, message: view.message, safeContact: view.safeContact, messages: view.messages, requesterName: view.requesterName },
      { status: "withdrawn", message: null, safeContact: null, messages: [], requesterName: null },
    );
    assert.equal(count("SELECT count(*) FROM notifications WHERE user_id = ? AND link = ?", supporter.id, `/requests/${id}`), toldBefore + 1);
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    for (const text of [requester.email, requester.name, words]) assert.ok(!inDatabaseFiles(text));
  });

  test("neither the export nor the erase can be used once the account is gone", () => {
    const who = person();
    const viewer = who.viewer();
    assert.deepEqual(myData.eraseMyData(viewer), { ok: true, kept: "nothing" });
    assert.throws(() => myData.exportMyData(viewer), errors.NotFoundError);
    assert.throws(() => myData.eraseMyData(viewer), errors.NotFoundError);
  });
});
