import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { freshDatabase } from "./helpers";

type QueriesModule = typeof import("@/db/queries/supporter-self");
type ValidationModule = typeof import("@/db/validation/supporter-self");
type UsersModule = typeof import("@/db/queries/users");
type ClockModule = typeof import("@/lib/clock");
type ErrorsModule = typeof import("@/lib/errors");

let db: Db;
let q: QueriesModule;
let v: ValidationModule;
let users: UsersModule;
let clockLib: ClockModule;
let errors: ErrorsModule;
let realNow: () => Date;

// Midday in London on 25 November 2026, so "today" is 2026-11-25 whatever the machine's time zone.
const NOW = new Date("2026-11-25T12:00:00.000Z");
const TODAY = "2026-11-25";
const PRIVATE_REASON = "Caring for my mother after her operation";

before(async () => {
  ({ db } = await freshDatabase());
  q = await import("@/db/queries/supporter-self");
  v = await import("@/db/validation/supporter-self");
  users = await import("@/db/queries/users");
  clockLib = await import("@/lib/clock");
  errors = await import("@/lib/errors");
  realNow = clockLib.clock.now;
  clockLib.clock.now = () => NOW;
});

after(() => {
  clockLib.clock.now = realNow;
});

type Status = "active" | "paused" | "lapsed" | "retired";
type Attribute = ["specialism" | "language" | "contact_method", string];

// Rows are written with plain SQL so that the code under test is the only Drizzle query in play.
function insertSupporter(
  status: Status,
  options: { pausedUntil?: string; pauseReason?: string; attributes?: Attribute[] } = {},
): { userId: string; supporterId: string } {
  const userId = randomUUID();
  const supporterId = randomUUID();
  db.$client.prepare("INSERT INTO users (id, email, name) VALUES (?, ?, 'Test Person')").run(userId, `${userId}@example.org`);
  db.$client
    .prepare(
      `INSERT INTO supporters (id, user_id, status, role_title, site, introduction, working_pattern, trained_on,
         refresher_due, paused_until, pause_reason, capacity)
       VALUES (?, ?, ?, 'Sergeant', 'Keyham Lane', 'Original introduction', 'Days', '2025-01-10', '2027-01-10', ?, ?, 3)`,
    )
    .run(supporterId, userId, status, options.pausedUntil ?? null, options.pauseReason ?? null);
  const attributes: Attribute[] = options.attributes ?? [
    ["specialism", "Age"],
    ["language", "English"],
    ["language", "Polish"],
    ["contact_method", "in_app"],
    ["contact_method", "phone"],
  ];
  for (const [kind, value] of attributes) {
    db.$client.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, ?, ?)").run(supporterId, kind, value);
  }
  return { userId, supporterId };
}

function insertStaff(): string {
  const userId = randomUUID();
  db.$client.prepare("INSERT INTO users (id, email) VALUES (?, ?)").run(userId, `${userId}@example.org`);
  return userId;
}

// The SessionUser as the app builds it, except where a test forges it on purpose.
function viewerFor(userId: string, overrides: Partial<SessionUser> = {}): SessionUser {
  const viewer = users.loadSessionUser(userId);
  assert.ok(viewer, "the user loads");
  return { ...viewer, ...overrides };
}

type SupporterRow = {
  status: string;
  site: string;
  introduction: string;
  working_pattern: string;
  paused_until: string | null;
  pause_reason: string | null;
  capacity: number;
  updated_at: number | null;
};

const supporterRow = (supporterId: string): SupporterRow =>
  db.$client
    .prepare(
      "SELECT status, site, introduction, working_pattern, paused_until, pause_reason, capacity, updated_at FROM supporters WHERE id = ?",
    )
    .get(supporterId) as SupporterRow;

const attributesOf = (supporterId: string): string[] =>
  (
    db.$client
      .prepare("SELECT kind || ':' || value AS a FROM supporter_attributes WHERE supporter_id = ? ORDER BY kind, value")
      .all(supporterId) as { a: string }[]
  ).map((row) => row.a);

type StatusEventRow = { id: string; from_status: string | null; to_status: string; reason: string; actor_id: string | null; at: number };

