import fs from "node:fs";

import type { Locator, Page } from "@playwright/test";

import { expect, PEOPLE, signedIn, test } from "./fixtures";
import { auditEventsAfter, expectNoAxeViolations, lastAuditSeq, waitForHydration, withDb } from "./helpers";

// Reports with small-number suppression (/admin/reports) and a coordinator's network report
// (/networks/[slug]/manage/report).
//
// The database is shared with journeys that send requests as they run, so the current figures are only checked for
// their properties (nothing from 1 to 4, totals that agree). Exact figures are checked for a range of this file's
// own: 14 requests in March and April 2021, long closed and their content erased, assigned to Ioana Popescu (they
// are not open, so they take none of her capacity). They are removed afterwards.

const NETWORK = "lgbt-plus-network";
const OTHER_NETWORK = "womens-network";
const RANGE = { from: ["1", "3", "2021"], to: ["30", "4", "2021"] } as const;
const RANGE_QS = "from-day=1&from-month=3&from-year=2021&to-day=30&to-month=4&to-year=2021";
const SECTIONS = [
  "Requests by month",
  "Requests by topic",
  "Requests by outcome",
  "Response times",
  "Requests by site",
  "Supporter coverage by site",
  "Supporter coverage by specialism",
  "Roster health",
  "Network sizes",
];
const SMALL = /^[1-4]$/;

const ours: string[] = [];

function addOurRequests(): void {
  withDb((db) => {
    const ioana = db
      .prepare("SELECT s.id, s.user_id FROM supporters s JOIN users u ON u.id = s.user_id WHERE u.email = 'ioana.popescu@example.org'")
      .get() as { id: string; user_id: string };
    const insert = db.prepare(
      `INSERT INTO support_requests (id, requester_id, supporter_id, supporter_user_id, status, category, contact_method,
         outcome, limits_acknowledged_at, acknowledge_by, ended_at, erased_at, created_at)
       VALUES (?, NULL, ?, ?, ?, ?, 'in_app', ?, ?, ?, ?, ?, ?)`,
    );
    const add = (createdAt: string, status: string, category: string, outcome: string | null, endedAfterDays: number) => {
      const id = crypto.randomUUID();
      const at = Date.parse(createdAt);
      const ended = at + endedAfterDays * 86_400_000;
      insert.run(id, ioana.id, ioana.user_id, status, category, outcome, at, at + 2 * 86_400_000, ended, ended + 90 * 86_400_000, at);
      ours.push(id);
    };
    // March 2021: 7 about bullying, all resolved, closed after 1 to 7 days.
    for (let i = 1; i <= 7; i += 1) add(`2021-03-0${i}T10:00:00Z`, "closed", "bullying_harassment", "resolved", i);
    // April 2021: 2 about discrimination, withdrawn; 5 about wellbeing, declined. The first is 00:30 on 1 April in
    // London (British Summer Time began on 28 March), though still 31 March in UTC.
    add("2021-04-05T10:00:00Z", "withdrawn", "discrimination", null, 1);
    add("2021-04-06T10:00:00Z", "withdrawn", "discrimination", null, 1);
    add("2021-03-31T23:30:00Z", "declined", "wellbeing", null, 1);
    for (let i = 1; i <= 4; i += 1) add(`2021-04-1${i}T10:00:00Z`, "declined", "wellbeing", null, 1);
    // 1 May in London, so outside the range.
    add("2021-04-30T23:00:00Z", "declined", "other", null, 1);
  });
}

function removeOurRequests(): void {
  withDb((db) => {
    const remove = db.prepare("DELETE FROM support_requests WHERE id = ?");
    for (const id of ours.splice(0)) remove.run(id);
  });
}

const section = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

/** The rows of every table in a section, as text. */
async function tableRows(scope: Locator): Promise<string[][]> {
  return scope.locator("table tbody tr").evaluateAll((rows) =>
    rows.map((row) => Array.from(row.querySelectorAll("th, td")).map((cell) => (cell.textContent ?? "").trim())),
  );
}

