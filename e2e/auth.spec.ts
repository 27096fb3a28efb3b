import { hashSessionToken } from "../lib/auth/session-token";
import { BASE_URL, completeSignIn, expect, IDP_URL, PEOPLE, signIn, test, type Person } from "./fixtures";
import {
  auditEventsAfter,
  deactivate,
  expectAuditFreeOfPersonalData,
  expectIdpSignInForm,
  expectSentToSignIn,
  getWithoutRedirects,
  lastAuditSeq,
  SESSION_COOKIE,
  sessionCookie,
  sessionCountFor,
  sessionRow,
  sessionRowsStoring,
  sessionToken,
  updateSession,
  userByEmail,
} from "./helpers";

const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;

// Navigation links that only some roles get (app/layout.tsx).
const ROLE_LINKS = { supporter: "Inbox", coordinator: "Manage LGBT+ Network", equalityUnit: "Admin" } as const;

const JOURNEYS: { who: Person; path: string; sees: string[] }[] = [
  { who: "staff", path: "/account", sees: [] },
  { who: "supporter", path: "/help", sees: [ROLE_LINKS.supporter] },
  { who: "coordinator", path: "/accessibility", sees: [ROLE_LINKS.coordinator] },
  { who: "equalityUnit", path: "/", sees: [ROLE_LINKS.equalityUnit] },
];

for (const { who, path, sees } of JOURNEYS) {
  test(`${who} signs in through the identity provider and returns to ${path}`, async ({ page }) => {
    await page.goto(path);
    await expectIdpSignInForm(page);
    await completeSignIn(page, PEOPLE[who]);
    await expect(page).toHaveURL(`${BASE_URL}${path}`);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    if (path === "/account") {
      await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
      await expect(page.getByText(PEOPLE[who], { exact: true })).toBeVisible();
    }

    const menu = page.getByRole("navigation", { name: "Menu" });
    // Everyone has the common links, so an absent menu cannot pass the role checks below.
    await expect(menu.getByRole("link", { name: "Account", exact: true })).toBeVisible();
    for (const text of Object.values(ROLE_LINKS)) {
      await expect(menu.getByRole("link", { name: text, exact: true })).toHaveCount(sees.includes(text) ? 1 : 0);
    }
  });
}

test("a visitor who is signed out is sent to the identity provider and comes back to the page, path only", async ({ page }) => {
  await page.goto("/accessibility?ref=newsletter");
  await expectIdpSignInForm(page);
  await completeSignIn(page, PEOPLE.staff);
  await expect(page).toHaveURL(`${BASE_URL}/accessibility`);
  await expect(page.getByRole("heading", { level: 1, name: "Accessibility statement for Confide" })).toBeVisible();
});

// Jo is nobody else's test person: the first test proves no sign-in happened by counting Jo's sessions, the second
// proves the first sign-in creates the account. The lock keeps them from running at the same time.
test.describe("a person who has not used Confide before", { lock: "jo.newstarter" }, () => {
  test("a wrong password keeps them on the identity provider and signs nobody in", async ({ page, context }) => {
    const sessionsBefore = sessionCountFor(PEOPLE.newStarter);
    await page.goto("/account");
    await expectIdpSignInForm(page);
    await page.getByLabel("Email").fill(PEOPLE.newStarter);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(page.getByText("Email or password is incorrect").first()).toBeVisible();
    await expect(page).toHaveURL((url) => url.origin === IDP_URL);
    expect(await sessionCookie(context)).toBeUndefined();
    expect(sessionCountFor(PEOPLE.newStarter)).toBe(sessionsBefore);

    await page.goto(`${BASE_URL}/account`);
    await expectIdpSignInForm(page);
    expect(await sessionCookie(context)).toBeUndefined();
  });

  test("their first sign-in creates a staff account from single sign-on", async ({ page }) => {
    expect(userByEmail(PEOPLE.newStarter), "Jo is not in the seed").toBeUndefined();
    const before = lastAuditSeq();

    await page.goto("/account");
    await expectIdpSignInForm(page);
    // The identity provider may hand back the address in any case; Confide keeps it in lower case.
    await completeSignIn(page, "Jo.Newstarter@Example.org");
    await expect(page).toHaveURL(`${BASE_URL}/account`);

    const user = userByEmail(PEOPLE.newStarter);
    expect(user).toMatchObject({ email: "jo.newstarter@example.org", name: "Jo Bennett", deactivated_at: null });
    await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
    await expect(page.getByText("Jo Bennett", { exact: true })).toBeVisible();
    await expect(page.getByText("jo.newstarter@example.org", { exact: true })).toBeVisible();
    // Staff only: none of the role links.
    const menu = page.getByRole("navigation", { name: "Menu" });
    await expect(menu.getByRole("link", { name: "Account", exact: true })).toBeVisible();
    for (const text of Object.values(ROLE_LINKS)) await expect(menu.getByRole("link", { name: text })).toHaveCount(0);

    const events = auditEventsAfter(before).filter((e) => e.actor_id === user?.id);
    expect(events).toContainEqual(expect.objectContaining({ action: "user.created", outcome: "success" }));
    expect(events).toContainEqual(expect.objectContaining({ action: "auth.sign_in", outcome: "success", object_id: user?.id }));
    expectAuditFreeOfPersonalData();
  });
});