const statusEventsOf = (supporterId: string): StatusEventRow[] =>
  db.$client
    .prepare("SELECT id, from_status, to_status, reason, actor_id, created_at AS at FROM supporter_status_events WHERE supporter_id = ? ORDER BY rowid")
    .all(supporterId) as StatusEventRow[];

type AuditRow = { seq: number; actor_id: string | null; action: string; object_type: string | null; object_id: string | null; outcome: string };

const auditAfter = (seq: number): AuditRow[] =>
  db.$client
    .prepare("SELECT seq, actor_id, action, object_type, object_id, outcome FROM audit_events WHERE seq > ? ORDER BY seq")
    .all(seq) as AuditRow[];

const lastAuditSeq = (): number =>
  (db.$client.prepare("SELECT coalesce(max(seq), 0) AS seq FROM audit_events").get() as { seq: number }).seq;

// Every text value in every row of a table, so that a new column cannot hide the private reason.
function allText(table: string): string {
  return JSON.stringify(db.$client.prepare(`SELECT * FROM ${table}`).all());
}

const PROFILE: Record<string, string | string[]> = {
  introduction: "New introduction",
  languages: ["English", "Urdu"],
  contactMethods: ["video"],
  site: "Force HQ",
  workingPattern: "Nights",
};

// Through the form's schema, as the action does.
const profileData = (overrides: Record<string, string | string[]> = {}) => v.ProfileInput.parse({ ...PROFILE, ...overrides });

describe("getOwnSupporter", () => {
  test("returns the viewer's own settings with attributes in vocabulary order and the open request count", () => {
    const { userId, supporterId } = insertSupporter("active", {
      attributes: [
        ["language", "Polish"],
        ["language", "English"],
        ["contact_method", "phone"],
        ["contact_method", "in_app"],
        ["specialism", "Age"],
      ],
    });
    const other = insertSupporter("active");
    const requester = insertStaff();
    const insertRequest = (status: string) =>
      db.$client
        .prepare(
          `INSERT INTO support_requests (id, requester_id, supporter_id, supporter_user_id, status, category, contact_method,
             limits_acknowledged_at, acknowledge_by)
           VALUES (?, ?, ?, ?, ?, 'other', 'in_app', 0, 0)`,
        )
        .run(randomUUID(), requester, supporterId, userId, status);
    insertRequest("new");
    insertRequest("in_progress");
    insertRequest("closed");

    const own = q.getOwnSupporter(viewerFor(userId));
    assert.equal(own.id, supporterId);
    assert.notEqual(own.id, other.supporterId);
    assert.equal(own.status, "active");
    assert.equal(own.introduction, "Original introduction");
    assert.deepEqual(own.languages, ["English", "Polish"]);
    assert.deepEqual(own.contactMethods, ["in_app", "phone"]);
    assert.deepEqual(own.specialisms, ["Age"]);
    assert.equal(own.openRequests, 2, "closed requests do not count against capacity");
    assert.equal(own.capacity, 3);
  });

  test("a paused supporter sees their own private reason", () => {
    const { userId } = insertSupporter("paused", { pausedUntil: "2027-01-05", pauseReason: PRIVATE_REASON });
    const own = q.getOwnSupporter(viewerFor(userId));
    assert.equal(own.status, "paused");
    assert.equal(own.pausedUntil, "2027-01-05");
    assert.equal(own.pauseReason, PRIVATE_REASON);
  });

  for (const status of ["lapsed", "retired"] as const) {
    test(`a ${status} supporter is not found, even with a forged supporterId`, () => {
      const { userId, supporterId } = insertSupporter(status);
      assert.equal(viewerFor(userId).supporterId, null);
      assert.throws(() => q.getOwnSupporter(viewerFor(userId, { supporterId })), errors.NotFoundError);
    });
  }

  test("a member of staff who is not a supporter is not found", () => {
    assert.throws(() => q.getOwnSupporter(viewerFor(insertStaff())), errors.NotFoundError);
  });
});

