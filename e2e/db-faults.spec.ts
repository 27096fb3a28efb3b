import { randomUUID } from "node:crypto";
import fs from "node:fs";

import type { Page } from "@playwright/test";
import Database from "better-sqlite3";

import { appProcessEnv, expect, signedIn, test } from "./fixtures";
import { waitForHydration } from "./helpers";
import { copyRunDatabase, freePort, startApp, type Server } from "./support/own-servers";

// Issue 9, item 7: what a person sees when the database refuses to save. The run's server and database are shared
// with every other journey, so this spec starts a server of its own (the same production build and configuration)
// on a copy of the run's database, on a port of this slot's range, and makes that copy refuse writes by holding
// its write lock past busy_timeout (5 s), which a running server meets when another process (a backup, the
// maintenance job) keeps the lock too long. Kit Fault, this spec's alone, signs in through the run's own identity
// provider on the run's server; the copy then holds Kit's session, and the browser sends the session cookie to the
// second server too, as cookies on localhost ignore the port. The copy's server has no mail server (the refusal
// to connect is SMTP being down, retried later), so nothing it sends reaches the run's mail capture.
//
// A read-only or full disk cannot be arranged under a running server without root (a file's mode is checked when
// it is opened, and the server opens the database at start-up; and a server started on a read-only file stops at
// start-up, as lib/startup.ts writes); tests/db-faults.test.ts shows that those refusals take the same path, as a
// ServiceUnavailableError from db/client.ts, and tests/keep-input-on-refusal.test.ts that forms turn them into
// their message.
//
// A form with a state (useActionState) gets its form back with the message in its error summary and everything
// typed still in place (db/validation/form.ts savedOrRefused), with JavaScript and without: without it, the browser
// posts the form and the page comes back drawn from the action's state. A plain button form (no state) still
// shows the error page, with a reference; without JavaScript Next.js would answer that with a bare "Internal Server
// Error" instead, before any error page of ours can run.

const KIT = "kit.fault@example.org";
// The server's address: a free port chosen when it starts, as every port of the slot's range has its spec.
let OWN_URL = "";
const MESSAGE = "Confide cannot save changes at the moment. Nothing was saved. Try again later.";

test.describe.configure({ mode: "serial", timeout: 120_000 });

/** A server of this spec's own on a copy of the run's database; its identity provider is the run's (Kit signs in there). */
async function startOwnServer(): Promise<{ server: Server; databasePath: string; dir: string }> {
  const port = await freePort();
  OWN_URL = `http://localhost:${port}`;
  const runIdp = appProcessEnv().AUTH_OIDC_ISSUER ?? "";
  // Port 1 refuses connections: the mail server is down for this server alone.
  const copy = await copyRunDatabase("db-faults", { idp: Number(new URL(runIdp).port), app: port }, { SMTP_URL: "smtp://127.0.0.1:1" });
  const server = await startApp("db-faults server", copy.env);
  return { server, databasePath: copy.databasePath, dir: copy.dir };
}

// What a refused write could have left, in any table: feedback, its rate-limit count, an audit event.
function counts(db: Database.Database): Record<string, number> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((name) => [name, db.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number]));
}

async function expectCannotSave(page: Page): Promise<void> {
  // The action waits busy_timeout (5 s) for the lock before it gives up.
  await expect(page.getByRole("heading", { level: 1, name: "Sorry, there is a problem with the service" })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText(MESSAGE)).toBeVisible();
  await expect(page.locator("p", { hasText: "give them this reference" }).locator("strong")).toHaveText(/^[0-9A-F]{8}$/);
  // No internals: not the database's words, not its codes, not what was typed.
  const text = (await page.locator("body").innerText()).toLowerCase();
  for (const internal of ["sqlite", "database", "busy", "stack", "digest", "unavailable-"]) expect(text).not.toContain(internal);
}

type Fault = { kit: Page; server: Server; dir: string; holder: Database.Database; supporterId: string };
let fault: Fault;

// A supporter of the copy's own, so that nothing the run's other journeys do to their supporters (capacity,
// pauses) can turn Kit's request down.
function addSupporter(db: Database.Database): string {
  const tag = randomUUID().slice(0, 8);
  const userId = randomUUID();
  const supporterId = randomUUID();
  db.prepare("INSERT INTO users (id, email, name, department, site) VALUES (?, ?, ?, 'Fault Test Department', 'Fault Test Site')").run(
    userId,
    `fault.${tag}@example.org`,
    `Zz Fault ${tag}`,
  );
  db.prepare(
    `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, capacity)
     VALUES (?, ?, 'active', 'Police Constable', 'Fault Test Site', '2026-01-01', '2099-01-01', 3)`,
  ).run(supporterId, userId);
  db.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'contact_method', 'in_app')").run(supporterId);
  return supporterId;
}

