import { randomUUID } from "node:crypto";
import fs from "node:fs";

import type { Page } from "@playwright/test";

import { captureAction, replayAction } from "./actions";
import { BASE_URL, expect, signedIn, test } from "./fixtures";
import {
  auditEventsAfter,
  expectNoAxeViolations,
  expectSentToSignIn,
  getWithoutRedirects,
  lastAuditSeq,
  sessionCookie,
  waitForHydration,
  withDb,
} from "./helpers";
import { sendRequest } from "./request-helpers";

// "Your data" on /account (issue 7, item 5): download everything Confide holds about you, and erase it. The people
// here are extra accounts at the dev IdP (e2e/accounts.json) that no other journey uses:
//   Dora Finch – joins a network of this file's own, asks Sid, downloads her data; later Sid's erasure declines
//                her requests and she is asked to choose another supporter
//   Erin Walsh – joins a network of this file's own, asks Sid, erases her data (without JavaScript): signed out,
//                and signing in again gives her a new, empty account
//   Sid Okoro  – made a supporter here (a supporters row in the run's database), so no other journey counts his
//                requests; he erases his data and stays only as an empty, retired tombstone
// Each run starts Sid again as a supporter: after an erasure his next sign-in is a new account. The journeys share
// Sid's requests, so they run one after another.

test.describe.configure({ mode: "serial" });

const DORA = { email: "dora.finch@example.org", name: "Dora Finch" };
const ERIN = { email: "erin.walsh@example.org", name: "Erin Walsh" };
const SID = { email: "sid.okoro@example.org", name: "Sid Okoro" };
const HOUR = 3_600_000;
const SUPPORTER_GONE =
  "Your supporter is no longer available to support you. Nothing you wrote has been passed to anyone else. You can ask another supporter.";

// ---------------------------------------------------------------------------------------------------------------
// The run's database
// ---------------------------------------------------------------------------------------------------------------

type UserRow = { id: string; name: string | null; email: string; job_title: string | null; department: string | null; site: string | null; deactivated_at: number | null };

const userRow = (email: string): UserRow | undefined =>
  withDb(
    (db) =>
      db.prepare("SELECT id, name, email, job_title, department, site, deactivated_at FROM users WHERE lower(email) = lower(?)").get(email) as
        | UserRow
        | undefined,
  );

const userRowById = (id: string): UserRow | undefined =>
  withDb((db) => db.prepare("SELECT id, name, email, job_title, department, site, deactivated_at FROM users WHERE id = ?").get(id) as UserRow | undefined);

const count = (query: string, ...args: unknown[]): number => withDb((db) => db.prepare(query).pluck().get(...args) as number);

/** Sid as an active supporter taking messages in Confide, on the account his email address signs in to. */
function makeSidASupporter(): string {
  return withDb((db) =>
    db.transaction(() => {
      let user = db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").pluck().get(SID.email) as string | undefined;
      if (!user) {
        user = randomUUID();
        db.prepare("INSERT INTO users (id, email, name, job_title, site) VALUES (?, ?, ?, 'Police Constable', 'My Data Test Site')").run(user, SID.email, SID.name);
      }
      let supporter = db.prepare("SELECT id FROM supporters WHERE user_id = ?").pluck().get(user) as string | undefined;
      if (supporter) {
        db.prepare("UPDATE supporters SET status = 'active', paused_until = NULL, capacity = 20, refresher_due = '2099-01-01' WHERE id = ?").run(supporter);
      } else {
        supporter = randomUUID();
        db.prepare(
          `INSERT INTO supporters (id, user_id, status, role_title, site, introduction, trained_on, refresher_due, capacity)
           VALUES (?, ?, 'active', 'Police Constable', 'My Data Test Site', 'Happy to listen.', '2026-01-01', '2099-01-01', 20)`,
        ).run(supporter, user);
      }
      db.prepare("INSERT OR IGNORE INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'contact_method', 'in_app')").run(supporter);
      return supporter;
    })(),
  );
}

