import { randomUUID } from "node:crypto";

import type { Browser, Page, Request } from "@playwright/test";

import { addDays, addYears, today as londonToday } from "../lib/clock";
import { BASE_URL, completeSignIn, expect, PEOPLE, test as base } from "./fixtures";
import { auditEventsAfter, auditTextValues, expectNoAxeViolations, lastAuditSeq, waitForHydration, withDb } from "./helpers";

// The Equality Unit's roster at /admin/supporters, the staff picker and /api/staff. Tests run in parallel, so each
// one that changes data uses seeded people of its own, whom no other journey relies on for what is changed here:
//   Nadia Begum      – added as a supporter with the picker (JavaScript), then her profile edited
//   Chris Taylor     – added as a supporter by email address, without JavaScript
//   Leah Murphy      – named in an add request that is captured and replayed by others: never added
//   Daniel O'Connor  – lapsed with a reason, then made active again (so he is put back as he was)
//   Graham Wright    – retired; the target of a captured status change replayed by others (put back afterwards)
//   Ollie Bennett    – signs in only to use up his staff-search allowance (the rate limit is per person)
//   Helen Whitaker   – seeded with a refresher due within 60 days; only looked at (her edit form is sent with an error)

const NADIA = { email: "nadia.begum@example.org", name: "Nadia Begum" };
const CHRIS = { email: "chris.taylor@example.org", name: "Chris Taylor" };
const LEAH = { email: "leah.murphy@example.org", name: "Leah Murphy" };
const DANIEL = { email: "daniel.oconnor@example.org", name: "Daniel O'Connor" };
const GRAHAM = { email: "graham.wright@example.org", name: "Graham Wright" };
const OLLIE = { email: "ollie.bennett@example.org", name: "Ollie Bennett" };
const HELEN = { email: "helen.whitaker@example.org", name: "Helen Whitaker" };

type Options = { javaScriptEnabled?: boolean };

// Signs in any seeded person (every one of them can sign in at the dev IdP), closing their browser at the end.
const test = base.extend<{ signInAs: (email: string, path?: string, options?: Options) => Promise<Page> }>({
  signInAs: async ({ browser }, provide) => {
    const pages: Page[] = [];
    await provide(async (email, path = "/", options = {}) => {
      const page = await newSignedInPage(browser, email, path, options);
      pages.push(page);
      return page;
    });
    for (const page of pages) await page.context().close();
  },
});

// Long journeys (several people signing in, axe-core scans) take more than the default 30 s on a busy machine.
test.describe.configure({ timeout: 90_000 });

async function newSignedInPage(browser: Browser, email: string, path: string, options: Options): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  await page.goto(path);
  await completeSignIn(page, email);
  await expect(page).toHaveURL((url) => url.pathname === path);
  return page;
}

// ---------------------------------------------------------------------------------------------------------------
// The database
// ---------------------------------------------------------------------------------------------------------------