describe("updateOwnProfile", () => {
  test("replaces languages and contact methods, keeps specialisms, and changes only the viewer's supporter", () => {
    const me = insertSupporter("active");
    const other = insertSupporter("active");
    const otherBefore = { row: supporterRow(other.supporterId), attributes: attributesOf(other.supporterId) };
    const seq = lastAuditSeq();

    q.updateOwnProfile(viewerFor(me.userId), profileData());

    const row = supporterRow(me.supporterId);
    assert.equal(row.introduction, "New introduction");
    assert.equal(row.site, "Force HQ");
    assert.equal(row.working_pattern, "Nights");
    assert.equal(row.updated_at, NOW.getTime());
    assert.equal(row.status, "active");
    assert.deepEqual(attributesOf(me.supporterId), [
      "contact_method:video",
      "language:English",
      "language:Urdu",
      "specialism:Age",
    ]);
    assert.deepEqual({ row: supporterRow(other.supporterId), attributes: attributesOf(other.supporterId) }, otherBefore);

    assert.deepEqual(
      auditAfter(seq).map(({ seq: _seq, ...event }) => event),
      [{ actor_id: me.userId, action: "supporter.profile_updated", object_type: "supporter", object_id: me.supporterId, outcome: "success" }],
    );
    assert.ok(!allText("audit_events").includes("New introduction"), "no profile text in the audit log");
  });

  test("a viewer claiming another supporter's id still changes only their own row", () => {
    const me = insertSupporter("active");
    const victim = insertSupporter("active");
    const victimBefore = { row: supporterRow(victim.supporterId), attributes: attributesOf(victim.supporterId) };

    q.updateOwnProfile(viewerFor(me.userId, { supporterId: victim.supporterId }), profileData({ introduction: "Forged" }));

    assert.deepEqual({ row: supporterRow(victim.supporterId), attributes: attributesOf(victim.supporterId) }, victimBefore);
    assert.equal(supporterRow(me.supporterId).introduction, "Forged");
  });

  test("an extra supporterId field in the form is not part of what is saved", () => {
    const form = new FormData();
    form.set("supporterId", randomUUID());
    form.set("introduction", "Hello\r\nthere");
    form.append("languages", "English");
    form.append("contactMethods", "in_app");
    form.set("site", "Force HQ");
    const values = v.profileValues(form);
    assert.deepEqual(Object.keys(values).sort(), ["contactMethods", "introduction", "languages", "site", "workingPattern"]);
    assert.equal(values.introduction, "Hello\nthere", "line breaks count as one character");
    const parsed = v.ProfileInput.parse(values);
    assert.ok(!("supporterId" in parsed));
  });

  test("is one transaction: when writing the attributes fails, the profile columns are not changed either", () => {
    const me = insertSupporter("active");
    const before = { row: supporterRow(me.supporterId), attributes: attributesOf(me.supporterId) };
    const seq = lastAuditSeq();
    db.$client.exec(
      "CREATE TEMP TRIGGER refuse_somali BEFORE INSERT ON supporter_attributes WHEN NEW.value = 'Somali' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    try {
      assert.throws(() => q.updateOwnProfile(viewerFor(me.userId), profileData({ languages: ["English", "Somali"] })), /refused/);
    } finally {
      db.$client.exec("DROP TRIGGER refuse_somali");
    }
    assert.deepEqual({ row: supporterRow(me.supporterId), attributes: attributesOf(me.supporterId) }, before);
    assert.deepEqual(auditAfter(seq), []);
  });

  for (const status of ["lapsed", "retired"] as const) {
    test(`a ${status} supporter cannot change their profile`, () => {
      const me = insertSupporter(status);
      const before = { row: supporterRow(me.supporterId), attributes: attributesOf(me.supporterId) };
      const seq = lastAuditSeq();
      assert.throws(() => q.updateOwnProfile(viewerFor(me.userId, { supporterId: me.supporterId }), profileData()), errors.NotFoundError);
      assert.deepEqual({ row: supporterRow(me.supporterId), attributes: attributesOf(me.supporterId) }, before);
      assert.deepEqual(auditAfter(seq), []);
    });
  }

  test("a paused supporter can change their profile and stays paused", () => {
    const me = insertSupporter("paused", { pausedUntil: "2027-01-05" });
    q.updateOwnProfile(viewerFor(me.userId), profileData());
    const row = supporterRow(me.supporterId);
    assert.equal(row.status, "paused");
    assert.equal(row.paused_until, "2027-01-05");
    assert.equal(row.introduction, "New introduction");
  });
});

