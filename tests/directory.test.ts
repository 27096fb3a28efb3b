import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";

import Database from "better-sqlite3";

import type { Db } from "@/db/client";
import type { DirectoryFilters } from "@/db/validation/directory";
import type { SessionUser } from "@/lib/auth/session";
import { freshDatabase } from "./helpers";

type DirectoryModule = typeof import("@/db/queries/directory");
type ValidationModule = typeof import("@/db/validation/directory");
type UsersModule = typeof import("@/db/queries/users");
type ClockModule = typeof import("@/lib/clock");
type ErrorsModule = typeof import("@/lib/errors");

let db: Db;
let dbFile: string;
let directory: DirectoryModule;
let validation: ValidationModule;
let users: UsersModule;
let clockLib: ClockModule;
let errors: ErrorsModule;
let realNow: () => Date;

// Midday in London on 15 June 2026, so "today" is 2026-06-15 whatever the machine's time zone.
const NOW = new Date("2026-06-15T11:00:00.000Z");
const TODAY = "2026-06-15";
const YESTERDAY = "2026-06-14";
const TOMORROW = "2026-06-16";

before(async () => {
  ({ db, file: dbFile } = await freshDatabase());
  directory = await import("@/db/queries/directory");
  validation = await import("@/db/validation/directory");
  users = await import("@/db/queries/users");
  clockLib = await import("@/lib/clock");
  errors = await import("@/lib/errors");
  realNow = clockLib.clock.now;
  clockLib.clock.now = () => NOW;
  staff = viewerFor(insertUser({ name: "Alex Viewer", department: "Response Policing" }));
});

after(() => {
  clockLib.clock.now = realNow;
});

// Rows are written with plain SQL so that the code under test is the only Drizzle query in play.

type UserInput = { name?: string | null; department?: string | null; deactivated?: boolean };

function insertUser({ name = "Test Person", department = "Operations", deactivated = false }: UserInput = {}): string {
  const id = randomUUID();
  db.$client
    .prepare("INSERT INTO users (id, email, name, department, deactivated_at) VALUES (?, ?, ?, ?, ?)")
    .run(id, `${id}@example.org`, name, department, deactivated ? NOW.getTime() - 1000 : null);
  return id;
}

type SupporterInput = UserInput & {
  status?: "active" | "paused" | "lapsed" | "retired";
  site: string;
  roleTitle?: string;
  introduction?: string;
  refresherDue?: string;
  pausedUntil?: string | null;
  pauseReason?: string | null;
  capacity?: number;
  specialisms?: string[];
  languages?: string[];
  contactMethods?: string[];
};

function insertSupporter(input: SupporterInput): { id: string; userId: string } {
  const userId = insertUser(input);
  const id = randomUUID();
  db.$client
    .prepare(
      `INSERT INTO supporters (id, user_id, status, role_title, site, introduction, working_pattern, trained_on,
         refresher_due, paused_until, pause_reason, capacity)
       VALUES (?, ?, ?, ?, ?, ?, 'Monday to Friday', '2025-01-10', ?, ?, ?, ?)`,
    )
    .run(
      id,
      userId,
      input.status ?? "active",
      input.roleTitle ?? "Police Sergeant",
      input.site,
      input.introduction ?? "I am here to listen.",
      input.refresherDue ?? "2027-01-10",
      input.pausedUntil ?? null,
      input.pauseReason ?? null,
      input.capacity ?? 3,
    );
  const attribute = db.$client.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, ?, ?)");
  for (const value of input.specialisms ?? ["Bullying and harassment"]) attribute.run(id, "specialism", value);
  for (const value of input.languages ?? ["English"]) attribute.run(id, "language", value);
  for (const value of input.contactMethods ?? ["in_app"]) attribute.run(id, "contact_method", value);
  return { id, userId };
}

function insertRequest(supporter: { id: string; userId: string }, status: string): void {
  const requesterId = insertUser({ name: "Requester" });
  db.$client
    .prepare(
      `INSERT INTO support_requests (id, requester_id, supporter_id, supporter_user_id, status, category, contact_method,
         limits_acknowledged_at, acknowledge_by)
       VALUES (?, ?, ?, ?, ?, 'other', 'in_app', ?, ?)`,
    )
    .run(randomUUID(), requesterId, supporter.id, supporter.userId, status, NOW.getTime(), NOW.getTime() + 86_400_000);
}

