import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { freshDatabase } from "./helpers";

type RosterModule = typeof import("@/db/queries/roster");
type StaffModule = typeof import("@/db/queries/staff");
type ValidationModule = typeof import("@/db/validation/roster");
type SchemaModule = typeof import("@/db/schema");
type ErrorsModule = typeof import("@/lib/errors");
type ClockModule = typeof import("@/lib/clock");

let db: Db;
let roster: RosterModule;
let staff: StaffModule;
let v: ValidationModule;
let schema: SchemaModule;
let NotFoundError: ErrorsModule["NotFoundError"];
let clockLib: ClockModule;

// The roster's rules are about calendar dates, so every test uses the same "today".
const TODAY = "2026-11-25";

// People, made here rather than taken from the demo seed so that the counts below cannot drift with the demo data.
let eve: SessionUser; // Equality Unit
let alex: SessionUser; // staff
let sam: SessionUser; // a supporter
let impostor: SessionUser; // a session that claims the role, without a grant in the database

function sessionFor(id: string, isEqualityUnit: boolean, supporterId: string | null = null): SessionUser {
  return { id, email: `${id}@example.org`, name: id, textSize: "standard", isEqualityUnit, supporterId, coordinates: [] };
}

type UserInput = { name: string; email?: string; department?: string | null; site?: string | null; jobTitle?: string | null; deactivated?: boolean };

function makeUser(input: UserInput): string {
  const id = randomUUID();
  db.insert(schema.users)
    .values({
      id,
      name: input.name,
      email: input.email ?? `${input.name.toLowerCase().replace(/[^a-z]+/g, ".")}.${id.slice(0, 6)}@example.org`,
      department: input.department === undefined ? "Response Policing" : input.department,
      site: input.site === undefined ? "Force HQ" : input.site,
      jobTitle: input.jobTitle === undefined ? "Police Constable" : input.jobTitle,
      deactivatedAt: input.deactivated ? new Date() : null,
    })
    .run();
  return id;
}

type SupporterInput = {
  status?: "active" | "paused" | "lapsed" | "retired";
  site?: string;
  trainedOn?: string;
  refresherDue?: string;
  pausedUntil?: string | null;
  pauseReason?: string | null;
  capacity?: number;
  specialisms?: string[];
  deactivated?: boolean;
};

function makeSupporter(name: string, input: SupporterInput = {}): { supporterId: string; userId: string } {
  const userId = makeUser({ name, site: input.site ?? "Force HQ", deactivated: input.deactivated });
  const supporterId = randomUUID();
  db.insert(schema.supporters)
    .values({
      id: supporterId,
      userId,
      status: input.status ?? "active",
      roleTitle: "Police Constable",
      site: input.site ?? "Force HQ",
      trainedOn: input.trainedOn ?? "2025-06-01",
      refresherDue: input.refresherDue ?? "2027-06-01",
      pausedUntil: input.pausedUntil ?? null,
      pauseReason: input.pauseReason ?? null,
      capacity: input.capacity ?? 3,
    })
    .run();
  const specialisms = input.specialisms ?? ["Bullying and harassment"];
  db.insert(schema.supporterAttributes)
    .values([
      ...specialisms.map((value) => ({ supporterId, kind: "specialism" as const, value })),
      { supporterId, kind: "language" as const, value: "English" },
      { supporterId, kind: "contact_method" as const, value: "in_app" },
    ])
    .run();
  return { supporterId, userId };
}

function openRequest(supporter: { supporterId: string; userId: string }, requesterId: string): void {
  db.insert(schema.supportRequests)
    .values({
      requesterId,
      supporterId: supporter.supporterId,
      supporterUserId: supporter.userId,
      status: "new",
      category: "bullying_harassment",
      contactMethod: "in_app",
      limitsAcknowledgedAt: new Date(),
      acknowledgeBy: new Date(),
    })
    .run();
}

const all = <T>(query: string, ...params: unknown[]): T[] => db.$client.prepare(query).all(...params) as T[];
const one = <T>(query: string, ...params: unknown[]): T | undefined => db.$client.prepare(query).get(...params) as T | undefined;

function auditEvents(): { action: string; object_type: string | null; object_id: string | null; actor_id: string | null; outcome: string }[] {
  return all("SELECT action, object_type, object_id, actor_id, outcome FROM audit_events ORDER BY seq");
}

/** Every text value in the audit log, so a new column cannot escape the check. */
function auditText(): string {
  const columns = all<{ name: string; type: string }>("PRAGMA table_info(audit_events)")
    .filter((c) => c.type.toUpperCase() === "TEXT")
    .map((c) => `coalesce("${c.name}", '')`);
  return all<{ t: string }>(`SELECT ${columns.join(" || ' ' || ")} AS t FROM audit_events`)
    .map((r) => r.t)
    .join("\n");
}

const blankDate = { day: "", month: "", year: "" };
const dateParts = (iso: string) => {
  const [year, month, day] = iso.split("-");
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? "" };
};