describe("ProfileInput", () => {
  const fieldErrorsFor = (input: Record<string, unknown>) => {
    const result = v.ProfileInput.safeParse({ ...PROFILE, ...input });
    assert.equal(result.success, false);
    return Object.fromEntries(result.error!.issues.map((issue) => [String(issue.path[0]), issue.message]));
  };

  test("accepts a complete profile, trims text and removes repeated choices", () => {
    const parsed = v.ProfileInput.parse({
      ...PROFILE,
      introduction: "  Hello  ",
      languages: ["English", "English", "Urdu"],
      contactMethods: ["video", "video"],
      workingPattern: "",
    });
    assert.equal(parsed.introduction, "Hello");
    assert.deepEqual(parsed.languages, ["English", "Urdu"]);
    assert.deepEqual(parsed.contactMethods, ["video"]);
    assert.equal(parsed.workingPattern, "");
  });

  test("refuses an empty introduction, no language and no contact method, all at once", () => {
    assert.deepEqual(fieldErrorsFor({ introduction: "   ", languages: [], contactMethods: [] }), {
      introduction: "Enter an introduction",
      languages: "Select at least one language",
      contactMethods: "Select at least one way people can contact you",
    });
  });

  test("refuses values outside the fixed lists and text over the limits", () => {
    assert.deepEqual(
      fieldErrorsFor({
        introduction: "x".repeat(1001),
        languages: ["Klingon"],
        contactMethods: ["carrier_pigeon"],
        site: "s".repeat(81),
        workingPattern: "w".repeat(201),
      }),
      {
        introduction: "Introduction must be 1,000 characters or fewer",
        languages: "Select languages from the list",
        contactMethods: "Select ways to contact you from the list",
        site: "Site must be 80 characters or fewer",
        workingPattern: "Working pattern must be 200 characters or fewer",
      },
    );
    assert.equal(v.ProfileInput.safeParse({ ...PROFILE, introduction: "x".repeat(1000), site: "s".repeat(80) }).success, true);
    assert.deepEqual(fieldErrorsFor({ site: " " }), { site: "Enter your site" });
  });
});

describe("PauseInput", () => {
  const pause = (day: string, month: string, year: string, reason = "") =>
    v.PauseInput(TODAY).safeParse({ pausedUntil: { day, month, year }, pauseReason: reason });
  const messages = (result: ReturnType<typeof pause>) =>
    result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [String(issue.path[0]), issue.message]));

  test("accepts tomorrow and exactly a year ahead, as ISO dates, and an empty reason as none", () => {
    assert.deepEqual(pause("26", "11", "2026").data, { pausedUntil: "2026-11-26", pauseReason: null });
    assert.deepEqual(pause(" 25 ", "11", "2027", "  Secondment ").data, { pausedUntil: "2027-11-25", pauseReason: "Secondment" });
  });

  test("refuses today, a date in the past and a date more than a year ahead", () => {
    assert.deepEqual(messages(pause("25", "11", "2026")), { pausedUntil: "The date must be in the future" });
    assert.deepEqual(messages(pause("1", "1", "2026")), { pausedUntil: "The date must be in the future" });
    assert.deepEqual(messages(pause("26", "11", "2027")), { pausedUntil: "The date must be within a year of today" });
  });

  test("refuses dates that do not exist and parts that are missing", () => {
    for (const [day, month, year] of [
      ["31", "2", "2027"],
      ["29", "2", "2027"],
      ["0", "1", "2027"],
      ["1", "13", "2027"],
      ["1", "1", "27"],
      ["a", "1", "2027"],
      ["1.5", "1", "2027"],
    ] as const) {
      assert.deepEqual(messages(pause(day, month, year)), { pausedUntil: "The date must be a real date" }, `${day}/${month}/${year}`);
    }
    assert.deepEqual(messages(pause("", "", "")), { pausedUntil: "Enter the date you will start taking requests again" });
    assert.deepEqual(messages(pause("3", "", "2027")), { pausedUntil: "The date must include a month" });
    assert.deepEqual(messages(pause("", "", "2027")), { pausedUntil: "The date must include a day and month" });
  });

  test("reports a bad date and a reason over 200 characters together", () => {
    assert.deepEqual(messages(pause("31", "2", "2027", "r".repeat(201))), {
      pausedUntil: "The date must be a real date",
      pauseReason: "Reason must be 200 characters or fewer",
    });
    assert.equal(pause("1", "1", "2027", "r".repeat(200)).success, true);
  });
});