async function setRange(page: Page, range: { from: readonly string[]; to: readonly string[] }): Promise<void> {
  for (const [legend, parts] of [["From", range.from], ["To", range.to]] as const) {
    const group = page.getByRole("group", { name: legend });
    await group.getByLabel("Day").fill(parts[0] ?? "");
    await group.getByLabel("Month").fill(parts[1] ?? "");
    await group.getByLabel("Year").fill(parts[2] ?? "");
  }
  await page.getByRole("button", { name: "Show figures for these dates" }).click();
  // A plain GET form: wait for the page of these dates to load, not the one it was sent from.
  const sent = { "from-day": range.from[0], "from-month": range.from[1], "from-year": range.from[2], "to-day": range.to[0], "to-month": range.to[1], "to-year": range.to[2] };
  await page.waitForURL((url) => Object.entries(sent).every(([name, value]) => url.searchParams.get(name) === (value ?? "")));
}

/** Nothing from 1 to 4 anywhere a figure is published: table cells and chart labels. */
async function expectNoSmallFigures(page: Page): Promise<void> {
  const cells = await page.locator("td.govuk-table__cell--numeric, .app-figure-rows td").allTextContents();
  expect(cells.length).toBeGreaterThan(0);
  expect(cells.map((c) => c.trim()).filter((c) => SMALL.test(c))).toEqual([]);
  const labels = await page.locator("svg[role=img] text").allTextContents();
  expect(labels.map((l) => l.replace(/^.*: /, "").trim()).filter((l) => SMALL.test(l))).toEqual([]);
}

function parseCsv(text: string): string[][] {
  return text.trim().split("\r\n").map((line) => line.split(","));
}