test.beforeAll(async ({ browser }) => {
  // Signed in on the run's server, through the run's identity provider, before the copy is made.
  const kit = await signedIn(browser, KIT, "/feedback");
  const { server, databasePath, dir } = await startOwnServer();
  const holder = new Database(databasePath);
  fault = { kit, server, dir, holder, supporterId: addSupporter(holder) };
});

test.afterAll(async () => {
  if (!fault) return;
  if (fault.holder.inTransaction) fault.holder.exec("ROLLBACK");
  fault.holder.close();
  // The browser first, so that no connection of Kit's holds the server open.
  await fault.kit.context().close();
  await fault.server.stop();
  fs.rmSync(fault.dir, { recursive: true, force: true });
});

// What the copy's server logged about failures since `from` (a length of its output): the event and the code.
function failuresLogged(from: number): { event: unknown; code?: unknown; error?: unknown }[] {
  return fault.server
    .output()
    .slice(from)
    .split("\n")
    .slice(0, -1) // a line still being written
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.event === "action.save_refused" || line.event === "request.error")
    .map(({ event, code, error }) => (event === "request.error" ? { event, error } : { event, code }));
}

// Another process holds the write lock for longer than the server will wait, while `send` submits a form with
// `typed` in it (null: a button). The server logs the refusal once, as `logged`, and never what was typed.
async function refusedWhile(typed: string | null, logged: "action.save_refused" | "request.error", send: () => Promise<void>, see: () => Promise<void>) {
  const before = counts(fault.holder);
  const from = fault.server.output().length;
  fault.holder.exec("BEGIN IMMEDIATE");
  try {
    await send();
    await see();
  } finally {
    fault.holder.exec("ROLLBACK");
  }
  // Nothing was saved, in any table: not the row, its audit event, a notification, a mail, a rate-limit count.
  expect(counts(fault.holder)).toEqual(before);
  const once = logged === "action.save_refused" ? { event: logged, code: "SQLITE_BUSY" } : { event: logged, error: "ServiceUnavailableError" };
  await expect.poll(() => failuresLogged(from)).toEqual([once]);
  if (typed !== null) expect(fault.server.output()).not.toContain(typed);
}

// The form's error summary says that nothing was saved, linking to `href`, and nothing of the database's own.
async function expectMessageOnForm(page: Page, href: string): Promise<void> {
  // The action waits busy_timeout (5 s) for the lock before it gives up.
  const summary = page.locator(".govuk-error-summary");
  await expect(summary.getByRole("link")).toHaveText([MESSAGE], { timeout: 15_000 });
  await expect(summary.getByRole("link")).toHaveAttribute("href", href);
  const text = (await page.locator("body").innerText()).toLowerCase();
  for (const internal of ["sqlite", "busy", "stack", "digest", "unavailable-"]) expect(text).not.toContain(internal);
}

const request = {
  category: (page: Page) => page.getByRole("radio", { name: "Something else", exact: true }),
  message: (page: Page) => page.getByRole("textbox", { name: "Your message" }),
  method: (page: Page) => page.getByRole("radio", { name: "Messages in Confide", exact: true }),
  acknowledge: (page: Page) => page.getByRole("checkbox", { name: "I have read and understand the limits of confidentiality" }),
  send: (page: Page) => page.getByRole("button", { name: "Send request" }),
};

const requestsOfKit = () =>
  fault.holder.prepare("SELECT count(*) FROM support_requests r JOIN users u ON u.id = r.requester_id WHERE u.email = ?").pluck().get(KIT) as number;

