import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";

import Database from "better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import fc from "fast-check";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { extraDatabase, freshDatabase, ROOT, tempDir } from "./helpers";

// The staff picker's search (db/queries/staff.ts searchStaff) through its keys table staff_name_keys (migration
// 0015): the triggers keep the keys right for any name, the migration's backfill gives the same keys, the search
// gives exactly what a brute-force reading of every user gives, and at 50,000 staff it reads only the people sharing
// its key. The property prints its seed: replay a failure with FC_SEED=<seed>.

type StaffModule = typeof import("@/db/queries/staff");

let db: Db;
let staff: StaffModule;
let viewer: SessionUser;
let closedViewer: SessionUser;

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`fast-check seed: ${seed} (replay with FC_SEED=${seed})`);

function sessionFor(id: string): SessionUser {
  return { id, email: `${id}@example.org`, name: id, textSize: "standard", isEqualityUnit: false, supporterId: null, coordinates: [] };
}

// Statements on users are prepared once: preparing one compiles every trigger on the table.
let sql: ReturnType<typeof prepareStatements>;
function prepareStatements() {
  const prepare = (source: string) => db.$client.prepare(source);
  return {
    insert: prepare("INSERT INTO users (id, name, email, department, site, deactivated_at) VALUES (?, ?, ?, 'Dept', 'Site', ?)"),
    rename: prepare("UPDATE users SET name = ? WHERE id = ?"),
    deactivate: prepare("UPDATE users SET deactivated_at = ? WHERE id = ?"),
    remove: prepare("DELETE FROM users WHERE id = ?"),
  };
}

function insertUser(name: string | null, options: { email?: string; deactivated?: boolean } = {}): string {
  const id = randomUUID();
  sql.insert.run(id, name, options.email ?? `${id}@example.org`, options.deactivated ? Date.now() : null);
  return id;
}

// ---------------------------------------------------------------------------------------------------------------
// The reference: plain JavaScript over every user, written from the search's contract, not from its SQL.

type UserRow = { id: string; name: string | null; email: string; department: string | null; site: string | null; deactivated_at: number | null };

// SQLite's lower() folds ASCII letters only.
const lowerAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

// SQLite's BINARY collation: code point by code point.
function codePointOrder(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) as number);
  const y = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

function allUsers(database: Database.Database = db.$client): UserRow[] {
  return database.prepare("SELECT id, name, email, department, site, deactivated_at FROM users").all() as UserRow[];
}

function reference(rows: UserRow[], viewerId: string, q: string) {
  const term = q.trim().toLowerCase();
  if (Array.from(term).length < 2 || term.length > 100) return [];
  if (!rows.some((r) => r.id === viewerId && r.deactivated_at === null)) return [];
  const current = rows.filter((r): r is UserRow & { name: string } => r.name !== null && r.deactivated_at === null);
  const byName = (a: UserRow & { name: string }, b: UserRow & { name: string }) => codePointOrder(a.name, b.name) || codePointOrder(a.id, b.id);
  const names = current
    .filter((r) => lowerAscii(r.name).startsWith(term) || lowerAscii(r.name).includes(` ${term}`))
    .sort(byName)
    .slice(0, 20);
  // By address: with more than 20 address matches the 20 first by address are the candidates (see searchStaff).
  const emails = current
    .filter((r) => lowerAscii(r.email).startsWith(term))
    .sort((a, b) => codePointOrder(lowerAscii(a.email), lowerAscii(b.email)))
    .slice(0, 20);
  const merged = new Map([...names, ...emails].map((r) => [r.id, r]));
  return [...merged.values()]
    .sort(byName)
    .slice(0, 20)
    .map((r) => ({ id: r.id, name: r.name, department: r.department, site: r.site }));
}

// The keys the triggers must keep, from the rule in migration 0015: every word of lower(name) split on single spaces,
// empty words left out, gives its first 2 and its first 3 characters (code points).
function expectedKeys(rows: UserRow[]): string[] {
  const keys = new Set<string>();
  for (const r of rows) {
    if (r.name === null) continue;
    for (const word of lowerAscii(r.name).split(" ")) {
      if (word === "") continue;
      const chars = Array.from(word);
      for (const n of [2, 3]) keys.add(JSON.stringify([chars.slice(0, n).join(""), r.name, r.id]));
    }
  }
  return [...keys].sort();
}

function storedKeys(database: Database.Database = db.$client): string[] {
  const rows = database.prepare("SELECT key, name, user_id FROM staff_name_keys").all() as { key: string; name: string; user_id: string }[];
  return rows.map((r) => JSON.stringify([r.key, r.name, r.user_id])).sort();
}

