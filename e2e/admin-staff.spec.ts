import type { Browser, Page } from "@playwright/test";

import { addDays, today as londonToday } from "../lib/clock";
import { BASE_URL, completeSignIn, expect, PEOPLE, test } from "./fixtures";
import {
  auditEventsAfter,
  expectIdpSignInForm,
  expectNoAxeViolations,
  EQUALITY_UNIT_MEMBERS_LOCK,
  lastAuditSeq,
  sessionCountFor,
  waitForHydration,
  withDb,
} from "./helpers";
import { captureAction, replayAction, sendRequest, signedIn, successBanner, summaryValue, type Captured } from "./request-helpers";

// The Equality Unit's staff records (/admin/staff): search, marking leavers, reinstating and the Equality Unit role.
// Eve (eve.equality) acts; other journeys use her at the same time, so her own role is never changed here. The
// people changed here are this spec's alone (e2e/accounts.json; each gets a staff record at first sign-in):
//   Leo Hart   – marked as a leaver and reinstated; also Ria's requester
//   Ria Patel  – made a supporter (a roster row written here), asked for support by Leo, then marked as a leaver
//   Gina Grant – given the Equality Unit role, then it is removed
// Everything changed is put back in `finally` blocks. While Gina holds the role Eve is not the only member, so the
// journeys that depend on how many members there are share the EQUALITY_UNIT_MEMBERS_LOCK.

const LEO = { email: "leo.hart@example.org", name: "Leo Hart" };
const RIA = { email: "ria.patel@example.org", name: "Ria Patel" };
const GINA = { email: "gina.grant@example.org", name: "Gina Grant" };

const SUPPORTER_GONE_REASON =
  "Your supporter is no longer available to support you. Nothing you wrote has been passed to anyone else. You can ask another supporter.";

// Long journeys (several people signing in, axe-core scans) take more than the default 30 s on a busy machine.
test.describe.configure({ timeout: 120_000 });

// ---------------------------------------------------------------------------------------------------------------
// The database
// ---------------------------------------------------------------------------------------------------------------

