import type { Page } from "@playwright/test";

import { captureAction, replayAction } from "./actions";
import { completeSignIn, expect, PEOPLE, signedIn, test } from "./fixtures";
import { auditEventsAfter, expectNoAxeViolations, lastAuditSeq, waitForHydration, withDb } from "./helpers";

// The Equality Unit's staff records import (/admin/staff/import). Every person it creates has an address
// import-e2e-<marker>-…@example.org, made for the journey and removed afterwards, so runs and workers never collide.
// Imogen Porter is reserved for this spec: no other journey signs her in. She is imported before her first sign-in
// and her record is removed again at the end, so every run sees her arrive for the first time.

const HEADER = "email,name,rank or grade,department,site";
const IMOGEN = "imogen.porter@example.org";

const newMarker = () => crypto.randomUUID().slice(0, 8);
const csvFile = (name: string, lines: string[]) => ({ name, mimeType: "text/csv", buffer: Buffer.from(`${lines.join("\r\n")}\r\n`) });

type StaffRow = { id: string; email: string; name: string | null; job_title: string | null; department: string | null; site: string | null };
const staffWithMarker = (marker: string): StaffRow[] =>
  withDb(
    (db) =>
      db
        .prepare("SELECT id, email, name, job_title, department, site FROM users WHERE email LIKE ? ORDER BY email")
        .all(`import-e2e-${marker}-%`) as StaffRow[],
  );
const userByEmail = (email: string): (StaffRow & { deactivated_at: number | null }) | undefined =>
  withDb(
    (db) =>
      db
        .prepare("SELECT id, email, name, job_title, department, site, deactivated_at FROM users WHERE lower(email) = lower(?)")
        .get(email) as (StaffRow & { deactivated_at: number | null }) | undefined,
  );
const importsNamed = (fileName: string): { id: string; status: string }[] =>
  withDb((db) => db.prepare("SELECT id, status FROM staff_imports WHERE file_name = ? ORDER BY created_at").all(fileName) as { id: string; status: string }[]);
const userCount = (): number => withDb((db) => db.prepare("SELECT count(*) FROM users").pluck().get() as number);

function cleanUp(marker: string): void {
  withDb((db) => {
    db.prepare("DELETE FROM users WHERE email LIKE ?").run(`import-e2e-${marker}-%`);
    db.prepare("DELETE FROM staff_imports WHERE file_name LIKE ?").run(`%${marker}%`);
  });
}

const reportValue = (page: Page, key: string) =>
  page.locator(".govuk-summary-list__row").filter({ has: page.locator("dt", { hasText: new RegExp(`^${key}$`) }) }).locator("dd");

async function expectCounts(page: Page, counts: { rows: number; created: number; updated: number; unchanged: number; rejected: number }) {
  await expect(reportValue(page, "Rows in the file")).toHaveText(counts.rows.toLocaleString("en-GB"));
  await expect(reportValue(page, "Rows checked")).toHaveText(counts.rows.toLocaleString("en-GB"));
  await expect(reportValue(page, "New records created")).toHaveText(counts.created.toLocaleString("en-GB"));
  await expect(reportValue(page, "Records updated")).toHaveText(counts.updated.toLocaleString("en-GB"));
  await expect(reportValue(page, "Records already up to date")).toHaveText(counts.unchanged.toLocaleString("en-GB"));
  await expect(reportValue(page, "Rows rejected")).toHaveText(counts.rejected.toLocaleString("en-GB"));
}