// Kit's request to the copy's supporter is refused while the lock is held: the form comes back as Kit filled it in,
// and the same form, sent again once the lock is released, is saved. Returns the request's id.
async function askWhileRefused(page: Page, marker: string, javaScript: boolean): Promise<string> {
  const contact = `${OWN_URL}/supporters/${fault.supporterId}/contact`;
  await page.goto(contact);
  await expect(page).toHaveURL(contact);
  if (javaScript) await waitForHydration(page);
  const message = `It has been going on for months and I have written it all down. ${marker}`;
  const sent = requestsOfKit();
  await refusedWhile(
    message,
    "action.save_refused",
    async () => {
      await request.category(page).check();
      await request.message(page).fill(message);
      await request.method(page).check();
      await request.acknowledge(page).check();
      await request.send(page).click();
    },
    async () => {
      await expectMessageOnForm(page, "#send-request");
      await expect(page).toHaveURL(contact);
      await expect(request.category(page)).toBeChecked();
      await expect(request.message(page)).toHaveValue(message);
      await expect(request.method(page)).toBeChecked();
      await expect(request.acknowledge(page)).toBeChecked();
    },
  );
  expect(requestsOfKit()).toBe(sent);

  // Once the lock is released, sending the same form again works: the message was true.
  await request.send(page).click();
  await expect(page).toHaveURL(new RegExp(`^${OWN_URL}/supporters/${fault.supporterId}/contact/sent/[0-9a-f-]{36}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Request sent" })).toBeVisible();
  expect(requestsOfKit()).toBe(sent + 1);
  return new URL(page.url()).pathname.split("/").at(-1) ?? "";
}

let requestId: string;

test("a refused request for support keeps everything Kit wrote, and sends once the database is free", async () => {
  requestId = await askWhileRefused(fault.kit, `DB-FAULT-${randomUUID()}`, true);
});

test("without JavaScript too, the refused request comes back filled in, not as a bare server error", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await fault.kit.context().storageState() });
  try {
    await askWhileRefused(await context.newPage(), `DB-FAULT-NOJS-${randomUUID()}`, false);
  } finally {
    await context.close();
  }
});

test("a refused reply in the conversation keeps the reply, and sends once the database is free", async () => {
  const { kit } = fault;
  const page = `${OWN_URL}/requests/${requestId}`;
  await kit.goto(page);
  await waitForHydration(kit);
  const replies = () => fault.holder.prepare("SELECT count(*) FROM request_messages WHERE request_id = ?").pluck().get(requestId) as number;
  const before = replies();
  const reply = `Thank you. I can talk on Thursday. DB-FAULT-${randomUUID()}`;
  const box = kit.getByRole("textbox", { name: "Your message" });
  await refusedWhile(
    reply,
    "action.save_refused",
    async () => {
      await box.fill(reply);
      await kit.getByRole("button", { name: "Send message" }).click();
    },
    async () => {
      await expectMessageOnForm(kit, "#body");
      await expect(box).toHaveValue(reply);
    },
  );
  expect(replies()).toBe(before);

  await kit.getByRole("button", { name: "Send message" }).click();
  await expect(kit).toHaveURL(`${page}?done=replied`);
  await expect(kit.getByText("Your message has been sent")).toBeVisible();
  expect(replies()).toBe(before + 1);
});

test("feedback, too, comes back as it was written", async () => {
  const { kit } = fault;
  await kit.goto(`${OWN_URL}/feedback`);
  await waitForHydration(kit);
  const body = `The search could be quicker. DB-FAULT-${randomUUID()}`;
  const box = kit.getByLabel("Your feedback", { exact: true });
  await refusedWhile(
    body,
    "action.save_refused",
    async () => {
      await box.fill(body);
      await kit.getByRole("button", { name: "Send feedback" }).click();
    },
    async () => {
      await expectMessageOnForm(kit, "#body");
      await expect(box).toHaveValue(body);
    },
  );
  await kit.getByRole("button", { name: "Send feedback" }).click();
  await expect(kit).toHaveURL(`${OWN_URL}/feedback/sent`);
});

test("a button without a form state still shows the error page: plainly that nothing was saved, with a reference", async () => {
  const { kit, holder } = fault;
  // An unread notification of Kit's own, so that the notifications page offers "Mark all as read".
  holder
    .prepare("INSERT INTO notifications (id, user_id, kind, link, created_at) SELECT ?, id, 'request.update', ?, ? FROM users WHERE email = ?")
    .run(randomUUID(), `/requests/${requestId}`, Date.now(), KIT);
  await kit.goto(`${OWN_URL}/notifications`);
  await waitForHydration(kit);
  await refusedWhile(
    null,
    "request.error",
    () => kit.getByRole("button", { name: "Mark all as read" }).click(),
    () => expectCannotSave(kit),
  );
});