test("signing out ends the session here and at the identity provider", async ({ page, browser }) => {
  const before = lastAuditSeq();
  await signIn(page, "supporter", "/account");
  const token = await sessionToken(page.context());
  const userId = sessionRow(token)?.user_id;
  expect(userId).toBe(userByEmail(PEOPLE.supporter)?.id);

  const signedOut = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/signout");
  await page.getByRole("button", { name: "Sign out" }).click();
  expect((await signedOut).status(), "our own Sign out button is accepted").toBe(303);
  await expect(page).toHaveURL(`${BASE_URL}/signed-out`);
  await expect(page.getByRole("heading", { level: 1, name: "You have signed out" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  expect(sessionRow(token), "the session row is deleted").toBeUndefined();

  // RP-initiated logout ended the identity provider's session too: the form, not a silent sign-in.
  await page.goto("/account");
  await expectIdpSignInForm(page);

  // The old cookie is worth nothing now.
  const replay = await browser.newContext();
  try {
    await replay.addCookies([{ name: SESSION_COOKIE, value: token, url: BASE_URL, httpOnly: true, sameSite: "Lax" }]);
    const replayPage = await replay.newPage();
    const response = await getWithoutRedirects(replayPage, "/account");
    await expectSentToSignIn(response, "/account");
    expect(await response.text()).not.toContain(PEOPLE.supporter);
    await replayPage.goto("/account");
    await expectIdpSignInForm(replayPage);
  } finally {
    await replay.close();
  }

  const events = auditEventsAfter(before).filter((e) => e.actor_id === userId);
  expect(events).toContainEqual(expect.objectContaining({ action: "auth.sign_in", outcome: "success", object_id: userId }));
  expect(events).toContainEqual(expect.objectContaining({ action: "auth.sign_out", outcome: "success", object_id: userId }));
  expectAuditFreeOfPersonalData();
});

test("signing out works without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await signIn(page, "staff", "/account");
    const token = await sessionToken(context);
    const signedOut = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/signout");
    await page.getByRole("button", { name: "Sign out" }).click();
    expect((await signedOut).status(), "our own Sign out button is accepted").toBe(303);
    // The identity provider's end-session page submits itself with JavaScript; without it, a button does. (On
    // localhost, Clear-Site-Data also drops the IdP's cookies, and oidc-provider then shows its own "Continue".)
    await expect(page).toHaveURL((url) => url.origin === IDP_URL);
    await page.getByRole("button", { name: /^Continue/ }).click();
    await expect(page).toHaveURL(`${BASE_URL}/signed-out`);
    await expect(page.getByRole("heading", { level: 1, name: "You have signed out" })).toBeVisible();
    expect(sessionRow(token)).toBeUndefined();
    await page.goto("/account");
    await expectIdpSignInForm(page);
  } finally {
    await context.close();
  }
});

test("the session cookie is HttpOnly, SameSite=Lax, for the whole site, and holds 32 random bytes", async ({ page }) => {
  await signIn(page, "staff", "/account");
  const cookie = await sessionCookie(page.context());
  expect(cookie).toMatchObject({ name: SESSION_COOKIE, httpOnly: true, sameSite: "Lax", path: "/" });
  expect(cookie?.value).toMatch(/^[0-9a-f]{64}$/);
  expect(sessionRow(cookie?.value ?? "")).toBeDefined();
  // Not readable from the page.
  expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);
});

test("the database holds the session token's hash, not the token, and a cookie holding the hash signs nobody in", async ({ page, browser }) => {
  await signIn(page, "staff", "/account");
  const token = await sessionToken(page.context());
  const stored = hashSessionToken(token);
  expect(stored).toMatch(/^[0-9a-f]{64}$/);
  expect(stored).not.toBe(token);
  expect(sessionRowsStoring(token), "the token itself is nowhere in the sessions table").toBe(0);
  expect(sessionRowsStoring(stored), "its SHA-256 is").toBe(1);
  expect(sessionRow(token)?.user_id).toBe(userByEmail(PEOPLE.staff)?.id);

  // Someone with a copy of the database has the stored value: as a cookie it is worth nothing.
  const thief = await browser.newContext();
  try {
    await thief.addCookies([{ name: SESSION_COOKIE, value: stored, url: BASE_URL, httpOnly: true, sameSite: "Lax" }]);
    const thiefPage = await thief.newPage();
    const response = await getWithoutRedirects(thiefPage, "/account");
    await expectSentToSignIn(response, "/account");
    expect(await response.text()).not.toContain(PEOPLE.staff);
    const session = await thiefPage.request.get(`${BASE_URL}/api/auth/session`);
    expect(await session.json(), "Auth.js' own endpoint: no session").toBeNull();
  } finally {
    await thief.close();
  }

  // The real cookie still works, and its row was not touched by the attempt.
  expect(sessionRowsStoring(stored)).toBe(1);
  const mine = await getWithoutRedirects(page, "/account");
  expect(mine.status()).toBe(200);
  expect(await mine.text()).toContain(PEOPLE.staff);
});

