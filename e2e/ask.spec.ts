import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { Browser, Page } from "@playwright/test";

import { BASE_URL, completeSignIn, expect, test as base } from "./fixtures";
import { auditTextValues, expectNoAxeViolations, waitForHydration, withDb } from "./helpers";

// Asking a supporter for confidential contact at /supporters/[id]/contact: the form, its refusals, the hourly
// limit and the confirmation. Tests run in parallel, so each requester is used by one test only: they are extra
// accounts at the dev IdP (e2e/accounts.json) that no other journey uses, each made at their first sign-in. The
// supporters made here are retired (unlisted) and their requests withdrawn when the test ends.
//   Bethany Hale   – asks Imran Qureshi with JavaScript (Imran is only looked at by other journeys); the request is
//                    withdrawn at the end so his capacity is as it was
//   Callum Reed    – the refusals: empty form, anonymous with a video call, an unknown email address, excluding
//                    the supporter with the picker (Imran; nothing written)
//   Dominic Shaw   – "outside my department" and a supporter who pauses while the form is open
//   Sofia Marsh    – the whole form without JavaScript
//   Tariq Aziz     – the hourly limit
//   Alex (staff), Sam (supporter) – only look at pages

const BETHANY = { email: "bethany.hale@example.org", name: "Bethany Hale" };
const CALLUM = { email: "callum.reed@example.org", name: "Callum Reed" };
const DOMINIC = { email: "dominic.shaw@example.org", name: "Dominic Shaw" };
const SOFIA = { email: "sofia.marsh@example.org", name: "Sofia Marsh" };
const TARIQ = { email: "tariq.aziz@example.org", name: "Tariq Aziz" };
const IMRAN = { email: "imran.qureshi@example.org", name: "Imran Qureshi" };
const RAVI = { email: "ravi.chauhan@example.org", name: "Ravi Chauhan" };
const TITLE = "Ask for confidential contact – Confide";

type Options = { javaScriptEnabled?: boolean };

const test = base.extend<{ signInAs: (email: string, path?: string, options?: Options) => Promise<Page> }>({
  signInAs: async ({ browser }, provide) => {
    const pages: Page[] = [];
    await provide(async (email, pathname = "/", options = {}) => {
      const page = await newSignedInPage(browser, email, pathname, options);
      pages.push(page);
      return page;
    });
    for (const page of pages) await page.context().close();
  },
});

async function newSignedInPage(browser: Browser, email: string, pathname: string, options: Options): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  await page.goto(pathname);
  await completeSignIn(page, email);
  await expect(page).toHaveURL((url) => url.pathname === pathname);
  return page;
}

// ---------------------------------------------------------------------------------------------------------------
// The database and the outbox
// ---------------------------------------------------------------------------------------------------------------

function dataDir(): string {
  const file = process.env.E2E_DATABASE_PATH;
  if (!file) throw new Error("E2E_DATABASE_PATH is not set: run the end-to-end tests with npm test");
  return path.dirname(file);
}