test("Eve imports a file with good, bad and duplicate rows, watches it run, reads the report, and imports it again to no change", async ({ browser }) => {
  test.setTimeout(90_000);
  const marker = newMarker();
  const fileName = `staff-${marker}.csv`;
  // The page after the upload is rendered before the rows are applied (they are applied once the response is sent),
  // so it always starts with the progress indicator; a thousand rows keep it there for a moment.
  const good = 1_000;
  const lines = [
    HEADER,
    `import-e2e-${marker}-ana@example.org,Ana Silva,Police Sergeant,Professional Standards,Ripley HQ`,
    `not-an-email,Bad Address,Police Constable,Response,Ripley HQ`,
    `import-e2e-${marker}-ben@example.org,,Police Constable,Response,Buxton`,
    `import-e2e-${marker}-ana@example.org,Ana Again,Police Sergeant,Professional Standards,Ripley HQ`,
    `"import-e2e-${marker}-cy@example.org","Cy ""CJ"" Jones, MBE",Grade 5,"Finance, Payroll",Chesterfield`,
    ...Array.from({ length: good - 2 }, (_, i) => `import-e2e-${marker}-p${i}@example.org,Import Person ${i},Police Constable,Department ${i % 7},Site ${i % 5}`),
  ];
  const file = csvFile(fileName, lines);
  const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/staff/import");
  try {
    await expect(eve).toHaveTitle("Import staff records \u2013 Staff records \u2013 admin \u2013 Confide");
    await expect(eve.getByRole("heading", { level: 1 })).toHaveText("Import staff records");
    await waitForHydration(eve);
    await expectNoAxeViolations(eve);

    // A file whose first row does not name the columns is refused on the form, and nothing is recorded.
    const badName = `bad-${marker}.csv`;
    await eve.getByLabel("Upload a CSV file").setInputFiles(csvFile(badName, ["email,name,rank,department", `import-e2e-${marker}-x@example.org,X,PC,D`]));
    await eve.getByRole("button", { name: "Import staff records" }).click();
    await expect(eve.locator(".govuk-error-summary").getByRole("link", { name: /The first row has no site column/ })).toHaveAttribute("href", "#file");
    await expect(eve.locator("#file-error")).toContainText("The first row has no site column");
    await expect(eve.locator(".govuk-error-summary")).toBeFocused();
    expect(importsNamed(badName)).toEqual([]);
    expect(staffWithMarker(marker)).toEqual([]);
    await expectNoAxeViolations(eve);

    let seq = lastAuditSeq();
    await eve.getByLabel("Upload a CSV file").setInputFiles(file);
    await eve.getByRole("button", { name: "Import staff records" }).click();
    await expect(eve).toHaveURL(/\/admin\/staff\/imports\/[0-9a-f-]{36}$/);
    const [started] = importsNamed(fileName);
    expect(started).toBeDefined();
    const importId = started!.id;

    // Progress first: the page shows the bar and its words in a live region, and then the report by itself.
    await expect(eve.getByRole("heading", { level: 1 })).toHaveText("Importing staff records");
    const progress = eve.getByRole("progressbar");
    await expect(progress).toBeVisible();
    await expect(eve.locator("[aria-live=polite]")).toContainText(/of 1,003 rows checked \(\d+%\)/);
    await expect(eve.getByRole("link", { name: "Refresh the import\u2019s progress" })).toBeVisible();
    await expectNoAxeViolations(eve);

    await expect(eve.getByRole("heading", { level: 1 })).toHaveText("Import finished", { timeout: 30_000 });
    await expect(progress).toHaveCount(0);
    await expectCounts(eve, { rows: good + 3, created: good, updated: 0, unchanged: 0, rejected: 3 });
    const rejected = eve.getByRole("table", { name: "Rejected rows" });
    await expect(rejected.getByRole("row")).toHaveText([
      /Row\s*Reason/,
      /3\s*The email address is not in the correct format, like name@example\.org/,
      /4\s*Enter the name/,
      /5\s*Duplicate of row 2: the email address is already in the file/,
    ]);
    await expectNoAxeViolations(eve);

    const afterFirst = staffWithMarker(marker);
    expect(afterFirst).toHaveLength(good);
    expect(afterFirst.find((u) => u.email === `import-e2e-${marker}-cy@example.org`)).toMatchObject({
      name: 'Cy "CJ" Jones, MBE',
      job_title: "Grade 5",
      department: "Finance, Payroll",
      site: "Chesterfield",
    });
    expect(afterFirst.find((u) => u.email === `import-e2e-${marker}-ana@example.org`)?.name).toBe("Ana Silva");
    expect(auditEventsAfter(seq).filter((e) => e.object_id === importId).map((e) => [e.action, e.object_type, e.outcome])).toEqual([
      ["staff.import_started", "staff_import", "success"],
      ["staff.import_finished", "staff_import", "success"],
    ]);
    expect(importsNamed(fileName)).toEqual([{ id: importId, status: "done" }]);

    // The same file again: nothing changes.
    await eve.getByRole("link", { name: "Import another file" }).click();
    await expect(eve.getByRole("row").filter({ hasText: fileName })).toContainText("Finished");
    await waitForHydration(eve);
    seq = lastAuditSeq();
    await eve.getByLabel("Upload a CSV file").setInputFiles(file);
    await eve.getByRole("button", { name: "Import staff records" }).click();
    await expect(eve.getByRole("heading", { level: 1 })).toHaveText("Import finished", { timeout: 30_000 });
    await expectCounts(eve, { rows: good + 3, created: 0, updated: 0, unchanged: good, rejected: 3 });
    await expect(eve.getByRole("table", { name: "Rejected rows" }).getByRole("row")).toHaveCount(4);
    expect(staffWithMarker(marker)).toEqual(afterFirst);
    const second = importsNamed(fileName);
    expect(second.map((i) => i.status)).toEqual(["done", "done"]);
    // Another spec's import may run meanwhile: its events are not this file's. Every other staff event counts.
    const ourImports = new Set(second.map((i) => i.id));
    const staffEvents = auditEventsAfter(seq).filter(
      (e) => e.action.startsWith("staff.") && (e.object_type !== "staff_import" || ourImports.has(e.object_id ?? "")),
    );
    expect(staffEvents.map((e) => [e.action, e.object_id])).toEqual([
      ["staff.import_started", second[1]!.id],
      ["staff.import_finished", second[1]!.id],
    ]);

    // Both are listed on the import page, newest first, each linking to its report.
    await eve.getByRole("link", { name: "Import another file" }).click();
    const listed = eve.getByRole("row").filter({ hasText: fileName });
    await expect(listed).toHaveCount(2);
    await expect(listed.first()).toContainText(`${(good + 3).toLocaleString("en-GB")}`);
    await listed.last().getByRole("link").click();
    await expect(eve).toHaveURL(new RegExp(`/admin/staff/imports/${importId}$`));
    await expectCounts(eve, { rows: good + 3, created: good, updated: 0, unchanged: 0, rejected: 3 });
  } finally {
    await eve.context().close();
    cleanUp(marker);
  }
});