function viewerFor(userId: string): SessionUser {
  const viewer = users.loadSessionUser(userId);
  assert.ok(viewer, "the viewer loads");
  return viewer;
}

let staff: SessionUser;

function filters(input: Partial<DirectoryFilters> = {}): DirectoryFilters {
  return { availableNow: false, notMyDepartment: false, page: 1, ...input };
}

function idsAt(site: string, input: Partial<DirectoryFilters> = {}, viewer: SessionUser = staff): string[] {
  const result = directory.listDirectory(viewer, filters({ site, ...input }));
  assert.ok(result.total <= result.pageSize, "the test site fits on one page");
  return result.entries.map((e) => e.id).sort();
}

const sorted = (...ids: string[]) => [...ids].sort();

describe("who is listed", () => {
  const site = "Listing Station";
  let listed: { id: string }[];
  let unlisted: { id: string }[];

  before(() => {
    listed = [
      insertSupporter({ site, name: "Active Supporter" }),
      insertSupporter({ site, name: "Paused Supporter", status: "paused", pausedUntil: "2026-09-01" }),
      // The refresher falls due today: still in date.
      insertSupporter({ site, name: "Due Today", refresherDue: TODAY }),
    ];
    unlisted = [
      insertSupporter({ site, name: "Lapsed Supporter", status: "lapsed" }),
      insertSupporter({ site, name: "Retired Supporter", status: "retired" }),
      insertSupporter({ site, name: "Deactivated Supporter", deactivated: true }),
      // Overdue yesterday but maintenance has not lapsed them yet: the directory hides them anyway.
      insertSupporter({ site, name: "Overdue Supporter", refresherDue: YESTERDAY }),
    ];
  });

  test("active and paused supporters with a refresher in date are listed; lapsed, retired, deactivated and overdue are not", () => {
    assert.deepEqual(idsAt(site), sorted(...listed.map((s) => s.id)));
    const names = directory.listDirectory(staff, filters({ site })).entries.map((e) => e.name);
    assert.deepEqual(names, ["Active Supporter", "Due Today", "Paused Supporter"]);
  });

  test("a listed supporter's profile opens", () => {
    for (const s of listed) assert.equal(directory.getSupporterProfile(staff, s.id).id, s.id);
  });

  test("an unlisted supporter's profile is the same NotFoundError as a random id", () => {
    for (const s of unlisted) {
      assert.throws(() => directory.getSupporterProfile(staff, s.id), errors.NotFoundError);
    }
    assert.throws(() => directory.getSupporterProfile(staff, randomUUID()), errors.NotFoundError);
  });

  test("the site options are the distinct sites of listed supporters only", () => {
    insertSupporter({ site: "Only Lapsed Here", status: "lapsed" });
    insertSupporter({ site: "Only Overdue Here", refresherDue: YESTERDAY });
    const sites = directory.listDirectorySites(staff);
    assert.ok(sites.includes(site));
    assert.ok(!sites.includes("Only Lapsed Here"));
    assert.ok(!sites.includes("Only Overdue Here"));
    assert.equal(new Set(sites).size, sites.length, "no duplicates");
  });
});