// Names meant to break a naive split: JSON's own syntax, quotes, backslashes, control characters, emoji (beyond
// U+FFFF), combining marks, non-ASCII capitals (which lower() leaves alone), spaces leading, trailing and doubled,
// names with no word at all, and a very long one.
const HOSTILE_NAMES = [
  `Siobhan O'Brien-Smith`,
  `"Quoted" Name`,
  `a","b c`,
  `"] [" ,`,
  `back\\slash \\ \\\\double`,
  `tab\there new\nline`,
  `bell\u0007 \u001f unit`,
  `nul\u0000 after`,
  `😀Smile 👩‍👩‍👧 Family`,
  `e\u0301cole Zoë ÉMILE İstanbul`,
  `\u212Aelvin Sign`,
  `  Leading  and trailing  `,
  `double  space`,
  `A B`,
  `Ab Cd`,
  `null`,
  `true [] {}`,
  `\\u0020 escaped`,
  "",
  " ",
  "   ",
  Array.from({ length: 400 }, (_, i) => `word${i}`).join(" "),
  `${"x".repeat(5000)} ${"y".repeat(3)}`,
];

before(async () => {
  recordStatements();
  ({ db } = await freshDatabase());
  staff = await import("@/db/queries/staff");
  sql = prepareStatements();
  viewer = sessionFor(insertUser("Viewer Person"));
  closedViewer = sessionFor(insertUser("Closed Viewer", { deactivated: true }));
});