test("without JavaScript: a bad header is refused on the form; Imogen is imported and her record is hers when she signs in", async ({ browser }) => {
  test.setTimeout(90_000);
  const marker = newMarker();
  const department = `Imported Department ${marker}`;
  // Her record comes from the import, not from her first sign-in: a leftover from an interrupted run goes first.
  withDb((db) => db.prepare("DELETE FROM users WHERE lower(email) = ?").run(IMOGEN));
  const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/staff/import", false);
  let imogen: Page | undefined;
  // No axe scans here: axe-core runs as page script, which this context does not have. The JavaScript journey scans
  // the same pages.
  try {

    // A header that does not name the columns: the whole file is refused and nothing is recorded.
    const badName = `bad-header-${marker}.csv`;
    const users = userCount();
    await eve.getByLabel("Upload a CSV file").setInputFiles(
      csvFile(badName, ["email,full name,rank,department,site", `import-e2e-${marker}-x@example.org,X,PC,D,S`]),
    );
    await eve.getByRole("button", { name: "Import staff records" }).click();
    const summary = eve.locator(".govuk-error-summary");
    await expect(summary).toContainText("There is a problem");
    await expect(summary.getByRole("link", { name: /column called \u201cfull name\u201d that is not known/ })).toHaveAttribute("href", "#file");
    await expect(eve.locator("#file-error")).toContainText("The first row must name the columns: email, name, rank or grade, department, site");
    expect(importsNamed(badName)).toEqual([]);
    expect(userCount()).toBe(users);

    // Not a CSV file at all.
    await eve.getByLabel("Upload a CSV file").setInputFiles({ name: `notes-${marker}.txt`, mimeType: "text/plain", buffer: Buffer.from("hello") });
    await eve.getByRole("button", { name: "Import staff records" }).click();
    await expect(eve.locator("#file-error")).toContainText("The selected file must be a CSV file");

    // Imogen, with her rank, department and site.
    const fileName = `imogen-${marker}.csv`;
    await eve.getByLabel("Upload a CSV file").setInputFiles(
      csvFile(fileName, [HEADER, `Imogen.Porter@Example.org,Imogen Porter,Detective Sergeant,${department},Derby Divisional HQ`]),
    );
    await eve.getByRole("button", { name: "Import staff records" }).click();
    await expect(eve).toHaveURL(/\/admin\/staff\/imports\/[0-9a-f-]{36}$/);
    // Without JavaScript the page does not update itself: the Refresh link shows the latest figures.
    await expect(async () => {
      const refresh = eve.getByRole("link", { name: "Refresh the import\u2019s progress" });
      if (await refresh.isVisible()) await refresh.click();
      await expect(eve.getByRole("heading", { level: 1 })).toHaveText("Import finished", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expectCounts(eve, { rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0 });
    await expect(eve.getByText("No rows were rejected.")).toBeVisible();

    const imported = userByEmail(IMOGEN);
    expect(imported).toMatchObject({
      email: IMOGEN,
      name: "Imogen Porter",
      job_title: "Detective Sergeant",
      department,
      site: "Derby Divisional HQ",
      deactivated_at: null,
    });

    // She signs in through the identity provider for the first time: the imported record becomes hers.
    const context = await browser.newContext();
    imogen = await context.newPage();
    await imogen.goto("/");
    await completeSignIn(imogen, IMOGEN);
    await expect(imogen).toHaveURL((url) => url.pathname === "/");
    const after = userByEmail(IMOGEN);
    expect(after?.id).toBe(imported?.id);
    expect(after).toMatchObject({ job_title: "Detective Sergeant", department, site: "Derby Divisional HQ" });
    const linked = withDb((db) => db.prepare("SELECT user_id FROM accounts WHERE user_id = ?").pluck().all(imported?.id) as string[]);
    expect(linked).toEqual([imported?.id]);
    expect(withDb((db) => db.prepare("SELECT count(*) FROM users WHERE lower(email) = ?").pluck().get(IMOGEN))).toBe(1);
  } finally {
    await imogen?.context().close();
    await eve.context().close();
    withDb((db) => {
      db.prepare("DELETE FROM users WHERE lower(email) = ?").run(IMOGEN);
      db.prepare("DELETE FROM staff_imports WHERE file_name LIKE ?").run(`%${marker}%`);
    });
  }
});

test("staff, a supporter and a coordinator get 404 for the import pages, and a replayed upload changes nothing", async ({ browser, as }) => {
  test.setTimeout(90_000);
  const marker = newMarker();
  const fileName = `replay-${marker}.csv`;
  const email = `import-e2e-${marker}-replayed@example.org`;
  const existing = crypto.randomUUID();
  withDb((db) =>
    db
      .prepare("INSERT INTO staff_imports (id, file_name, status, total_rows, processed_rows, created_rows) VALUES (?, ?, 'done', 1, 1, 1)")
      .run(existing, `existing-${marker}.csv`),
  );
  const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/staff/import");
  try {
    // A real upload from Eve's form, stopped before it reaches the app.
    await waitForHydration(eve);
    await eve.getByLabel("Upload a CSV file").setInputFiles(csvFile(fileName, [HEADER, `${email},Replayed Person,PC,Dept,Site`]));
    const upload = await captureAction(eve, "upload", () => eve.getByRole("button", { name: "Import staff records" }).click());
    expect(importsNamed(fileName)).toEqual([]);

    const seq = lastAuditSeq();
    for (const who of ["staff", "supporter", "coordinator"] as const) {
      const page = await as(who, "/");
      for (const path of ["/admin/staff/import", "/admin/staff/imports", `/admin/staff/imports/${existing}`, "/admin/staff/import?page=2"]) {
        const response = await page.goto(path);
        expect(response?.status(), `${who} ${path}`).toBe(404);
        await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
        await expect(page.locator("main")).not.toContainText(marker);
      }
      const response = await replayAction(page.request, upload);
      expect(response.status(), `${who} replaying the upload`).toBe(404);
      expect(await response.text()).not.toContain(marker);
      expect(importsNamed(fileName), `${who}: no import recorded`).toEqual([]);
      expect(userByEmail(email), `${who}: nobody created`).toBeUndefined();
    }
    // Other journeys run at the same time, so only the refused people's own events are looked at.
    const refusers = new Set([PEOPLE.staff, PEOPLE.supporter, PEOPLE.coordinator].map((person) => userByEmail(person)?.id));
    const events = auditEventsAfter(seq).filter((e) => refusers.has(e.actor_id ?? undefined));
    expect(events.filter((e) => e.action.startsWith("staff."))).toEqual([]);
    expect(events.filter((e) => e.action === "access.denied" && e.object_type === "staff_import").length).toBeGreaterThanOrEqual(15);

    // Control: the very same request from Eve goes through, so the refusals were about who sent it.
    const response = await replayAction(eve.request, upload);
    expect(response.status()).toBeLessThan(400);
    await expect.poll(() => importsNamed(fileName).map((i) => i.status), { timeout: 20_000 }).toEqual(["done"]);
    expect(userByEmail(email)).toMatchObject({ name: "Replayed Person", department: "Dept" });
  } finally {
    await eve.context().close();
    cleanUp(marker);
    withDb((db) => db.prepare("DELETE FROM staff_imports WHERE id = ?").run(existing));
  }
});