/** An open network of this file's own, removed (with its memberships) when the journey ends. */
function makeNetwork(): { id: string; slug: string; name: string } {
  const id = randomUUID();
  const network = { id, slug: `my-data-${id.slice(0, 8)}`, name: `Zz My Data Network ${id.slice(0, 8)}` };
  withDb((db) =>
    db
      .prepare(
        `INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join, join_policy)
         VALUES (?, ?, ?, 'A network for the "Your data" journeys.', 'Description.', 'Anyone.', 'Join here.', 'open')`,
      )
      .run(network.id, network.slug, network.name),
  );
  return network;
}

const removeNetwork = (id: string) => withDb((db) => db.prepare("DELETE FROM networks WHERE id = ?").run(id));

/** The hourly limit on requests counts the last hour; earlier runs' requests are moved out of it. */
function forgetRecentRequests(email: string): void {
  withDb((db) =>
    db
      .prepare("UPDATE support_requests SET created_at = created_at - ? WHERE requester_id = (SELECT id FROM users WHERE lower(email) = lower(?))")
      .run(2 * HOUR, email),
  );
}

type RequestRow = { status: string; requester_id: string | null; message_cipher: string | null; safe_contact_cipher: string | null; erased_at: number | null };
const requestRow = (id: string): RequestRow =>
  withDb((db) => db.prepare("SELECT status, requester_id, message_cipher, safe_contact_cipher, erased_at FROM support_requests WHERE id = ?").get(id) as RequestRow);

// ---------------------------------------------------------------------------------------------------------------
// Browsers
// ---------------------------------------------------------------------------------------------------------------

async function joinNetwork(page: Page, slug: string): Promise<void> {
  await page.goto(`/networks/${slug}`);
  await page.getByRole("button", { name: "Join this network" }).click();
  await expect(page.getByRole("heading", { name: "You are a member of this network" })).toBeVisible();
}

const confirmBox = (page: Page) => page.getByRole("checkbox", { name: "I understand this cannot be undone" });
const eraseButton = (page: Page) => page.getByRole("button", { name: "Erase my data" });

type Export = {
  aboutThisFile: { service: string; notes: string[] };
  profile: { name: string; email: string };
  networkMemberships: { network: string; status: string; visibility: string }[];
  requestsYouMade: { status: string; supporterName: string; message: string; category: string; conversation: { author: string; text: string }[] }[];
  notifications: { sentence: string; link: string; reference: string | null; createdAt: string; readAt: string | null }[];
  supporterProfile: unknown;
};

// ---------------------------------------------------------------------------------------------------------------
// Journeys
// ---------------------------------------------------------------------------------------------------------------