describe("what a result says and keeps private", () => {
  test("the DTO has explicit columns: no email, training date or private pause reason", () => {
    const site = "Privacy Station";
    const s = insertSupporter({
      site,
      name: "Private Person",
      status: "paused",
      pausedUntil: "2026-07-03",
      pauseReason: "Hospital appointment series",
      roleTitle: "Detective Constable",
      introduction: "Hello.\n\nSecond paragraph.",
      specialisms: ["Menopause", "Race and ethnicity"],
      languages: ["Polish", "English"],
      contactMethods: ["phone", "in_app"],
    });
    const [entry] = directory.listDirectory(staff, filters({ site })).entries;
    assert.ok(entry);
    assert.deepEqual(Object.keys(entry).sort(), [
      "availability",
      "contactMethods",
      "id",
      "introduction",
      "languages",
      "name",
      "roleTitle",
      "site",
      "specialisms",
    ]);
    // In the fixed lists' order, not the order they were stored in.
    assert.deepEqual(entry.specialisms, ["Race and ethnicity", "Menopause"]);
    assert.deepEqual(entry.languages, ["English", "Polish"]);
    assert.deepEqual(entry.contactMethods, ["in_app", "phone"]);
    assert.deepEqual(entry.availability, { kind: "paused", until: "2026-07-03" });
    assert.equal(entry.roleTitle, "Detective Constable");

    const profile = directory.getSupporterProfile(staff, s.id);
    assert.equal(profile.workingPattern, "Monday to Friday");
    assert.equal(profile.introduction, "Hello.\n\nSecond paragraph.");
    assert.equal(profile.isViewer, false);
    for (const dto of [entry, profile]) {
      const json = JSON.stringify(dto);
      assert.ok(!json.includes("@example.org"), "no email address");
      assert.ok(!json.includes("Hospital"), "no pause reason");
      assert.ok(!json.includes("2025-01-10"), "no training date");
      assert.ok(!json.includes(s.userId), "no user id");
    }
  });

  test("a supporter sees that the profile is their own", () => {
    const s = insertSupporter({ site: "Own Profile Station" });
    assert.equal(directory.getSupporterProfile(viewerFor(s.userId), s.id).isViewer, true);
  });
});

describe("filters", () => {
  const site = "Filter Station";
  let menopausePolish: { id: string };
  let raceUrdu: { id: string };
  let menopauseEnglish: { id: string };
  let elsewhere: { id: string };

  before(() => {
    menopausePolish = insertSupporter({
      site,
      specialisms: ["Menopause", "Carers"],
      languages: ["English", "Polish"],
      contactMethods: ["in_app", "video"],
    });
    raceUrdu = insertSupporter({
      site,
      specialisms: ["Race and ethnicity"],
      languages: ["Urdu"],
      contactMethods: ["phone"],
    });
    menopauseEnglish = insertSupporter({
      site,
      specialisms: ["Menopause"],
      languages: ["English"],
      contactMethods: ["in_person", "phone"],
    });
    elsewhere = insertSupporter({ site: "Another Filter Station", specialisms: ["Menopause"], languages: ["Polish"] });
  });

  test("by specialism", () => {
    assert.deepEqual(idsAt(site, { specialism: "Menopause" }), sorted(menopausePolish.id, menopauseEnglish.id));
    assert.deepEqual(idsAt(site, { specialism: "Race and ethnicity" }), [raceUrdu.id]);
    assert.deepEqual(idsAt(site, { specialism: "Age" }), []);
  });

  test("by language", () => {
    assert.deepEqual(idsAt(site, { language: "Polish" }), [menopausePolish.id]);
    assert.deepEqual(idsAt(site, { language: "English" }), sorted(menopausePolish.id, menopauseEnglish.id));
  });

  test("by contact method", () => {
    assert.deepEqual(idsAt(site, { contactMethod: "phone" }), sorted(raceUrdu.id, menopauseEnglish.id));
    assert.deepEqual(idsAt(site, { contactMethod: "video" }), [menopausePolish.id]);
  });

  test("by site", () => {
    const result = directory.listDirectory(staff, filters({ site: "Another Filter Station" }));
    assert.deepEqual(
      result.entries.map((e) => e.id),
      [elsewhere.id],
    );
    assert.ok(result.entries.every((e) => e.site === "Another Filter Station"));
  });

  test("filters combine: every one must match", () => {
    assert.deepEqual(idsAt(site, { specialism: "Menopause", contactMethod: "phone" }), [menopauseEnglish.id]);
    assert.deepEqual(idsAt(site, { specialism: "Menopause", language: "Urdu" }), []);
    const all = directory.listDirectory(staff, filters({ specialism: "Menopause", language: "Polish" }));
    const ids = all.entries.map((e) => e.id);
    assert.ok(ids.includes(menopausePolish.id) && ids.includes(elsewhere.id));
    assert.ok(!ids.includes(menopauseEnglish.id));
  });
});