const userIdOf = (email: string): string | undefined =>
  withDb((db) => db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").pluck().get(email) as string | undefined);

const deactivatedAt = (email: string): number | null =>
  withDb((db) => db.prepare("SELECT deactivated_at FROM users WHERE lower(email) = lower(?)").pluck().get(email) as number | null);

const grantOf = (email: string): { granted_by: string | null } | undefined =>
  withDb(
    (db) =>
      db
        .prepare("SELECT g.granted_by FROM role_grants g JOIN users u ON u.id = g.user_id WHERE lower(u.email) = lower(?) AND g.role = 'equality_unit'")
        .get(email) as { granted_by: string | null } | undefined,
  );

const equalityUnitMembers = (): string[] =>
  withDb(
    (db) =>
      db
        .prepare("SELECT u.email FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.role = 'equality_unit' AND u.deactivated_at IS NULL ORDER BY u.email")
        .pluck()
        .all() as string[],
  );

const reinstateInDb = (email: string) =>
  withDb((db) => db.prepare("UPDATE users SET deactivated_at = NULL WHERE lower(email) = lower(?)").run(email));
const revokeInDb = (email: string) =>
  withDb((db) => db.prepare("DELETE FROM role_grants WHERE user_id = (SELECT id FROM users WHERE lower(email) = lower(?))").run(email));

/** The person's id; the first sign-in creates their staff record, so a person nobody has used yet signs in once. */
async function accountOf(browser: Browser, email: string): Promise<string> {
  const existing = userIdOf(email);
  if (existing) return existing;
  const page = await signedIn(browser, email, "/");
  await page.context().close();
  const id = userIdOf(email);
  if (!id) throw new Error(`no staff record for ${email} after signing in`);
  return id;
}

/** A supporter on the roster, listed in the directory, reached in the app (written here: the roster's own journeys own its forms). */
function makeSupporter(userId: string): string {
  const day = londonToday();
  return withDb((db) => {
    const existing = db.prepare("SELECT id FROM supporters WHERE user_id = ?").pluck().get(userId) as string | undefined;
    const id = existing ?? crypto.randomUUID();
    if (existing) {
      db.prepare("UPDATE supporters SET status = 'active', refresher_due = ?, capacity = 3 WHERE id = ?").run(addDays(day, 700), id);
    } else {
      db.prepare(
        `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, capacity)
         VALUES (?, ?, 'active', 'Custody Sergeant', 'Force HQ', ?, ?, 3)`,
      ).run(id, userId, addDays(day, -30), addDays(day, 700));
    }
    db.prepare("INSERT OR IGNORE INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'contact_method', 'in_app')").run(id);
    return id;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------------------------

const menu = (page: Page) => page.getByRole("navigation", { name: "Menu" });
const resultRows = (page: Page) => page.getByRole("table").locator("tbody tr");

/** Searches staff records with the GET form, as a person would, with or without JavaScript. */
async function searchStaff(page: Page, q: string, show = "Current staff"): Promise<void> {
  await page.getByLabel("Name or email address").fill(q);
  await page.getByRole("group", { name: "Show" }).getByLabel(show, { exact: true }).check();
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/admin/staff" && url.searchParams.get("q") === q);
}

async function openRecord(page: Page, email: string, name: string, show = "Current staff"): Promise<void> {
  await page.goto("/admin/staff");
  await searchStaff(page, email, show);
  await expect(resultRows(page)).toHaveCount(1);
  await resultRows(page).getByRole("link", { name }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/admin/staff/${userIdOf(email)}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

// ---------------------------------------------------------------------------------------------------------------
// Searching
// ---------------------------------------------------------------------------------------------------------------

test("Eve searches staff records by name and email, filters them, pages through them and opens a record", async ({ as }) => {
  const eve = await as("equalityUnit", "/admin/staff");
  await expect(eve).toHaveTitle("Staff records \u2013 admin \u2013 Confide");
  await expect(eve.getByRole("link", { name: "Import staff from a CSV file" })).toHaveAttribute("href", "/admin/staff/import");
  await expectNoAxeViolations(eve);

  // Twenty a page in name order, with working page links.
  await expect(resultRows(eve)).toHaveCount(20);
  const names = await resultRows(eve).locator("td:first-child a").allInnerTexts();
  expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  await eve.getByRole("navigation", { name: "Pages of staff records" }).getByRole("link", { name: "Page 2" }).click();
  await expect(eve).toHaveURL(`${BASE_URL}/admin/staff?page=2`);
  await expect(eve.getByRole("table")).toHaveAccessibleName(/Staff records, page 2 of \d+/);
  // Page 2 carries on where page 1 ended (other journeys add people at their first sign-in meanwhile, so the
  // pages are compared by order rather than by who is on them).
  const second = await resultRows(eve).locator("td:first-child a").allInnerTexts();
  expect(second.length).toBeGreaterThan(0);
  expect(second).toEqual([...second].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  expect((second[0] ?? "") >= (names.at(-1) ?? "")).toBe(true);

  // By a word of the name and by email address.
  await eve.goto("/admin/staff");
  await searchStaff(eve, "jones");
  await expect(resultRows(eve).filter({ hasText: "Casey Jones" })).toHaveCount(1);
  await searchStaff(eve, "casey.coordinator@");
  await expect(resultRows(eve)).toHaveCount(1);
  const casey = resultRows(eve).first();
  await expect(casey).toContainText(PEOPLE.coordinator);
  await expect(casey).toContainText("Contact Management Supervisor");
  await expect(casey).toContainText("Current");
  await expectNoAxeViolations(eve);

  // Filters: the Equality Unit's members.
  await searchStaff(eve, "eve", "Equality Unit members");
  await expect(eve).toHaveURL(/show=equality-unit/);
  await expect(resultRows(eve).filter({ hasText: "Eve Okafor" })).toContainText("Equality Unit");

  // Casey's record: a coordinator (a public contact point), not a supporter.
  await openRecord(eve, PEOPLE.coordinator, "Casey Jones");
  await expect(eve).toHaveTitle("Staff record \u2013 admin \u2013 Confide");
  await expect(summaryValue(eve, "Email address")).toHaveText(PEOPLE.coordinator);
  await expect(summaryValue(eve, "Coordinator of").getByRole("link", { name: "LGBT+ Network" })).toHaveAttribute("href", /^\/admin\/networks\/[0-9a-f-]{36}$/);
  await expect(summaryValue(eve, "Supporter")).toHaveText("Not on the supporter roster");
  await expect(summaryValue(eve, "Equality Unit")).toHaveText("No");
  await expectNoAxeViolations(eve);

  // Sam's record links to his roster page.
  await openRecord(eve, PEOPLE.supporter, "Sam Patel");
  const samSupporter = withDb(
    (db) => db.prepare("SELECT s.id FROM supporters s JOIN users u ON u.id = s.user_id WHERE u.email = ?").pluck().get(PEOPLE.supporter) as string,
  );
  await expect(summaryValue(eve, "Supporter").getByRole("link")).toHaveAttribute("href", `/admin/supporters/${samSupporter}`);
});

// ---------------------------------------------------------------------------------------------------------------
// Leavers
// ---------------------------------------------------------------------------------------------------------------

test("Eve marks Leo as a leaver without JavaScript: his session ends at once and he cannot sign in; then she reinstates him", { lock: "admin-staff.leo" }, async ({ browser }) => {
  const leoId = await accountOf(browser, LEO.email);
  const leo = await signedIn(browser, LEO.email, "/account");
  const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/staff", false);
  const eveId = userIdOf(PEOPLE.equalityUnit);
  try {
    await expect(leo.getByText(LEO.email, { exact: true })).toBeVisible();
    expect(sessionCountFor(LEO.email)).toBeGreaterThan(0);

    await openRecord(eve, LEO.email, LEO.name);
    await expect(summaryValue(eve, "Last signed in")).not.toHaveText("Never");
    await eve.getByRole("link", { name: "Mark as a leaver" }).click();
    await expect(eve).toHaveURL(`${BASE_URL}/admin/staff/${leoId}/leave`);
    await expect(eve).toHaveTitle("Mark as a leaver \u2013 Staff record \u2013 admin \u2013 Confide");
    const main = eve.getByRole("main");
    await expect(main).toContainText("they are signed out now, and cannot sign in to Confide again");
    await expect(main).toContainText("asked to choose another supporter");
    await expect(main).toContainText("requests they made themselves that are still open are withdrawn");
    await expect(main).toContainText("they leave every network");

    // "Cancel" changes nothing.
    await eve.getByRole("link", { name: "Cancel" }).click();
    await expect(eve).toHaveURL(`${BASE_URL}/admin/staff/${leoId}`);
    expect(deactivatedAt(LEO.email)).toBeNull();

    await eve.getByRole("link", { name: "Mark as a leaver" }).click();
    const before = lastAuditSeq();
    await eve.getByRole("button", { name: "Mark as a leaver" }).click();
    await expect(eve).toHaveURL(`${BASE_URL}/admin/staff/${leoId}?done=left&released=0`);
    await expect(successBanner(eve)).toContainText("Leo Hart has been marked as a leaver");
    await expect(successBanner(eve)).toContainText("They have been signed out and cannot sign in to Confide.");
    await expect(eve.getByRole("main").locator(".govuk-tag").first()).toHaveText("Leaver");
    await expect(summaryValue(eve, "Marked as a leaver")).toBeVisible();

    expect(deactivatedAt(LEO.email)).not.toBeNull();
    expect(sessionCountFor(LEO.email)).toBe(0);
    expect(auditEventsAfter(before)).toContainEqual(
      expect.objectContaining({ actor_id: eveId, action: "user.deactivated", object_type: "user", object_id: leoId, outcome: "success" }),
    );

    // Leo's open browser: the next page sends him to sign in, which (his identity provider session still alive)
    // comes straight back refused.
    await leo.goto("/account");
    await expect(leo).toHaveURL((url) => url.origin === BASE_URL && url.pathname === "/sign-in-problem");
    await expect(leo.getByText("Your Confide account is not active")).toBeVisible();
    // Signing in afresh is refused too.
    const fresh = await browser.newContext();
    try {
      const page = await fresh.newPage();
      await page.goto("/account");
      await expectIdpSignInForm(page);
      await completeSignIn(page, LEO.email);
      await expect(page).toHaveURL((url) => url.pathname === "/sign-in-problem");
      await expect(page.getByText("Your Confide account is not active")).toBeVisible();
    } finally {
      await fresh.close();
    }
    expect(sessionCountFor(LEO.email)).toBe(0);

    // Listed among the leavers, not among current staff.
    await eve.goto("/admin/staff");
    await searchStaff(eve, LEO.email);
    await expect(eve.getByRole("heading", { name: "No staff records found" })).toBeVisible();
    await searchStaff(eve, LEO.email, "Leavers");
    await expect(resultRows(eve)).toHaveCount(1);
    await expect(resultRows(eve)).toContainText("Leaver");

    // Reinstating: he can sign in again.
    await resultRows(eve).getByRole("link", { name: LEO.name }).click();
    const reinstating = lastAuditSeq();
    await eve.getByRole("button", { name: "Reinstate" }).click();
    await expect(eve).toHaveURL(`${BASE_URL}/admin/staff/${leoId}?done=reinstated`);
    await expect(successBanner(eve)).toContainText("Leo Hart has been reinstated");
    expect(deactivatedAt(LEO.email)).toBeNull();
    expect(auditEventsAfter(reinstating)).toContainEqual(
      expect.objectContaining({ actor_id: eveId, action: "user.reinstated", object_type: "user", object_id: leoId, outcome: "success" }),
    );
    const back = await signedIn(browser, LEO.email, "/account");
    await expect(back.getByText(LEO.email, { exact: true })).toBeVisible();
    await back.context().close();
  } finally {
    reinstateInDb(LEO.email);
    await leo.context().close();
    await eve.context().close();
  }
});

test("a supporter marked as a leaver: her requester sees the request declined with the reason and is asked to choose again", { lock: ["admin-staff.leo", "admin-staff.ria"] }, async ({ browser }) => {
  const riaId = await accountOf(browser, RIA.email);
  await accountOf(browser, LEO.email);
  const riaSupporter = makeSupporter(riaId);
  const marker = `LEAVER-${crypto.randomUUID()}`;
  const requestId = sendRequest({ requester: LEO.email, supporter: RIA.email, message: `Please can we talk. ${marker}` });
  const ria = await signedIn(browser, RIA.email, "/inbox");
  const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/staff");
  let leo: Page | undefined;
  try {
    await openRecord(eve, RIA.email, RIA.name);
    await expect(summaryValue(eve, "Supporter").getByRole("link")).toHaveAttribute("href", `/admin/supporters/${riaSupporter}`);
    await expect(summaryValue(eve, "Supporter")).toContainText("Active");
    await expectNoAxeViolations(eve);
    await eve.getByRole("link", { name: "Mark as a leaver" }).click();
    await expect(eve).toHaveURL(`${BASE_URL}/admin/staff/${riaId}/leave`);
    await waitForHydration(eve);
    await expectNoAxeViolations(eve);
    await eve.getByRole("button", { name: "Mark as a leaver" }).click();

    await expect(eve).toHaveURL(`${BASE_URL}/admin/staff/${riaId}?done=left&released=1`);
    await expect(successBanner(eve)).toContainText("Ria Patel has been marked as a leaver");
    await expect(successBanner(eve)).toContainText("1 requester has been asked to choose another supporter.");
    await expect(summaryValue(eve, "Supporter")).toContainText("Retired");
    // Nothing of the request reaches the Equality Unit.
    expect(await eve.content()).not.toContain(marker);
    await expectNoAxeViolations(eve);

    const state = withDb((db) => ({
      request: db.prepare("SELECT status FROM support_requests WHERE id = ?").pluck().get(requestId),
      supporter: db.prepare("SELECT status FROM supporters WHERE id = ?").pluck().get(riaSupporter),
      told: db.prepare("SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = ? AND n.link = ?").pluck().get(LEO.email, `/requests/${requestId}`),
    }));
    expect(state).toEqual({ request: "declined", supporter: "retired", told: expect.any(Number) });
    expect(state.told).toBeGreaterThanOrEqual(1);
    expect(sessionCountFor(RIA.email)).toBe(0);

    // Ria's open browser is signed out at once.
    await ria.goto("/inbox");
    await expect(ria).toHaveURL((url) => url.pathname === "/sign-in-problem");

    // Leo sees why, and is asked to choose someone else; Ria is no longer in the directory.
    leo = await signedIn(browser, LEO.email, `/requests/${requestId}`);
    await expect(leo.getByRole("main")).toContainText("Declined");
    await expect(leo.getByRole("main")).toContainText(SUPPORTER_GONE_REASON);
    await expect(leo.getByRole("link", { name: "Choose someone else" })).toHaveAttribute("href", "/supporters");
    expect((await leo.goto(`/supporters/${riaSupporter}`))?.status()).toBe(404);
  } finally {
    reinstateInDb(RIA.email);
    await leo?.context().close();
    await ria.context().close();
    await eve.context().close();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// The Equality Unit role
// ---------------------------------------------------------------------------------------------------------------

test("Gina is given the Equality Unit role and has it on her next page; when it is removed, /admin is 404 for her", { lock: ["admin-staff.gina", EQUALITY_UNIT_MEMBERS_LOCK] }, async ({ browser }) => {
  const ginaId = await accountOf(browser, GINA.email);
  const eveId = userIdOf(PEOPLE.equalityUnit);
  const gina = await signedIn(browser, GINA.email, "/");
  const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/staff");
  try {
    await expect(menu(gina).getByRole("link", { name: "Account", exact: true })).toBeVisible();
    await expect(menu(gina).getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
    expect((await gina.goto("/admin"))?.status()).toBe(404);

    await openRecord(eve, GINA.email, GINA.name);
    await expect(summaryValue(eve, "Equality Unit")).toHaveText("No");
    await waitForHydration(eve);
    const granting = lastAuditSeq();
    await eve.getByRole("button", { name: "Give them the Equality Unit role" }).click();
    await expect(eve).toHaveURL(`${BASE_URL}/admin/staff/${ginaId}?done=granted`);
    await expect(successBanner(eve)).toContainText("Gina Grant is now in the Equality Unit");
    await expect(summaryValue(eve, "Equality Unit")).toHaveText("Yes");
    expect(grantOf(GINA.email)).toEqual({ granted_by: eveId });
    expect(auditEventsAfter(granting)).toContainEqual(
      expect.objectContaining({ actor_id: eveId, action: "role.granted", object_type: "user", object_id: ginaId, outcome: "success" }),
    );

    // Her next page: roles are read from the database on every request, so no new sign-in is needed.
    await gina.goto("/");
    await expect(menu(gina).getByRole("link", { name: "Admin", exact: true })).toBeVisible();
    expect((await gina.goto("/admin"))?.status()).toBe(200);
    expect((await gina.goto("/admin/staff"))?.status()).toBe(200);

    // With two members, Eve could remove the role from herself (she does not).
    await eve.goto(`/admin/staff/${eveId}`);
    await expect(eve.getByRole("button", { name: "Remove the Equality Unit role from yourself" })).toBeVisible();

    await eve.goto(`/admin/staff/${ginaId}`);
    await waitForHydration(eve);
    const revoking = lastAuditSeq();
    await eve.getByRole("button", { name: "Remove the Equality Unit role" }).click();
    await expect(eve).toHaveURL(`${BASE_URL}/admin/staff/${ginaId}?done=revoked`);
    await expect(successBanner(eve)).toContainText("Gina Grant is no longer in the Equality Unit");
    expect(grantOf(GINA.email)).toBeUndefined();
    expect(auditEventsAfter(revoking)).toContainEqual(
      expect.objectContaining({ actor_id: eveId, action: "role.revoked", object_type: "user", object_id: ginaId, outcome: "success" }),
    );

    expect((await gina.goto("/admin"))?.status()).toBe(404);
    expect((await gina.goto("/admin/staff"))?.status()).toBe(404);
    await gina.goto("/");
    await expect(menu(gina).getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
  } finally {
    revokeInDb(GINA.email);
    await gina.context().close();
    await eve.context().close();
  }
});

test("Eve's own record offers no way to remove her role while she is the only member, nor to mark herself a leaver", { lock: EQUALITY_UNIT_MEMBERS_LOCK }, async ({ as }) => {
  expect(equalityUnitMembers()).toEqual([PEOPLE.equalityUnit]);
  const eveId = userIdOf(PEOPLE.equalityUnit);
  const eve = await as("equalityUnit", "/admin/staff");
  await searchStaff(eve, "", "Equality Unit members");
  await expect(resultRows(eve)).toHaveCount(1);
  await resultRows(eve).getByRole("link", { name: "Eve Okafor" }).click();
  await expect(eve).toHaveURL(`${BASE_URL}/admin/staff/${eveId}`);
  await expect(eve.locator("#only-member")).toContainText("You are the only member of the Equality Unit, so you cannot remove the role from yourself.");
  await expect(eve.getByRole("button", { name: /Remove the Equality Unit role/ })).toHaveCount(0);
  await expect(eve.getByRole("main")).toContainText("You cannot mark yourself as a leaver.");
  await expect(eve.getByRole("link", { name: "Mark as a leaver" })).toHaveCount(0);
  await expectNoAxeViolations(eve);

  await eve.goto(`/admin/staff/${eveId}/leave`);
  await expect(eve.getByRole("main")).toContainText("You cannot mark yourself as a leaver.");
  await expect(eve.getByRole("button", { name: "Mark as a leaver" })).toHaveCount(0);
  expect(equalityUnitMembers()).toEqual([PEOPLE.equalityUnit]);
});

// ---------------------------------------------------------------------------------------------------------------
// Permissions
// ---------------------------------------------------------------------------------------------------------------

const OUTSIDERS = ["staff", "supporter", "coordinator"] as const;

const deniedCount = (userId: string): number =>
  withDb(
    (db) =>
      db
        .prepare("SELECT count(*) FROM audit_events WHERE actor_id = ? AND action = 'access.denied' AND object_type = 'staff_record'")
        .pluck()
        .get(userId) as number,
  );

test("staff, a supporter and a coordinator get 404 for every page, and their replayed actions change nothing", { lock: ["admin-staff.leo", "admin-staff.gina", EQUALITY_UNIT_MEMBERS_LOCK] }, async ({ as, browser }) => {
  const leoId = await accountOf(browser, LEO.email);
  const ginaId = await accountOf(browser, GINA.email);
  const eveId = userIdOf(PEOPLE.equalityUnit) ?? "";
  const eve = await as("equalityUnit", `/admin/staff/${leoId}`);
  const outsiders: { who: string; page: Page; id: string }[] = [];
  for (const who of OUTSIDERS) outsiders.push({ who, page: await as(who), id: userIdOf(PEOPLE[who]) ?? "" });

  const pages = ["/admin/staff", "/admin/staff?show=leavers&q=leo", `/admin/staff/${leoId}`, `/admin/staff/${leoId}/leave`, `/admin/staff/${eveId}`];
  // Control: each page is there for the Equality Unit.
  for (const pathname of pages) expect((await eve.request.get(new URL(pathname, BASE_URL).toString())).status(), pathname).toBe(200);
  for (const { who, page, id } of outsiders) {
    const denied = deniedCount(id);
    for (const pathname of pages) {
      const response = await page.goto(pathname);
      expect(response?.status(), `${who}: ${pathname}`).toBe(404);
      await expect(page.getByRole("main")).not.toContainText(LEO.email);
    }
    expect(deniedCount(id), `${who}: each refusal is audited`).toBe(denied + pages.length);
  }

  const replayAll = async (captured: Captured[]) => {
    for (const { who, page, id } of outsiders) {
      const denied = deniedCount(id);
      for (const action of captured) {
        const response = await replayAction(page.request, action);
        expect(response.status(), `${who}: ${action.name}`).toBe(404);
      }
      // At least once each: after the action's refusal Next.js may also render the page the action was posted to,
      // whose own guard refuses (and audits) again.
      expect(deniedCount(id), `${who}: each replay is refused and audited`).toBeGreaterThanOrEqual(denied + captured.length);
    }
  };
  const stateNow = () =>
    withDb((db) => ({
      leo: db.prepare("SELECT deactivated_at FROM users WHERE id = ?").pluck().get(leoId),
      leoSessions: db.prepare("SELECT count(*) FROM sessions WHERE user_id = ?").pluck().get(leoId),
      gina: db.prepare("SELECT count(*) FROM role_grants WHERE user_id = ?").pluck().get(ginaId),
      changes: db
        .prepare("SELECT count(*) FROM audit_events WHERE object_id IN (?, ?) AND action IN ('user.deactivated', 'user.reinstated', 'role.granted', 'role.revoked')")
        .pluck()
        .get(leoId, ginaId),
    }));

  try {
    // Leo is current and Gina has no role: the leaver and grant actions, captured from Eve's browser unsent.
    const leo = await signedIn(browser, LEO.email, "/account");
    await eve.goto(`/admin/staff/${leoId}/leave`);
    await waitForHydration(eve);
    const markLeaver = await captureAction(eve, "mark leaver", () => eve.getByRole("button", { name: "Mark as a leaver" }).click());
    await eve.goto(`/admin/staff/${ginaId}`);
    await waitForHydration(eve);
    const grant = await captureAction(eve, "grant", () => eve.getByRole("button", { name: "Give them the Equality Unit role" }).click());
    const before = stateNow();
    expect(before).toMatchObject({ leo: null, gina: 0 });
    expect(before.leoSessions).toBeGreaterThan(0);
    await replayAll([markLeaver, grant]);
    expect(stateNow()).toEqual(before);
    await leo.context().close();

    // Leo a leaver and Gina in the Equality Unit (set up directly): the reinstate and revoke actions.
    withDb((db) => {
      db.prepare("UPDATE users SET deactivated_at = ? WHERE id = ?").run(Date.now(), leoId);
      db.prepare("INSERT INTO role_grants (user_id, role, granted_by) VALUES (?, 'equality_unit', ?)").run(ginaId, eveId);
    });
    await eve.goto(`/admin/staff/${leoId}`);
    await waitForHydration(eve);
    const reinstate = await captureAction(eve, "reinstate", () => eve.getByRole("button", { name: "Reinstate" }).click());
    await eve.goto(`/admin/staff/${ginaId}`);
    await waitForHydration(eve);
    const revoke = await captureAction(eve, "revoke", () => eve.getByRole("button", { name: "Remove the Equality Unit role" }).click());
    const during = stateNow();
    expect(during.leo).not.toBeNull();
    expect(during.gina).toBe(1);
    await replayAll([reinstate, revoke]);
    expect(stateNow()).toEqual(during);
  } finally {
    reinstateInDb(LEO.email);
    revokeInDb(GINA.email);
  }
});