function newSupporterInput(overrides: Partial<import("@/db/queries/roster").NewSupporter> = {}): import("@/db/queries/roster").NewSupporter {
  return {
    staffId: "",
    staff: "",
    roleTitle: "",
    site: "",
    introduction: "I listen.",
    workingPattern: "Weekdays",
    capacity: 3,
    specialisms: ["Race and ethnicity", "Age"],
    languages: ["English", "Polish"],
    contactMethods: ["in_app", "phone"],
    trainedOn: "2026-10-01",
    refresherDue: "2028-10-01",
    ...overrides,
  };
}

before(async () => {
  ({ db } = await freshDatabase());
  schema = await import("@/db/schema");
  roster = await import("@/db/queries/roster");
  staff = await import("@/db/queries/staff");
  v = await import("@/db/validation/roster");
  ({ NotFoundError } = await import("@/lib/errors"));
  clockLib = await import("@/lib/clock");

  const eveId = makeUser({ name: "Eve Okafor", department: "Equality Unit" });
  db.insert(schema.roleGrants).values({ userId: eveId, role: "equality_unit" }).run();
  eve = sessionFor(eveId, true);
  alex = sessionFor(makeUser({ name: "Alex Morgan" }), false);
  const samSupporter = makeSupporter("Sam Patel", { site: "Keyham Lane" });
  sam = sessionFor(samSupporter.userId, false, samSupporter.supporterId);
  impostor = sessionFor(makeUser({ name: "Ivy Impostor" }), true);
});

// ---------------------------------------------------------------------------------------------------------------