describe("staff_name_keys, kept by triggers on users", () => {
  test("holds each word's first 2 and 3 characters for hostile names, after inserts, renames and deletes", () => {
    const ids = HOSTILE_NAMES.map((name) => insertUser(name));
    insertUser(null);
    assert.deepEqual(storedKeys(), expectedKeys(allUsers()));
    assert.ok(storedKeys().some((k) => k === JSON.stringify(["a\"", `a","b c`, ids[2]])), "a quote stays inside its word");

    // Renames move the keys, to and from no name at all too; a name rewritten unchanged (as a sign-in does) keeps them.
    HOSTILE_NAMES.forEach((_, i) => sql.rename.run(HOSTILE_NAMES[(i + 7) % HOSTILE_NAMES.length], ids[i]));
    sql.rename.run(null, ids[0]);
    sql.rename.run("From Nothing", ids[1]);
    sql.rename.run(HOSTILE_NAMES[(9 + 7) % HOSTILE_NAMES.length], ids[9]);
    assert.deepEqual(storedKeys(), expectedKeys(allUsers()));

    // Deleting a person deletes their keys: the foreign key's ON DELETE CASCADE, on the app's own connection.
    db.$client.prepare(`DELETE FROM users WHERE id IN (${ids.map(() => "?").join(", ")})`).run(...ids);
    assert.deepEqual(storedKeys(), expectedKeys(allUsers()));
    assert.ok(!storedKeys().some((k) => ids.some((id) => k.includes(id))), "no key outlives its person");
  });

  test("finds every hostile name by each of its words", () => {
    for (const name of HOSTILE_NAMES) {
      const id = insertUser(name);
      for (const word of lowerAscii(name).split(" ")) {
        // The term is lower-cased by toLowerCase(), the name by lower(), ASCII only: a non-ASCII capital is found only
        // as written in lower case, by design ("ignoring case (ASCII letters)").
        if (Array.from(word).length < 2 || word.length > 100 || word.trim() !== word || word.toLowerCase() !== word) continue;
        assert.ok(staff.searchStaff(viewer, word).some((r) => r.id === id), `${JSON.stringify(word)} finds ${JSON.stringify(name.slice(0, 40))}`);
      }
      sql.remove.run(id);
    }
  });

  test("migration 0015's backfill gives the keys the triggers give", async () => {
    // A database migrated up to 0014 (the migrations folder as it was before 0015), with people in it.
    const folder = path.join(tempDir(), "migrations");
    fs.cpSync(path.join(ROOT, "db", "migrations"), folder, { recursive: true });
    const journalFile = path.join(folder, "meta", "_journal.json");
    const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
    const upTo = journal.entries.findIndex((e) => e.tag === "0015_staff_name_keys");
    assert.ok(upTo > 0, "0015 is in the journal");
    fs.writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
    const old = await extraDatabase({ migrate: false });
    migrate(old.db, { migrationsFolder: folder });
    assert.equal(old.db.$client.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'staff_name_keys'").pluck().get(), 0);

    const people = [...HOSTILE_NAMES, null, "Jo Smith", "Jo Smith", "Smith Jo", "Deactivated Person"];
    const insert = old.db.$client.prepare("INSERT INTO users (id, name, email, deactivated_at) VALUES (?, ?, ?, ?)");
    const rows = people.map((name, i) => {
      const id = randomUUID();
      insert.run(id, name, `${id}@example.org`, i === people.length - 1 ? Date.now() : null);
      return id;
    });

    // Then 0015, as a deployment would run it: the real migrations folder.
    migrate(old.db, { migrationsFolder: path.join(ROOT, "db", "migrations") });
    const backfilled = storedKeys(old.db.$client);

    // The same people inserted into a database that has the triggers.
    const fresh = await extraDatabase();
    const insertFresh = fresh.db.$client.prepare("INSERT INTO users (id, name, email, deactivated_at) VALUES (?, ?, ?, ?)");
    people.forEach((name, i) => insertFresh.run(rows[i], name, `${rows[i]}@example.org`, i === people.length - 1 ? Date.now() : null));
    assert.deepEqual(backfilled, storedKeys(fresh.db.$client));
    assert.deepEqual(backfilled, expectedKeys(allUsers(old.db.$client)));
    assert.ok(backfilled.length > 50, `${backfilled.length} keys`);
    old.db.$client.close();
    fresh.db.$client.close();
  });
});

describe("searchKey, the key every match has", () => {
  test("is the first 3 characters of the term's longest word, the first of the longest", () => {
    assert.equal(staff.searchKey("smith"), "smi");
    assert.equal(staff.searchKey("jo smith"), "smi");
    assert.equal(staff.searchKey("ann bob"), "ann");
    assert.equal(staff.searchKey("jo  x"), "jo");
    assert.equal(staff.searchKey("a b"), "a");
    assert.equal(staff.searchKey("😀😀😀😀 ab"), "😀😀😀");
  });

  test("a lone character beyond U+FFFF (2 UTF-16 units) is too short, like a lone letter", () => {
    insertUser("😀Smile", { email: "😀smile@example.org" });
    assert.deepEqual(staff.searchStaff(viewer, "😀"), [], "not by name, nor by address");
    assert.equal(staff.searchStaff(viewer, "😀s").length, 1);
  });
});

// ---------------------------------------------------------------------------------------------------------------

// Words from a small alphabet so that prefixes and keys collide, with LIKE's wildcards and escape, capitals, a
// non-ASCII capital, a character beyond U+FFFF and one from U+E000 to U+FFFF (which sort differently in UTF-16).
const LETTERS = ["a", "a", "b", "b", "c", "A", "B", "%", "_", "\\", "é", "É", "😀", "\uFF41", "\""];
// One-character words often: the key's proof has a case of its own for them.
const word = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...LETTERS) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...LETTERS), { minLength: 2, maxLength: 4 }).map((cs) => cs.join("")) },
);
const separator = fc.constantFrom(" ", " ", " ", "  ");
const name = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(fc.constantFrom("", "", "", " "), fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 4 }), fc.constantFrom("", "", "", " "))
    .map(([lead, words, trail]) => lead + words.map(([w, s]) => w + s).join("").slice(0, -1) + trail) },
  { weight: 1, arbitrary: fc.constant(null) },
);
const person = fc.record({ name, emailWord: word, deactivated: fc.integer({ min: 0, max: 3 }).map((n) => n === 0) });
// Sometimes a crowd sharing the start of their names and addresses, so that both lists reach their limit of 20.
const crowd = fc.oneof(
  { weight: 3, arbitrary: fc.constant([]) },
  { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom("Ab", "ab", "AB"), word, fc.boolean()), { minLength: 15, maxLength: 30 }) },
);
const edit = fc.oneof(
  fc.record({ kind: fc.constant("rename" as const), who: fc.nat(), name }),
  fc.record({ kind: fc.constant("delete" as const), who: fc.nat() }),
  fc.record({ kind: fc.constant("deactivate" as const), who: fc.nat(), on: fc.boolean() }),
);
// A term is made from the people present when it runs: part of a name from a word's start, or of an address, in
// random case, padded; or made up from the alphabet.
const termRecipe = fc.oneof(
  fc.record({ kind: fc.constant("name" as const), who: fc.nat(), from: fc.nat(), length: fc.oneof(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 12 })), upper: fc.boolean(), pad: fc.boolean() }),
  fc.record({ kind: fc.constant("email" as const), who: fc.nat(), length: fc.integer({ min: 1, max: 8 }), upper: fc.boolean(), pad: fc.boolean() }),
  fc.record({ kind: fc.constant("made up" as const), words: fc.array(word, { minLength: 1, maxLength: 3 }), double: fc.boolean() }),
  fc.record({ kind: fc.constant("made up" as const), words: fc.constantFrom(["ab"], ["AB"], ["abb"], ["ab", "a"]), double: fc.boolean() }),
);
type TermRecipe = typeof termRecipe extends fc.Arbitrary<infer T> ? T : never;