// Serial, so the requests are added once and removed once, in one worker, around both journeys that read them.
test.describe("with requests of our own in 2021", () => {
  test.describe.configure({ mode: "serial" });
  test.beforeAll(addOurRequests);
  test.afterAll(removeOurRequests);

  test("Eve reads every report, with suppressed figures, for a range she chooses, and downloads one as CSV", async ({ browser }) => {
    test.setTimeout(60_000);
    const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/reports");
    await expect(eve).toHaveTitle("Reports \u2013 Confide");
    // The last 12 months by default.
    await expect(eve.getByRole("group", { name: "From" }).getByLabel("Day")).toHaveValue("1");
    for (const name of SECTIONS) {
      const s = section(eve, name);
      await expect(s.getByRole("img")).toHaveCount(1);
      await expect(s.getByRole("table").first()).toBeVisible();
      await expect(s.getByRole("link", { name: /as CSV$/ })).toBeVisible();
    }
    await expectNoSmallFigures(eve);
    // The four breakdowns of requests share one total, published the same way in each.
    const totals = await Promise.all(
      ["Requests by month", "Requests by topic", "Requests by outcome", "Requests by site"].map(async (name) => (await tableRows(section(eve, name))).at(-1)),
    );
    expect(totals.map((row) => row?.[0])).toEqual(["Total", "Total", "Total", "Total"]);
    expect(new Set(totals.map((row) => row?.[1])).size).toBe(1);
    // Seeded facts: every specialism is listed, and the networks are counted without names.
    expect(await tableRows(section(eve, "Supporter coverage by specialism"))).toHaveLength(12);
    await expect(section(eve, "Network sizes").getByRole("table")).toContainText("LGBT+ Network");
    await expect(section(eve, "Network sizes")).not.toContainText("Leah Murphy");
    await waitForHydration(eve);
    await expectNoAxeViolations(eve);

    // A range of our own, whose figures are known.
    await setRange(eve, RANGE);
    await expect(eve).toHaveURL((url) => url.searchParams.get("from-year") === "2021" && url.searchParams.get("to-month") === "4");
    expect(await tableRows(section(eve, "Requests by month"))).toEqual([["March 2021", "7"], ["April 2021", "7"], ["Total", "14"]]);
    const topics = await tableRows(section(eve, "Requests by topic"));
    expect(topics).toEqual([
      ["Bullying or harassment", "7"],
      ["Discrimination", "fewer than 5"],
      ["Unfair treatment", "0"],
      // Hidden too, or 14 − 7 would give the discrimination figure away.
      ["Wellbeing", "not shown"],
      ["Something else", "0"],
      ["Total", "14"],
    ]);
    await expect(section(eve, "Requests by topic")).toContainText("\u201cNot shown\u201d means the figure is hidden");
    const outcomes = Object.fromEntries(await tableRows(section(eve, "Requests by outcome")));
    expect(outcomes).toMatchObject({
      "Closed: resolved informally": "7",
      "Withdrawn by the requester": "fewer than 5",
      "Declined by the supporter": "not shown",
      "Still open": "0",
      Total: "14",
    });
    expect(Object.fromEntries(await tableRows(section(eve, "Requests by site")))).toMatchObject({ Hinckley: "14", Total: "14" });
    expect(await tableRows(section(eve, "Response times"))).toEqual([
      ["Time to acknowledge", "fewer than 5 requests", "fewer than 5 requests"],
      ["Time to close", "4 days", "7 days"],
    ]);
    // The chart draws no bar for a hidden figure: it says so in words instead.
    const topicChart = section(eve, "Requests by topic").getByRole("img");
    await expect(topicChart).toHaveAccessibleName(/Requests by topic/);
    await expect(topicChart.locator("path")).toHaveCount(1);
    expect((await topicChart.locator("path").getAttribute("d"))?.match(/M/g)).toHaveLength(1);
    await expect(topicChart).toContainText("fewer than 5");
    await expect(topicChart).toContainText("not shown");
    await expectNoSmallFigures(eve);
    await waitForHydration(eve);
    await expectNoAxeViolations(eve);

    // The CSV download: the same figures as the table, audited by report name.
    const seq = lastAuditSeq();
    const downloading = eve.waitForEvent("download");
    await section(eve, "Requests by topic").getByRole("link", { name: "Download requests by topic as CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("requests-by-topic.csv");
    const rows = parseCsv(fs.readFileSync(await download.path(), "utf8"));
    expect(rows[0]).toEqual(["Topic", "Requests"]);
    expect(rows.slice(1)).toEqual(topics);
    expect(rows.flat().filter((cell) => SMALL.test(cell))).toEqual([]);
    const eveId = withDb((db) => db.prepare("SELECT id FROM users WHERE email = ?").pluck().get(PEOPLE.equalityUnit));
    expect(auditEventsAfter(seq).map((e) => [e.actor_id, e.action, e.object_type, e.object_id, e.outcome])).toContainEqual([
      eveId,
      "report.exported",
      "report",
      "requests-by-topic",
      "success",
    ]);
    // Every report's CSV: never cached, never a figure from 1 to 4.
    for (const name of ["requests-by-month", "requests-by-outcome", "response-times", "requests-by-site", "coverage-by-site", "coverage-by-specialism", "roster-health", "network-sizes"]) {
      const response = await eve.request.get(`/admin/reports/${name}?${RANGE_QS}`);
      expect(response.status()).toBe(200);
      expect(response.headers()["cache-control"]).toBe("no-store");
      expect(response.headers()["content-disposition"]).toBe(`attachment; filename="${name}.csv"`);
      expect(parseCsv(await response.text()).flat().filter((cell) => SMALL.test(cell)), name).toEqual([]);
    }
    expect((await eve.request.get(`/admin/reports/no-such-report?${RANGE_QS}`)).status()).toBe(404);

    // A range the wrong way round.
    await setRange(eve, { from: ["1", "5", "2021"], to: ["1", "3", "2021"] });
    await expect(eve.getByRole("alert").filter({ hasText: "There is a problem" })).toContainText("From date must be the same as or before the To date");
    await expect(section(eve, "Requests by month")).toHaveCount(0);
    await waitForHydration(eve);
    await expectNoAxeViolations(eve);
    await eve.context().close();
  });

  test("the date range works without JavaScript, errors included", async ({ browser }) => {
    const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/reports", false);
    await setRange(eve, RANGE);
    expect(await tableRows(section(eve, "Requests by month"))).toEqual([["March 2021", "7"], ["April 2021", "7"], ["Total", "14"]]);
    await setRange(eve, { from: ["31", "2", "2021"], to: ["1", "3", "2021"] });
    await expect(eve.locator(".govuk-error-summary")).toContainText("From date must be a real date");
    await expect(eve.locator("#from-error")).toContainText("From date must be a real date");
    await setRange(eve, { from: ["1", "1", "2015"], to: ["1", "3", "2021"] });
    await expect(eve.locator(".govuk-error-summary")).toContainText("The range must be 5 years or shorter");
    await eve.context().close();
  });
});

test("Casey reads her network's report and downloads it, but not another network's", async ({ browser }) => {
  const casey = await signedIn(browser, PEOPLE.coordinator, `/networks/${NETWORK}/manage`);
  await casey.getByRole("link", { name: "Membership report" }).click();
  await expect(casey).toHaveURL((url) => url.pathname === `/networks/${NETWORK}/manage/report`);
  await expect(casey).toHaveTitle("Network report \u2013 Confide");
  await expect(casey.getByRole("heading", { level: 1 })).toContainText("LGBT+ Network");
  for (const name of ["Joins by month", "Membership"]) {
    await expect(section(casey, name).getByRole("img")).toHaveCount(1);
    await expect(section(casey, name).getByRole("table").first()).toBeVisible();
  }
  await expectNoSmallFigures(casey);
  // Counts only: no one's name.
  await expect(casey.locator("main")).not.toContainText("Leah Murphy");
  const membership = Object.fromEntries(await tableRows(section(casey, "Membership")));
  expect(Object.keys(membership)).toEqual(["Visible to other members", "Silent (known only to coordinators)", "Active members", "Waiting for a decision"]);
  await waitForHydration(casey);
  await expectNoAxeViolations(casey);

  const seq = lastAuditSeq();
  const downloading = casey.waitForEvent("download");
  await section(casey, "Membership").getByRole("link", { name: "Download membership as CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("network-membership.csv");
  const rows = parseCsv(fs.readFileSync(await download.path(), "utf8"));
  expect(rows.flat().filter((cell) => SMALL.test(cell))).toEqual([]);
  expect(rows.map((row) => row[0])).toEqual(["Members", "Visible to other members", "Silent (known only to coordinators)", "Total", "Waiting for a decision"]);
  expect(auditEventsAfter(seq).map((e) => [e.action, e.object_type])).toContainEqual(["report.exported", "network_report"]);

  // Another network's report and its download are not found.
  expect((await casey.goto(`/networks/${OTHER_NETWORK}/manage/report`))?.status()).toBe(404);
  expect((await casey.request.get(`/networks/${OTHER_NETWORK}/manage/report/membership`)).status()).toBe(404);
  await casey.context().close();
});

test("staff, a supporter and a coordinator get 404 for the reports and their downloads; Eve for a network's report", async ({ as }) => {
  const seq = lastAuditSeq();
  for (const who of ["staff", "supporter", "coordinator"] as const) {
    const page = await as(who);
    expect((await page.goto("/admin/reports"))?.status(), who).toBe(404);
    expect((await page.goto(`/admin/reports?${RANGE_QS}`))?.status(), who).toBe(404);
    for (const name of ["requests-by-month", "network-sizes"]) {
      const response = await page.request.get(`/admin/reports/${name}?${RANGE_QS}`);
      expect(response.status(), `${who} ${name}`).toBe(404);
      expect(await response.text()).not.toContain("Total");
    }
  }
  const eve = await as("equalityUnit");
  expect((await eve.goto(`/networks/${NETWORK}/manage/report`))?.status()).toBe(404);
  expect((await eve.request.get(`/networks/${NETWORK}/manage/report/joins-by-month?${RANGE_QS}`)).status()).toBe(404);
  // None of the Equality Unit's reports was exported by the people refused, nor a network report by Eve. (Eve's own
  // reports, and Casey's report of her own network, may be downloaded by the journeys running beside this one.)
  const idOf = (email: string) => withDb((db) => db.prepare("SELECT id FROM users WHERE email = ?").pluck().get(email));
  const refused = [PEOPLE.staff, PEOPLE.supporter, PEOPLE.coordinator].map(idOf);
  const events = auditEventsAfter(seq);
  const exported = events.filter((e) => e.action === "report.exported");
  const eveId = idOf(PEOPLE.equalityUnit);
  expect(
    exported.filter((e) => (refused.includes(e.actor_id) && e.object_type === "report") || (e.actor_id === eveId && e.object_type === "network_report")),
  ).toEqual([]);
  expect(events.filter((e) => e.action === "access.denied").length).toBeGreaterThanOrEqual(13);
});
