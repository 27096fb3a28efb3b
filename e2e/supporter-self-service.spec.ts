import type { Browser, Page, Request } from "@playwright/test";

import { addDays, formatDate, today as londonToday } from "../lib/clock";
import { BASE_URL, completeSignIn, expect, test as base } from "./fixtures";
import { auditEventsAfter, auditTextValues, expectNoAxeViolations, lastAuditSeq, waitForHydration, withDb } from "./helpers";

// Supporter self-service on /inbox: a supporter changes their own profile and availability; nobody else can.
// Tests run in parallel, so each test that changes data uses a supporter of its own, whom no other journey relies
// on (e2e/directory.spec.ts lists the ones it does), and puts them back afterwards:
//   Sam Patel        – edits his profile (DESIGN's demo supporter)
//   Kwame Mensah     – validation errors (nothing may change, so he is never changed)
//   Hodan Ali        – pauses, disappears from "Available now", resumes, changes capacity
//   Jordan Blake     – pauses and resumes without JavaScript
//   Rachel Green     – the real requests that Alex and a lapsed supporter replay
//   Wei Chen         – seeded as paused; only looked at
//   Barbara Lewis    – seeded as lapsed; must get 404

const SAM = "sam.supporter@example.org";
const KWAME = "kwame.mensah@example.org";
const HODAN = "hodan.ali@example.org";
const JORDAN = "jordan.blake@example.org";
const RACHEL = "rachel.green@example.org";
const WEI = "wei.chen@example.org";
const BARBARA = "barbara.lewis@example.org";
const ALEX = "alex.staff@example.org";
const PRIYA = "priya.sharma@example.org";

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

// `path` without a query string: sign-in comes back to the path only.
async function newSignedInPage(browser: Browser, email: string, path: string, options: Options): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  await page.goto(path);
  await completeSignIn(page, email);
  await expect(page).toHaveURL((url) => url.pathname === path);
  return page;
}

// ---------------------------------------------------------------------------------------------------------------
// The database: what the app wrote, and putting a supporter back as they were
// ---------------------------------------------------------------------------------------------------------------

type SupporterState = {
  email: string;
  id: string;
  status: string;
  introduction: string;
  site: string;
  working_pattern: string;
  paused_until: string | null;
  pause_reason: string | null;
  capacity: number;
  attributes: string[];
};

function supporterState(email: string): SupporterState {
  return withDb((db) => {
    const row = db
      .prepare(
        `SELECT s.id, s.status, s.introduction, s.site, s.working_pattern, s.paused_until, s.pause_reason, s.capacity
         FROM supporters s JOIN users u ON u.id = s.user_id WHERE lower(u.email) = lower(?)`,
      )
      .get(email) as Omit<SupporterState, "email" | "attributes"> | undefined;
    if (!row) throw new Error(`no supporter row for ${email}`);
    const attributes = (
      db
        .prepare("SELECT kind || ':' || value AS a FROM supporter_attributes WHERE supporter_id = ? ORDER BY rowid")
        .all(row.id) as { a: string }[]
    ).map((r) => r.a);
    return { email, ...row, attributes };
  });
}

// The directory lists attributes in the order they were written, so they are only rewritten when they changed,
// and then in their original order: other journeys read the same supporters at the same time.
function restoreSupporter(state: SupporterState): void {
  const attributesChanged = JSON.stringify(supporterState(state.email).attributes) !== JSON.stringify(state.attributes);
  withDb((db) => {
    db.transaction(() => {
      db.prepare(
        `UPDATE supporters SET status = ?, introduction = ?, site = ?, working_pattern = ?, paused_until = ?, pause_reason = ?,
           capacity = ? WHERE id = ?`,
      ).run(state.status, state.introduction, state.site, state.working_pattern, state.paused_until, state.pause_reason, state.capacity, state.id);
      if (!attributesChanged) return;
      db.prepare("DELETE FROM supporter_attributes WHERE supporter_id = ?").run(state.id);
      const insert = db.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, ?, ?)");
      for (const attribute of state.attributes) {
        const [kind, ...value] = attribute.split(":");
        insert.run(state.id, kind, value.join(":"));
      }
    })();
  });
}