function termFrom(recipe: TermRecipe, people: UserRow[]): string {
  if (recipe.kind === "made up") return recipe.words.join(recipe.double ? "  " : " ");
  const who = people[recipe.who % Math.max(1, people.length)];
  if (!who) return "ab";
  let text: string;
  if (recipe.kind === "email") {
    text = Array.from(who.email).slice(0, recipe.length).join("");
  } else {
    const current = who.name ?? "";
    const starts = [0, ...Array.from(current.matchAll(/ /g), (m) => m.index + 1)];
    const start = starts[recipe.from % starts.length] ?? 0;
    text = Array.from(current.slice(start)).slice(0, recipe.length).join("");
  }
  if (recipe.upper) text = text.toUpperCase();
  return recipe.pad ? ` ${text}\t` : text;
}

describe("searchStaff equals a brute-force reading of every user (property)", () => {
  test("for random names, renames, deletes, leavers and terms", () => {
    let runs = 0;
    let found = 0;
    let full = 0;
    fc.assert(
      fc.property(
        fc.array(person, { minLength: 0, maxLength: 20 }),
        crowd,
        fc.array(edit, { maxLength: 8 }),
        fc.array(termRecipe, { minLength: 1, maxLength: 6 }),
        (people, crowded, edits, recipes) => {
          runs += 1;
          db.$client.exec("BEGIN");
          try {
            const ids = people.map((p, i) => insertUser(p.name, { email: `${p.emailWord}.${i}@x.org`, deactivated: p.deactivated }));
            crowded.forEach(([start, rest, sameAddress], i) =>
              ids.push(insertUser(`${start}${rest} ${rest}`, { email: `${sameAddress ? "ab" : rest}${rest}.c${i}@x.org` })));
            for (const e of edits) {
              const id = ids[e.who % Math.max(1, ids.length)];
              if (!id) continue;
              if (e.kind === "rename") sql.rename.run(e.name, id);
              if (e.kind === "delete") sql.remove.run(id);
              if (e.kind === "deactivate") sql.deactivate.run(e.on ? Date.now() : null, id);
            }
            const rows = allUsers();
            assert.deepEqual(storedKeys(), expectedKeys(rows), "the keys after the edits");
            const present = rows.filter((r) => ids.includes(r.id));
            for (const recipe of recipes) {
              const q = termFrom(recipe, present);
              const expected = reference(rows, viewer.id, q);
              assert.deepEqual(staff.searchStaff(viewer, q), expected, `search ${JSON.stringify(q)}`);
              assert.deepEqual(staff.searchStaff(closedViewer, q), [], "a closed account finds no one");
              if (expected.length > 0) found += 1;
              if (expected.length === 20) full += 1;
            }
          } finally {
            db.$client.exec("ROLLBACK");
          }
        },
      ),
      { numRuns: 1000, seed },
    );
    // The property means something only if many searches found people, and some hit the limit of 20.
    assert.ok(runs >= 1000, `${runs} runs`);
    assert.ok(found > 500 && full > 0, `${found} searches found someone, ${full} found 20`);
  });
});

// ---------------------------------------------------------------------------------------------------------------

type Captured = { source: string; args: unknown[] };

// The statements searchStaff runs, with their parameters, recorded by wrapping better-sqlite3's Statement.all (as
// tests/query-plans.test.ts does), so that their plans can be read without copying their SQL here. The wrapper goes
// in before any statement runs: wrapped later, calls V8 has already optimised can miss it.
let recording: Captured[] | null = null;
function recordStatements(): void {
  const probe = new Database(":memory:");
  const Statement = Object.getPrototypeOf(probe.prepare("select 1")) as { all: (...args: unknown[]) => unknown };
  probe.close();
  const original = Statement.all;
  Statement.all = function recorded(this: Database.Statement, ...args: unknown[]) {
    recording?.push({ source: this.source, args });
    return original.apply(this, args);
  };
}

function captureStatements(work: () => void): Captured[] {
  const seen: Captured[] = [];
  recording = seen;
  try {
    work();
  } finally {
    recording = null;
  }
  return seen;
}