function userId(email: string): string {
  return withDb((db) => (db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").get(email) as { id: string }).id);
}

type SupporterRow = { id: string; status: string; role_title: string; site: string; trained_on: string; refresher_due: string; capacity: number };

function supporterOf(email: string): SupporterRow | undefined {
  return withDb(
    (db) =>
      db
        .prepare(
          `SELECT s.id, s.status, s.role_title, s.site, s.trained_on, s.refresher_due, s.capacity
           FROM supporters s JOIN users u ON u.id = s.user_id WHERE lower(u.email) = lower(?)`,
        )
        .get(email) as SupporterRow | undefined,
  );
}

function supporterIdOf(email: string): string {
  const row = supporterOf(email);
  if (!row) throw new Error(`no supporter row for ${email}`);
  return row.id;
}

type StatusEvent = { id: string; from_status: string | null; to_status: string; reason: string; actor_id: string | null };

function statusEventsOf(supporterId: string): StatusEvent[] {
  return withDb(
    (db) =>
      db
        .prepare("SELECT id, from_status, to_status, reason, actor_id FROM supporter_status_events WHERE supporter_id = ? ORDER BY rowid")
        .all(supporterId) as StatusEvent[],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Page helpers
// ---------------------------------------------------------------------------------------------------------------

const errorSummary = (page: Page) => page.getByRole("alert").filter({ hasText: "There is a problem" });
const successBanner = (page: Page, text: string) => page.locator(".govuk-notification-banner--success").filter({ hasText: text });
const summaryRow = (page: Page, key: string) => page.locator(".govuk-summary-list__row").filter({ has: page.getByText(key, { exact: true }) });
const historyRows = (page: Page) => page.getByRole("table", { name: "Status changes, most recent first" }).locator("tbody tr");

async function fillDate(page: Page, legend: string, iso: string): Promise<void> {
  const [year, month, day] = iso.split("-").map(Number);
  const group = page.getByRole("group", { name: legend });
  await group.getByLabel("Day", { exact: true }).fill(String(day));
  await group.getByLabel("Month", { exact: true }).fill(String(month));
  await group.getByLabel("Year", { exact: true }).fill(String(year));
}

/** The names the directory shows for a search, as a member of staff sees them. */
async function directoryNames(page: Page, search: string): Promise<string[]> {
  await page.goto(`/supporters?q=${encodeURIComponent(search)}`);
  await expect(page.getByRole("heading", { level: 1, name: "Find an equality supporter" })).toBeVisible();
  return (await page.locator('ul[aria-labelledby="result-count"] > li h2').allInnerTexts()).map((n) => n.trim());
}

const isPost = (pathname: string) => (request: Request) => request.method() === "POST" && new URL(request.url()).pathname === pathname;

type Captured = { pathname: string; headers: Record<string, string>; body: Buffer | null };

/**
 * Submits a form with JavaScript and keeps the server action request without letting it reach the server, so that
 * it can be replayed by others: a request that would change the roster if the permission check were missing.
 */
async function captureWithoutSending(page: Page, pathname: string, submit: () => Promise<void>): Promise<Captured> {
  let captured: Captured | undefined;
  await page.route(
    (url) => url.pathname === pathname,
    async (route) => {
      const request = route.request();
      if (request.method() !== "POST") return route.continue();
      captured = { pathname, headers: await request.allHeaders(), body: request.postDataBuffer() };
      await route.abort();
    },
  );
  const posted = page.waitForRequest(isPost(pathname));
  await submit();
  await posted;
  await expect.poll(() => captured !== undefined).toBe(true);
  await page.unroute((url) => url.pathname === pathname);
  if (!captured) throw new Error("no request captured");
  expect(captured.headers["next-action"], "a server action request").toBeTruthy();
  return captured;
}

// The same server action request, sent with someone else's cookies and our own Origin, so only who sends it differs.
function replay(page: Page, captured: Captured) {
  return page.request.post(captured.pathname, {
    headers: {
      "next-action": captured.headers["next-action"] ?? "",
      "content-type": captured.headers["content-type"] ?? "",
      accept: captured.headers["accept"] ?? "text/x-component",
      "next-router-state-tree": captured.headers["next-router-state-tree"] ?? "",
      origin: BASE_URL,
    },
    data: captured.body ?? undefined,
    maxRedirects: 0,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Adding supporters
// ---------------------------------------------------------------------------------------------------------------

test("Eve adds a member of staff with the picker, who appears in the roster and the directory, and edits their profile", async ({ as }) => {
  expect(supporterOf(NADIA.email), "Nadia starts as staff, not a supporter").toBeUndefined();
  const page = await as("equalityUnit", "/admin/supporters");
  await expect(page).toHaveTitle("Supporter roster – Confide");
  await page.getByRole("link", { name: "Add a supporter" }).click();
  await expect(page).toHaveURL(`${BASE_URL}/admin/supporters/new`);
  await expect(page).toHaveTitle("Add a supporter – Confide");
  await waitForHydration(page);
  await expectNoAxeViolations(page);

  // Sent empty: the error summary takes focus and links to each question.
  await page.getByRole("button", { name: "Add to the roster" }).click();
  await expect(errorSummary(page).getByRole("link", { name: "Choose at least one specialism" })).toHaveAttribute("href", "#specialisms");
  await expect(errorSummary(page).getByRole("link", { name: /^Enter their name/ })).toHaveAttribute("href", "#staff");
  await expect(page.locator(".govuk-error-summary")).toBeFocused();
  await expectNoAxeViolations(page);
  await waitForHydration(page);

  const picker = page.getByRole("combobox", { name: "Member of staff" });
  await expect(picker).toHaveAccessibleDescription(/Type at least 2 letters of their name, or their full email address/);
  await expect(picker).toHaveAttribute("aria-expanded", "false");
  const searched = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/staff");
  await picker.pressSequentially("nadi", { delay: 30 });
  expect((await searched).status()).toBe(200);
  const option = page.getByRole("option", { name: /Nadia Begum/ });
  await expect(option).toBeVisible();
  await expect(option).toContainText("Contact Management, Force HQ");
  await expect(picker).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("status").filter({ hasText: /results? (is|are) available/ })).toHaveCount(1);
  await expectNoAxeViolations(page);

  // Keyboard: down to the first match and Enter chooses it, without sending the form.
  await picker.press("ArrowDown");
  await expect(picker).toHaveAttribute("aria-activedescendant", /.+/);
  await picker.press("Enter");
  await expect(picker).toHaveValue(NADIA.name);
  await expect(picker).toHaveAttribute("aria-expanded", "false");
  await expect(page.locator('input[type="hidden"][name="staffId"]')).toHaveValue(userId(NADIA.email));
  await expect(page).toHaveURL(`${BASE_URL}/admin/supporters/new`);

  const trainedOn = addDays(londonToday(), -30);
  await page.getByLabel("Carers").check();
  await page.getByLabel("Mental health and wellbeing").check();
  await page.getByLabel("Phone call").check();
  await page.getByLabel("Introduction").fill("I answer the phones and I know how hard it is to speak up.");
  await page.getByLabel("Capacity").fill("2");
  await fillDate(page, "Training date", trainedOn);
  await page.getByRole("button", { name: "Add to the roster" }).click();

  await expect(page).toHaveURL(/\/admin\/supporters\/[0-9a-f-]{36}\?done=added$/);
  await expect(successBanner(page, "Added to the roster")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: NADIA.name })).toBeVisible();
  await expect(page).toHaveTitle("Supporter on the roster – Confide");
  const added = supporterOf(NADIA.email);
  expect(added).toEqual({
    id: expect.any(String),
    status: "active",
    role_title: "Call Handler", // from her staff record
    site: "Force HQ", // from her staff record
    trained_on: trainedOn,
    refresher_due: addYears(trainedOn, 2),
    capacity: 2,
  });
  expect(page.url()).toContain(added?.id ?? "missing");
  await expect(historyRows(page)).toHaveCount(1);
  await expect(historyRows(page).first()).toContainText("Added as active");
  await expect(historyRows(page).first()).toContainText("Added to the roster");
  await expect(historyRows(page).first()).toContainText("Eve Okafor");
  await expectNoAxeViolations(page);

  // In the roster…
  await page.goto("/admin/supporters?q=nadia");
  const row = page.getByRole("table", { name: "Supporters on the roster" }).locator("tbody tr");
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("link", { name: NADIA.name })).toHaveAttribute("href", `/admin/supporters/${added?.id}`);
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Available");

  // … and in the directory, for everyone.
  const alex = await as("staff", "/supporters");
  expect(await directoryNames(alex, "Nadia")).toContain(NADIA.name);
  expect((await alex.goto(`/supporters/${added?.id}`))?.status()).toBe(200);

  // Editing the profile: a new capacity.
  await page.goto(`/admin/supporters/${added?.id}`);
  await page.getByRole("link", { name: "Edit profile" }).click();
  await expect(page).toHaveTitle("Edit a supporter's profile – Confide");
  await expect(page.getByLabel("Role or rank")).toHaveValue("Call Handler");
  await expect(page.getByLabel("Carers")).toBeChecked();
  await page.getByLabel("Capacity").fill("4");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(successBanner(page, "Profile saved")).toBeVisible();
  await expect(summaryRow(page, "Capacity")).toContainText("4 open requests at a time");
  expect(supporterOf(NADIA.email)?.capacity).toBe(4);
});

test("without JavaScript, Eve adds a member of staff by email address, after clear errors", async ({ signInAs }) => {
  expect(supporterOf(CHRIS.email), "Chris starts as staff, not a supporter").toBeUndefined();
  const page = await signInAs(PEOPLE.equalityUnit, "/admin/supporters/new", { javaScriptEnabled: false });
  const picker = page.getByLabel("Member of staff");
  await expect(picker).toHaveAttribute("type", "text");
  await expect(picker).not.toHaveAttribute("role", "combobox");

  // Nothing filled in.
  await page.getByLabel("English").uncheck();
  await page.getByRole("button", { name: "Add to the roster" }).click();
  await expect(page).toHaveTitle("Add a supporter – Confide");
  await expect(errorSummary(page)).toBeVisible();
  for (const [text, href] of [
    ["Enter their name and choose them from the list, or enter their full email address", "#staff"],
    ["Choose at least one specialism", "#specialisms"],
    ["Choose at least one language", "#languages"],
    ["Enter training date", "#trainedOn"],
  ] as const) {
    await expect(errorSummary(page).getByRole("link", { name: text })).toHaveAttribute("href", href);
  }
  await expect(page.getByRole("group", { name: "Specialisms" })).toContainText("Error: Choose at least one specialism");
  // (axe-core needs JavaScript in the page: the error state is checked with JavaScript in the journey above.)

  // A training date in the future: the form keeps what was typed.
  await picker.fill("nobody.here@example.org");
  await page.getByLabel("Age", { exact: true }).check();
  await page.getByLabel("English").check();
  await fillDate(page, "Training date", addDays(londonToday(), 1));
  await page.getByRole("button", { name: "Add to the roster" }).click();
  await expect(errorSummary(page).getByRole("link", { name: "Training date must be today or in the past" })).toBeVisible();
  await expect(page.getByLabel("Member of staff")).toHaveValue("nobody.here@example.org");
  await expect(page.getByLabel("Age", { exact: true })).toBeChecked();

  // Someone who does not exist.
  await fillDate(page, "Training date", addDays(londonToday(), -7));
  await page.getByRole("button", { name: "Add to the roster" }).click();
  await expect(errorSummary(page).getByRole("link", { name: "No member of staff with that email address" })).toHaveAttribute("href", "#staff");
  await expect(page.getByRole("group", { name: "Training date" }).getByLabel("Year")).toHaveValue(addDays(londonToday(), -7).slice(0, 4));

  // Someone already on the roster.
  await page.getByLabel("Member of staff").fill(PEOPLE.supporter);
  await page.getByRole("button", { name: "Add to the roster" }).click();
  await expect(errorSummary(page).getByRole("link", { name: "Sam Patel is already on the roster" })).toBeVisible();

  // The right person, by email address in any letter case.
  await page.getByLabel("Member of staff").fill(CHRIS.email.toUpperCase());
  await page.getByLabel("Role or rank").fill("Police Constable, Response");
  const added = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/admin/supporters/new");
  await page.getByRole("button", { name: "Add to the roster" }).click();
  expect((await added).status(), "a plain form post from our own page is accepted").toBeLessThan(400);
  await expect(page.getByRole("heading", { level: 1, name: CHRIS.name })).toBeVisible();
  await expect(successBanner(page, "Added to the roster")).toBeVisible();
  const chris = supporterOf(CHRIS.email);
  expect(chris?.status).toBe("active");
  expect(chris?.role_title).toBe("Police Constable, Response");
  expect(chris?.site).toBe("Loughborough");
  expect(chris?.refresher_due).toBe(addYears(addDays(londonToday(), -7), 2));

  await page.goto("/admin/supporters?q=chris+taylor");
  await expect(page.getByRole("table", { name: "Supporters on the roster" }).getByRole("link", { name: CHRIS.name })).toBeVisible();
  expect(await directoryNames(page, "Chris Taylor")).toContain(CHRIS.name);
});

// ---------------------------------------------------------------------------------------------------------------
// Status changes
// ---------------------------------------------------------------------------------------------------------------

test("Eve lapses a supporter with a reason: the history shows it, they leave the directory, and return only with a new refresher date", async ({ as }) => {
  const id = supporterIdOf(DANIEL.email);
  const before = supporterOf(DANIEL.email);
  expect(before?.status).toBe("active");
  const alex = await as("staff", "/supporters");
  expect(await directoryNames(alex, "O'Connor")).toContain(DANIEL.name);

  const page = await as("equalityUnit", `/admin/supporters/${id}`);
  try {
    await page.getByRole("link", { name: "Change status" }).click();
    await expect(page).toHaveTitle("Change a supporter's status – Confide");
    await expectNoAxeViolations(page);

    // No status and no reason.
    await page.getByRole("button", { name: "Change status" }).click();
    await expect(errorSummary(page).getByRole("link", { name: "Choose their new status" })).toHaveAttribute("href", "#status");
    await expect(errorSummary(page).getByRole("link", { name: "Enter the reason for the change" })).toHaveAttribute("href", "#reason");
    await expectNoAxeViolations(page);
    expect(supporterOf(DANIEL.email)?.status).toBe("active");

    const reason = `Did not attend the refresher course (check ${randomUUID().slice(0, 8)})`;
    const seq = lastAuditSeq();
    await page.getByLabel("Lapsed").check();
    await page.getByLabel("Reason for the change").fill(reason);
    await page.getByRole("button", { name: "Change status" }).click();
    await expect(successBanner(page, "Status changed")).toBeVisible();
    await expect(summaryRow(page, "Status")).toContainText("Lapsed");
    await expect(page.getByText("Not shown in the directory.")).toBeVisible();
    await expect(historyRows(page).first()).toContainText("Active to Lapsed");
    await expect(historyRows(page).first()).toContainText(reason);
    await expect(historyRows(page).first()).toContainText("Eve Okafor");

    expect(supporterOf(DANIEL.email)?.status).toBe("lapsed");
    const event = statusEventsOf(id).at(-1);
    expect(event).toMatchObject({ from_status: "active", to_status: "lapsed", reason, actor_id: userId(PEOPLE.equalityUnit) });
    // Other journeys run at the same time, so only the events about this change are looked at.
    const audited = auditEventsAfter(seq).filter((e) => e.action === "supporter.lapsed" || e.object_id === event?.id);
    expect(audited).toEqual([
      expect.objectContaining({
        action: "supporter.lapsed",
        actor_id: userId(PEOPLE.equalityUnit),
        object_type: "supporter_status_event",
        object_id: event?.id,
        outcome: "success",
      }),
    ]);
    expect(auditTextValues().filter(({ value }) => value.includes("refresher course") || value.includes(reason))).toEqual([]);

    // Gone from the directory, and their profile address is a 404.
    expect(await directoryNames(alex, "O'Connor")).not.toContain(DANIEL.name);
    expect((await alex.goto(`/supporters/${id}`))?.status()).toBe(404);
    await page.goto("/admin/supporters?status=lapsed");
    await expect(page.getByRole("table", { name: "Supporters on the roster" }).getByRole("link", { name: DANIEL.name })).toBeVisible();
    await expectNoAxeViolations(page);

    // Back to active: a lapsed supporter needs a refresher date in the future.
    await page.goto(`/admin/supporters/${id}/status`);
    await expect(page.getByRole("group", { name: "New refresher due date" })).toContainText(
      "A lapsed supporter returns only after refresher training",
    );
    await page.getByLabel("Active").check();
    await page.getByLabel("Reason for the change").fill("Refresher done");
    await page.getByRole("button", { name: "Change status" }).click();
    await expect(errorSummary(page)).toContainText("Enter the date their next refresher training is due");
    await expectNoAxeViolations(page);
    expect(supporterOf(DANIEL.email)?.status).toBe("lapsed");

    const nextRefresher = addYears(londonToday(), 2);
    await page.getByLabel("Active").check();
    await fillDate(page, "New refresher due date", nextRefresher);
    await page.getByRole("button", { name: "Change status" }).click();
    await expect(successBanner(page, "Status changed")).toBeVisible();
    await expect(historyRows(page).first()).toContainText("Lapsed to Active");
    expect(supporterOf(DANIEL.email)).toMatchObject({ status: "active", refresher_due: nextRefresher });
    expect(await directoryNames(alex, "O'Connor")).toContain(DANIEL.name);
  } finally {
    // Put Daniel back as seeded, whatever happened above.
    withDb((db) => db.prepare("UPDATE supporters SET status = ?, refresher_due = ? WHERE id = ?").run(before?.status, before?.refresher_due, id));
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Roster health and the list
// ---------------------------------------------------------------------------------------------------------------

test("roster health lists the seeded supporter whose refresher is due soon, and cover by site and specialism", async ({ as }) => {
  const helen = supporterOf(HELEN.email);
  const day = londonToday();
  // The seed puts Helen's refresher within the 60-day reminder window of the demo's late-2026 "now".
  expect(helen && helen.refresher_due >= day && helen.refresher_due <= addDays(day, 60), "seed assumption: Helen is due soon").toBe(true);

  const page = await as("equalityUnit", "/admin/supporters");
  await page.getByRole("link", { name: /Roster health/ }).click();
  await expect(page).toHaveTitle("Roster health – Confide");
  const summary = page.getByRole("table", { name: "Summary" });
  await expect(summary.getByRole("row", { name: /Refresher due within 60 days/ })).toBeVisible();
  for (const measure of ["Refresher overdue, not yet lapsed", "Lapsed", "Paused", "At capacity"]) {
    await expect(summary.getByRole("rowheader", { name: measure, exact: true })).toBeVisible();
  }
  const dueSoon = page.getByRole("table", { name: /refresher is due within 60 days/ });
  const helenRow = dueSoon.locator("tbody tr").filter({ hasText: HELEN.name });
  await expect(helenRow).toHaveCount(1);
  await expect(helenRow.getByRole("link", { name: HELEN.name })).toHaveAttribute("href", `/admin/supporters/${helen?.id}`);
  await expect(helenRow).toContainText(/Due in \d+ days?|Due today/);

  const bySite = page.getByRole("table", { name: "Supporters by site" });
  await expect(bySite.getByRole("rowheader", { name: "Force HQ" })).toBeVisible();
  const bySpecialism = page.getByRole("table", { name: "Supporters by specialism" });
  await expect(bySpecialism.locator("tbody tr")).toHaveCount(12);
  await expect(bySpecialism.getByRole("rowheader", { name: "Menopause" })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("the roster lists every status, filters and searches in the URL, and explains an empty result", async ({ as }) => {
  const page = await as("equalityUnit", "/admin/supporters");
  const table = page.getByRole("table", { name: "Supporters on the roster" });
  await expect(page.getByText(/Showing 1 to \d+ of \d+ supporters/)).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel("Status").selectOption("retired");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]status=retired(&|$)/);
  await expect(table.getByRole("link", { name: GRAHAM.name })).toBeVisible();
  await expect(table.locator("tbody tr").filter({ hasNotText: "Retired" })).toHaveCount(0);

  await page.goto("/admin/supporters?q=whitaker");
  const helen = table.locator("tbody tr").filter({ hasText: HELEN.name });
  await expect(helen).toContainText(/Due in \d+ days?|Due today/);
  await expect(helen).toContainText("Active");

  await page.goto("/admin/supporters?q=Nobody+By+This+Name&status=paused");
  await expect(page.getByRole("heading", { name: "No supporters found" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("main").getByRole("link", { name: "Clear filters" }).first().click();
  await expect(page).toHaveURL(`${BASE_URL}/admin/supporters`);
});

test("the edit form shows its errors and saves nothing", async ({ as }) => {
  const id = supporterIdOf(HELEN.email);
  const before = supporterOf(HELEN.email);
  const page = await as("equalityUnit", `/admin/supporters/${id}/edit`);
  await waitForHydration(page);
  await expectNoAxeViolations(page);
  await page.getByLabel("Role or rank").fill("");
  await page.getByLabel("Capacity").fill("25");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(errorSummary(page).getByRole("link", { name: "Enter their role or rank" })).toHaveAttribute("href", "#roleTitle");
  await expect(errorSummary(page).getByRole("link", { name: "Capacity must be a whole number from 1 to 20" })).toHaveAttribute("href", "#capacity");
  await expect(page.getByLabel("Capacity")).toHaveValue("25");
  await expectNoAxeViolations(page);
  expect(supporterOf(HELEN.email)).toEqual(before);
});

// ---------------------------------------------------------------------------------------------------------------
// Permissions: the Equality Unit only
// ---------------------------------------------------------------------------------------------------------------

test("staff and supporters get 404 on every roster page, and replayed roster actions change nothing", async ({ as }) => {
  const graham = supporterIdOf(GRAHAM.email);
  const grahamBefore = supporterOf(GRAHAM.email);
  const grahamEvents = statusEventsOf(graham);
  expect(grahamBefore?.status).toBe("retired");
  expect(supporterOf(LEAH.email)).toBeUndefined();

  // Two real requests from Eve's own forms, stopped before they reach the server.
  const eve = await as("equalityUnit", "/admin/supporters/new");
  await waitForHydration(eve);
  await eve.getByRole("combobox", { name: "Member of staff" }).fill(LEAH.email);
  await eve.getByLabel("Age", { exact: true }).check();
  await fillDate(eve, "Training date", addDays(londonToday(), -3));
  const addRequest = await captureWithoutSending(eve, "/admin/supporters/new", () =>
    eve.getByRole("button", { name: "Add to the roster" }).click(),
  );

  await eve.goto(`/admin/supporters/${graham}/status`);
  await waitForHydration(eve);
  await eve.getByLabel("Lapsed").check();
  await eve.getByLabel("Reason for the change").fill("Replayed by someone else");
  const statusRequest = await captureWithoutSending(eve, `/admin/supporters/${graham}/status`, () =>
    eve.getByRole("button", { name: "Change status" }).click(),
  );

  const seq = lastAuditSeq();
  for (const who of ["staff", "supporter"] as const) {
    const page = await as(who, "/");
    await expect(page.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
    for (const path of [
      "/admin/supporters",
      "/admin/supporters/new",
      "/admin/supporters/health",
      `/admin/supporters/${graham}`,
      `/admin/supporters/${graham}/edit`,
      `/admin/supporters/${graham}/status`,
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), `${who} ${path}`).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
      await expect(page.locator("main")).not.toContainText(GRAHAM.name);
    }
    for (const request of [addRequest, statusRequest]) {
      const response = await replay(page, request);
      expect(response.status(), `${who} replaying ${request.pathname}`).toBe(404);
      expect(await response.text()).not.toContain(GRAHAM.name);
    }
  }
  expect(supporterOf(LEAH.email), "Leah was not added").toBeUndefined();
  expect(supporterOf(GRAHAM.email)).toEqual(grahamBefore);
  expect(statusEventsOf(graham)).toEqual(grahamEvents);
  const refusers = new Set([userId(PEOPLE.staff), userId(PEOPLE.supporter)]);
  const theirs = auditEventsAfter(seq).filter((e) => e.actor_id !== null && refusers.has(e.actor_id));
  expect(theirs.filter((e) => e.action.startsWith("supporter."))).toEqual([]);
  expect(theirs.filter((e) => e.action === "access.denied" && e.object_type === "roster").length).toBeGreaterThanOrEqual(16);

  // Control: the very same status request from Eve goes through, so the refusals above were about who sent it.
  try {
    const response = await replay(eve, statusRequest);
    expect(response.status()).toBeLessThan(400);
    expect(supporterOf(GRAHAM.email)?.status).toBe("lapsed");
  } finally {
    withDb((db) => {
      db.transaction(() => {
        db.prepare("UPDATE supporters SET status = ? WHERE id = ?").run(grahamBefore?.status, graham);
        const keep = new Set(grahamEvents.map((e) => e.id));
        for (const e of statusEventsOf(graham)) {
          if (!keep.has(e.id)) db.prepare("DELETE FROM supporter_status_events WHERE id = ?").run(e.id);
        }
      })();
    });
  }
  expect(supporterOf(GRAHAM.email)).toEqual(grahamBefore);
});

// ---------------------------------------------------------------------------------------------------------------
// /api/staff
// ---------------------------------------------------------------------------------------------------------------

test("/api/staff refuses anonymous callers with 401 and no data", async ({ request }) => {
  const response = await request.get("/api/staff?q=sam", { maxRedirects: 0 });
  expect(response.status()).toBe(401);
  expect(response.headers()["cache-control"]).toContain("no-store");
  const body = (await response.json()) as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(["error"]);
  expect(await response.text()).not.toContain("Sam Patel");
});

test("/api/staff needs 2 characters and returns at most 20 people, with name, department and site only", async ({ as }) => {
  const marker = `Quorra${randomUUID().slice(0, 6)}`;
  const created: string[] = [];
  withDb((db) => {
    const insert = db.prepare("INSERT INTO users (id, email, name, department, site, deactivated_at) VALUES (?, ?, ?, 'Api Dept', 'Api Site', ?)");
    db.transaction(() => {
      for (let i = 0; i < 25; i++) {
        const id = randomUUID();
        insert.run(id, `${marker.toLowerCase()}.${i}@example.org`, `${marker} Apitest ${String(i).padStart(2, "0")}`, null);
        created.push(id);
      }
      const gone = randomUUID();
      insert.run(gone, `${marker.toLowerCase()}.gone@example.org`, `${marker} Aaa Gone`, Date.now());
      created.push(gone);
    })();
  });
  try {
    const page = await as("staff", "/");
    for (const q of ["", "s", " s ", "%"]) {
      const response = await page.request.get(`/api/staff?q=${encodeURIComponent(q)}`);
      expect(response.status(), `q=${JSON.stringify(q)}`).toBe(400);
      expect(await response.json()).toEqual({ error: "Type at least 2 letters of their name" });
    }
    const missing = await page.request.get("/api/staff");
    expect(missing.status()).toBe(400);

    const response = await page.request.get(`/api/staff?q=${marker.toLowerCase()}`);
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toContain("no-store");
    const text = await response.text();
    expect(text).not.toContain("@");
    const { results } = JSON.parse(text) as { results: Record<string, unknown>[] };
    expect(results).toHaveLength(20);
    for (const r of results) expect(Object.keys(r).sort()).toEqual(["department", "id", "name", "site"]);
    expect(results.map((r) => r.name)).toEqual(Array.from({ length: 20 }, (_, i) => `${marker} Apitest ${String(i).padStart(2, "0")}`));
    expect(results.map((r) => r.name)).not.toContain(`${marker} Aaa Gone`);
    expect(results[0]).toEqual({ id: created[0], name: `${marker} Apitest 00`, department: "Api Dept", site: "Api Site" });

    // A supporter is found like anyone else: nothing says they are one.
    const sam = await page.request.get("/api/staff?q=sam+pat");
    expect(await sam.json()).toEqual({
      results: [{ id: userId(PEOPLE.supporter), name: "Sam Patel", department: "Criminal Justice", site: "Keyham Lane" }],
    });
    // The search term is not kept in the audit log.
    expect(auditTextValues().filter(({ value }) => value.toLowerCase().includes(marker.toLowerCase()))).toEqual([]);
  } finally {
    withDb((db) => {
      const remove = db.prepare("DELETE FROM users WHERE id = ?");
      db.transaction(() => created.forEach((id) => remove.run(id)))();
    });
  }
});

test("/api/staff is rate-limited per person: 429 with Retry-After after 30 searches a minute", async ({ signInAs }) => {
  const page = await signInAs(OLLIE.email, "/");
  const statuses: number[] = [];
  const minute = (ms: number) => Math.floor(ms / 60_000);
  const startedAt = Date.now();
  let refused: Awaited<ReturnType<typeof page.request.get>> | undefined;
  // Sent one after another until refused; 61 is enough even if a minute boundary passes mid-way.
  for (let i = 0; i < 61 && !refused; i++) {
    const response = await page.request.get("/api/staff?q=sam");
    statuses.push(response.status());
    if (response.status() === 429) refused = response;
  }
  expect(refused, "a 429 came").toBeDefined();
  const allowed = statuses.filter((s) => s === 200).length;
  expect(statuses.slice(0, allowed).every((s) => s === 200), "every search before the refusal was answered").toBe(true);
  // Windows are whole minutes of the clock this machine shares with the server.
  if (minute(startedAt) === minute(Date.now())) {
    // The usual case: everything fell in one minute, so exactly the limit was allowed.
    expect(allowed).toBe(30);
    const count = withDb((db) => db.prepare("SELECT count FROM rate_limits WHERE key = ?").pluck().get(`staff-search:${userId(OLLIE.email)}`));
    expect(count).toBe(31);
  } else {
    expect(allowed).toBeGreaterThanOrEqual(30);
    expect(allowed).toBeLessThanOrEqual(60);
  }
  expect(refused?.headers()["cache-control"]).toContain("no-store");
  const retryAfter = Number(refused?.headers()["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(await refused?.json()).toEqual({ error: "Too many searches. Wait a minute and try again" });
  // Someone else is not affected.
  const alex = await signInAs(PEOPLE.staff, "/");
  expect((await alex.request.get("/api/staff?q=sam")).status()).toBe(200);
});