function userId(email: string): string {
  return withDb((db) => (db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").get(email) as { id: string }).id);
}

type StatusEvent = { from_status: string | null; to_status: string; reason: string; actor_id: string | null };

function statusEventsOf(supporterId: string): StatusEvent[] {
  return withDb(
    (db) =>
      db
        .prepare("SELECT from_status, to_status, reason, actor_id FROM supporter_status_events WHERE supporter_id = ? ORDER BY rowid")
        .all(supporterId) as StatusEvent[],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Page helpers
// ---------------------------------------------------------------------------------------------------------------

const summaryRow = (page: Page, key: string) => page.locator(".govuk-summary-list__row").filter({ has: page.getByText(key, { exact: true }) });
const errorSummary = (page: Page) => page.getByRole("alert").filter({ hasText: "There is a problem" });
const successBanner = (page: Page, text: string) => page.locator(".govuk-notification-banner--success").filter({ hasText: text });

/** Day, month and year fields of the pause date. */
async function fillPauseDate(page: Page, day: string | number, month: string | number, year: string | number): Promise<void> {
  await page.getByLabel("Day", { exact: true }).fill(String(day));
  await page.getByLabel("Month", { exact: true }).fill(String(month));
  await page.getByLabel("Year", { exact: true }).fill(String(year));
}

function dateParts(iso: string): [number, number, number] {
  const [year, month, day] = iso.split("-").map(Number);
  return [day ?? 0, month ?? 0, year ?? 0];
}

const isPost = (pathname: string) => (request: Request) => request.method() === "POST" && new URL(request.url()).pathname === pathname;

type Captured = { pathname: string; headers: Record<string, string>; body: Buffer | null };

async function capture(request: Request): Promise<Captured> {
  const headers = await request.allHeaders();
  expect(headers["next-action"], "a server action request").toBeTruthy();
  return { pathname: new URL(request.url()).pathname, headers, body: request.postDataBuffer() };
}

// The same server action request, sent with someone else's cookies (and our own Origin, so only who sends it differs).
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
// Journeys
// ---------------------------------------------------------------------------------------------------------------

test("Sam changes his introduction, languages and contact methods and sees them on his directory profile", async ({ signInAs }) => {
  const before = supporterState(SAM);
  const priyaBefore = supporterState(PRIYA);
  const marker = `Marker ${Date.now()}: I am also happy to meet on video.`;
  try {
    const page = await signInAs(SAM, "/inbox");
    await expect(page.getByRole("heading", { level: 1, name: "Your inbox" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "Requests" })).toBeVisible();
    await expect(page.getByText("You have no requests yet.")).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "Your availability" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Inbox", exact: true })).toBeVisible();

    await page.getByRole("link", { name: "Change your profile" }).click();
    await expect(page).toHaveURL(`${BASE_URL}/inbox/profile`);
    await expect(page).toHaveTitle(/^Change your profile/);
    await waitForHydration(page);
    // Specialisms are the Equality Unit's to set: shown, not offered as fields.
    await expect(page.locator("#specialisms")).toContainText("Race and ethnicity");
    await expect(page.locator("input[value='Race and ethnicity']")).toHaveCount(0);

    await page.getByLabel("Introduction").fill(marker);
    await page.getByLabel("Punjabi", { exact: true }).check();
    await page.getByLabel("Video call", { exact: true }).check();
    // A crafted field naming another supporter: the action never reads a supporter id from the form.
    await page.locator("form").filter({ has: page.getByRole("button", { name: "Save changes" }) }).evaluate((form, id) => {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "supporterId";
      input.value = id;
      form.appendChild(input);
    }, priyaBefore.id);
    await page.getByRole("button", { name: "Save changes" }).click();

    await expect(page).toHaveURL(`${BASE_URL}/inbox?updated=profile`);
    await expect(successBanner(page, "Your profile has been updated")).toBeVisible();
    await expect(summaryRow(page, "Introduction")).toContainText(marker);

    const after = supporterState(SAM);
    expect(after.introduction).toBe(marker);
    expect(after.attributes.filter((a) => !a.startsWith("specialism:")).sort()).toEqual([
      "contact_method:in_app",
      "contact_method:in_person",
      "contact_method:phone",
      "contact_method:video",
      "language:English",
      "language:Gujarati",
      "language:Hindi",
      "language:Punjabi",
    ]);
    expect(after.attributes.filter((a) => a.startsWith("specialism:"))).toEqual(before.attributes.filter((a) => a.startsWith("specialism:")));
    expect(supporterState(PRIYA), "the other supporter named in the crafted field is untouched").toEqual(priyaBefore);

    await page.goto(`/supporters/${before.id}`);
    await expect(page.getByText(marker)).toBeVisible();
    for (const language of ["English", "Gujarati", "Hindi", "Punjabi"]) {
      await expect(summaryRow(page, "Languages")).toContainText(language);
    }
    await expect(summaryRow(page, "Contact methods")).toContainText("Video call");
  } finally {
    restoreSupporter(before);
  }
});

test("profile errors are shown in the summary and on each field, the form keeps what was typed, and nothing is saved", async ({ signInAs }) => {
  const before = supporterState(KWAME);
  const page = await signInAs(KWAME, "/inbox/profile");
  await waitForHydration(page);

  await page.getByLabel("Introduction").fill("");
  await page.getByLabel("English", { exact: true }).uncheck();
  await page.getByLabel("Video call", { exact: true }).check();
  await page.getByLabel("Site", { exact: true }).fill("Somewhere I typed");
  await page.getByRole("button", { name: "Save changes" }).click();

  const summary = errorSummary(page);
  await expect(summary).toBeVisible();
  await expect(summary.getByRole("link", { name: "Enter an introduction" })).toHaveAttribute("href", "#introduction");
  await expect(summary.getByRole("link", { name: "Select at least one language" })).toHaveAttribute("href", "#languages");
  await expect(page.locator("#introduction-error")).toContainText("Enter an introduction");
  await expect(page.getByRole("group", { name: "Languages you can support people in" })).toContainText("Select at least one language");
  // What Kwame typed, not what is stored.
  await expect(page.getByLabel("Site", { exact: true })).toHaveValue("Somewhere I typed");
  await expect(page.getByLabel("Video call", { exact: true })).toBeChecked();
  await expect(page.getByLabel("English", { exact: true })).not.toBeChecked();
  await expect(page.getByLabel("Introduction")).toHaveValue("");
  await expect(page).toHaveURL(`${BASE_URL}/inbox/profile`);
  expect(supporterState(KWAME)).toEqual(before);
  await expectNoAxeViolations(page);

  // The summary's links take keyboard users to the field.
  await summary.getByRole("link", { name: "Enter an introduction" }).click();
  await expect(page.getByLabel("Introduction")).toBeFocused();
});

test("availability errors: capacity 25, a pause date in the past and 31 February are refused and nothing is saved", async ({ signInAs }) => {
  const before = supporterState(KWAME);
  const page = await signInAs(KWAME, "/inbox/availability");
  await expect(page).toHaveTitle(/^Change your availability/);
  await waitForHydration(page);
  await expectNoAxeViolations(page);

  await page.getByLabel("How many open requests can you take at a time?").fill("25");
  await page.getByRole("button", { name: "Save capacity" }).click();
  await expect(errorSummary(page).getByRole("link", { name: "Capacity must be between 1 and 20" })).toHaveAttribute("href", "#capacity");
  await expect(page.locator("#capacity-error")).toContainText("Capacity must be between 1 and 20");
  await expect(page.getByLabel("How many open requests can you take at a time?")).toHaveValue("25");
  expect(supporterState(KWAME)).toEqual(before);
  await expectNoAxeViolations(page);

  const today = londonToday();
  const reason = `Private reason ${Date.now()}`;
  const [pastDay, pastMonth, pastYear] = dateParts(addDays(today, -1));
  await fillPauseDate(page, pastDay, pastMonth, pastYear);
  await page.getByLabel("Reason (optional)").fill(reason);
  await page.getByRole("button", { name: "Pause new requests" }).click();
  await expect(errorSummary(page).getByRole("link", { name: "The date must be in the future" })).toHaveAttribute("href", "#pausedUntilDay");
  await expect(page.getByRole("group", { name: "When will you start taking requests again?" })).toContainText("The date must be in the future");
  await expect(page.getByLabel("Reason (optional)")).toHaveValue(reason);
  await expect(page.getByLabel("Day", { exact: true })).toHaveValue(String(pastDay));
  // Only the form that was sent last reports errors.
  await expect(errorSummary(page)).not.toContainText("Capacity");
  expect(supporterState(KWAME)).toEqual(before);

  const nextYear = Number(today.slice(0, 4)) + 1;
  await fillPauseDate(page, 31, 2, nextYear);
  await page.getByRole("button", { name: "Pause new requests" }).click();
  await expect(errorSummary(page).getByRole("link", { name: "The date must be a real date" })).toBeVisible();
  await expect(page.getByLabel("Month", { exact: true })).toHaveValue("2");
  await expectNoAxeViolations(page);

  await fillPauseDate(page, 3, "", nextYear);
  await page.getByRole("button", { name: "Pause new requests" }).click();
  await expect(errorSummary(page).getByRole("link", { name: "The date must include a month" })).toHaveAttribute("href", "#pausedUntilMonth");
  await expect(page.getByLabel("Month", { exact: true })).toHaveClass(/govuk-input--error/);
  await expect(page.getByLabel("Day", { exact: true })).not.toHaveClass(/govuk-input--error/);

  expect(supporterState(KWAME)).toEqual(before);
  expect(auditTextValues().some(({ value }) => value.includes(reason))).toBe(false);
});

test("a supporter pauses until a date, leaves 'Available now' with the reason kept private, then resumes", async ({ signInAs }) => {
  const before = supporterState(HODAN);
  expect(before.status).toBe("active");
  const today = londonToday();
  const until = addDays(today, 21);
  const badge = `Not taking requests until ${formatDate(until, today)}`;
  const reason = `Private: medical appointment series ${Date.now()}`;
  const seq = lastAuditSeq();
  try {
    // Sign-in returns to the path only, never the query string.
    const page = await signInAs(HODAN, "/inbox");
    await page.goto("/supporters?q=Hodan&available=yes");
    await expect(page.getByRole("link", { name: "Hodan Ali" })).toBeVisible();

    await page.goto("/inbox");
    await page.getByRole("link", { name: "Change your availability" }).click();
    await expect(page).toHaveURL(`${BASE_URL}/inbox/availability`);
    await waitForHydration(page);
    await fillPauseDate(page, ...dateParts(until));
    await page.getByLabel("Reason (optional)").fill(reason);
    await page.getByRole("button", { name: "Pause new requests" }).click();

    await expect(page).toHaveURL(`${BASE_URL}/inbox?updated=paused`);
    await expect(successBanner(page, "You have paused new requests")).toBeVisible();
    await expect(summaryRow(page, "In the directory")).toContainText(badge);
    // Hodan herself sees her reason, marked as private.
    await expect(summaryRow(page, "Reason for pause")).toContainText(reason);
    await expectNoAxeViolations(page);

    const paused = supporterState(HODAN);
    expect(paused).toMatchObject({ status: "paused", paused_until: until, pause_reason: reason });
    const hodanUserId = userId(HODAN);
    expect(statusEventsOf(before.id).slice(-1)).toEqual([
      { from_status: "active", to_status: "paused", reason: "Paused by the supporter", actor_id: hodanUserId },
    ]);
    const hodanChanges = auditEventsAfter(seq).filter((e) => e.actor_id === hodanUserId && e.action.startsWith("supporter."));
    expect(hodanChanges.map((e) => [e.action, e.object_type, e.outcome])).toEqual([
      ["supporter.paused", "supporter_status_event", "success"],
    ]);

    // Colleagues see the badge, never the reason; "Available now" leaves her out.
    const alex = await signInAs(ALEX, "/supporters");
    for (const path of ["/supporters?q=Hodan", `/supporters/${before.id}`]) {
      await alex.goto(path);
      await expect(alex.locator("main").getByText(badge).first()).toBeVisible();
      await expect(alex.locator("body")).not.toContainText(reason);
    }
    await alex.goto("/supporters?q=Hodan&available=yes");
    await expect(alex.getByRole("link", { name: "Hodan Ali" })).toHaveCount(0);

    // The availability page now offers to resume; it has no accessibility problems in this state either.
    await page.goto("/inbox/availability");
    await waitForHydration(page);
    await expect(page.getByLabel("Reason (optional)")).toHaveValue(reason);
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Resume taking requests" }).click();
    await expect(page).toHaveURL(`${BASE_URL}/inbox?updated=resumed`);
    await expect(successBanner(page, "You are taking requests again")).toBeVisible();
    await expect(summaryRow(page, "In the directory")).toContainText("Available");
    await expect(page.locator("body")).not.toContainText(reason);

    expect(supporterState(HODAN)).toMatchObject({ status: "active", paused_until: null, pause_reason: null });
    expect(statusEventsOf(before.id).slice(-1)).toEqual([
      { from_status: "paused", to_status: "active", reason: "Resumed by the supporter", actor_id: hodanUserId },
    ]);
    await alex.goto("/supporters?q=Hodan&available=yes");
    await expect(alex.getByRole("link", { name: "Hodan Ali" })).toBeVisible();

    // Capacity: a whole number from 1 to 20.
    await page.goto("/inbox/availability");
    await waitForHydration(page);
    await page.getByLabel("How many open requests can you take at a time?").fill("7");
    await page.getByRole("button", { name: "Save capacity" }).click();
    await expect(page).toHaveURL(`${BASE_URL}/inbox?updated=capacity`);
    await expect(successBanner(page, "Your capacity has been updated")).toBeVisible();
    await expect(summaryRow(page, "Capacity")).toContainText("Up to 7 open requests at a time");
    expect(supporterState(HODAN).capacity).toBe(7);

    // No free text anywhere in the roster history or the audit log.
    const history = JSON.stringify(statusEventsOf(before.id));
    expect(history).not.toContain(reason);
    expect(auditTextValues().some(({ value }) => value.includes(reason))).toBe(false);
  } finally {
    restoreSupporter(before);
  }
});

test("the pause and resume forms work without JavaScript", async ({ signInAs }) => {
  const before = supporterState(JORDAN);
  expect(before.status).toBe("active");
  const today = londonToday();
  const until = addDays(today, 10);
  try {
    const page = await signInAs(JORDAN, "/inbox/availability", { javaScriptEnabled: false });

    // An error first: the page comes back from the server with the summary and what was typed.
    await fillPauseDate(page, 31, 2, Number(today.slice(0, 4)) + 1);
    await page.getByRole("button", { name: "Pause new requests" }).click();
    await expect(errorSummary(page).getByRole("link", { name: "The date must be a real date" })).toBeVisible();
    await expect(page.getByLabel("Day", { exact: true })).toHaveValue("31");
    expect(supporterState(JORDAN)).toEqual(before);

    await fillPauseDate(page, ...dateParts(until));
    await page.getByRole("button", { name: "Pause new requests" }).click();
    await expect(page).toHaveURL(`${BASE_URL}/inbox?updated=paused`);
    await expect(successBanner(page, "You have paused new requests")).toBeVisible();
    await expect(summaryRow(page, "In the directory")).toContainText(`Not taking requests until ${formatDate(until, today)}`);
    expect(supporterState(JORDAN)).toMatchObject({ status: "paused", paused_until: until, pause_reason: null });

    await page.goto("/inbox/availability");
    await page.getByRole("button", { name: "Resume taking requests" }).click();
    await expect(page).toHaveURL(`${BASE_URL}/inbox?updated=resumed`);
    await expect(summaryRow(page, "In the directory")).toContainText("Available");
    expect(supporterState(JORDAN)).toMatchObject({ status: "active", paused_until: null });
  } finally {
    restoreSupporter(before);
  }
});

test("/inbox pages have no accessibility violations for a paused supporter", async ({ signInAs }) => {
  const page = await signInAs(WEI, "/inbox");
  await expect(summaryRow(page, "In the directory")).toContainText("Not taking requests until");
  await expectNoAxeViolations(page);
  await page.goto("/inbox/profile");
  await expect(page.getByRole("heading", { level: 1, name: "Change your profile" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto("/inbox/availability");
  await expect(page.getByRole("button", { name: "Resume taking requests" })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("staff who are not supporters and lapsed supporters get 404 on /inbox, and replayed actions change nothing", async ({ signInAs }) => {
  const rachelBefore = supporterState(RACHEL);
  const barbaraBefore = supporterState(BARBARA);
  expect(barbaraBefore.status).toBe("lapsed");
  const captured: Captured[] = [];
  try {
    // Real requests from Rachel's own forms, to replay as others.
    const rachel = await signInAs(RACHEL, "/inbox/availability");
    await waitForHydration(rachel);
    const capacityPost = rachel.waitForRequest(isPost("/inbox/availability"));
    await rachel.getByLabel("How many open requests can you take at a time?").fill("9");
    await rachel.getByRole("button", { name: "Save capacity" }).click();
    captured.push(await capture(await capacityPost));
    await expect(rachel).toHaveURL(`${BASE_URL}/inbox?updated=capacity`);
    expect(supporterState(RACHEL).capacity).toBe(9);

    await rachel.goto("/inbox/profile");
    await waitForHydration(rachel);
    const profilePost = rachel.waitForRequest(isPost("/inbox/profile"));
    await rachel.getByLabel("Introduction").fill("Replayed introduction");
    await rachel.getByRole("button", { name: "Save changes" }).click();
    captured.push(await capture(await profilePost));
    await expect(rachel).toHaveURL(`${BASE_URL}/inbox?updated=profile`);

    restoreSupporter(rachelBefore);
    const seq = lastAuditSeq();

    for (const email of [ALEX, BARBARA]) {
      const page = await signInAs(email, "/");
      await expect(page.getByRole("link", { name: "Inbox", exact: true })).toHaveCount(0);
      for (const path of ["/inbox", "/inbox/profile", "/inbox/availability"]) {
        const response = await page.goto(path);
        expect(response?.status(), `${email} ${path}`).toBe(404);
        await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
      }
      for (const request of captured) {
        const response = await replay(page, request);
        expect(response.status(), `${email} replaying ${request.pathname}`).toBe(404);
      }
    }

    expect(supporterState(RACHEL)).toEqual(rachelBefore);
    expect(supporterState(BARBARA)).toEqual(barbaraBefore);
    const alexId = userId(ALEX);
    const barbaraId = userId(BARBARA);
    const events = auditEventsAfter(seq).filter((e) => e.actor_id === alexId || e.actor_id === barbaraId);
    expect(events.filter((e) => e.action.startsWith("supporter."))).toEqual([]);
    // Each refusal is recorded as a denied access, without content.
    expect(events.filter((e) => e.action === "access.denied" && e.object_type === "supporter").length).toBeGreaterThanOrEqual(10);
  } finally {
    restoreSupporter(rachelBefore);
  }
});