describe("at 50,000 staff", () => {
  test("reads only the people sharing the term's key, in name order, and prints the timings", (t) => {
    const insert = db.$client.prepare("INSERT INTO users (id, name, email, department, site) VALUES (?, ?, ?, ?, ?)");
    const first = ["Alice", "Ben", "Chloe", "David", "Emma", "Farhan", "Grace", "Harpreet", "Isla", "Jack", "Kofi", "Lucy", "Mohammed", "Nina", "Oscar", "Priya", "Ruth"];
    const last = ["Smith", "Jones", "Patel", "Khan", "Williams", "Brown", "Taylor", "Nowak", "Okafor", "Singh", "Evans", "Wilson", "Begum", "Murphy", "Ali"];
    const started = process.hrtime.bigint();
    db.$client.transaction(() => {
      for (let i = 0; i < 50_000; i++) {
        const given = first[i % first.length];
        const family = last[Math.floor(i / first.length) % last.length];
        // Every tenth person has a middle name, so that word-prefix searches have many matches too.
        const fullName = i % 10 === 0 ? `${given} Hughes ${family}` : `${given} ${family}`;
        insert.run(randomUUID(), fullName, `person${i}@example.org`, "Dept", "Site");
      }
    })();
    const insertMs = Number(process.hrtime.bigint() - started) / 1e6;
    db.$client.exec("ANALYZE");

    const keyRows = db.$client.prepare("SELECT count(*) FROM staff_name_keys WHERE key = ?").pluck();
    const time = (q: string) => {
      staff.searchStaff(viewer, q); // warm the page cache
      const runs = 20;
      const start = process.hrtime.bigint();
      let n = 0;
      for (let i = 0; i < runs; i++) n = staff.searchStaff(viewer, q).length;
      return { q, ms: Number(process.hrtime.bigint() - start) / 1e6 / runs, results: n, keyRows: keyRows.get(staff.searchKey(q.toLowerCase())) as number };
    };
    const timings = [
      time("al"), // a common first-name prefix: the walk stops at the 20th match
      time("pat"), // a surname: a later word
      time("hug"), // a middle name
      time("priya hughes"), // a rarer full name: reads the key "hug" until the 20th Priya Hughes
      time("person4999"), // an email prefix
      time("patz"), // matches nobody, with a common key: the worst case, every Patel's key is read
      time("zzqx"), // matches nobody, and nobody has the key: reads nothing
      time("atel"), // inside a word: nobody has the key either
    ];
    t.diagnostic(`50,000 users inserted through the triggers in ${(insertMs / 1000).toFixed(1)} s, ` +
      `${db.$client.prepare("SELECT count(*) FROM staff_name_keys").pluck().get()} keys`);
    t.diagnostic(`staff search over 50,000 users: ${timings.map((x) => `"${x.q}" ${x.ms.toFixed(2)} ms (${x.results} found, ${x.keyRows} rows with its key)`).join(", ")}`);
    assert.deepEqual(timings.map((x) => x.results), [20, 20, 20, 20, 11, 0, 0, 0]);
    // What bounds the work: the rows sharing the key. Nobody has the key of a term inside a word or made up.
    assert.deepEqual(timings.map((x) => x.keyRows).slice(-2), [0, 0]);

    // And the statements read those rows through an index, in the order wanted, with no sort of their own: the
    // name statement searches staff_name_keys by its primary key's first column, the email statement walks
    // users_email_unique in address order.
    const statements = captureStatements(() => staff.searchStaff(viewer, "zzqx"));
    assert.equal(statements.length, 2);
    const plans = statements.map((s) =>
      (db.$client.prepare(`EXPLAIN QUERY PLAN ${s.source}`).all(...s.args) as { detail: string }[]).map((r) => r.detail));
    const [namePlan = [], emailPlan = []] = plans;
    t.diagnostic(`plans: ${JSON.stringify(plans)}`);
    assert.ok(namePlan.some((d) => /^SEARCH \S+ USING COVERING INDEX sqlite_autoindex_staff_name_keys_1 \(key=\?\)$/.test(d)), namePlan.join("; "));
    assert.ok(namePlan.some((d) => /^SEARCH \S+ USING INDEX sqlite_autoindex_users_1 \(id=\?\)$/.test(d)), namePlan.join("; "));
    assert.ok(emailPlan.some((d) => /^SEARCH users USING INDEX users_email_unique \(<expr>>\? AND <expr><\?\)$/.test(d)), emailPlan.join("; "));
    for (const plan of plans) {
      assert.ok(!plan.some((d) => /^SCAN|TEMP B-TREE|AUTOMATIC/.test(d)), plan.join("; "));
    }
  });
});