function userId(email: string): string {
  return withDb((db) => (db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").get(email) as { id: string }).id);
}

function supporterIdOf(email: string): string {
  return withDb(
    (db) => (db.prepare("SELECT s.id FROM supporters s JOIN users u ON u.id = s.user_id WHERE lower(u.email) = lower(?)").get(email) as { id: string }).id,
  );
}

type RequestRow = Record<string, unknown> & { id: string; status: string; created_at: number; acknowledge_by: number };

function requestsFrom(requester: string, supporterId?: string): RequestRow[] {
  return withDb(
    (db) =>
      db
        .prepare(`SELECT * FROM support_requests WHERE requester_id = ? ${supporterId ? "AND supporter_id = ?" : ""} ORDER BY created_at`)
        .all(...[userId(requester), ...(supporterId ? [supporterId] : [])]) as RequestRow[],
  );
}

// Leaves no open request behind, so no supporter's capacity and no reminder in another journey depends on this one.
function withdrawAll(requester: string): void {
  withDb((db) =>
    db
      .prepare("UPDATE support_requests SET status = 'withdrawn', ended_at = ? WHERE requester_id = ? AND status = 'new'")
      .run(Date.now(), userId(requester)),
  );
}

type MadeSupporter = { supporterId: string; userId: string; name: string };

// A supporter of this journey's own, listed in the directory until the test retires them.
function makeSupporter(options: { department: string; capacity?: number; methods?: string[] }): MadeSupporter {
  const tag = randomUUID().slice(0, 8);
  const made = { supporterId: randomUUID(), userId: randomUUID(), name: `Zz Ask ${tag}` };
  withDb((db) =>
    db.transaction(() => {
      db.prepare("INSERT INTO users (id, email, name, department, site) VALUES (?, ?, ?, ?, 'Ask Test Site')").run(
        made.userId,
        `ask.${tag}@example.org`,
        made.name,
        options.department,
      );
      db.prepare(
        `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, capacity)
         VALUES (?, ?, 'active', 'Police Constable', 'Ask Test Site', '2026-01-01', '2099-01-01', ?)`,
      ).run(made.supporterId, made.userId, options.capacity ?? 3);
      for (const method of options.methods ?? ["in_app", "phone"]) {
        db.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'contact_method', ?)").run(made.supporterId, method);
      }
    })(),
  );
  return made;
}

function retire(made: MadeSupporter): void {
  withDb((db) => {
    db.prepare("UPDATE support_requests SET status = 'withdrawn', ended_at = ? WHERE supporter_id = ? AND status = 'new'").run(Date.now(), made.supporterId);
    db.prepare("UPDATE supporters SET status = 'retired' WHERE id = ?").run(made.supporterId);
  });
}

const outboxDir = () => path.join(dataDir(), "outbox");

function outboxMail(): { file: string; raw: string }[] {
  const dir = outboxDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".eml"))
    .map((file) => ({ file, raw: fs.readFileSync(path.join(dir, file), "utf8") }));
}

/** The database file and its write-ahead log hold no plaintext: every value written is ciphertext. */
function expectNotInDatabaseFiles(marker: string): void {
  const db = process.env.E2E_DATABASE_PATH ?? "";
  for (const file of [db, `${db}-wal`]) {
    if (fs.existsSync(file)) expect(fs.readFileSync(file).includes(Buffer.from(marker)), `${path.basename(file)} holds the marker`).toBe(false);
  }
}

