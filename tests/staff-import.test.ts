import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, test } from "node:test";

import fc from "fast-check";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { factories } from "./factories";
import { freshDatabase } from "./helpers";

type CsvModule = typeof import("@/lib/csv");
type ImportModule = typeof import("@/db/queries/staff-import");
type ValidationModule = typeof import("@/db/validation/staff-import");
type UsersModule = typeof import("@/db/queries/users");
type ErrorsModule = typeof import("@/lib/errors");

let db: Db;
let make: ReturnType<typeof factories>;
let csv: CsvModule;
let imports: ImportModule;
let v: ValidationModule;
let usersQueries: UsersModule;
let errors: ErrorsModule;

before(async () => {
  ({ db } = await freshDatabase());
  make = factories(db);
  csv = await import("@/lib/csv");
  imports = await import("@/db/queries/staff-import");
  v = await import("@/db/validation/staff-import");
  usersQueries = await import("@/db/queries/users");
  errors = await import("@/lib/errors");
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const HEADER = "email,name,rank or grade,department,site";

function viewerFor(userId: string): SessionUser {
  const viewer = usersQueries.loadSessionUser(userId);
  assert.ok(viewer, "the user loads");
  return viewer;
}

function equalityUnitViewer(): SessionUser {
  const id = make.insertUser("Eva Equality");
  db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(id);
  return viewerFor(id);
}

let prefixCounter = 0;
/** A fresh email domain part for each test, so tests never see each other's people. */
function prefix(): string {
  prefixCounter += 1;
  return `t${prefixCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

function file(text: string, name = "staff.csv"): import("@/db/validation/staff-import").UploadedFile {
  const bytes = new TextEncoder().encode(text);
  return { name, size: bytes.byteLength, bytes };
}

function readOk(text: string) {
  const result = v.readStaffFile(file(text));
  assert.ok(result.ok, result.ok ? "" : result.error);
  return result.data;
}

function readError(input: string | ReturnType<typeof file>): string {
  const result = v.readStaffFile(typeof input === "string" ? file(input) : input);
  assert.ok(!result.ok, "the file is refused");
  return result.error;
}

type ImportRow = {
  status: string;
  total_rows: number;
  processed_rows: number;
  created_rows: number;
  updated_rows: number;
  unchanged_rows: number;
  rejected_rows: number;
  rejections: string;
  error: string | null;
  actor_id: string | null;
};
const importRow = (id: string) =>
  db.$client
    .prepare(
      "SELECT status, total_rows, processed_rows, created_rows, updated_rows, unchanged_rows, rejected_rows, rejections, error, actor_id FROM staff_imports WHERE id = ?",
    )
    .get(id) as ImportRow;

const counts = (row: ImportRow) => ({
  status: row.status,
  total: row.total_rows,
  processed: row.processed_rows,
  created: row.created_rows,
  updated: row.updated_rows,
  unchanged: row.unchanged_rows,
  rejected: row.rejected_rows,
});

type UserRow = { id: string; email: string; name: string | null; job_title: string | null; department: string | null; site: string | null; deactivated_at: number | null };
const userByEmail = (email: string) =>
  db.$client
    .prepare("SELECT id, email, name, job_title, department, site, deactivated_at FROM users WHERE lower(email) = lower(?)")
    .get(email) as UserRow | undefined;

/** A digest of every user row, so "changed nothing" is checked on the whole table, not on chosen columns. */
function usersDigest(): string {
  const rows = db.$client.prepare("SELECT * FROM users ORDER BY id").all();
  return createHash("sha256").update(JSON.stringify(rows)).digest("hex");
}

const staffImportCount = () => (db.$client.prepare("SELECT count(*) AS n FROM staff_imports").get() as { n: number }).n;

/** Counts every INSERT and UPDATE on users, even one that writes the same values back. */
function watchUserWrites(): { writes: () => number; stop: () => void } {
  db.$client.exec(`
    CREATE TEMP TABLE IF NOT EXISTS user_writes (n INTEGER);
    DELETE FROM user_writes;
    CREATE TEMP TRIGGER IF NOT EXISTS user_writes_insert AFTER INSERT ON main.users BEGIN INSERT INTO user_writes VALUES (1); END;
    CREATE TEMP TRIGGER IF NOT EXISTS user_writes_update AFTER UPDATE ON main.users BEGIN INSERT INTO user_writes VALUES (1); END;
  `);
  return {
    writes: () => (db.$client.prepare("SELECT count(*) AS n FROM temp.user_writes").get() as { n: number }).n,
    stop: () => db.$client.exec("DROP TRIGGER temp.user_writes_insert; DROP TRIGGER temp.user_writes_update;"),
  };
}

async function runImport(viewer: SessionUser, text: string, options: { batchSize?: number } = {}) {
  const { id, status } = await imports.importStaff(viewer, readOk(text), options);
  return { id, status, row: importRow(id) };
}

// ---------------------------------------------------------------------------------------------------------------
// The parser
// ---------------------------------------------------------------------------------------------------------------

describe("parseCsv", () => {
  test("reads plain records with LF, CRLF and lone CR line endings", () => {
    assert.deepEqual(csv.parseCsv("a,b,c\n1,2,3"), [["a", "b", "c"], ["1", "2", "3"]]);
    assert.deepEqual(csv.parseCsv("a,b\r\n1,2\r\n"), [["a", "b"], ["1", "2"]]);
    assert.deepEqual(csv.parseCsv("a,b\r1,2\r"), [["a", "b"], ["1", "2"]]);
    assert.deepEqual(csv.parseCsv("a,b\n1,2\r\n3,4\r5,6"), [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]]);
  });

  test("drops a byte order mark at the start only", () => {
    assert.deepEqual(csv.parseCsv("\uFEFFemail,name\nx,y"), [["email", "name"], ["x", "y"]]);
    assert.deepEqual(csv.parseCsv("a,\uFEFFb"), [["a", "\uFEFFb"]]);
  });

  test("quoted fields hold commas, doubled quotes and line breaks", () => {
    assert.deepEqual(csv.parseCsv('"Smith, Jo","Jo ""JJ"" Smith","line one\nline two","a\r\nb"\n'), [
      ["Smith, Jo", 'Jo "JJ" Smith', "line one\nline two", "a\r\nb"],
    ]);
    assert.deepEqual(csv.parseCsv('"",""\n""'), [["", ""], [""]]);
    assert.deepEqual(csv.parseCsv('"a"'), [["a"]]);
    assert.deepEqual(csv.parseCsv('""""'), [['"']]);
  });

  test("empty fields, trailing commas, blank lines and a final line break", () => {
    assert.deepEqual(csv.parseCsv("a,,c\n,,\n"), [["a", "", "c"], ["", "", ""]]);
    assert.deepEqual(csv.parseCsv("a,b,"), [["a", "b", ""]]);
    assert.deepEqual(csv.parseCsv("a\n\nb\n"), [["a"], [""], ["b"]]);
    assert.deepEqual(csv.parseCsv(""), []);
    assert.deepEqual(csv.parseCsv("\uFEFF"), []);
    assert.deepEqual(csv.parseCsv("\n"), [[""]]);
  });

  test("spaces are kept as they are (the importer trims)", () => {
    assert.deepEqual(csv.parseCsv(" a , b \n"), [[" a ", " b "]]);
  });

  test("a stray quote inside an unquoted field is kept as text, as spreadsheets do", () => {
    assert.deepEqual(csv.parseCsv('Jo "JJ" Smith,x'), [['Jo "JJ" Smith', "x"]]);
  });

  test("an unterminated quote or text after a closing quote refuses the file, naming the row", () => {
    assert.throws(
      () => csv.parseCsv('a,b\n1,2\n"open,3\n4,5'),
      (error: unknown) => error instanceof csv.CsvParseError && error.row === 3 && /never closed/.test(error.message),
    );
    assert.throws(
      () => csv.parseCsv('a,b\n"x"y,2'),
      (error: unknown) => error instanceof csv.CsvParseError && error.row === 2 && /after a closing quotation mark/.test(error.message),
    );
  });

  test("reads back whatever csvLine writes (property)", () => {
    // csvCell guards formulas with a leading quote; what is read back is what was written.
    const guarded = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
    const cell = fc.string({ unit: fc.constantFrom("a", "Z", " ", ",", '"', "\n", "\r", "=", "-", "é", "\u{1F600}", "'") });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 8 }), fc.constantFrom("\n", "\r\n"), (rows, eol) => {
        const text = rows.map((row) => csv.csvLine(row)).join(eol);
        assert.deepEqual(csv.parseCsv(text), rows.map((row) => row.map(guarded)));
      }),
    );
  });

  test("keeps csvCell and csvLine as they were", () => {
    assert.equal(csv.csvCell("=SUM(A1)"), "'=SUM(A1)");
    assert.equal(csv.csvLine(["a,b", 'say "hi"', "plain"]), '"a,b","say ""hi""",plain');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The file as a whole
// ---------------------------------------------------------------------------------------------------------------

describe("readStaffFile", () => {
  test("accepts header names in any case and order, and the other names for rank or grade", () => {
    for (const header of [
      "email,name,rank or grade,department,site",
      "EMAIL,Name,Rank Or Grade,DEPARTMENT,Site",
      "email,name,rank,department,site",
      "email,name,grade,department,site",
      "email,name,rank_or_grade,department,site",
      " site , department , Rank , name , Email ",
    ]) {
      const data = readOk(`${header}\nx@example.org,X,PC,Dept,Site`);
      assert.deepEqual([...data.order].sort(), ["department", "email", "jobTitle", "name", "site"], header);
    }
    assert.deepEqual(readOk("site,email,name,grade,department\nS,x@example.org,X,G,D").order, ["site", "email", "name", "jobTitle", "department"]);
  });

  test("a BOM, CRLF and blank lines are fine; rows keep the numbers a spreadsheet shows", () => {
    const data = readOk(`\uFEFF${HEADER}\r\na@example.org,A,,,\r\n\r\nb@example.org,B,,,\r\n`);
    assert.deepEqual(data.rows.map((r) => r.row), [2, 4]);
    const quoted = readOk(`${HEADER}\n"a@example.org","Smith, Jo","PC","Dept\nstill dept",S\nb@example.org,B,,,`);
    assert.deepEqual(quoted.rows.map((r) => r.row), [2, 3]);
  });

  test("an unknown, missing, duplicated or empty header column refuses the whole file with a clear message", () => {
    assert.match(readError("email,name,rank,department,site,notes\nx@example.org,X,,,,"), /column called \u201cnotes\u201d that is not known/);
    assert.match(readError("email,name,department,site\nx@example.org,X,,"), /has no rank or grade column/);
    assert.match(readError("name,department\nX,D"), /has no email, rank or grade, site column/);
    assert.match(readError("email,name,rank,grade,department,site\nx,X,,,,"), /rank or grade column more than once/);
    assert.match(readError("email,name,rank,,department,site\nx,X,,,,"), /Column 4 of the first row has no name/);
    // Data where the header should be: the first row is read as the header.
    assert.match(readError("x@example.org,X,PC,Dept,Site\n"), /not known/);
  });

  test("an empty file, a file with no rows, a file that is not CSV, not UTF-8, too big or too long is refused", () => {
    assert.equal(readError({ name: "", size: 0, bytes: new Uint8Array() }), "Select a CSV file");
    assert.equal(readError(file("", "staff.csv")), "The selected file is empty");
    assert.equal(readError(file("\uFEFF\n\n", "staff.csv")), "The selected file is empty");
    assert.equal(readError(`${HEADER}\n\n`), "The selected file has no staff records below the first row");
    assert.equal(readError(file(`${HEADER}\nx@example.org,X,,,`, "staff.xlsx")), "The selected file must be a CSV file");
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]);
    assert.equal(readError({ name: "renamed.csv", size: zip.byteLength, bytes: zip }), "The selected file must be a CSV file");
    const latin1 = new Uint8Array([...new TextEncoder().encode(`${HEADER}\nsian@example.org,Si`), 0xe2, 0x6e, 0x2c, 0x2c, 0x2c]);
    assert.match(readError({ name: "staff.csv", size: latin1.byteLength, bytes: latin1 }), /must be saved as UTF-8/);
    assert.equal(readError({ name: "big.csv", size: v.MAX_FILE_BYTES + 1, bytes: new Uint8Array(1) }), "The selected file must be smaller than 10 MB");
    const tooLong = `${HEADER}\n${"a@example.org,A,,,\n".repeat(v.MAX_ROWS + 1)}`;
    assert.equal(readError(tooLong), "The selected file must have 100,000 staff records or fewer");
    assert.match(readError(`${HEADER}\n"unterminated,X,,,`), /could not be read as CSV: row 2 has a quotation mark that is never closed/);
  });

  test("the file name is kept without folders or control characters", () => {
    assert.equal(v.cleanFileName("C:\\Users\\eve\\staff list.csv"), "staff list.csv");
    assert.equal(v.cleanFileName("a\u0000b\u202e.csv"), "ab.csv");
    assert.equal(v.cleanFileName("x".repeat(300)).length, v.FILE_NAME_MAX);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Importing
// ---------------------------------------------------------------------------------------------------------------

describe("importStaff", () => {
  test("good, bad and duplicate rows: the good ones are created, the others rejected with their row and reason", async () => {
    const eve = equalityUnitViewer();
    const p = prefix();
    const seq = make.lastSeq();
    const text = [
      HEADER,
      `${p}-ana@example.org,Ana Silva,Police Constable,Response Policing,Ripley HQ`, // 2 good
      `not-an-email,Bad Email,,,`, // 3
      `${p}-ben@example.org,,PC,,`, // 4 no name
      `${p}-ana@example.org,Ana Again,,,`, // 5 duplicate of 2
      `${p}-cal@example.org,Cal,PC,Dept`, // 6 four columns
      `"${p}-dee@example.org","Dee ""DJ"" Jones, MBE","Grade 5","Finance, Payroll",Chesterfield`, // 7 good, quoted
      `${p}-eli@example.org,"Eli\nRunover",,,`, // 8 control character
      `${p}-fay@example.org,${"F".repeat(v.NAME_MAX + 1)},,,`, // 9 too long
      `${p}-ANA@EXAMPLE.ORG,Ana Shouting,,,`, // 10 duplicate of 2, whatever the case
      `${p}-gus@example.org,Gus,,,`, // 11 good, optional values empty
      `${p}-ben@example.org,Ben Proper,,,`, // 12 duplicate of 4 (whose name was missing)
    ].join("\n");
    const { id, status, row } = await runImport(eve, text, { batchSize: 3 });
    assert.equal(status, "done");
    assert.deepEqual(counts(row), { status: "done", total: 11, processed: 11, created: 3, updated: 0, unchanged: 0, rejected: 8 });
    assert.equal(row.actor_id, eve.id);
    assert.deepEqual(JSON.parse(row.rejections), [
      { row: 3, reason: "The email address is not in the correct format, like name@example.org" },
      { row: 4, reason: "Enter the name" },
      { row: 5, reason: "Duplicate of row 2: the email address is already in the file" },
      { row: 6, reason: "The row has 4 columns: it should have 5" },
      { row: 8, reason: "The name contains a line break or another control character" },
      { row: 9, reason: `The name must be ${v.NAME_MAX} characters or fewer` },
      { row: 10, reason: "Duplicate of row 2: the email address is already in the file" },
      { row: 12, reason: "Duplicate of row 4: the email address is already in the file" },
    ]);
    assert.deepEqual(userByEmail(`${p}-ana@example.org`), {
      ...userByEmail(`${p}-ana@example.org`),
      email: `${p}-ana@example.org`,
      name: "Ana Silva",
      job_title: "Police Constable",
      department: "Response Policing",
      site: "Ripley HQ",
      deactivated_at: null,
    });
    assert.equal(userByEmail(`${p}-dee@example.org`)?.name, 'Dee "DJ" Jones, MBE');
    // Stored like every other timestamp (integer milliseconds), with the default text size.
    const stored = db.$client.prepare("SELECT created_at, text_size FROM users WHERE email = ?").get(`${p}-ana@example.org`) as { created_at: unknown; text_size: string };
    assert.ok(Number.isInteger(stored.created_at) && Math.abs((stored.created_at as number) - Date.now()) < 60_000, String(stored.created_at));
    assert.equal(stored.text_size, "standard");
    assert.equal(userByEmail(`${p}-dee@example.org`)?.department, "Finance, Payroll");
    assert.deepEqual(
      [userByEmail(`${p}-gus@example.org`)?.job_title, userByEmail(`${p}-gus@example.org`)?.department, userByEmail(`${p}-gus@example.org`)?.site],
      [null, null, null],
    );
    for (const who of ["ben", "cal", "eli", "fay"]) assert.equal(userByEmail(`${p}-${who}@example.org`), undefined, who);
    // One event when it starts and one when it ends, not one per row; no content, only the import's opaque id.
    assert.deepEqual(
      make.auditSince(seq).map((e) => [e.actor_id, e.action, e.object_type, e.object_id, e.outcome]),
      [
        [eve.id, "staff.import_started", "staff_import", id, "success"],
        [eve.id, "staff.import_finished", "staff_import", id, "success"],
      ],
    );
  });

  test("importing the same file again changes nothing and writes no user row", async () => {
    const eve = equalityUnitViewer();
    const p = prefix();
    const text = [
      HEADER,
      ...Array.from({ length: 25 }, (_, i) => `${p}-${i}@example.org,Person ${i},Rank ${i % 3},Dept ${i % 4},Site ${i % 2}`),
      `${p}-5@example.org,Duplicate,,,`,
      `bad,Bad,,,`,
      `${p}-empty@example.org,Empty Values,,,`,
    ].join("\r\n");
    const first = await runImport(eve, text, { batchSize: 10 });
    assert.deepEqual(counts(first.row), { status: "done", total: 28, processed: 28, created: 26, updated: 0, unchanged: 0, rejected: 2 });

    const digest = usersDigest();
    const watch = watchUserWrites();
    const seq = make.lastSeq();
    try {
      const again = await runImport(eve, text, { batchSize: 10 });
      assert.deepEqual(counts(again.row), { status: "done", total: 28, processed: 28, created: 0, updated: 0, unchanged: 26, rejected: 2 });
      assert.deepEqual(JSON.parse(again.row.rejections), JSON.parse(first.row.rejections));
      assert.equal(watch.writes(), 0, "no INSERT or UPDATE on users");
      assert.equal(usersDigest(), digest);
      assert.deepEqual(make.auditSince(seq).map((e) => e.action), ["staff.import_started", "staff.import_finished"]);
    } finally {
      watch.stop();
    }
  });

  test("an existing record is updated only where a value differs; an empty value keeps what it has", async () => {
    const eve = equalityUnitViewer();
    const p = prefix();
    const insert = db.$client.prepare("INSERT INTO users (id, email, name, job_title, department, site) VALUES (?, ?, ?, ?, ?, ?)");
    insert.run(`${p}-1`, `${p}-Mixed.Case@Example.org`, "Old Name", "PC", "Old Dept", "Old Site");
    insert.run(`${p}-2`, `${p}-same@example.org`, "Same", "PS", "Dept", "Site");
    insert.run(`${p}-3`, `${p}-keep@example.org`, "Keep", "Inspector", "Keep Dept", "Keep Site");
    insert.run(`${p}-4`, `${p}-partial@example.org`, "Part", "PC", "Part Dept", "Part Site");
    const watch = watchUserWrites();
    try {
      const { row } = await runImport(
        eve,
        [
          HEADER,
          `${p}-mixed.case@example.org,New Name,PC,New Dept,Old Site`,
          `  ${p}-SAME@example.org , Same ,PS, Dept ,Site`,
          `${p}-keep@example.org,Keep,,,`,
          `${p}-partial@example.org,Part Renamed,,,New Site`,
        ].join("\n"),
      );
      assert.deepEqual(counts(row), { status: "done", total: 4, processed: 4, created: 0, updated: 2, unchanged: 2, rejected: 0 });
      assert.equal(watch.writes(), 2, "one UPDATE for each row that differs");
    } finally {
      watch.stop();
    }
    // Matched whatever the capital letters; the stored address is left as it was.
    assert.deepEqual(userByEmail(`${p}-mixed.case@example.org`), {
      id: `${p}-1`,
      email: `${p}-Mixed.Case@Example.org`,
      name: "New Name",
      job_title: "PC",
      department: "New Dept",
      site: "Old Site",
      deactivated_at: null,
    });
    assert.deepEqual(userByEmail(`${p}-partial@example.org`), {
      id: `${p}-4`,
      email: `${p}-partial@example.org`,
      name: "Part Renamed",
      job_title: "PC",
      department: "Part Dept",
      site: "New Site",
      deactivated_at: null,
    });
    assert.deepEqual(userByEmail(`${p}-keep@example.org`), {
      id: `${p}-3`,
      email: `${p}-keep@example.org`,
      name: "Keep",
      job_title: "Inspector",
      department: "Keep Dept",
      site: "Keep Site",
      deactivated_at: null,
    });
  });

  test("a leaver's row is rejected and the leaver stays deactivated and unchanged", async () => {
    const eve = equalityUnitViewer();
    const p = prefix();
    const leaverId = make.insertUser("Lee Leaver", { deactivated: true, email: `${p}-leaver@example.org` });
    const before = userByEmail(`${p}-leaver@example.org`);
    const { row } = await runImport(eve, [HEADER, `${p}-LEAVER@example.org,Lee Returned,PC,Dept,Site`, `${p}-new@example.org,New,,,`].join("\n"));
    assert.deepEqual(counts(row), { status: "done", total: 2, processed: 2, created: 1, updated: 0, unchanged: 0, rejected: 1 });
    assert.deepEqual(JSON.parse(row.rejections), [{ row: 2, reason: imports.LEAVER_REASON }]);
    assert.match(imports.LEAVER_REASON, /leaver.*reinstate them on their staff record first/i);
    assert.deepEqual(userByEmail(`${p}-leaver@example.org`), before);
    assert.ok(before?.deactivated_at);
    assert.equal(usersQueries.loadSessionUser(leaverId), null, "still cannot sign in");
  });

  test("the batch lookup uses the lower(email) index", () => {
    const plan = db.$client
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM users WHERE lower(users.email) IN (?, ?)")
      .all("a@example.org", "b@example.org") as { detail: string }[];
    assert.ok(plan.some((step) => /users_email_unique/.test(step.detail)), JSON.stringify(plan));
  });

  test("rejections kept for the report are capped, and the count says how many there were", async () => {
    const eve = equalityUnitViewer();
    const n = v.REJECTIONS_KEPT + 250;
    const { id, row } = await runImport(eve, [HEADER, ...Array.from({ length: n }, (_, i) => `bad-${i},Nobody,,,`)].join("\n"));
    assert.deepEqual(counts(row), { status: "done", total: n, processed: n, created: 0, updated: 0, unchanged: 0, rejected: n });
    assert.equal(JSON.parse(row.rejections).length, v.REJECTIONS_KEPT);
    const report = imports.getStaffImport(eve, id, 3);
    assert.equal(report.rejectionsKept, v.REJECTIONS_KEPT);
    assert.equal(report.rejectionsPageCount, v.REJECTIONS_KEPT / v.IMPORT_PAGE_SIZE);
    assert.deepEqual(report.rejections.map((r) => r.row), Array.from({ length: v.IMPORT_PAGE_SIZE }, (_, i) => 2 + 2 * v.IMPORT_PAGE_SIZE + i));
    // A page past the end shows the last page.
    assert.equal(imports.getStaffImport(eve, id, 9_999).rejectionsPage, report.rejectionsPageCount);
  });

  test("a failure part-way marks the import stopped with a safe message; batches before it stay applied", async () => {
    const eve = equalityUnitViewer();
    const p = prefix();
    // A database-level failure on one row, as a full disk or a corrupt page would cause, without touching our code.
    db.$client.exec(
      `CREATE TEMP TRIGGER fail_import BEFORE INSERT ON main.users WHEN new.email = '${p}-boom@example.org'
       BEGIN SELECT RAISE(ABORT, 'secret detail from the database'); END;`,
    );
    try {
      const seq = make.lastSeq();
      const { id, status, row } = await runImport(
        eve,
        [HEADER, `${p}-a@example.org,A,,,`, `${p}-b@example.org,B,,,`, `${p}-boom@example.org,Boom,,,`, `${p}-c@example.org,C,,,`].join("\n"),
        { batchSize: 2 },
      );
      assert.equal(status, "failed");
      assert.deepEqual(counts(row), { status: "failed", total: 4, processed: 2, created: 2, updated: 0, unchanged: 0, rejected: 0 });
      assert.match(row.error ?? "", /^The import stopped at row 4 because of an unexpected problem \(reference [0-9A-F]{10}\)\./);
      assert.doesNotMatch(row.error ?? "", /secret|SQLITE|at \w+ \(|\.ts:/);
      assert.ok(userByEmail(`${p}-a@example.org`));
      assert.equal(userByEmail(`${p}-boom@example.org`), undefined);
      assert.equal(userByEmail(`${p}-c@example.org`), undefined, "the failing batch was rolled back as a whole");
      assert.deepEqual(
        make.auditSince(seq).map((e) => [e.action, e.object_id, e.outcome]),
        [
          ["staff.import_started", id, "success"],
          ["staff.import_finished", id, "failure"],
        ],
      );
    } finally {
      db.$client.exec("DROP TRIGGER temp.fail_import");
    }
  });

  test("a role revoked part-way stops the import at the next batch", async () => {
    const eve = equalityUnitViewer();
    const p = prefix();
    const data = readOk([HEADER, ...Array.from({ length: 6 }, (_, i) => `${p}-${i}@example.org,P${i},,,`)].join("\n"));
    const id = imports.startStaffImport(eve, data);
    const running = imports.applyStaffImport(eve, id, data, { batchSize: 2 });
    // The first batch ran before applyStaffImport yielded; the role goes before the second.
    assert.equal(importRow(id).processed_rows, 2);
    db.$client.prepare("DELETE FROM role_grants WHERE user_id = ?").run(eve.id);
    assert.equal(await running, "failed");
    const row = importRow(id);
    assert.deepEqual(counts(row), { status: "failed", total: 6, processed: 2, created: 2, updated: 0, unchanged: 0, rejected: 0 });
    assert.equal(row.error, imports.STOPPED_ROLE_REMOVED);
    assert.equal(userByEmail(`${p}-2@example.org`), undefined);
  });

  test("anyone outside the Equality Unit gets NotFoundError and nothing is written", async () => {
    const eve = equalityUnitViewer();
    const p = prefix();
    const existingImport = (await runImport(eve, [HEADER, `${p}-seen@example.org,Seen,,,`].join("\n"))).id;
    const staff = viewerFor(make.insertUser("Sid Staff"));
    // A session that claims the role without a grant in the database.
    const impostor: SessionUser = { ...viewerFor(make.insertUser("Ivy Impostor")), isEqualityUnit: true };
    const revoked = equalityUnitViewer();
    db.$client.prepare("DELETE FROM role_grants WHERE user_id = ?").run(revoked.id);
    const data = readOk([HEADER, `${p}-x@example.org,X,,,`, `${p}-seen@example.org,Changed,,,`].join("\n"));
    for (const [who, viewer] of Object.entries({ staff, impostor, revoked })) {
      const digest = usersDigest();
      const importsBefore = staffImportCount();
      const seq = make.lastSeq();
      const isNotFound = (error: unknown) => error instanceof errors.NotFoundError;
      assert.throws(() => imports.startStaffImport(viewer, data), isNotFound, who);
      await assert.rejects(imports.importStaff(viewer, data), isNotFound, who);
      assert.throws(() => imports.getStaffImport(viewer, existingImport), isNotFound, who);
      assert.equal(imports.listStaffImports(viewer, 1).total, 0, who);
      // Applying someone else's started import with this viewer writes nothing either.
      assert.equal(await imports.applyStaffImport(viewer, existingImport, data), "failed", who);
      assert.equal(usersDigest(), digest, who);
      assert.equal(staffImportCount(), importsBefore, who);
      assert.equal(userByEmail(`${p}-x@example.org`), undefined, who);
      assert.deepEqual(make.auditSince(seq).filter((e) => e.action.startsWith("staff.")), [], who);
    }
  });

  test("the list of imports is newest first and paginated; each report is the Equality Unit's only", async () => {
    const eve = equalityUnitViewer();
    const p = prefix();
    db.$client.prepare("DELETE FROM staff_imports").run();
    const ids: string[] = [];
    for (let i = 0; i < v.IMPORT_PAGE_SIZE + 3; i += 1) {
      const { id } = await runImport(eve, [HEADER, `${p}-${i}@example.org,P${i},,,`].join("\n"));
      db.$client.prepare("UPDATE staff_imports SET created_at = ? WHERE id = ?").run(1_700_000_000_000 + i * 1000, id);
      ids.push(id);
    }
    const first = imports.listStaffImports(eve, 1);
    assert.equal(first.total, v.IMPORT_PAGE_SIZE + 3);
    assert.equal(first.pageCount, 2);
    assert.deepEqual(first.items.map((item) => item.id), [...ids].reverse().slice(0, v.IMPORT_PAGE_SIZE));
    assert.equal(first.items[0]?.actorName, "Eva Equality");
    assert.deepEqual(imports.listStaffImports(eve, 2).items.map((item) => item.id), [...ids].reverse().slice(v.IMPORT_PAGE_SIZE));
    const report = imports.getStaffImport(eve, ids[0]!);
    assert.equal(report.status, "done");
    assert.equal(report.createdRows, 1);
    assert.equal(report.fileName, "staff.csv");
    assert.throws(() => imports.getStaffImport(eve, "00000000-0000-4000-8000-000000000000"), errors.NotFoundError);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------------------------------

describe("a large file", () => {
  test("50,000 rows import in well under a minute, and again with nothing changed", async () => {
    const eve = equalityUnitViewer();
    const p = prefix();
    const n = 50_000;
    const ranks = ["Police Constable", "Police Sergeant", "Inspector", "Police Staff Grade 4", "Special Constable"];
    const lines = [HEADER];
    for (let i = 0; i < n; i += 1) {
      lines.push(`${p}-person.${i}@example.org,Person ${i},${ranks[i % ranks.length]},Department ${i % 40},Site ${i % 25}`);
    }
    const text = lines.join("\r\n");
    assert.ok(Buffer.byteLength(text) < v.MAX_FILE_BYTES);

    let started = performance.now();
    const data = readOk(text);
    const parsedMs = performance.now() - started;
    const first = await imports.importStaff(eve, data);
    const firstMs = performance.now() - started;
    assert.equal(first.status, "done");
    assert.deepEqual(counts(importRow(first.id)), { status: "done", total: n, processed: n, created: n, updated: 0, unchanged: 0, rejected: 0 });
    assert.equal(
      (db.$client.prepare("SELECT count(*) AS n FROM users WHERE email LIKE ?").get(`${p}-person.%`) as { n: number }).n,
      n,
    );

    started = performance.now();
    const again = await imports.importStaff(eve, readOk(text));
    const againMs = performance.now() - started;
    assert.deepEqual(counts(importRow(again.id)), { status: "done", total: n, processed: n, created: 0, updated: 0, unchanged: n, rejected: 0 });

    console.log(
      `staff import of ${n.toLocaleString("en-GB")} rows: read ${parsedMs.toFixed(0)} ms, first import ${(firstMs / 1000).toFixed(2)} s, ` +
        `same file again ${(againMs / 1000).toFixed(2)} s`,
    );
    assert.ok(firstMs < 30_000, `first import took ${firstMs} ms`);
    assert.ok(againMs < 30_000, `second import took ${againMs} ms`);
  });
});

describe("an import interrupted by a restart", () => {
  test("is marked as stopped, with a message saying how to finish, when the server starts again", async () => {
    const { stopInterruptedImports, INTERRUPTED_IMPORT_MESSAGE } = await import("@/lib/startup");
    const id = crypto.randomUUID();
    const done = crypto.randomUUID();
    db.$client.prepare("INSERT INTO staff_imports (id, file_name, status, total_rows, processed_rows) VALUES (?, 'staff.csv', 'running', 5000, 2000)").run(id);
    db.$client.prepare("INSERT INTO staff_imports (id, file_name, status, finished_at) VALUES (?, 'old.csv', 'done', 1)").run(done);
    const seq = make.lastSeq();

    stopInterruptedImports();

    const row = db.$client.prepare("SELECT status, error, finished_at, processed_rows FROM staff_imports WHERE id = ?").get(id) as Record<string, unknown>;
    assert.equal(row.status, "failed");
    assert.equal(row.error, INTERRUPTED_IMPORT_MESSAGE);
    assert.ok(row.finished_at);
    assert.equal(row.processed_rows, 2000);
    assert.equal(db.$client.prepare("SELECT status FROM staff_imports WHERE id = ?").pluck().get(done), "done");
    assert.deepEqual(
      make.auditSince(seq).map((e) => [e.action, e.object_id, e.outcome, e.actor_id]),
      [["staff.import_finished", id, "failure", null]],
    );
  });
  test("a database that refuses writes does not stop the server starting: nothing changes and the refusal is logged", async () => {
    const { stopInterruptedImports } = await import("@/lib/startup");
    const id = crypto.randomUUID();
    db.$client.prepare("INSERT INTO staff_imports (id, file_name, status, total_rows, processed_rows) VALUES (?, 'ro.csv', 'running', 10, 5)").run(id);
    const seq = make.lastSeq();
    const logged: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    // query_only makes every write fail as a read-only file does (SQLITE_READONLY).
    db.$client.pragma("query_only = ON");
    process.stderr.write = ((chunk: string) => (logged.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      assert.doesNotThrow(() => stopInterruptedImports());
    } finally {
      process.stderr.write = write;
      db.$client.pragma("query_only = OFF");
    }
    assert.equal(db.$client.prepare("SELECT status FROM staff_imports WHERE id = ?").pluck().get(id), "running");
    assert.deepEqual(make.auditSince(seq), []);
    assert.ok(logged.some((line) => line.includes('"event":"startup.database_refuses_writes"') && line.includes("SQLITE_READONLY")), logged.join(""));
    db.$client.prepare("DELETE FROM staff_imports WHERE id = ?").run(id);
  });
});