describe("search", () => {
  const site = "Search Station";
  let percent: { id: string };
  let plain: { id: string };
  let underscore: { id: string };
  let lookalike: { id: string };
  let backslash: { id: string };

  before(() => {
    percent = insertSupporter({ site, name: "Zed 100% Fit", specialisms: ["Age"] });
    plain = insertSupporter({ site, name: "Zed 1000 Fit", specialisms: ["Gender identity"] });
    underscore = insertSupporter({ site, name: "Ann_Lee Searchable", specialisms: ["Age"] });
    lookalike = insertSupporter({ site, name: "AnnXLee Searchable", specialisms: ["Age"] });
    backslash = insertSupporter({ site, name: "Back\\slash Person", specialisms: ["Age"] });
  });

  const search = (q: string) => idsAt(site, { q });

  test("matches part of a name in any letter case", () => {
    assert.deepEqual(search("zED 1000"), [plain.id]);
    assert.deepEqual(search("searchable"), sorted(underscore.id, lookalike.id));
  });

  test("matches the site and the specialism", () => {
    assert.equal(search("search stat").length, 5);
    assert.deepEqual(search("GENDER ident"), [plain.id]);
    // A name search does not look in other attributes.
    assert.deepEqual(search("English"), []);
  });

  test("every word must match somewhere: name, site or specialism", () => {
    assert.deepEqual(search("zed gender"), [plain.id]);
    assert.deepEqual(search("zed menopause"), []);
  });

  test("% and _ match themselves, not any text", () => {
    assert.deepEqual(search("%"), [percent.id]);
    assert.deepEqual(search("100%"), [percent.id]);
    assert.deepEqual(search("n_L"), [underscore.id]);
    assert.deepEqual(search("_"), [underscore.id]);
    assert.deepEqual(search("\\"), [backslash.id]);
  });

  test("likePattern escapes the wildcards and the escape character", () => {
    assert.equal(directory.likePattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
  });
});

describe("pagination", () => {
  const site = "Paging Station";
  const created: string[] = [];

  before(() => {
    // 45 supporters sharing three names, so only the id can settle the order within a name.
    for (let i = 0; i < 45; i += 1) {
      created.push(insertSupporter({ site, name: ["Chris Same", "alex same", "Blake Same"][i % 3] }).id);
    }
  });

  test("20 a page, complete and without duplicates, in a stable order", () => {
    const pages = [1, 2, 3].map((page) => directory.listDirectory(staff, filters({ site, page })));
    assert.deepEqual(
      pages.map((p) => p.entries.length),
      [20, 20, 5],
    );
    for (const p of pages) {
      assert.equal(p.total, 45);
      assert.equal(p.pageCount, 3);
    }
    assert.deepEqual(
      pages.map((p) => p.page),
      [1, 2, 3],
    );
    const seen = pages.flatMap((p) => p.entries.map((e) => e.id));
    assert.equal(new Set(seen).size, 45, "no supporter twice");
    assert.deepEqual([...seen].sort(), [...created].sort(), "nobody missing");

    // Name (ignoring letter case), then id.
    const names = pages.flatMap((p) => p.entries.map((e) => e.name));
    assert.deepEqual(names, [...Array(15).fill("alex same"), ...Array(15).fill("Blake Same"), ...Array(15).fill("Chris Same")]);
    for (const name of ["alex same", "Blake Same", "Chris Same"]) {
      const ids = pages.flatMap((p) => p.entries.filter((e) => e.name === name).map((e) => e.id));
      assert.deepEqual(ids, [...ids].sort(), `${name}: by id within the name`);
    }

    const again = [1, 2, 3].flatMap((page) => directory.listDirectory(staff, filters({ site, page })).entries.map((e) => e.id));
    assert.deepEqual(again, seen, "the same order every time");
  });

  test("a page beyond the end shows the last page", () => {
    const result = directory.listDirectory(staff, filters({ site, page: 9 }));
    assert.equal(result.page, 3);
    assert.equal(result.entries.length, 5);
    assert.equal(result.total, 45);
  });

  test("no match at all is page 1 of nothing", () => {
    const result = directory.listDirectory(staff, filters({ site: "Nowhere At All", page: 4 }));
    assert.deepEqual({ page: result.page, total: result.total, entries: result.entries, pageCount: result.pageCount }, {
      page: 1,
      total: 0,
      entries: [],
      pageCount: 1,
    });
  });

  test("a page takes two statements however many supporters it shows: rows with the total, then attributes", () => {
    // As after any change to the directory, so that neither page comes from the cache.
    db.$client.prepare("UPDATE data_versions SET version = version + 1 WHERE name = 'directory'").run();
    assert.equal(statementsFor(() => directory.listDirectory(staff, filters({ site }))), 2);
    const combined = filters({ site, specialism: "Bullying and harassment", availableNow: true, q: "same" });
    assert.equal(statementsFor(() => directory.listDirectory(staff, combined)), 2);
  });
});

// The statements a call prepares, leaving out the cache's own version read (prepared once per process): Drizzle
// prepares each query it runs, so this counts the queries.
function statementsFor(run: () => unknown): number {
  const client = db.$client;
  const prepare = client.prepare;
  let statements = 0;
  client.prepare = ((source: string) => {
    if (!source.includes("data_versions")) statements += 1;
    return prepare.call(client, source);
  }) as typeof client.prepare;
  try {
    run();
  } finally {
    client.prepare = prepare;
  }
  return statements;
}

describe("the directory's cache", () => {
  const site = "Cache Station";
  let first: { id: string; userId: string };
  let second: { id: string; userId: string };
  const page = () => directory.listDirectory(staff, filters({ site }));
  const names = () => page().entries.map((e) => e.name);
  const cached = () => statementsFor(page) === 0;

  before(() => {
    first = insertSupporter({ name: "Cara Cache", site, capacity: 1 });
    second = insertSupporter({ name: "Dev Cache", site });
  });

  test("the same page again is served from the cache, and writes elsewhere leave it there", () => {
    page();
    assert.ok(cached(), "a repeat runs no query");
    db.$client.prepare("INSERT INTO rate_limits (key, window_start, count) VALUES (?, 0, 1)").run(randomUUID());
    db.$client.prepare("UPDATE users SET name = name, text_size = 'large' WHERE id = ?").run(staff.id);
    assert.ok(cached(), "a write to other tables, or a user's name rewritten unchanged, keeps the page");
  });

  test("every change a page is made of shows at once", () => {
    const changes: [string, () => void, () => void][] = [
      ["a renamed supporter", () => db.$client.prepare("UPDATE users SET name = 'Cara Renamed' WHERE id = ?").run(first.userId), () => assert.deepEqual(names(), ["Cara Renamed", "Dev Cache"])],
      ["a new fact", () => db.$client.prepare("UPDATE supporters SET role_title = 'Inspector' WHERE id = ?").run(second.id), () => assert.equal(page().entries[1]?.roleTitle, "Inspector")],
      ["a new specialism", () => db.$client.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'specialism', 'Race')").run(first.id), () => assert.ok(page().entries[0]?.specialisms.includes("Race"))],
      ["a removed language", () => db.$client.prepare("DELETE FROM supporter_attributes WHERE supporter_id = ? AND kind = 'language'").run(first.id), () => assert.deepEqual(page().entries[0]?.languages, [])],
      ["a request that fills the last place", () => insertRequest(first, "new"), () => assert.equal(page().entries[0]?.availability.kind, "at_capacity")],
      ["a deactivated user", () => db.$client.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(NOW.getTime(), second.userId), () => assert.deepEqual(names(), ["Cara Renamed"])],
    ];
    for (const [change, write, check] of changes) {
      page();
      write();
      assert.ok(!cached() || assert.fail(`${change} is shown from the cache`));
      check();
    }
  });

  test("a change committed by another connection (a script, another server) shows at once", () => {
    page();
    const other = new Database(dbFile);
    try {
      other.prepare("UPDATE supporters SET site = 'Elsewhere' WHERE id = ?").run(first.id);
    } finally {
      other.close();
    }
    assert.deepEqual(names(), []);
  });

  test("'Not in my department' differs by viewer, so it is never cached", () => {
    const own = insertSupporter({ name: "Erin Ownteam", site, department: "Custody" });
    const custody = viewerFor(insertUser({ name: "Custody Viewer", department: "Custody" }));
    const other = viewerFor(insertUser({ name: "Finance Viewer", department: "Finance" }));
    assert.deepEqual(idsAt(site, { notMyDepartment: true }, custody), []);
    assert.deepEqual(idsAt(site, { notMyDepartment: true }, other), [own.id]);
  });
});

describe("available now", () => {
  const site = "Availability Station";
  let free: { id: string; userId: string };
  let pausedFuture: { id: string };
  let pausedIndefinitely: { id: string };
  let pausedUntilYesterday: { id: string };
  let pausedUntilToday: { id: string };
  let atCapacity: { id: string; userId: string };
  let roomLeft: { id: string; userId: string };

  before(() => {
    free = insertSupporter({ site, name: "Free Supporter" });
    pausedFuture = insertSupporter({ site, status: "paused", pausedUntil: TOMORROW });
    pausedIndefinitely = insertSupporter({ site, status: "paused", pausedUntil: null });
    // The pause has ended but maintenance has not set the status back to active yet.
    pausedUntilYesterday = insertSupporter({ site, status: "paused", pausedUntil: YESTERDAY });
    // "Not taking requests until 15 June" means back on 15 June.
    pausedUntilToday = insertSupporter({ site, status: "paused", pausedUntil: TODAY });
    atCapacity = insertSupporter({ site, capacity: 2 });
    insertRequest(atCapacity, "new");
    insertRequest(atCapacity, "in_progress");
    roomLeft = insertSupporter({ site, capacity: 2 });
    insertRequest(roomLeft, "acknowledged");
    // Finished requests do not count against capacity.
    insertRequest(roomLeft, "closed");
    insertRequest(roomLeft, "withdrawn");
    insertRequest(roomLeft, "declined");
  });

  test("excludes paused and at-capacity supporters, includes pauses that have ended", () => {
    assert.deepEqual(
      idsAt(site, { availableNow: true }),
      sorted(free.id, pausedUntilYesterday.id, pausedUntilToday.id, roomLeft.id),
    );
    // Without the filter, everyone listed is shown.
    assert.equal(idsAt(site).length, 7);
  });

  test("each result carries the badge's availability", () => {
    const byId = new Map(directory.listDirectory(staff, filters({ site })).entries.map((e) => [e.id, e.availability]));
    assert.deepEqual(byId.get(free.id), { kind: "available" });
    assert.deepEqual(byId.get(pausedFuture.id), { kind: "paused", until: TOMORROW });
    assert.deepEqual(byId.get(pausedIndefinitely.id), { kind: "paused", until: null });
    assert.deepEqual(byId.get(pausedUntilYesterday.id), { kind: "available" });
    assert.deepEqual(byId.get(atCapacity.id), { kind: "at_capacity" });
    assert.deepEqual(byId.get(roomLeft.id), { kind: "available" });
    assert.deepEqual(directory.getSupporterProfile(staff, atCapacity.id).availability, { kind: "at_capacity" });
  });

  test("a supporter whose request closes has room again", () => {
    db.$client.prepare("UPDATE support_requests SET status = 'closed' WHERE supporter_id = ? AND status = 'new'").run(atCapacity.id);
    assert.ok(idsAt(site, { availableNow: true }).includes(atCapacity.id));
    assert.deepEqual(directory.getSupporterProfile(staff, atCapacity.id).availability, { kind: "available" });
  });
});

describe("available now with other filters, over several pages", () => {
  const site = "Capacity Pages Station";
  const match = { site, specialism: "Carers", contactMethod: "phone" } as const;
  let expected: { id: string; name: string }[];

  before(() => {
    expected = [];
    for (let i = 0; i < 45; i++) {
      // Mixed letter case and repeated names, so the order (name ignoring case, then id) is tested too.
      const name = i % 2 === 0 ? `pat ${String(i % 5)}` : `Pat ${String(i % 5)}`;
      const supporter = insertSupporter({
        site,
        name,
        capacity: i % 3 === 0 ? 1 : 2,
        status: i % 7 === 0 ? "paused" : "active",
        pausedUntil: i % 7 === 0 ? TOMORROW : null,
        specialisms: ["Carers"],
        contactMethods: ["in_app", "phone"],
      });
      // Every third supporter is full; every fourth has one of two places taken.
      if (i % 3 === 0 || i % 4 === 0) insertRequest(supporter, "in_progress");
      if (i % 3 !== 0 && i % 7 !== 0) expected.push({ id: supporter.id, name });
    }
    // Available, but not matching the other filters.
    insertSupporter({ site, name: "Pat Nophone", specialisms: ["Carers"], contactMethods: ["in_app"] });
    insertSupporter({ site, name: "Pat Nocarers", specialisms: ["Age"], contactMethods: ["phone"] });
    expected.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  });

  const allPages = (input: Partial<DirectoryFilters>) =>
    [1, 2, 3].map((page) => directory.listDirectory(staff, filters({ ...input, page })));

  test("only the supporters with room who match every filter, in name then id order, across pages", () => {
    assert.equal(expected.length, 26, "the fixture has more than one page of matches");
    const pages = allPages({ ...match, availableNow: true });
    assert.deepEqual(
      pages.map((p) => [p.page, p.total, p.pageCount, p.entries.length]),
      [
        [1, 26, 2, 20],
        [2, 26, 2, 6],
        // Beyond the end: the last page.
        [2, 26, 2, 6],
      ],
    );
    const shown = pages.slice(0, 2).flatMap((p) => p.entries);
    assert.deepEqual(
      shown.map((e) => e.id),
      expected.map((e) => e.id),
    );
    assert.ok(shown.every((e) => e.availability.kind === "available"));
  });

  test("agrees with the availability badge of every matching supporter", () => {
    const all = allPages(match).slice(0, 3).flatMap((p) => p.entries);
    assert.equal(all.length, 45);
    const withRoom = allPages({ ...match, availableNow: true }).slice(0, 2).flatMap((p) => p.entries);
    assert.deepEqual(
      withRoom.map((e) => e.id),
      all.filter((e) => e.availability.kind === "available").map((e) => e.id),
    );
  });
});

describe("not in my department", () => {
  const site = "Department Station";
  let sameDepartment: { id: string };
  let otherDepartment: { id: string };
  let noDepartment: { id: string };

  before(() => {
    sameDepartment = insertSupporter({ site, department: "Custody" });
    otherDepartment = insertSupporter({ site, department: "Criminal Investigation Department" });
    noDepartment = insertSupporter({ site, department: null });
  });

  test("leaves out supporters in the viewer's department and keeps those with none recorded", () => {
    const viewer = viewerFor(insertUser({ department: "Custody" }));
    assert.deepEqual(idsAt(site, { notMyDepartment: true }, viewer), sorted(otherDepartment.id, noDepartment.id));
    assert.deepEqual(idsAt(site, {}, viewer), sorted(sameDepartment.id, otherDepartment.id, noDepartment.id));
  });

  test("a viewer with no department sees everyone", () => {
    const viewer = viewerFor(insertUser({ department: null }));
    assert.deepEqual(idsAt(site, { notMyDepartment: true }, viewer), sorted(sameDepartment.id, otherDepartment.id, noDepartment.id));
  });
});

describe("the demo roster", () => {
  // Seed data is written for a demo "now" of late 2026 (db/seed-data.ts); every filter option must find someone.
  const DEMO_TODAY = "2026-12-01";

  test("every specialism, language and contact method is offered by a listed supporter", async () => {
    const seed = await import("@/db/seed-data");
    const listed = seed.SUPPORTERS.filter(
      (s) => (s.status === "active" || s.status === "paused") && s.refresherDue >= DEMO_TODAY,
    );
    const offered = (pick: (s: (typeof listed)[number]) => readonly string[]) => new Set(listed.flatMap(pick));
    const missing = [
      ...seed.SPECIALISMS.filter((v) => !offered((s) => s.specialisms).has(v)),
      ...seed.LANGUAGES.filter((v) => !offered((s) => s.languages).has(v)),
      ...seed.CONTACT_METHODS.filter((v) => !offered((s) => s.contactMethods).has(v)),
    ];
    assert.deepEqual(missing, []);
    assert.ok(new Set(listed.map((s) => s.site)).size >= 4, "several sites to choose from");
  });
});

describe("parseDirectoryQuery", () => {
  const sites = ["Force HQ", "Loughborough"];

  test("reads every filter from the query", () => {
    const parsed = validation.parseDirectoryQuery(
      {
        q: "  Patel ",
        specialism: "Menopause",
        site: "Loughborough",
        contact: "phone",
        language: "Polish",
        available: "yes",
        otherDepartments: "yes",
        page: "3",
      },
      sites,
    );
    assert.deepEqual(parsed, {
      filters: {
        q: "Patel",
        specialism: "Menopause",
        site: "Loughborough",
        contactMethod: "phone",
        language: "Polish",
        availableNow: true,
        notMyDepartment: true,
        page: 3,
      },
      fieldErrors: {},
      ignored: [],
    });
  });

  test("blank values (the 'Any' options, an empty search) are no filter", () => {
    const parsed = validation.parseDirectoryQuery({ q: "   ", specialism: "", site: "", contact: "", language: "" }, sites);
    assert.deepEqual(parsed, { filters: { availableNow: false, notMyDepartment: false, page: 1 }, fieldErrors: {}, ignored: [] });
  });

  test("unknown values are left out and named, never thrown", () => {
    const parsed = validation.parseDirectoryQuery(
      { specialism: "Astrology", site: "Atlantis", contact: "pigeon", language: "Klingon", available: "1", otherDepartments: "on", page: "-2" },
      sites,
    );
    assert.deepEqual(parsed.filters, { availableNow: false, notMyDepartment: false, page: 1 });
    assert.deepEqual(parsed.ignored, ["specialism", "site", "contact method", "language", "available now", "not in my department"]);
    assert.deepEqual(parsed.fieldErrors, {});
  });

  test("a page that is not a whole number is the first page", () => {
    for (const page of ["abc", "0", "1.5", "99999999999", ""]) {
      assert.equal(validation.parseDirectoryQuery({ page }, sites).filters.page, 1, page);
    }
  });

  test("a search over 100 characters is an error on the field and is not used", () => {
    const parsed = validation.parseDirectoryQuery({ q: "a".repeat(101) }, sites);
    assert.equal(parsed.filters.q, undefined);
    assert.equal(parsed.fieldErrors.q, "Search terms must be 100 characters or fewer");
    assert.equal(validation.parseDirectoryQuery({ q: ` ${"a".repeat(100)} ` }, sites).filters.q, "a".repeat(100));
  });

  test("a repeated parameter takes its first value", () => {
    const parsed = validation.parseDirectoryQuery({ specialism: ["Age", "Carers"], q: ["one", "two"] }, sites);
    assert.equal(parsed.filters.specialism, "Age");
    assert.equal(parsed.filters.q, "one");
  });

  test("directoryQueryString round-trips and leaves out what is not in use", () => {
    const all: DirectoryFilters = {
      q: "50% & more",
      specialism: "Sex and gender",
      site: "Force HQ",
      contactMethod: "in_person",
      language: "British Sign Language",
      availableNow: true,
      notMyDepartment: true,
      page: 2,
    };
    const query = validation.directoryQueryString(all);
    const params = Object.fromEntries(new URLSearchParams(query.slice(1)));
    assert.deepEqual(validation.parseDirectoryQuery(params, sites).filters, all);
    assert.equal(validation.directoryQueryString({ availableNow: false, notMyDepartment: false, page: 1 }), "");
    assert.equal(validation.directoryQueryString({ availableNow: true, notMyDepartment: false }), "?available=yes");
  });

  test("supporter ids must look like ids", () => {
    assert.equal(validation.SupporterIdParam.safeParse(randomUUID()).success, true);
    for (const id of ["", "123", "../admin", `${randomUUID()}x`, "' or 1=1 --"]) {
      assert.equal(validation.SupporterIdParam.safeParse(id).success, false, id);
    }
  });
});

describe("introductions in the list", () => {
  test("a long introduction is cut at a word with an ellipsis; a short one is left alone", async () => {
    const { truncate, paragraphs } = await import("@/components/supporters/text");
    assert.equal(truncate("  Short   and\nsweet. ", 50), "Short and sweet.");
    const long = "I have been a supporter for many years, and I will listen to you without judging, whatever it is.";
    const cut = truncate(long, 40);
    assert.ok(cut.length <= 41, cut);
    assert.equal(cut, "I have been a supporter for many years\u2026");
    assert.equal(truncate("x".repeat(60), 20), `${"x".repeat(20)}\u2026`);
    assert.deepEqual(paragraphs("One.\n\n  Two\nlines.\n\n\n"), ["One.", "Two lines."]);
  });
});