// The form's date: "Tuesday 1 December", with the year only when it is not this year.
function dayAndDate(ms: number): string {
  const date = new Date(ms);
  const year = (d: Date) => d.toLocaleDateString("en-CA", { timeZone: "Europe/London" }).slice(0, 4);
  return date.toLocaleDateString("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(year(date) === year(new Date()) ? {} : { year: "numeric" }),
    timeZone: "Europe/London",
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------------------------------------------

const errorSummary = (page: Page) => page.locator(".govuk-error-summary");
const field = {
  category: (page: Page, name: string) => page.getByRole("radio", { name, exact: true }),
  characteristic: (page: Page) => page.getByLabel("Which protected characteristic is it about? (optional)"),
  message: (page: Page) => page.getByRole("textbox", { name: "Your message" }),
  method: (page: Page, name: string) => page.getByRole("radio", { name, exact: true }),
  safeContact: (page: Page) => page.getByRole("textbox", { name: "When and how is it safe to contact you?" }),
  anonymous: (page: Page) => page.getByRole("checkbox", { name: /^Stay anonymous to / }),
  excluded: (page: Page) => page.getByLabel("People who must not be involved (optional)"),
  outside: (page: Page) => page.getByRole("checkbox", { name: "Prefer someone outside my department" }),
  acknowledge: (page: Page) => page.getByRole("checkbox", { name: "I have read and understand the limits of confidentiality" }),
  send: (page: Page) => page.getByRole("button", { name: "Send request" }),
};

async function expectErrors(page: Page, errors: [string, string][]): Promise<void> {
  await expect(errorSummary(page)).toBeVisible();
  const links = errorSummary(page).getByRole("link");
  await expect(links).toHaveText(errors.map(([text]) => text));
  for (const [text, href] of errors) await expect(links.filter({ hasText: text }).first()).toHaveAttribute("href", href);
}

/** Chooses a person with the staff picker's typeahead, which adds them to the list of people named. */
async function exclude(page: Page, typed: string, name: string): Promise<void> {
  const picker = page.getByRole("combobox", { name: "People who must not be involved (optional)" });
  const searched = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/staff");
  await picker.pressSequentially(typed, { delay: 30 });
  expect((await searched).status()).toBe(200);
  await page.getByRole("option", { name: new RegExp(name) }).click();
  await expect(page.locator(".govuk-summary-list__key", { hasText: name })).toBeVisible();
  await expect(picker).toHaveValue("");
  await expect(picker).toBeFocused();
}

async function fillValid(page: Page, message: string, method = "Messages in Confide"): Promise<void> {
  await field.category(page, "Something else").check();
  await field.message(page).fill(message);
  await field.method(page, method).check();
  await field.acknowledge(page).check();
}

async function sendAndExpectConfirmation(page: Page, supporterId: string): Promise<string> {
  await field.send(page).click();
  await expect(page).toHaveURL(new RegExp(`^${BASE_URL}/supporters/${supporterId}/contact/sent/[0-9a-f-]{36}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Request sent" })).toBeVisible();
  return new URL(page.url()).pathname.split("/").at(-1) ?? "";
}

// ---------------------------------------------------------------------------------------------------------------
// Journeys
// ---------------------------------------------------------------------------------------------------------------

test("Bethany asks Imran for confidential contact: confirmation, content-free notification and email, nothing readable at rest", async ({
  signInAs,
  as,
}) => {
  test.setTimeout(90_000);
  const marker = `ASK-MARKER-${randomUUID()}`;
  const imran = supporterIdOf(IMRAN.email);
  const page = await signInAs(BETHANY.email, `/supporters/${imran}`);
  const urls: string[] = [];
  page.on("request", (request) => urls.push(request.url()));
  const mailBefore = new Set(outboxMail().map((m) => m.file));

  await page.getByRole("link", { name: "Ask for confidential contact" }).click();
  await expect(page).toHaveURL(`${BASE_URL}/supporters/${imran}/contact`);
  await expect(page).toHaveTitle(TITLE);
  await expect(page.getByRole("heading", { level: 1, name: "Ask for confidential contact" })).toBeVisible();
  await expect(page.getByText(`You are asking ${IMRAN.name} for confidential support.`)).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to the supporter's profile" })).toHaveAttribute("href", `/supporters/${imran}`);
  // Only the ways Imran offers.
  await expect(page.getByRole("group", { name: "How would you like to be contacted?" }).getByRole("radio")).toHaveCount(3);
  for (const method of ["Messages in Confide", "Phone call", "In person"]) await expect(field.method(page, method)).toBeVisible();
  await expect(field.method(page, "Video call")).toHaveCount(0);
  // The limits of confidentiality in full, before the box that acknowledges them.
  await expect(page.getByRole("heading", { name: "The limits of confidentiality" })).toBeVisible();
  await expect(page.getByText(/bound by the Standards of Professional Behaviour, which include a duty to report improper conduct/)).toBeVisible();
  await expect(page.getByText(/risk of serious harm/)).toBeVisible();
  await expect(page.getByText(/safeguarding concerns/)).toBeVisible();
  await expect(page.getByText(/legal order/)).toBeVisible();
  await expect(page.getByRole("link", { name: /Read more about confidentiality/ })).toHaveAttribute("href", "/help#confidentiality");
  await waitForHydration(page);
  await expectNoAxeViolations(page);

  // Discrimination reveals the optional protected characteristic.
  await expect(field.characteristic(page)).toBeHidden();
  await field.category(page, "Discrimination").check();
  await expect(field.characteristic(page)).toBeVisible();
  await field.characteristic(page).selectOption({ label: "Race" });

  const message = `Something has been happening on my team. ${marker}`;
  await field.message(page).fill(message);
  await expect(page.locator(".govuk-character-count__status")).toHaveText(`You have ${(5000 - message.length).toLocaleString("en-GB")} characters remaining`);
  await field.method(page, "Phone call").check();
  await field.safeContact(page).fill(`Personal mobile after 6pm, not at work. ${marker}`);
  await expect(field.anonymous(page)).toHaveAccessibleDescription(/Anonymous colleague.*only talk through messages in Confide/);
  await exclude(page, "Ravi", RAVI.name);
  await field.outside(page).check();
  await field.acknowledge(page).check();
  const id = await sendAndExpectConfirmation(page, imran);

  // The confirmation: what happens next and when, and nothing of what Bethany wrote.
  const row = requestsFrom(BETHANY.email, imran).find((r) => r.id === id);
  expect(row).toBeDefined();
  await expect(page).toHaveTitle("Request sent – Confide");
  await expect(page.locator(".govuk-panel")).toContainText(`Your request has gone to ${IMRAN.name}`);
  const main = page.locator("main");
  await expect(main).toContainText(`We have told ${IMRAN.name} that there is a new request for them in Confide, without any details.`);
  await expect(main).toContainText(`${IMRAN.name} has until ${dayAndDate(row!.acknowledge_by)} to acknowledge your request.`);
  await expect(main).toContainText("You will get a notification in Confide");
  await expect(main).toContainText("You can withdraw your request and erase it at any time");
  await expect(page.getByRole("link", { name: "Read your request and reply" })).toHaveAttribute("href", `/requests/${id}`);
  await expect(main).not.toContainText(marker);
  await expect(main).not.toContainText("Race");
  await expectNoAxeViolations(page);

  // What was stored: the facts as chosen, the words only as ciphertext, Ravi excluded.
  expect(row).toMatchObject({
    status: "new",
    supporter_user_id: userId(IMRAN.email),
    category: "discrimination",
    protected_characteristic: "race",
    contact_method: "phone",
    anonymous_to_supporter: 0,
    prefer_outside_department: 1,
  });
  expect(row!.message_cipher).toBeTruthy();
  expect(row!.safe_contact_cipher).toBeTruthy();
  expect(JSON.stringify(row)).not.toContain(marker);
  const excluded = withDb((db) => db.prepare("SELECT user_id FROM request_exclusions WHERE request_id = ?").pluck().all(id));
  expect(excluded).toEqual([userId(RAVI.email)]);

  // Imran is told in the app and by an email that says nothing.
  const notifications = withDb((db) => db.prepare("SELECT kind, link FROM notifications WHERE user_id = ? AND link = ?").all(userId(IMRAN.email), `/requests/${id}`));
  expect(notifications).toEqual([{ kind: "request.update", link: `/requests/${id}` }]);
  await expect
    .poll(() => outboxMail().filter((m) => !mailBefore.has(m.file) && /^To: imran\.qureshi@example\.org$/im.test(m.raw)).length, {
      message: "Imran's email reaches the outbox at once",
    })
    .toBeGreaterThanOrEqual(1);
  for (const mail of outboxMail().filter((m) => !mailBefore.has(m.file) && /^To: imran\.qureshi@example\.org$/im.test(m.raw))) {
    expect(mail.raw).toMatch(/^Subject: New update in Confide$/m);
    expect(mail.raw).toContain("You have a new update in Confide. Sign in to read it.");
    expect(mail.raw.replace(/^To: .*$/m, "")).not.toMatch(/\b(bethany|hale|imran|qureshi|discrimination|race|phone)\b/i);
  }
  // The marker is nowhere: not in any email, the database files, the audit log or a URL.
  for (const mail of outboxMail()) expect(mail.raw, mail.file).not.toContain(marker);
  expectNotInDatabaseFiles(marker);
  expect(auditTextValues().filter(({ value }) => value.includes(marker))).toEqual([]);
  expect(urls.filter((url) => url.includes(marker) || /bethany|hale\b/i.test(url))).toEqual([]);

  // The confirmation is Bethany's alone: Imran (the supporter) and Alex get the same 404 as a request that does
  // not exist.
  const confirmation = `/supporters/${imran}/contact/sent/${id}`;
  for (const other of [await signInAs(IMRAN.email, "/"), await as("staff", "/")]) {
    const response = await other.goto(confirmation);
    expect(response?.status()).toBe(404);
    await expect(other.locator("body")).not.toContainText(marker);
    await expect(other.locator("body")).not.toContainText(BETHANY.name);
  }
  expect((await page.goto(`/supporters/${imran}/contact/sent/${randomUUID()}`))?.status()).toBe(404);
  expect((await page.goto(`/supporters/${imran}/contact/sent/not-a-request`))?.status()).toBe(404);
  withdrawAll(BETHANY.email);
});

test("refusals: an empty form, anonymous with a phone call, an unknown email address and excluding the supporter write nothing", async ({
  signInAs,
}) => {
  test.setTimeout(90_000);
  const marker = `ASK-MARKER-${randomUUID()}`;
  const imran = supporterIdOf(IMRAN.email);
  const page = await signInAs(CALLUM.email, `/supporters/${imran}/contact`);
  const before = requestsFrom(CALLUM.email, imran).length;
  await waitForHydration(page);

  await field.send(page).click();
  await expectErrors(page, [
    ["Choose what your request is about", "#category"],
    ["Enter your message", "#message"],
    ["Choose how you would like to be contacted", "#contactMethod"],
    ["Confirm that you have read the limits of confidentiality", "#acknowledgeLimits"],
  ]);
  await expect(errorSummary(page)).toBeFocused();
  await expect(page).toHaveTitle(TITLE);
  await expect(page.locator("#message-error")).toContainText("Enter your message");
  await expectNoAxeViolations(page);
  await waitForHydration(page);

  // Anonymous with a phone call, and someone who does not work here: every problem at once, all typed kept.
  await field.category(page, "Bullying or harassment").check();
  await field.message(page).fill(`Please help. ${marker}`);
  await field.method(page, "Phone call").check();
  await field.anonymous(page).check();
  await field.excluded(page).fill("nobody.here@example.org");
  await field.send(page).click();
  await expectErrors(page, [
    ["If you stay anonymous, you can only be contacted by messages in Confide", "#contactMethod"],
    ["No member of staff with the email address nobody.here@example.org", "#excluded"],
    ["Confirm that you have read the limits of confidentiality", "#acknowledgeLimits"],
  ]);
  await expect(field.category(page, "Bullying or harassment")).toBeChecked();
  await expect(field.message(page)).toHaveValue(`Please help. ${marker}`);
  await expect(field.method(page, "Phone call")).toBeChecked();
  await expect(field.anonymous(page)).toBeChecked();
  await expect(field.excluded(page)).toHaveValue("nobody.here@example.org");
  await expectNoAxeViolations(page);
  await waitForHydration(page);

  // Excluding Imran himself with the picker: the request is refused, the reason is on the list.
  await field.anonymous(page).uncheck();
  await field.method(page, "Messages in Confide").check();
  await field.excluded(page).fill("");
  await exclude(page, "Imra", IMRAN.name);
  await field.acknowledge(page).check();
  await field.send(page).click();
  await expectErrors(page, [
    [
      "This supporter cannot take your request: they may be unavailable, at capacity, in your department or someone you asked not to involve. Choose another supporter.",
      "#supporterId",
    ],
    [`${IMRAN.name} is on your list of people who must not be involved`, "#excluded"],
  ]);
  await expect(page.locator(".govuk-summary-list__key", { hasText: IMRAN.name })).toBeVisible();
  await expect(field.acknowledge(page)).toBeChecked();
  await expect(field.message(page)).toHaveValue(`Please help. ${marker}`);

  expect(requestsFrom(CALLUM.email, imran)).toHaveLength(before);
  expectNotInDatabaseFiles(marker);
});

test("'prefer someone outside my department' refuses a supporter in the requester's department, and a supporter who pauses meanwhile is refused", async ({
  signInAs,
}) => {
  const department = `Ask Test Department ${randomUUID().slice(0, 8)}`;
  const colleague = makeSupporter({ department });
  const other = makeSupporter({ department: "Ask Test Department" });
  try {
    const page = await signInAs(DOMINIC.email, "/");
    // Dominic's account was made at sign-in, without a department; he works in the colleague's.
    withDb((db) => db.prepare("UPDATE users SET department = ? WHERE id = ?").run(department, userId(DOMINIC.email)));
    await page.goto(`/supporters/${colleague.supporterId}/contact`);
    await expect(field.outside(page)).toHaveAccessibleDescription(new RegExp(`${colleague.name} works in your department`));
    await fillValid(page, "About my team");
    await field.outside(page).check();
    await field.send(page).click();
    await expectErrors(page, [
      [
        "This supporter cannot take your request: they may be unavailable, at capacity, in your department or someone you asked not to involve. Choose another supporter.",
        "#supporterId",
      ],
      [`${colleague.name} works in your department`, "#preferOutsideDepartment"],
    ]);
    expect(requestsFrom(DOMINIC.email, colleague.supporterId)).toHaveLength(0);

    // Without the preference, the same supporter can be asked.
    await field.outside(page).uncheck();
    await sendAndExpectConfirmation(page, colleague.supporterId);
    expect(requestsFrom(DOMINIC.email, colleague.supporterId)).toHaveLength(1);

    // Another supporter pauses while the form is open: the form refuses at sending, and nothing is written.
    await page.goto(`/supporters/${other.supporterId}/contact`);
    await expect(field.send(page)).toBeVisible();
    await fillValid(page, "About my team");
    withDb((db) => db.prepare("UPDATE supporters SET status = 'paused' WHERE id = ?").run(other.supporterId));
    await field.send(page).click();
    await expectErrors(page, [
      [
        "This supporter cannot take your request: they may be unavailable, at capacity, in your department or someone you asked not to involve. Choose another supporter.",
        "#supporterId",
      ],
    ]);
    expect(requestsFrom(DOMINIC.email, other.supporterId)).toHaveLength(0);
  } finally {
    retire(colleague);
    retire(other);
  }
});

test("the whole form works without JavaScript, email addresses one a line", async ({ signInAs }) => {
  test.setTimeout(90_000);
  const marker = `ASK-MARKER-${randomUUID()}`;
  const made = makeSupporter({ department: "Ask Test Department", methods: ["in_app", "phone"] });
  try {
    const page = await signInAs(SOFIA.email, `/supporters/${made.supporterId}/contact`, { javaScriptEnabled: false });
    await expect(page).toHaveTitle(TITLE);
    await expect(page.getByText("You can enter up to 5,000 characters")).toBeVisible();

    // The follow-up question shows only for discrimination, by CSS alone.
    await expect(field.characteristic(page)).toBeHidden();
    await field.category(page, "Discrimination").check();
    await expect(field.characteristic(page)).toBeVisible();
    await field.characteristic(page).selectOption({ label: "Disability" });
    await field.category(page, "Wellbeing").check();
    await expect(field.characteristic(page)).toBeHidden();

    await field.message(page).fill(`I am struggling. ${marker}`);
    await field.method(page, "Phone call").check();
    await field.excluded(page).fill(`${RAVI.email}\nnobody.here@example.org`);
    await field.send(page).click();
    await expect(page).toHaveURL(`${BASE_URL}/supporters/${made.supporterId}/contact`);
    await expectErrors(page, [
      ["Enter how and when it is safe to contact you", "#safeContact"],
      ["No member of staff with the email address nobody.here@example.org", "#excluded"],
      ["Confirm that you have read the limits of confidentiality", "#acknowledgeLimits"],
    ]);
    // Everything typed comes back; the hidden characteristic, chosen then left, is not an error.
    await expect(field.category(page, "Wellbeing")).toBeChecked();
    await expect(field.message(page)).toHaveValue(`I am struggling. ${marker}`);
    await expect(field.method(page, "Phone call")).toBeChecked();
    await expect(field.excluded(page)).toHaveValue(`${RAVI.email}\nnobody.here@example.org`);
    expect(requestsFrom(SOFIA.email, made.supporterId)).toHaveLength(0);

    await field.safeContact(page).fill(`Personal mobile after 6pm. ${marker}`);
    await field.excluded(page).fill(RAVI.email.toUpperCase());
    await field.acknowledge(page).check();
    const id = await sendAndExpectConfirmation(page, made.supporterId);
    const [row] = requestsFrom(SOFIA.email, made.supporterId);
    expect(row).toMatchObject({ id, category: "wellbeing", protected_characteristic: null, contact_method: "phone" });
    expect(JSON.stringify(row)).not.toContain(marker);
    expect(withDb((db) => db.prepare("SELECT user_id FROM request_exclusions WHERE request_id = ?").pluck().all(id))).toEqual([userId(RAVI.email)]);
    await expect(page.getByRole("link", { name: "Read your request and reply" })).toHaveAttribute("href", `/requests/${id}`);
    expectNotInDatabaseFiles(marker);
  } finally {
    retire(made);
  }
});

test("the sixth request within an hour is refused with the limit's message", async ({ signInAs }) => {
  test.setTimeout(90_000);
  const made = makeSupporter({ department: "Ask Test Department", capacity: 10 });
  try {
    const page = await signInAs(TARIQ.email, `/supporters/${made.supporterId}/contact`, { javaScriptEnabled: false });
    const already = requestsFrom(TARIQ.email).filter((r) => r.created_at > Date.now() - 3_600_000).length;
    for (let i = already; i < 5; i += 1) {
      await page.goto(`/supporters/${made.supporterId}/contact`);
      await fillValid(page, `Request ${i + 1}`);
      await sendAndExpectConfirmation(page, made.supporterId);
    }
    await page.goto(`/supporters/${made.supporterId}/contact`);
    await fillValid(page, "Request 6");
    await field.send(page).click();
    await expectErrors(page, [
      ["You have sent 5 requests in the last hour. Wait a while before sending another, or contact the Equality Unit.", "#send-request"],
    ]);
    await expect(field.message(page)).toHaveValue("Request 6");
    expect(requestsFrom(TARIQ.email).filter((r) => r.created_at > Date.now() - 3_600_000)).toHaveLength(5);
  } finally {
    retire(made);
  }
});

test.describe("supporters who cannot be asked", () => {
  test("a paused supporter's page says why, offers no form and points to someone available", async ({ as }) => {
    const page = await as("staff", `/supporters/${supporterIdOf("wei.chen@example.org")}/contact`);
    await expect(page).toHaveTitle(TITLE);
    await expect(page.locator("main .govuk-tag")).toHaveText("Not taking requests until 1 March 2027");
    await expect(page.getByText("Wei Chen cannot take a new request at the moment.")).toBeVisible();
    await expect(page.getByText("They are not taking new requests until 1 March 2027.")).toBeVisible();
    await expect(page.locator("form textarea, form input[type=radio]")).toHaveCount(0);
    await expect(field.send(page)).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Choose a supporter who is available now" })).toHaveAttribute("href", "/supporters?available=yes");
    await expectNoAxeViolations(page);
  });

  test("a supporter at capacity, and your own page, offer no form", async ({ as }) => {
    const full = makeSupporter({ department: "Ask Test Department", capacity: 0 });
    try {
      const page = await as("staff", `/supporters/${full.supporterId}/contact`);
      await expect(page.locator("main .govuk-tag")).toHaveText("At capacity");
      await expect(page.getByText(`${full.name} cannot take a new request at the moment.`)).toBeVisible();
      await expect(page.getByText("They are already supporting as many colleagues as they can.")).toBeVisible();
      await expect(field.send(page)).toHaveCount(0);
      await expect(page.getByRole("link", { name: "Choose a supporter who is available now" })).toBeVisible();
    } finally {
      retire(full);
    }
    const sam = await as("supporter", `/supporters/${supporterIdOf("sam.supporter@example.org")}/contact`);
    await expect(sam.getByText("This is your own profile, so you cannot ask yourself for contact.")).toBeVisible();
    await expect(sam.getByRole("link", { name: "Find another supporter" })).toHaveAttribute("href", "/supporters");
    await expect(field.send(sam)).toHaveCount(0);
  });
});