test.describe("session lifetime", () => {
  test("an idle session has ended: the next visit goes to sign-in and the row is deleted", async ({ page }) => {
    await signIn(page, "staff", "/account");
    const token = await sessionToken(page.context());
    updateSession(token, { expires: Date.now() - MINUTE });

    await expectSentToSignIn(await getWithoutRedirects(page, "/account"), "/account");
    expect(sessionRow(token)).toBeUndefined();
  });

  test("a session older than 12 hours has ended even while it is active", async ({ page }) => {
    await signIn(page, "staff", "/account");
    const token = await sessionToken(page.context());
    const expires = sessionRow(token)?.expires ?? 0;
    expect(expires).toBeGreaterThan(Date.now());
    updateSession(token, { createdAt: Date.now() - 12 * HOUR - MINUTE });

    await expectSentToSignIn(await getWithoutRedirects(page, "/account"), "/account");
    expect(sessionRow(token)).toBeUndefined();
  });

  test("a session 11 hours old still works", async ({ page }) => {
    await signIn(page, "staff", "/account");
    const token = await sessionToken(page.context());
    updateSession(token, { createdAt: Date.now() - 11 * HOUR });

    const response = await page.goto("/account");
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL(`${BASE_URL}/account`);
    await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
    expect(sessionRow(token)).toBeDefined();
  });
});

test("a leaver's account is deactivated: the open session ends at once and they cannot sign in again", async ({ page, browser }) => {
  await signIn(page, "leaver", "/account");
  await expect(page.getByText(PEOPLE.leaver, { exact: true })).toBeVisible();
  const dana = userByEmail(PEOPLE.leaver);
  expect(dana).toMatchObject({ email: PEOPLE.leaver, name: "Dana Reid", deactivated_at: null });
  const token = await sessionToken(page.context());
  expect(sessionRow(token)).toBeDefined();
  const before = lastAuditSeq();

  const result = deactivate(PEOPLE.leaver);
  expect(result.status, result.output).toBe(0);
  expect(userByEmail(PEOPLE.leaver)?.deactivated_at).not.toBeNull();

  // The open session is over at once.
  expect(sessionRow(token)).toBeUndefined();
  await expectSentToSignIn(await getWithoutRedirects(page, "/account"), "/account");
  // Her identity provider session is still alive, so the browser goes straight through sign-in and is refused.
  await page.goto("/account");
  await expect(page).toHaveURL((url) => url.origin === BASE_URL && url.pathname === "/sign-in-problem");
  await expect(page.getByText("Your Confide account is not active")).toBeVisible();

  // Signing in afresh through the identity provider's form is refused too, and leaves no session.
  const fresh = await browser.newContext();
  try {
    const freshPage = await fresh.newPage();
    await freshPage.goto("/account");
    await expectIdpSignInForm(freshPage);
    await completeSignIn(freshPage, PEOPLE.leaver);
    await expect(freshPage).toHaveURL((url) => url.pathname === "/sign-in-problem");
    await expect(freshPage.getByRole("heading", { level: 1, name: "You could not be signed in" })).toBeVisible();
    await expect(freshPage.getByText("Your Confide account is not active")).toBeVisible();
    expect(await sessionCookie(fresh)).toBeUndefined();
  } finally {
    await fresh.close();
  }
  expect(sessionCountFor(PEOPLE.leaver)).toBe(0);

  const events = auditEventsAfter(before);
  expect(events).toContainEqual(expect.objectContaining({ action: "user.deactivated", object_id: dana?.id, outcome: "success" }));
  const denied = events.filter((e) => e.action === "auth.sign_in" && e.outcome === "denied");
  expect(denied.length).toBeGreaterThanOrEqual(2);
  for (const event of denied) expect(event.actor_id).toBe(dana?.id);
  expect(events.filter((e) => e.action === "auth.sign_in" && e.outcome === "success" && e.actor_id === dana?.id)).toEqual([]);
  expectAuditFreeOfPersonalData();
});