describe("CapacityInput", () => {
  test("accepts whole numbers from 1 to 20", () => {
    assert.equal(v.CapacityInput.parse({ capacity: "1" }).capacity, 1);
    assert.equal(v.CapacityInput.parse({ capacity: " 20 " }).capacity, 20);
  });

  test("refuses 0, 21, 25, fractions, words and nothing", () => {
    const message = (capacity: string) => v.CapacityInput.safeParse({ capacity }).error?.issues[0]?.message;
    assert.equal(message("0"), "Capacity must be between 1 and 20");
    assert.equal(message("21"), "Capacity must be between 1 and 20");
    assert.equal(message("25"), "Capacity must be between 1 and 20");
    assert.equal(message("99999999999999999999999"), "Capacity must be between 1 and 20");
    assert.equal(message("2.5"), "Capacity must be a whole number, like 3");
    assert.equal(message("-3"), "Capacity must be a whole number, like 3");
    assert.equal(message("three"), "Capacity must be a whole number, like 3");
    assert.equal(message(""), "Enter how many open requests you can take at a time");
  });
});

describe("pauseOwn and resumeOwn", () => {
  test("pausing records the date and the private reason, and a status event and an audit event without that reason", () => {
    const me = insertSupporter("active");
    const seq = lastAuditSeq();

    q.pauseOwn(viewerFor(me.userId), { until: "2027-01-05", reason: PRIVATE_REASON }, TODAY);

    const row = supporterRow(me.supporterId);
    assert.equal(row.status, "paused");
    assert.equal(row.paused_until, "2027-01-05");
    assert.equal(row.pause_reason, PRIVATE_REASON);
    const events = statusEventsOf(me.supporterId);
    assert.equal(events.length, 1);
    assert.deepEqual(
      { ...events[0], id: undefined },
      { id: undefined, from_status: "active", to_status: "paused", reason: "Paused by the supporter", actor_id: me.userId, at: NOW.getTime() },
    );
    assert.deepEqual(
      auditAfter(seq).map(({ seq: _seq, ...event }) => event),
      [{ actor_id: me.userId, action: "supporter.paused", object_type: "supporter_status_event", object_id: events[0]!.id, outcome: "success" }],
    );
    assert.ok(!allText("supporter_status_events").includes(PRIVATE_REASON), "the private reason is not in the roster history");
    assert.ok(!allText("audit_events").includes(PRIVATE_REASON), "the private reason is not in the audit log");
  });

  test("pausing again while paused moves the date, replaces the reason and records another event", () => {
    const me = insertSupporter("paused", { pausedUntil: "2026-12-01", pauseReason: "Old reason" });
    q.pauseOwn(viewerFor(me.userId), { until: "2027-02-01", reason: null }, TODAY);
    const row = supporterRow(me.supporterId);
    assert.equal(row.paused_until, "2027-02-01");
    assert.equal(row.pause_reason, null);
    assert.deepEqual(
      statusEventsOf(me.supporterId).map((e) => [e.from_status, e.to_status]),
      [["paused", "paused"]],
    );
  });

  test("refuses a pause date that is not after today or more than a year ahead, changing nothing", () => {
    const me = insertSupporter("active");
    const before = supporterRow(me.supporterId);
    const seq = lastAuditSeq();
    for (const until of ["2026-11-24", TODAY, "2027-11-26", "not a date"]) {
      assert.throws(() => q.pauseOwn(viewerFor(me.userId), { until, reason: null }, TODAY), RangeError, until);
    }
    assert.deepEqual(supporterRow(me.supporterId), before);
    assert.deepEqual(statusEventsOf(me.supporterId), []);
    assert.deepEqual(auditAfter(seq), []);
  });

  for (const status of ["lapsed", "retired"] as const) {
    test(`a ${status} supporter cannot pause or resume`, () => {
      const me = insertSupporter(status, { pausedUntil: status === "lapsed" ? "2026-12-01" : undefined });
      const before = supporterRow(me.supporterId);
      const seq = lastAuditSeq();
      const viewer = viewerFor(me.userId, { supporterId: me.supporterId });
      assert.throws(() => q.pauseOwn(viewer, { until: "2027-01-05", reason: PRIVATE_REASON }, TODAY), errors.NotFoundError);
      assert.throws(() => q.resumeOwn(viewer), errors.NotFoundError);
      assert.deepEqual(supporterRow(me.supporterId), before);
      assert.deepEqual(statusEventsOf(me.supporterId), []);
      assert.deepEqual(auditAfter(seq), []);
    });
  }

  test("a member of staff who is not a supporter cannot pause", () => {
    assert.throws(() => q.pauseOwn(viewerFor(insertStaff()), { until: "2027-01-05", reason: null }, TODAY), errors.NotFoundError);
  });

  test("resuming ends the pause now and clears the private reason, with a status event and an audit event", () => {
    const me = insertSupporter("paused", { pausedUntil: "2027-01-05", pauseReason: PRIVATE_REASON });
    const other = insertSupporter("paused", { pausedUntil: "2027-01-05", pauseReason: "Someone else's reason" });
    const seq = lastAuditSeq();

    assert.equal(q.resumeOwn(viewerFor(me.userId)), true);

    const row = supporterRow(me.supporterId);
    assert.equal(row.status, "active");
    assert.equal(row.paused_until, null);
    assert.equal(row.pause_reason, null);
    const events = statusEventsOf(me.supporterId);
    assert.deepEqual(
      events.map((e) => [e.from_status, e.to_status, e.reason, e.actor_id]),
      [["paused", "active", "Resumed by the supporter", me.userId]],
    );
    assert.deepEqual(
      auditAfter(seq).map(({ seq: _seq, ...event }) => event),
      [{ actor_id: me.userId, action: "supporter.resumed", object_type: "supporter_status_event", object_id: events[0]!.id, outcome: "success" }],
    );
    assert.equal(supporterRow(other.supporterId).status, "paused", "only the viewer resumes");
    assert.equal(supporterRow(other.supporterId).pause_reason, "Someone else's reason");
  });

  test("resuming when not paused changes nothing and writes nothing", () => {
    const me = insertSupporter("active");
    const before = supporterRow(me.supporterId);
    const seq = lastAuditSeq();
    assert.equal(q.resumeOwn(viewerFor(me.userId)), false);
    assert.deepEqual(supporterRow(me.supporterId), before);
    assert.deepEqual(statusEventsOf(me.supporterId), []);
    assert.deepEqual(auditAfter(seq), []);
  });
});