describe("roster permissions: the Equality Unit only, checked in SQL", () => {
  test("anyone else reads nothing and changes nothing, through every function", () => {
    const target = makeSupporter("Permission Target", { site: "Hinckley" });
    const newcomer = makeUser({ name: "Permission Newcomer" });
    const before = {
      supporters: one<{ n: number }>("SELECT count(*) AS n FROM supporters")?.n,
      events: one<{ n: number }>("SELECT count(*) AS n FROM supporter_status_events")?.n,
      attributes: all("SELECT * FROM supporter_attributes WHERE supporter_id = ? ORDER BY kind, value", target.supporterId),
      row: one("SELECT * FROM supporters WHERE id = ?", target.supporterId),
      audit: auditEvents().length,
    };

    // The impostor's session says "Equality Unit": only the database's grant counts.
    for (const viewer of [alex, sam, impostor]) {
      assert.equal(roster.viewerIsEqualityUnitNow(viewer), false);
      assert.throws(() => roster.assertEqualityUnit(viewer), NotFoundError);
      assert.deepEqual(roster.listRoster(viewer, { page: 1 }, TODAY), { rows: [], total: 0, page: 1, pageCount: 1 });
      assert.throws(() => roster.getRosterSupporter(viewer, target.supporterId, TODAY), NotFoundError);
      assert.throws(() => roster.getRosterHealth(viewer, TODAY), NotFoundError);
      assert.throws(() => roster.getRosterCounts(viewer, TODAY), NotFoundError);
      assert.throws(() => roster.addSupporter(viewer, newSupporterInput({ staffId: newcomer })), NotFoundError);
      assert.throws(
        () =>
          roster.updateSupporterProfile(viewer, target.supporterId, {
            roleTitle: "Changed",
            site: "Changed",
            introduction: "Changed",
            workingPattern: "",
            capacity: 9,
            specialisms: ["Age"],
            languages: ["Urdu"],
            contactMethods: ["video"],
            trainedOn: "2026-01-01",
            refresherDue: "2028-01-01",
          }),
        NotFoundError,
      );
      assert.throws(
        () => roster.changeSupporterStatus(viewer, target.supporterId, { status: "retired", reason: "Nope", refresherDue: null }, TODAY),
        NotFoundError,
      );
    }

    assert.equal(one<{ n: number }>("SELECT count(*) AS n FROM supporters")?.n, before.supporters);
    assert.equal(one<{ n: number }>("SELECT count(*) AS n FROM supporter_status_events")?.n, before.events);
    assert.deepEqual(all("SELECT * FROM supporter_attributes WHERE supporter_id = ? ORDER BY kind, value", target.supporterId), before.attributes);
    assert.deepEqual(one("SELECT * FROM supporters WHERE id = ?", target.supporterId), before.row);
    assert.equal(auditEvents().length, before.audit, "nothing was written, not even an audit event of a change");
    assert.equal(one("SELECT 1 FROM supporters WHERE user_id = ?", newcomer), undefined);
  });

  test("a grant revoked a moment ago stops working on the next statement", () => {
    const carolId = makeUser({ name: "Carol Revoked" });
    db.insert(schema.roleGrants).values({ userId: carolId, role: "equality_unit" }).run();
    const carol = sessionFor(carolId, true);
    assert.ok(roster.listRoster(carol, { page: 1 }, TODAY).total > 0, "with the grant, the roster is there");
    db.$client.prepare("DELETE FROM role_grants WHERE user_id = ?").run(carolId);
    assert.equal(roster.listRoster(carol, { page: 1 }, TODAY).total, 0);
    assert.throws(() => roster.getRosterHealth(carol, TODAY), NotFoundError);
    assert.throws(() => roster.getRosterCounts(carol, TODAY), NotFoundError);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("adding a supporter", () => {
  test("by the picker's id: supporter, attributes, first history entry and audit event, with defaults from the staff record", () => {
    const ravi = makeUser({ name: "Ravi Chauhan", department: "CID", site: "Euston Road", jobTitle: "Detective Constable" });
    const auditBefore = auditEvents().length;
    const result = roster.addSupporter(eve, newSupporterInput({ staffId: ravi }));
    assert.ok(result.ok, JSON.stringify(result));
    const id = result.data.id;

    const row = one<Record<string, unknown>>("SELECT * FROM supporters WHERE id = ?", id);
    assert.equal(row?.user_id, ravi);
    assert.equal(row?.status, "active");
    assert.equal(row?.role_title, "Detective Constable", "role defaults to the job title");
    assert.equal(row?.site, "Euston Road", "site defaults to the staff record's site");
    assert.equal(row?.capacity, 3);
    assert.equal(row?.trained_on, "2026-10-01");
    assert.equal(row?.refresher_due, "2028-10-01");

    assert.deepEqual(
      all<{ kind: string; value: string }>("SELECT kind, value FROM supporter_attributes WHERE supporter_id = ? ORDER BY kind, value", id),
      [
        { kind: "contact_method", value: "in_app" },
        { kind: "contact_method", value: "phone" },
        { kind: "language", value: "English" },
        { kind: "language", value: "Polish" },
        { kind: "specialism", value: "Age" },
        { kind: "specialism", value: "Race and ethnicity" },
      ],
    );
    assert.deepEqual(
      all("SELECT from_status, to_status, reason, actor_id FROM supporter_status_events WHERE supporter_id = ?", id),
      [{ from_status: null, to_status: "active", reason: "Added to the roster", actor_id: eve.id }],
    );
    const events = auditEvents().slice(auditBefore);
    assert.deepEqual(events, [{ action: "supporter.added", object_type: "supporter", object_id: id, actor_id: eve.id, outcome: "success" }]);
  });

  test("by full email address (the no-JavaScript fallback), ignoring case, with the role and site typed in", () => {
    makeUser({ name: "Nadia Begum", email: "nadia.begum@example.org", site: "Force HQ" });
    const result = roster.addSupporter(eve, newSupporterInput({ staff: "Nadia.Begum@Example.org", roleTitle: "Call Handler", site: "Keyham Lane" }));
    assert.ok(result.ok, JSON.stringify(result));
    const row = one<{ role_title: string; site: string; name: string }>(
      "SELECT role_title, supporters.site AS site, name FROM supporters JOIN users ON users.id = supporters.user_id WHERE supporters.id = ?",
      result.data.id,
    );
    assert.deepEqual(row, { role_title: "Call Handler", site: "Keyham Lane", name: "Nadia Begum" });
  });

  test("refuses, with a clear message on the staff field and nothing written, anyone who cannot be added", () => {
    const leaver = makeUser({ name: "Dana Leaver", email: "dana.leaver@example.org", deactivated: true });
    const lapsedOne = makeSupporter("Lapsed Larry", { status: "lapsed", refresherDue: "2026-01-01", trainedOn: "2024-01-01" });
    const counts = () => ({
      supporters: one<{ n: number }>("SELECT count(*) AS n FROM supporters")?.n,
      events: one<{ n: number }>("SELECT count(*) AS n FROM supporter_status_events")?.n,
      audit: auditEvents().length,
    });
    const before = counts();
    const cases: [Partial<import("@/db/queries/roster").NewSupporter>, RegExp][] = [
      [{ staff: "nobody@example.org" }, /^No member of staff with that email address$/],
      [{ staff: "dana.leaver@example.org" }, /has left: their account is closed/],
      [{ staffId: leaver }, /has left: their account is closed/],
      [{ staffId: sam.id }, /^Sam Patel is already on the roster$/],
      [{ staffId: lapsedOne.userId }, /^Lapsed Larry is already on the roster \(lapsed\)/],
      [{ staffId: randomUUID() }, /could not be found/],
      [{ staff: "Nadia" }, /Choose a member of staff from the list, or enter their full email address/],
      [{}, /Enter their name/],
    ];
    for (const [input, message] of cases) {
      const result = roster.addSupporter(eve, newSupporterInput(input));
      assert.equal(result.ok, false, JSON.stringify(input));
      if (!result.ok) {
        assert.equal(result.field, "staff");
        assert.match(result.error, message);
      }
    }
    assert.deepEqual(counts(), before);
  });

  test("asks for a role and site when neither the form nor the staff record has one", () => {
    const bare = makeUser({ name: "Bare Record", jobTitle: null, site: null });
    const noRole = roster.addSupporter(eve, newSupporterInput({ staffId: bare }));
    assert.deepEqual(noRole.ok ? null : noRole.field, "roleTitle");
    const noSite = roster.addSupporter(eve, newSupporterInput({ staffId: bare, roleTitle: "Volunteer" }));
    assert.deepEqual(noSite.ok ? null : noSite.field, "site");
    assert.equal(one("SELECT 1 FROM supporters WHERE user_id = ?", bare), undefined);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("form validation", () => {
  const form = (overrides: Partial<import("@/db/validation/roster").ProfileFormValues> = {}) => ({
    staffId: "",
    staff: "someone@example.org",
    roleTitle: "",
    site: "",
    introduction: "",
    workingPattern: "",
    capacity: "",
    specialisms: ["Age"],
    languages: ["English"],
    contactMethods: ["in_app"],
    trainedOn: dateParts("2026-03-27"),
    refresherDue: blankDate,
    ...overrides,
  });
  const errorsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
    Object.fromEntries((result.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));

  test("the refresher defaults to two years after training, and capacity to 3", () => {
    const parsed = v.addSupporterSchema(TODAY).safeParse(form());
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    assert.equal(parsed.data.trainedOn, "2026-03-27");
    assert.equal(parsed.data.refresherDue, clockLib.addYears("2026-03-27", 2));
    assert.equal(parsed.data.refresherDue, "2028-03-27");
    assert.equal(parsed.data.capacity, 3);
    // 29 February has no anniversary: addYears decides, and the form agrees with the seed.
    const leap = v.editSupporterSchema(TODAY).safeParse(form({ roleTitle: "PC", site: "Hinckley", trainedOn: dateParts("2024-02-29") }));
    assert.ok(leap.success, "a leap day");
    assert.equal(leap.data.refresherDue, clockLib.addYears("2024-02-29", 2));
  });

  test("a refresher date typed in is kept", () => {
    const parsed = v.addSupporterSchema(TODAY).safeParse(form({ refresherDue: dateParts("2027-09-01") }));
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    assert.equal(parsed.data.refresherDue, "2027-09-01");
  });

  const invalid: [string, Partial<import("@/db/validation/roster").ProfileFormValues>, string, string][] = [
    ["training in the future", { trainedOn: dateParts("2026-11-26") }, "trainedOn", "Training date must be today or in the past"],
    ["no training date", { trainedOn: blankDate }, "trainedOn", "Enter training date"],
    ["training date without a month", { trainedOn: { day: "3", month: "", year: "2026" } }, "trainedOn", "Training date must include a month"],
    ["31 February", { trainedOn: { day: "31", month: "2", year: "2026" } }, "trainedOn", "Training date must be a real date"],
    ["letters in a date", { trainedOn: { day: "x", month: "2", year: "2026" } }, "trainedOn", "Training date must be a real date"],
    ["refresher before training", { refresherDue: dateParts("2026-03-01") }, "refresherDue", "Refresher due date must be after the training date"],
    ["refresher on the training day", { refresherDue: dateParts("2026-03-27") }, "refresherDue", "Refresher due date must be after the training date"],
    ["training so old the refresher is overdue", { trainedOn: dateParts("2024-01-10") }, "refresherDue", "Their refresher training is overdue. Enter a refresher due date that is today or later, or a more recent training date"],
    ["no specialism", { specialisms: [] }, "specialisms", "Choose at least one specialism"],
    ["a specialism not in the list", { specialisms: ["Astrology"] }, "specialisms", "Choose specialisms from the list"],
    ["no language", { languages: [] }, "languages", "Choose at least one language"],
    ["no contact method", { contactMethods: [] }, "contactMethods", "Choose at least one way they can be contacted"],
    ["capacity 0", { capacity: "0" }, "capacity", "Capacity must be a whole number from 1 to 20"],
    ["capacity 21", { capacity: "21" }, "capacity", "Capacity must be a whole number from 1 to 20"],
    ["capacity 2.5", { capacity: "2.5" }, "capacity", "Capacity must be a whole number from 1 to 20"],
    ["a long introduction", { introduction: "x".repeat(1001) }, "introduction", "Introduction must be 1,000 characters or fewer"],
  ];
  for (const [name, overrides, field, message] of invalid) {
    test(`rejects ${name}`, () => {
      const parsed = v.addSupporterSchema(TODAY).safeParse(form(overrides));
      assert.equal(parsed.success, false);
      assert.equal(errorsOf(parsed)[field], message);
    });
  }

  test("every field's error is reported at once, the staff field's too", () => {
    const parsed = v.addSupporterSchema(TODAY).safeParse(form({ staff: "", specialisms: [], trainedOn: blankDate, capacity: "0" }));
    assert.deepEqual(errorsOf(parsed), {
      staff: "Enter their name and choose them from the list, or enter their full email address",
      specialisms: "Choose at least one specialism",
      capacity: "Capacity must be a whole number from 1 to 20",
      trainedOn: "Enter training date",
    });
    const named = v.addSupporterSchema(TODAY).safeParse(form({ staff: "Nadia" }));
    assert.deepEqual(errorsOf(named), { staff: "Choose a member of staff from the list, or enter their full email address" });
    // With the picker's hidden id, the text is only the name shown.
    assert.equal(v.addSupporterSchema(TODAY).safeParse(form({ staff: "Nadia Begum", staffId: randomUUID() })).success, true);
  });

  test("capacity 1 and 20 are allowed; training today is allowed", () => {
    for (const capacity of ["1", "20"]) assert.ok(v.addSupporterSchema(TODAY).safeParse(form({ capacity })).success, capacity);
    assert.ok(v.addSupporterSchema(TODAY).safeParse(form({ trainedOn: dateParts(TODAY) })).success, "training today");
  });

  test("editing requires a role and a site, and accepts an old refresher date (the unit may be correcting records)", () => {
    const edit = v.editSupporterSchema(TODAY);
    assert.deepEqual(errorsOf(edit.safeParse(form())), { roleTitle: "Enter their role or rank", site: "Enter the site where they work" });
    const old = edit.safeParse(form({ roleTitle: "PC", site: "Hinckley", trainedOn: dateParts("2023-01-10") }));
    assert.ok(old.success, "an old refresher date");
    assert.equal(old.data.refresherDue, "2025-01-10");
  });

  test("a status change needs a status and a reason of at most 500 characters; a new refresher date must be in the future", () => {
    const schemaFor = v.changeStatusSchema(TODAY);
    const ok = schemaFor.safeParse({ status: "lapsed", reason: "  Missed refresher  ", refresherDue: blankDate });
    assert.ok(ok.success, "a valid change");
    assert.deepEqual(ok.data, { status: "lapsed", reason: "Missed refresher", refresherDue: null });
    assert.ok(schemaFor.safeParse({ status: "retired", reason: "x".repeat(500), refresherDue: blankDate }).success, "500 characters");
    assert.deepEqual(errorsOf(schemaFor.safeParse({ status: "", reason: "", refresherDue: blankDate })), {
      status: "Choose their new status",
      reason: "Enter the reason for the change",
    });
    assert.deepEqual(errorsOf(schemaFor.safeParse({ status: "retired", reason: "x".repeat(501), refresherDue: blankDate })), {
      reason: "Reason must be 500 characters or fewer",
    });
    assert.deepEqual(errorsOf(schemaFor.safeParse({ status: "gone", reason: "x", refresherDue: blankDate })), { status: "Choose their new status" });
    assert.deepEqual(errorsOf(schemaFor.safeParse({ status: "active", reason: "x", refresherDue: dateParts(TODAY) })), {
      refresherDue: "New refresher due date must be in the future",
    });
    const future = schemaFor.safeParse({ status: "active", reason: "Back", refresherDue: dateParts("2028-11-01") });
    assert.ok(future.success, "a future refresher date");
    assert.equal(future.data.refresherDue, "2028-11-01");
  });

  test("the roster's query string is read leniently: nonsense falls back to no filter and page 1", () => {
    assert.deepEqual(v.RosterQuery.parse({ status: "lapsed", q: " ali ", page: "3" }), { status: "lapsed", q: "ali", page: 3 });
    const nonsense = v.RosterQuery.parse({ status: "gone", page: "-1" });
    assert.deepEqual([nonsense.status, nonsense.q, nonsense.page], [undefined, undefined, 1]);
    assert.equal(v.RosterQuery.parse({ page: ["2", "5"] }).page, 2);
    assert.equal(v.SupporterIdParam.safeParse("../../etc").success, false);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("editing and changing status", () => {
  test("a profile edit replaces the attributes, resets reminders when the refresher moves, and is audited without content", () => {
    const s = makeSupporter("Edith Edit", { site: "Coalville", refresherDue: "2027-01-05" });
    db.$client.prepare("UPDATE supporters SET reminder_60_sent_at = 1 WHERE id = ?").run(s.supporterId);
    const auditBefore = auditEvents().length;
    roster.updateSupporterProfile(eve, s.supporterId, {
      roleTitle: "Sergeant",
      site: "Loughborough",
      introduction: "A new introduction with a secret word: pineapple",
      workingPattern: "Nights",
      capacity: 7,
      specialisms: ["Menopause", "Carers"],
      languages: ["Urdu"],
      contactMethods: ["video"],
      trainedOn: "2026-09-01",
      refresherDue: "2028-09-01",
    });
    const detail = roster.getRosterSupporter(eve, s.supporterId, TODAY);
    assert.equal(detail.roleTitle, "Sergeant");
    assert.equal(detail.site, "Loughborough");
    assert.equal(detail.capacity, 7);
    assert.equal(detail.refresherDue, "2028-09-01");
    assert.deepEqual(detail.specialisms, ["Carers", "Menopause"]);
    assert.deepEqual(detail.languages, ["Urdu"]);
    assert.deepEqual(detail.contactMethods, ["video"]);
    assert.equal(one<{ r: number | null }>("SELECT reminder_60_sent_at AS r FROM supporters WHERE id = ?", s.supporterId)?.r, null);
    assert.deepEqual(auditEvents().slice(auditBefore), [
      { action: "supporter.updated", object_type: "supporter", object_id: s.supporterId, actor_id: eve.id, outcome: "success" },
    ]);
    assert.doesNotMatch(auditText(), /pineapple/);
  });

  test("lapsing records the reason in the history, points the audit event at that entry, and keeps the reason out of the audit log", () => {
    const s = makeSupporter("Larissa Lapse", { site: "Melton Mowbray" });
    const reason = "Did not attend the refresher on 3 November (private note 7f3a)";
    const auditBefore = auditEvents().length;
    const result = roster.changeSupporterStatus(eve, s.supporterId, { status: "lapsed", reason, refresherDue: null }, TODAY);
    assert.ok(result.ok, JSON.stringify(result));

    const event = one<Record<string, unknown>>("SELECT * FROM supporter_status_events WHERE id = ?", result.data.eventId);
    assert.equal(event?.supporter_id, s.supporterId);
    assert.equal(event?.from_status, "active");
    assert.equal(event?.to_status, "lapsed");
    assert.equal(event?.reason, reason);
    assert.equal(event?.actor_id, eve.id);
    assert.equal(one<{ status: string }>("SELECT status FROM supporters WHERE id = ?", s.supporterId)?.status, "lapsed");

    assert.deepEqual(auditEvents().slice(auditBefore), [
      { action: "supporter.lapsed", object_type: "supporter_status_event", object_id: result.data.eventId, actor_id: eve.id, outcome: "success" },
    ]);
    assert.doesNotMatch(auditText(), /private note 7f3a|refresher on 3 November/);

    // History, newest first, with who did it; a change made by maintenance says so.
    db.insert(schema.supporterStatusEvents)
      .values({ supporterId: s.supporterId, fromStatus: "lapsed", toStatus: "retired", reason: "Lapsed for a year", actorId: null, at: new Date(Date.now() + 60_000) })
      .run();
    const history = roster.getRosterSupporter(eve, s.supporterId, TODAY).history;
    assert.deepEqual(
      history.map((e) => ({ from: e.fromStatus, to: e.toStatus, reason: e.reason, by: e.actorName, automatic: e.automatic })),
      [
        { from: "lapsed", to: "retired", reason: "Lapsed for a year", by: null, automatic: true },
        { from: "active", to: "lapsed", reason, by: "Eve Okafor", automatic: false },
      ],
    );
  });

  test("a lapsed supporter returns only with a refresher date in the future, which also resets the reminders", () => {
    const s = makeSupporter("Ronan Return", { status: "lapsed", trainedOn: "2024-01-10", refresherDue: "2026-01-10" });
    db.$client.prepare("UPDATE supporters SET reminder_60_sent_at = 1, reminder_14_sent_at = 2 WHERE id = ?").run(s.supporterId);
    const eventsBefore = one<{ n: number }>("SELECT count(*) AS n FROM supporter_status_events")?.n;

    const missing = roster.changeSupporterStatus(eve, s.supporterId, { status: "active", reason: "Back", refresherDue: null }, TODAY);
    assert.equal(missing.ok, false);
    assert.equal(missing.ok ? null : missing.field, "refresherDue");
    assert.match(missing.ok ? "" : missing.error, /lapsed supporter returns only after refresher training/);

    const same = roster.changeSupporterStatus(eve, s.supporterId, { status: "lapsed", reason: "Again", refresherDue: null }, TODAY);
    assert.equal(same.ok ? null : same.field, "status");
    assert.equal(one<{ n: number }>("SELECT count(*) AS n FROM supporter_status_events")?.n, eventsBefore, "nothing written");

    const back = roster.changeSupporterStatus(eve, s.supporterId, { status: "active", reason: "Refresher done", refresherDue: "2028-11-20" }, TODAY);
    assert.ok(back.ok, JSON.stringify(back));
    assert.deepEqual(
      one("SELECT status, refresher_due, reminder_60_sent_at, reminder_14_sent_at FROM supporters WHERE id = ?", s.supporterId),
      { status: "active", refresher_due: "2028-11-20", reminder_60_sent_at: null, reminder_14_sent_at: null },
    );
  });

  test("an overdue supporter cannot be made active without a new date; a leaver cannot return at all", () => {
    const overdue = makeSupporter("Olive Overdue", { status: "retired", trainedOn: "2024-01-01", refresherDue: "2026-01-01" });
    const r = roster.changeSupporterStatus(eve, overdue.supporterId, { status: "active", reason: "Back", refresherDue: null }, TODAY);
    assert.equal(r.ok ? null : r.field, "refresherDue");
    const leaver = makeSupporter("Leo Leaver", { status: "retired", deactivated: true });
    const l = roster.changeSupporterStatus(eve, leaver.supporterId, { status: "active", reason: "Back", refresherDue: "2028-01-01" }, TODAY);
    assert.equal(l.ok ? null : l.field, "status");
    assert.match(l.ok ? "" : l.error, /account is closed/);
  });

  test("pausing from here clears a pause the supporter set, and the private pause reason is visible to the unit", () => {
    const s = makeSupporter("Pia Pause", { status: "paused", pausedUntil: "2027-02-01", pauseReason: "Secondment" });
    assert.equal(roster.getRosterSupporter(eve, s.supporterId, TODAY).pauseReason, "Secondment");
    const r = roster.changeSupporterStatus(eve, s.supporterId, { status: "active", reason: "Secondment ended early", refresherDue: null }, TODAY);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(one("SELECT status, paused_until, pause_reason FROM supporters WHERE id = ?", s.supporterId), {
      status: "active",
      paused_until: null,
      pause_reason: null,
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("the roster list", () => {
  test("shows every status, 20 a page in name order, filters by status and searches by name", () => {
    for (let i = 0; i < 23; i++) makeSupporter(`Zz Pager ${String(i).padStart(2, "0")}`, { status: i % 2 === 0 ? "active" : "retired" });
    const searched = roster.listRoster(eve, { q: "zz pager", page: 1 }, TODAY);
    assert.equal(searched.total, 23);
    assert.equal(searched.pageCount, 2);
    assert.equal(searched.rows.length, 20);
    assert.deepEqual(
      searched.rows.slice(0, 3).map((r) => r.name),
      ["Zz Pager 00", "Zz Pager 01", "Zz Pager 02"],
    );
    assert.equal(roster.listRoster(eve, { q: "zz pager", page: 2 }, TODAY).rows.length, 3);
    const retired = roster.listRoster(eve, { q: "pager", status: "retired", page: 1 }, TODAY);
    assert.equal(retired.total, 11);
    assert.ok(retired.rows.every((r) => r.status === "retired" && r.availability === "Not listed: retired"), "only retired supporters, not listed");
    // Wildcards typed into the search are literal characters.
    assert.equal(roster.listRoster(eve, { q: "%", page: 1 }, TODAY).total, 0);
    const statuses = new Set(roster.listRoster(eve, { page: 1 }, TODAY).rows.map((r) => r.status));
    assert.ok(statuses.size >= 2, "more than one status on the first page");
  });

  test("each row carries the availability badge of a listed supporter", () => {
    const s = makeSupporter("Yasmin Badge", { status: "paused", pausedUntil: "2027-03-03" });
    const row = roster.listRoster(eve, { q: "Yasmin Badge", page: 1 }, TODAY).rows[0];
    assert.deepEqual(row, {
      id: s.supporterId,
      name: "Yasmin Badge",
      site: "Force HQ",
      status: "paused",
      refresherDue: "2027-06-01",
      availability: "Not taking requests until 3 March 2027",
      accountClosed: false,
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("roster health", () => {
  test("counts, lists and cover by site and specialism, for a fixed today", async () => {
    // A database of its own would need its own data access layer; instead this test reads the change in the
    // counts that its own supporters make, at a site and with a specialism no other test uses.
    const before = roster.getRosterHealth(eve, TODAY);
    const site = "Health Test Site";
    const spec = "Carers";
    const specBefore = before.bySpecialism.find((s) => s.name === spec);
    const requester = makeUser({ name: "Requester Rae" });

    makeSupporter("Hana Soon", { site, refresherDue: "2026-12-05", specialisms: [spec] }); // due in 10 days
    makeSupporter("Hugo Edge", { site, refresherDue: "2027-01-24", specialisms: [spec] }); // due in exactly 60 days
    makeSupporter("Hal Later", { site, refresherDue: "2027-01-25", specialisms: [spec] }); // 61 days: not due soon
    makeSupporter("Hope Today", { site, refresherDue: TODAY, specialisms: [spec] }); // due today: due soon, still listed
    makeSupporter("Otto Overdue", { site, refresherDue: "2026-11-24", trainedOn: "2024-11-24", specialisms: [spec] });
    makeSupporter("Lena Lapsed", { site, status: "lapsed", refresherDue: "2026-01-01", trainedOn: "2024-01-01", specialisms: [spec] });
    makeSupporter("Pam Paused", { site, status: "paused", pausedUntil: "2026-12-25", specialisms: [spec] });
    makeSupporter("Pete Pause Ended", { site, status: "paused", pausedUntil: TODAY, specialisms: [spec] }); // back today
    const full = makeSupporter("Cara Capacity", { site, capacity: 1, specialisms: [spec] });
    openRequest(full, requester);
    makeSupporter("Rex Retired", { site, status: "retired", specialisms: [spec] });
    makeSupporter("Lou Leaver", { site, deactivated: true, specialisms: [spec] });
    makeUser({ name: "Staff Only", site: "Staffed But Uncovered" });

    const after = roster.getRosterHealth(eve, TODAY);
    const delta = Object.fromEntries(
      Object.entries(after.counts).map(([k, n]) => [k, n - before.counts[k as keyof typeof before.counts]]),
    );
    assert.deepEqual(delta, {
      dueSoon: 3, // Hana, Hugo, Hope
      overdue: 1, // Otto
      lapsed: 1,
      paused: 1, // Pam; Pete's pause ended today
      atCapacity: 1, // Cara
      active: 6, // Hana, Hugo, Hal, Hope, Otto (active on paper until maintenance lapses him), Cara; not Lou, who has left
      retired: 1,
      listed: 7, // Hana, Hugo, Hal, Hope, Pam, Pete, Cara
      available: 5, // listed, less Pam (paused) and Cara (full)
      leavers: 1,
    });

    const names = (rows: { name: string }[]) => rows.map((r) => r.name).filter((n) => /^H|^O/.test(n));
    assert.deepEqual(names(after.dueSoon), ["Hope Today", "Hana Soon", "Hugo Edge"], "soonest first");
    assert.deepEqual(names(after.overdue), ["Otto Overdue"]);

    const testSite = after.bySite.find((s) => s.name === site);
    // Eleven people work there, one of whom (Lou) has left.
    assert.deepEqual(testSite, { name: site, staff: 10, listed: 7, available: 5 });
    assert.deepEqual(after.bySite.find((s) => s.name === "Staffed But Uncovered"), {
      name: "Staffed But Uncovered",
      staff: 1,
      listed: 0,
      available: 0,
    });
    const specAfter = after.bySpecialism.find((s) => s.name === spec);
    assert.deepEqual(specAfter, { name: spec, listed: (specBefore?.listed ?? 0) + 7, available: (specBefore?.available ?? 0) + 5 });
    assert.deepEqual(
      after.bySpecialism.map((s) => s.name),
      [...(await import("@/lib/vocabulary")).SPECIALISMS],
      "every specialism is listed, offered or not",
    );
    assert.equal(after.bySpecialism.find((s) => s.name === "Gender identity")?.available, 0);

    // The reports' counts-only path gives the same figures, without the lists of names.
    const { dueSoon, overdue, ...figures } = after;
    assert.ok(dueSoon.length > 0 && overdue.length > 0);
    assert.deepEqual(roster.getRosterCounts(eve, TODAY), figures);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("staff search (the picker's /api/staff)", () => {
  test("needs 2 characters, returns at most 20, in name order, with id, name, department and site only", () => {
    for (let i = 0; i < 25; i++) makeUser({ name: `Quill Searchable ${String(i).padStart(2, "0")}`, department: "Dept", site: "Site" });
    assert.deepEqual(staff.searchStaff(alex, "q"), []);
    assert.deepEqual(staff.searchStaff(alex, " q "), []);
    const results = staff.searchStaff(alex, "quill");
    assert.equal(results.length, 20);
    assert.deepEqual(results.map((r) => r.name), Array.from({ length: 20 }, (_, i) => `Quill Searchable ${String(i).padStart(2, "0")}`));
    for (const r of results) assert.deepEqual(Object.keys(r).sort(), ["department", "id", "name", "site"]);
  });

  test("matches the start of the name or of any word in it, or the start of the email, ignoring case", () => {
    const id = makeUser({ name: "Oluwaseun Featherstonehaugh", email: "o.fstone@example.org", department: "Intelligence", site: "Hinckley" });
    const expected = [{ id, name: "Oluwaseun Featherstonehaugh", department: "Intelligence", site: "Hinckley" }];
    assert.deepEqual(staff.searchStaff(alex, "oluwa"), expected);
    assert.deepEqual(staff.searchStaff(alex, "FEATHERSTONE"), expected);
    assert.deepEqual(staff.searchStaff(alex, "oluwaseun feath"), expected);
    assert.deepEqual(staff.searchStaff(alex, "o.fst"), expected);
    assert.deepEqual(staff.searchStaff(alex, "tonehaugh"), [], "not the middle of a word");
    assert.deepEqual(staff.searchStaff(alex, "example.org"), [], "not the middle of an email");
    assert.deepEqual(staff.searchStaff(alex, "o_fst"), [], "underscore is not a wildcard");
    assert.deepEqual(staff.searchStaff(alex, "%%"), []);
  });

  test("leaves out people who have left, and answers nobody whose own account is closed", () => {
    makeUser({ name: "Xanthe Gone", deactivated: true });
    const here = makeUser({ name: "Xanthe Here" });
    assert.deepEqual(staff.searchStaff(alex, "xanthe").map((r) => r.id), [here]);
    const closed = sessionFor(makeUser({ name: "Closed Account", deactivated: true }), false);
    assert.deepEqual(staff.searchStaff(closed, "xanthe"), []);
  });

  test("resolves a picker field from the hidden id or a full email address", () => {
    const id = makeUser({ name: "Pick Me", email: "pick.me@example.org" });
    makeUser({ name: "Gone Person", email: "gone.person@example.org", deactivated: true });
    assert.deepEqual(staff.resolveStaffChoice(alex, { staffId: id, text: "whatever" }).ok, true);
    const byEmail = staff.resolveStaffChoice(alex, { text: " PICK.ME@example.org " });
    assert.equal(byEmail.ok && byEmail.staff.id, id);
    assert.deepEqual(staff.resolveStaffChoice(alex, { text: "gone.person@example.org" }), {
      ok: false,
      error: "No member of staff with that email address",
    });
    assert.equal(staff.resolveStaffChoice(alex, { text: "Pick" }).ok, false);
    assert.equal(staff.resolveStaffChoice(alex, { staffId: randomUUID() }).ok, false);
  });

  // Its cost at 50,000 staff, and its results against a brute-force reference: tests/staff-search.test.ts.
});