test("Dora joins a network, asks Sid for support and downloads her data", async ({ browser }) => {
  test.setTimeout(90_000);
  const sidSupporter = makeSidASupporter();
  forgetRecentRequests(DORA.email);
  const network = makeNetwork();
  const marker = `MY-DATA-DORA-${randomUUID()}`;
  const page = await signedIn(browser, DORA.email, "/");
  try {
    await waitForHydration(page);
    await joinNetwork(page, network.slug);

    await page.goto(`/supporters/${sidSupporter}/contact`);
    await page.getByRole("radio", { name: "Something else", exact: true }).check();
    await page.getByRole("textbox", { name: "Your message" }).fill(`I would like to talk something through. ${marker}`);
    await page.getByRole("radio", { name: "Messages in Confide", exact: true }).check();
    await page.getByRole("checkbox", { name: "I have read and understand the limits of confidentiality" }).check();
    await page.getByRole("button", { name: "Send request" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Request sent" })).toBeVisible();
    const requestId = new URL(page.url()).pathname.split("/").at(-1) ?? "";

    const doraId = userRow(DORA.email)!.id;
    withDb((db) =>
      db
        .prepare("INSERT INTO notifications (id, user_id, kind, link) VALUES (?, ?, 'network.request_decided', ?)")
        .run(randomUUID(), doraId, `/networks/${network.slug}`),
    );

    await page.goto("/account");
    await expect(page).toHaveTitle("Your account \u2013 Confide");
    const section = page.getByRole("region", { name: "Your data" });
    await expect(section.getByRole("link", { name: "erase your data" })).toHaveAttribute("href", "/account/erase");
    await waitForHydration(page);
    await expectNoAxeViolations(page);

    const seq = lastAuditSeq();
    const [download] = await Promise.all([page.waitForEvent("download"), section.getByRole("button", { name: "Download your data" }).click()]);
    expect(download.suggestedFilename()).toBe("confide-my-data.json");
    const data = JSON.parse(fs.readFileSync(await download.path(), "utf8")) as Export;
    // Still on the account page: a download does not navigate.
    await expect(page).toHaveURL(`${BASE_URL}/account`);

    expect(data.aboutThisFile.service).toBe("Confide");
    expect(data.aboutThisFile.notes.join(" ")).toMatch(/Anonymous feedback is stored without any link/);
    expect(data.profile).toMatchObject({ name: DORA.name, email: DORA.email });
    expect(data.networkMemberships).toContainEqual(expect.objectContaining({ network: network.name, status: "active", visibility: "silent" }));
    const made = data.requestsYouMade.find((r) => r.message.includes(marker));
    expect(made).toMatchObject({ status: "new", supporterName: SID.name, category: "other", conversation: [] });
    expect(data.notifications).toContainEqual({
      sentence: "There is an update about a network you asked to join.",
      link: `/networks/${network.slug}`,
      reference: null,
      createdAt: expect.any(String),
      readAt: null,
    });
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.supporterProfile).toBeNull();
    const dora = userRow(DORA.email)!;
    expect(auditEventsAfter(seq).filter((e) => e.action === "account.data_exported")).toEqual([
      expect.objectContaining({ actor_id: dora.id, object_type: "user", object_id: dora.id, outcome: "success" }),
    ]);

    // The response itself: a download that is never cached, and nobody else's data whatever is asked for.
    const erin = userRow(ERIN.email);
    const response = await page.request.post(`/account/data?userId=${erin?.id ?? randomUUID()}`, {
      headers: { origin: BASE_URL },
      form: { userId: erin?.id ?? randomUUID(), email: ERIN.email },
    });
    expect(response.status()).toBe(200);
    expect(response.headers()["content-disposition"]).toBe('attachment; filename="confide-my-data.json"');
    expect(response.headers()["cache-control"]).toBe("no-store");
    expect(response.headers()["content-type"]).toMatch(/^application\/json/);
    const again = (await response.json()) as Export;
    expect(again.profile.email).toBe(DORA.email);
    // From another site: refused before anything is read.
    const foreign = await page.request.post("/account/data", { headers: { origin: "https://evil.example" }, maxRedirects: 0 });
    expect(foreign.status()).toBe(403);
  } finally {
    removeNetwork(network.id);
    await page.context().close();
  }
});

test("signed out, neither the download nor the erase page gives anything, and GET does not download", async ({ browser, playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL: BASE_URL });
  try {
    const post = await anonymous.post("/account/data", { headers: { origin: BASE_URL }, maxRedirects: 0 });
    expect(post.status()).toBe(303);
    expect(post.headers()["location"]).toBe(`${BASE_URL}/signin?callbackUrl=%2Faccount`);
    expect(post.headers()["content-disposition"]).toBeUndefined();
    await expectSentToSignIn(await anonymous.get("/account/data", { maxRedirects: 0 }), "/account/data");
    await expectSentToSignIn(await anonymous.get("/account/erase", { maxRedirects: 0 }), "/account/erase");
  } finally {
    await anonymous.dispose();
  }
  // Signed in, a GET only leads to the page with the button.
  const page = await signedIn(browser, DORA.email, "/");
  try {
    const get = await getWithoutRedirects(page, "/account/data");
    expect(get.status()).toBeGreaterThanOrEqual(300);
    expect(get.status()).toBeLessThan(400);
    expect(get.headers()["location"]).toMatch(/\/account#your-data$/);
    expect(get.headers()["content-disposition"]).toBeUndefined();
  } finally {
    await page.context().close();
  }
});

test("Erin erases her data without JavaScript: signed out, her request withdrawn and emptied, and a new empty account next time", async ({
  browser,
  playwright,
}) => {
  test.setTimeout(120_000);
  makeSidASupporter();
  forgetRecentRequests(ERIN.email);
  const network = makeNetwork();
  const marker = `MY-DATA-ERIN-${randomUUID()}`;
  const page = await signedIn(browser, ERIN.email, "/", false);
  const pages = [page];
  try {
    await joinNetwork(page, network.slug);
    const requestId = sendRequest({ requester: ERIN.email, supporter: SID.email, message: `Something happened at work. ${marker}`, safeContact: `After 6pm. ${marker}` });
    const erin = userRow(ERIN.email)!;
    const isUntouched = () =>
      expect({
        user: userRowById(erin.id)?.deactivated_at,
        memberships: count("SELECT count(*) FROM network_memberships WHERE user_id = ?", erin.id),
        request: requestRow(requestId).requester_id,
      }).toEqual({ user: null, memberships: 1, request: erin.id });

    // The confirmation page says what will happen, with her numbers. (Axe needs JavaScript: this part is in a
    // browser with it; the erasure itself is done below without.)
    const jsPage = await signedIn(browser, ERIN.email, "/account");
    pages.push(jsPage);
    await jsPage.getByRole("link", { name: "erase your data" }).click();
    await expect(jsPage).toHaveURL(`${BASE_URL}/account/erase`);
    await expect(jsPage).toHaveTitle("Erase your data \u2013 Confide");
    await expect(jsPage.getByRole("heading", { level: 1, name: "Erase your data" })).toBeVisible();
    const main = jsPage.locator("main");
    await expect(main).toContainText(/The \d+ requests? you made will be erased/);
    await expect(main).toContainText("will be withdrawn first, and the supporter told it was withdrawn, with no details");
    await expect(main).toContainText(/You will leave \d+ networks?/);
    await expect(main).toContainText("Anonymous figures for the Equality Unit\u2019s reports");
    await expect(main).toContainText("The audit log");
    await expect(main).toContainText("those conversations stay with the colleagues who asked you");
    await expect(eraseButton(jsPage)).toHaveClass(/govuk-button--warning/);
    await waitForHydration(jsPage);
    await expectNoAxeViolations(jsPage);
    await eraseButton(jsPage).click();
    await expect(jsPage.locator(".govuk-error-summary")).toContainText("Tick the box");
    await expectNoAxeViolations(jsPage);
    isUntouched();

    // A captured erase replayed without a session does nothing (the form carries no id to point elsewhere).
    await confirmBox(jsPage).check();
    const sent = await captureAction(jsPage, "erase", () => eraseButton(jsPage).click());
    expect(sent.body).not.toContain(erin.id);
    isUntouched();
    const anonymous = await playwright.request.newContext({ baseURL: BASE_URL });
    try {
      const response = await replayAction(anonymous, sent);
      expect(response.headers()["x-action-redirect"] ?? response.headers()["location"] ?? "").toMatch(/\/signin\?/);
    } finally {
      await anonymous.dispose();
    }
    isUntouched();
    await jsPage.context().close();

    // Without JavaScript, and without the box ticked: an error on the form, and nothing erased.
    await page.goto("/account/erase");
    await eraseButton(page).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary).toContainText("Tick the box to confirm that you understand erasing your data cannot be undone");
    await expect(summary.getByRole("link")).toHaveAttribute("href", "#confirm");
    await expect(page.locator("#confirm-error")).toContainText("Tick the box");
    isUntouched();

    const seq = lastAuditSeq();
    await confirmBox(page).check();
    await eraseButton(page).click();
    await expect(page).toHaveURL(`${BASE_URL}/account-erased`);
    await expect(page).toHaveTitle("Your data has been erased \u2013 Confide");
    await expect(page.getByRole("heading", { level: 1, name: "Your data has been erased" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out of single sign-on" })).toBeVisible();

    // Signed out: no cookie, and the account page asks for sign-in.
    expect(await sessionCookie(page.context())).toBeUndefined();
    await expectSentToSignIn(await getWithoutRedirects(page, "/account"), "/account");
    // Her account is gone (she supported nobody), her request is withdrawn, unlinked and emptied, her membership gone.
    expect(userRowById(erin.id)).toBeUndefined();
    expect(requestRow(requestId)).toMatchObject({ status: "withdrawn", requester_id: null, message_cipher: null, safe_contact_cipher: null });
    expect(count("SELECT count(*) FROM network_memberships WHERE network_id = ?", network.id)).toBe(0);
    expect(auditEventsAfter(seq).filter((e) => e.action === "account.erased")).toEqual([
      expect.objectContaining({ actor_id: erin.id, object_type: "user", object_id: erin.id, outcome: "success" }),
    ]);

    // Sid sees a withdrawn request with nothing in it and no name.
    const sid = await signedIn(browser, SID.email, `/requests/${requestId}`);
    pages.push(sid);
    const sidMain = sid.locator("main");
    await expect(sidMain).toContainText("withdrew this request");
    await expect(sidMain).toContainText(/The content of this request was erased/);
    await expect(sidMain).not.toContainText(marker);
    await expect(sidMain).not.toContainText(ERIN.name);

    // The page needs no session; checked for accessibility in a browser with JavaScript.
    const done = await (await browser.newContext()).newPage();
    pages.push(done);
    await done.goto("/account-erased");
    await expect(done.getByRole("heading", { level: 1, name: "Your data has been erased" })).toBeVisible();
    await expectNoAxeViolations(done);

    // Signing in again (a new browser: the identity provider's session is in the old one) makes a new, empty account.
    const fresh = await signedIn(browser, ERIN.email, "/account");
    pages.push(fresh);
    const again = userRow(ERIN.email)!;
    expect(again.id).not.toBe(erin.id);
    await expect(fresh.locator("main")).toContainText(ERIN.email);
    expect(count("SELECT count(*) FROM network_memberships WHERE user_id = ?", again.id)).toBe(0);
    expect(count("SELECT count(*) FROM support_requests WHERE requester_id = ?", again.id)).toBe(0);
    await fresh.goto("/requests");
    await expect(fresh.locator("main")).not.toContainText(SID.name);
  } finally {
    removeNetwork(network.id);
    for (const p of pages) if (!p.isClosed()) await p.context().close();
  }
});

test("Sid, a supporter, erases his data: Dora's open request is declined and she is asked to choose another supporter", async ({ browser }) => {
  test.setTimeout(90_000);
  makeSidASupporter();
  forgetRecentRequests(DORA.email);
  const marker = `MY-DATA-SID-${randomUUID()}`;
  const requestId = sendRequest({ requester: DORA.email, supporter: SID.email, message: `Could we talk? ${marker}`, replies: [{ from: "supporter", body: `Of course. ${marker}` }] });
  const dora = userRow(DORA.email)!;
  const toldBefore = count("SELECT count(*) FROM notifications WHERE user_id = ? AND link = ?", dora.id, `/requests/${requestId}`);
  const page = await signedIn(browser, SID.email, "/account");
  const pages = [page];
  try {
    const sid = userRow(SID.email)!;
    await page.getByRole("link", { name: "erase your data" }).click();
    await expect(page.locator("main")).toContainText(/You will be removed from the list of equality supporters/);
    await expect(page.locator("main")).toContainText(/The \d+ requests? you are supporting now will be handed back/);
    await waitForHydration(page);
    await expectNoAxeViolations(page);
    await confirmBox(page).check();
    await eraseButton(page).click();
    await expect(page).toHaveURL(`${BASE_URL}/account-erased`);
    expect(await sessionCookie(page.context())).toBeUndefined();

    // He supported requests, which stay with their requesters: an empty, deactivated tombstone remains.
    expect(userRowById(sid.id)).toEqual({
      id: sid.id,
      name: null,
      email: `erased-${sid.id}@erased.invalid`,
      job_title: null,
      department: null,
      site: null,
      deactivated_at: expect.any(Number),
    });
    expect(count("SELECT count(*) FROM supporters WHERE user_id = ? AND status = 'retired' AND introduction = ''", sid.id)).toBe(1);
    expect(count("SELECT count(*) FROM notifications WHERE user_id = ? AND link = ?", dora.id, `/requests/${requestId}`)).toBe(toldBefore + 1);

    // Dora is told, sees why, and is asked to choose someone else; her words stay hers.
    const doraPage = await signedIn(browser, DORA.email, `/requests/${requestId}`);
    pages.push(doraPage);
    const main = doraPage.locator("main");
    await expect(main).toContainText("declined this request");
    await expect(main).toContainText(SUPPORTER_GONE);
    await expect(main.getByRole("link", { name: "Choose someone else" })).toHaveAttribute("href", "/supporters");
    await expect(main).toContainText(`Could we talk? ${marker}`);
    await expect(main).not.toContainText(SID.name);
  } finally {
    for (const p of pages) await p.context().close();
  }
});