describe("setOwnCapacity", () => {
  test("changes the viewer's capacity only, with an audit event and no status event", () => {
    const me = insertSupporter("active");
    const other = insertSupporter("active");
    const seq = lastAuditSeq();
    q.setOwnCapacity(viewerFor(me.userId, { supporterId: other.supporterId }), 7);
    assert.equal(supporterRow(me.supporterId).capacity, 7);
    assert.equal(supporterRow(other.supporterId).capacity, 3);
    assert.deepEqual(statusEventsOf(me.supporterId), []);
    assert.deepEqual(
      auditAfter(seq).map(({ seq: _seq, ...event }) => event),
      [{ actor_id: me.userId, action: "supporter.capacity_changed", object_type: "supporter", object_id: me.supporterId, outcome: "success" }],
    );
  });

  test("refuses 0, 21 and fractions, changing nothing", () => {
    const me = insertSupporter("paused", { pausedUntil: "2027-01-05" });
    const seq = lastAuditSeq();
    for (const capacity of [0, 21, 2.5, Number.NaN]) {
      assert.throws(() => q.setOwnCapacity(viewerFor(me.userId), capacity), RangeError, String(capacity));
    }
    assert.equal(supporterRow(me.supporterId).capacity, 3);
    assert.deepEqual(auditAfter(seq), []);
    q.setOwnCapacity(viewerFor(me.userId), 20);
    assert.equal(supporterRow(me.supporterId).capacity, 20, "a paused supporter may change their capacity");
  });

  test("a lapsed supporter cannot change their capacity", () => {
    const me = insertSupporter("lapsed");
    assert.throws(() => q.setOwnCapacity(viewerFor(me.userId, { supporterId: me.supporterId }), 5), errors.NotFoundError);
    assert.equal(supporterRow(me.supporterId).capacity, 3);
  });
});
