import { randomBytes } from "node:crypto";

import type { APIResponse, Browser, BrowserContext, Cookie, Page } from "@playwright/test";
import Database from "better-sqlite3";

import { captureAction, replayAction } from "./actions";
import { hashSessionToken } from "../lib/auth/session-token";
import { BASE_URL, expect, IDP_URL, test } from "./fixtures";
import {
  expectAuditFreeOfPersonalData,
  expectNoAxeViolations,
  SESSION_COOKIE,
  sessionCountFor,
  sessionRow,
  userByEmail,
  waitForHydration,
  withDb,
} from "./helpers";
import { SECOND_APP_URL, SECOND_IDP_PORT, SECOND_IDP_URL, startSecondApp, startSecondIdp, type SecondApp } from "./support/hostile-servers";
import { portIsClosed, type Server } from "./support/own-servers";

// Hostile single sign-on (issue 9, items 6 and 7): every way of bending the OpenID Connect flow ends signed out on
// the sign-in problem page with no session row; planted and replayed session cookies are worth nothing; and when
// the identity provider is down, people are told so. Everything goes through the real browser, the real
// dev IdP (a second one, made to misbehave, for the ID token checks) and the real database.
//
// Hal is the person every attack tries to sign in; Ivy is the person who signs in and out for real. Each group runs
// in order, so that counting their sessions before and after a step is exact.

const HAL = "hal.hostile@example.org";
const IVY = "ivy.hostile@example.org";

// The check cookies Auth.js sets when sign-in starts (auth.ts): state, PKCE code verifier and nonce.
const CHECKS = { state: "confide.state", pkce: "confide.pkce", nonce: "confide.nonce" } as const;
type CheckCookies = Record<keyof typeof CHECKS, Cookie>;

// Anything a person should never see: stacks, file names, error classes, protocol vocabulary.
const INTERNALS =
  /node_modules|\bat \S+ \(|\.tsx?:\d+|Error:|Configuration|InvalidCheck|CallbackRouteError|OAuth|digest|nonce|pkce|code_verifier|id_token|invalid_grant|audience|\bjwt\b/i;

// Failed sign-in callbacks are audited by the class of reason only, at most once per reason a minute per server
// process (lib/auth/sign-in-failure.ts). Journeys running alongside send bad callbacks too, so the event standing
// for a failure may be one written earlier in the same minute: the check is that one exists for that minute, and
// that no minute has two.
const SIGN_IN_FAILED = "auth.sign_in_failed";
const MINUTE = 60_000;
type FailureRow = { seq: number; at: number; actor_id: string | null; object_type: string | null; outcome: string };

function failureRows(db: Database.Database, reason: string, afterSeq = 0): FailureRow[] {
  return db
    .prepare("SELECT seq, at, actor_id, object_type, outcome FROM audit_events WHERE action = ? AND object_id = ? AND seq > ? ORDER BY seq")
    .all(SIGN_IN_FAILED, reason, afterSeq) as FailureRow[];
}

function lastSeqIn(db: Database.Database): number {
  return (db.prepare("SELECT coalesce(max(seq), 0) AS seq FROM audit_events").get() as { seq: number }).seq;
}

function expectFailureAudited(rows: FailureRow[], startedAt: number): void {
  const windowStart = startedAt - (startedAt % MINUTE);
  const standing = rows.filter((row) => row.at >= windowStart);
  expect(standing.length, "an audit event for the failed sign-in in this minute").toBeGreaterThan(0);
  for (const row of rows) expect(row).toMatchObject({ actor_id: null, object_type: "sign_in", outcome: "denied" });
  const perMinute = new Map<number, number>();
  for (const row of rows) perMinute.set(Math.floor(row.at / MINUTE), (perMinute.get(Math.floor(row.at / MINUTE)) ?? 0) + 1);
  expect(Math.max(...perMinute.values()), "at most one event per reason a minute").toBe(1);
}

async function checkCookies(context: BrowserContext, appUrl: string): Promise<CheckCookies> {
  const cookies = await context.cookies(appUrl);
  const find = (name: string) => {
    const cookie = cookies.find((c) => c.name === name);
    expect(cookie, `the ${name} cookie`).toBeDefined();
    return cookie as Cookie;
  };
  return { state: find(CHECKS.state), pkce: find(CHECKS.pkce), nonce: find(CHECKS.nonce) };
}

/** Starts sign-in as the browser would; returns where the app sends it (the IdP) and the check cookies it set. */
async function beginSignIn(context: BrowserContext, appUrl: string): Promise<{ authorize: URL; checks: CheckCookies }> {
  const response = await context.request.get(`${appUrl}/signin?callbackUrl=%2Faccount`, { maxRedirects: 0 });
  expect(response.status(), "sign-in starts with a redirect to the identity provider").toBe(307);
  const authorize = new URL(response.headers()["location"] ?? "");
  expect(authorize.searchParams.get("state")).toBeTruthy();
  return { authorize, checks: await checkCookies(context, appUrl) };
}

/**
 * Signs in on the identity provider's form, stopping on the way back before the app: returns the callback address
 * (with the authorization code) so that the test decides what the app receives. The form's own action is posted
 * over HTTP with the browser's cookies, as Playwright cannot stop a navigation part-way through its redirects.
 */
async function callbackFromIdp(page: Page, appUrl: string, idpUrl: string, email: string): Promise<URL> {
  await expect(page).toHaveURL((url) => url.origin === idpUrl);
  await expect(page.getByLabel("Email")).toBeVisible();
  const action = new URL((await page.locator("form").getAttribute("action")) ?? "", page.url());
  const http = page.context().request;
  let response = await http.post(action.toString(), { form: { email, password: "demo" }, maxRedirects: 0 });
  for (let hop = 0; hop < 5; hop += 1) {
    expect(response.status(), "a redirect").toBeGreaterThanOrEqual(300);
    expect(response.status()).toBeLessThan(400);
    const location = new URL(response.headers()["location"] ?? "", idpUrl);
    if (location.origin === appUrl) {
      expect(location.pathname).toBe("/api/auth/callback/oidc");
      expect(location.searchParams.get("code"), "an authorization code").toBeTruthy();
      return location;
    }
    expect(location.origin).toBe(idpUrl);
    response = await http.get(location.toString(), { maxRedirects: 0 });
  }
  throw new Error("the identity provider did not send the browser back");
}

async function sessionCookieOf(context: BrowserContext, appUrl: string): Promise<Cookie | undefined> {
  return (await context.cookies(appUrl)).find((cookie) => cookie.name === SESSION_COOKIE);
}

function expectSentToSignIn(response: APIResponse, appUrl: string, pathname: string): void {
  expect(response.status(), "a redirect, not the content").toBeGreaterThanOrEqual(300);
  expect(response.status()).toBeLessThan(400);
  const location = new URL(response.headers()["location"] ?? "", appUrl);
  expect(location.origin).toBe(appUrl);
  expect(location.pathname).toBe("/signin");
  expect(location.searchParams.get("callbackUrl")).toBe(pathname);
}

/** The sign-in problem page, in plain English and nothing else, and the browser holds no session. */
async function expectSignedOutWithProblemPage(page: Page, appUrl: string): Promise<void> {
  await expect(page).toHaveURL((url) => url.origin === appUrl && url.pathname === "/sign-in-problem");
  await expect(page.getByRole("heading", { level: 1, name: "You could not be signed in" })).toBeVisible();
  await expect(page.getByText("Something went wrong while signing you in. Try again.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Try signing in again" })).toHaveAttribute("href", "/signin");
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  expect(await page.locator("body").innerText()).not.toMatch(INTERNALS);
  expect(await sessionCookieOf(page.context(), appUrl), "no session cookie").toBeUndefined();
  expectSentToSignIn(await page.request.get(`${appUrl}/account`, { maxRedirects: 0 }), appUrl, "/account");
}

async function signInThroughForm(page: Page, idpUrl: string, email: string): Promise<void> {
  await expect(page).toHaveURL((url) => url.origin === idpUrl);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo");
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function withContext<T>(browser: Browser, work: (context: BrowserContext, page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    return await work(context, await context.newPage());
  } finally {
    await context.close();
  }
}

/** Someone signs in (at the run's app and identity provider unless told otherwise) and is back on /account. */
async function signInAt(
  browser: Browser,
  email: string,
  appUrl = BASE_URL,
  idpUrl = IDP_URL,
): Promise<{ context: BrowserContext; page: Page; token: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${appUrl}/account`);
  await signInThroughForm(page, idpUrl, email);
  await expect(page).toHaveURL(`${appUrl}/account`);
  const token = (await sessionCookieOf(context, appUrl))?.value ?? "";
  expect(token).toMatch(/^[0-9a-f]{64}$/);
  return { context, page, token };
}

/** The Sign out button's own request; the identity provider's half of signing out is e2e/auth.spec.ts's. */
async function signOut(page: Page, token: string): Promise<void> {
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  const response = await page.request.post(`${BASE_URL}/signout`, { headers: { origin: BASE_URL }, maxRedirects: 0 });
  expect(response.status()).toBe(303);
  expect(sessionRow(token), "signing out deletes the session row").toBeUndefined();
}

type Tampering = {
  name: string;
  /** The class of reason its failure is audited with. */
  reason: "check_failed" | "idp_refused";
  /** Changes what the app receives: the callback address, or the check cookies in the browser. */
  tamper: (args: { context: BrowserContext; callback: URL; other: { authorize: URL; checks: CheckCookies } }) => Promise<URL>;
};

const TAMPERINGS: Tampering[] = [
  {
    // A login-CSRF attempt: the callback carries the state of a sign-in the browser did not start.
    name: "the callback's state belongs to another sign-in",
    reason: "check_failed",
    tamper: async ({ callback, other }) => {
      const url = new URL(callback);
      url.searchParams.set("state", other.authorize.searchParams.get("state") ?? "");
      return url;
    },
  },
  {
    // The ID token carries the nonce of this sign-in; the browser now holds the nonce of another one.
    name: "the nonce does not match the ID token's",
    reason: "check_failed",
    tamper: async ({ context, callback, other }) => {
      await context.addCookies([other.checks.nonce]);
      return callback;
    },
  },
  {
    // The identity provider checks the code verifier against the challenge it was given when sign-in started.
    name: "the PKCE code verifier belongs to another sign-in",
    // The identity provider refuses to exchange the code: to us, that is the provider saying no.
    reason: "idp_refused",
    tamper: async ({ context, callback, other }) => {
      await context.addCookies([other.checks.pkce]);
      return callback;
    },
  },
  {
    name: "the PKCE code verifier cookie is missing",
    reason: "check_failed",
    tamper: async ({ context, callback }) => {
      await context.clearCookies({ name: CHECKS.pkce });
      return callback;
    },
  },
];

test.describe("against the run's identity provider", () => {
  test.describe.configure({ mode: "default" });

  test("untouched, the same steps sign a person in (so the refusals below are the checks at work)", async ({ browser }) => {
    await withContext(browser, async (context, page) => {
      const { authorize } = await beginSignIn(context, BASE_URL);
      await page.goto(authorize.toString());
      const callback = await callbackFromIdp(page, BASE_URL, IDP_URL, IVY);
      await page.goto(callback.toString());
      await expect(page).toHaveURL(`${BASE_URL}/account`);
      await expect(page.getByText(IVY, { exact: true })).toBeVisible();
      expect(sessionRow((await sessionCookieOf(context, BASE_URL))?.value ?? "")?.user_id).toBe(userByEmail(IVY)?.id);
    });
  });

  for (const { name, reason, tamper } of TAMPERINGS) {
    test(`sign-in is refused and audited when ${name}`, async ({ browser }) => {
      const startedAt = Date.now();
      const halBefore = userByEmail(HAL)?.id;
      const sessionsBefore = sessionCountFor(HAL);
      // Another sign-in, started in another browser, whose values the attacker brings.
      const other = await withContext(browser, (context) => beginSignIn(context, BASE_URL));
      await withContext(browser, async (context, page) => {
        const { authorize, checks } = await beginSignIn(context, BASE_URL);
        expect(checks.state.value).not.toBe(other.checks.state.value);
        await page.goto(authorize.toString());
        const callback = await callbackFromIdp(page, BASE_URL, IDP_URL, HAL);
        await page.goto((await tamper({ context, callback, other })).toString());
        await expectSignedOutWithProblemPage(page, BASE_URL);
      });
      expect(sessionCountFor(HAL), "no session row").toBe(sessionsBefore);
      expect(userByEmail(HAL)?.id, "no account created").toBe(halBefore);
      expectFailureAudited(withDb((db) => failureRows(db, reason)), startedAt);
      expectAuditFreeOfPersonalData();
    });
  }

  test("an authorization code works once: used again, even with the right cookies, it signs nobody in", async ({ browser }) => {
    const startedAt = Date.now();
    await withContext(browser, async (context, page) => {
      const { authorize } = await beginSignIn(context, BASE_URL);
      await page.goto(authorize.toString());
      const callback = await callbackFromIdp(page, BASE_URL, IDP_URL, IVY);

      // First use, by another browser given copies of this one's cookies: accepted, which shows the copies are good.
      await withContext(browser, async (copy, copyPage) => {
        await copy.addCookies(await context.cookies());
        await copyPage.goto(callback.toString());
        await expect(copyPage).toHaveURL(`${BASE_URL}/account`);
        expect(await sessionCookieOf(copy, BASE_URL)).toBeDefined();
      });
      const sessionsAfterFirstUse = sessionCountFor(IVY);

      // Second use, by the browser that started the sign-in, with its own cookies: the identity provider refuses
      // the code (and revokes what was issued with it), so the app signs nobody in.
      await page.goto(callback.toString());
      await expectSignedOutWithProblemPage(page, BASE_URL);
      expect(sessionCountFor(IVY), "no second session").toBe(sessionsAfterFirstUse);
    });
    expectFailureAudited(withDb((db) => failureRows(db, "idp_refused")), startedAt);
  });

  test("a random session cookie planted before sign-in is not the one the person is signed in with", async ({ browser }) => {
    const planted = randomBytes(32).toString("hex");
    await withContext(browser, async (context, page) => {
      await context.addCookies([{ name: SESSION_COOKIE, value: planted, url: BASE_URL, httpOnly: true, sameSite: "Lax" }]);
      await page.goto("/account");
      await signInThroughForm(page, IDP_URL, HAL);
      await expect(page).toHaveURL(`${BASE_URL}/account`);
      const token = (await sessionCookieOf(context, BASE_URL))?.value;
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect(token).not.toBe(planted);
      expect(sessionRow(token ?? "")?.user_id).toBe(userByEmail(HAL)?.id);
    });
    expect(sessionRow(planted), "the planted value never became a session").toBeUndefined();
  });

  test("another person's old session token planted before sign-in is not the one the person is signed in with", async ({ browser }) => {
    const ivy = await signInAt(browser, IVY);
    const old = ivy.token;
    try {
      await signOut(ivy.page, old);
    } finally {
      await ivy.context.close();
    }

    await withContext(browser, async (context, page) => {
      await context.addCookies([{ name: SESSION_COOKIE, value: old, url: BASE_URL, httpOnly: true, sameSite: "Lax" }]);
      await page.goto("/account");
      await signInThroughForm(page, IDP_URL, HAL);
      await expect(page).toHaveURL(`${BASE_URL}/account`);
      await expect(page.getByText(HAL, { exact: true })).toBeVisible();
      const token = (await sessionCookieOf(context, BASE_URL))?.value;
      expect(token).not.toBe(old);
      expect(sessionRow(token ?? "")?.user_id).toBe(userByEmail(HAL)?.id);
    });
    expect(sessionRow(old), "the old token did not come back to life").toBeUndefined();
  });

  test("after sign-out the old session cookie gets the sign-in redirect from a page, a route handler and a server action", async ({ browser }) => {
    const ivy = await signInAt(browser, IVY);
    const textSize = () => userByEmail(IVY)?.text_size;
    const resetTextSize = () => withDb((db) => db.prepare("UPDATE users SET text_size = 'standard' WHERE email = ?").run(IVY));
    resetTextSize();
    const replayer = await browser.newContext();
    try {
      await ivy.page.reload();
      await waitForHydration(ivy.page);
      await ivy.page.getByLabel("Large", { exact: true }).check();
      const saveLarge = await captureAction(ivy.page, "save text size", () =>
        ivy.page.getByRole("button", { name: "Save preferences" }).click(),
      );
      expect(textSize(), "capturing sent nothing").toBe("standard");

      // While the session is live, the same cookie gets the content and the action takes effect.
      await replayer.addCookies([{ name: SESSION_COOKIE, value: ivy.token, url: BASE_URL, httpOnly: true, sameSite: "Lax" }]);
      const api = replayer.request;
      const live = await api.get(`${BASE_URL}/account`, { maxRedirects: 0 });
      expect(live.status()).toBe(200);
      expect(await live.text()).toContain(IVY);
      const liveData = await api.post(`${BASE_URL}/account/data`, { headers: { origin: BASE_URL }, maxRedirects: 0 });
      expect(liveData.status()).toBe(200);
      expect((await replayAction(api, saveLarge)).status()).toBe(200);
      expect(textSize(), "the replayed action works while signed in").toBe("large");
      resetTextSize();

      await signOut(ivy.page, ivy.token);
      const sessionsAfterSignOut = sessionCountFor(IVY);

      const page = await api.get(`${BASE_URL}/account`, { maxRedirects: 0 });
      expectSentToSignIn(page, BASE_URL, "/account");
      expect(await page.text()).not.toContain(IVY);

      const data = await api.post(`${BASE_URL}/account/data`, { headers: { origin: BASE_URL }, maxRedirects: 0 });
      expectSentToSignIn(data, BASE_URL, "/account");
      expect(await data.text()).not.toContain(IVY);

      const action = await replayAction(api, saveLarge);
      const destination = action.headers()["x-action-redirect"] ?? action.headers()["location"] ?? "";
      expect(destination, "the action answers with the sign-in redirect").toMatch(/^\/signin\?callbackUrl=/);
      expect(textSize(), "the action changed nothing").toBe("standard");

      expect(sessionRow(ivy.token), "replaying did not bring the session back").toBeUndefined();
      expect(sessionCountFor(IVY)).toBe(sessionsAfterSignOut);
    } finally {
      resetTextSize();
      await replayer.close();
      await ivy.context.close();
    }
  });
});

// A second app (the same build) whose identity provider this group controls: one that signs ID tokens for another
// audience or as another issuer, and none at all.
test.describe("against an identity provider that misbehaves or is down", () => {
  test.describe.configure({ mode: "default" });

  let app: SecondApp | undefined;
  // Audit events up to here came with the copy of the run's database; the checks below look only after it.
  let copiedSeq = 0;
  test.beforeAll(async () => {
    app = await startSecondApp();
    copiedSeq = inSecondDb(lastSeqIn);
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  const inSecondDb = <T>(work: (db: Database.Database) => T): T => {
    const db = new Database(app?.databasePath ?? "", { readonly: true });
    try {
      return work(db);
    } finally {
      db.close();
    }
  };
  const halRows = () =>
    inSecondDb((db) => ({
      users: (db.prepare("SELECT count(*) AS n FROM users WHERE email = ?").get(HAL) as { n: number }).n,
      sessions: (
        db.prepare("SELECT count(*) AS n FROM sessions JOIN users ON users.id = sessions.user_id WHERE users.email = ?").get(HAL) as {
          n: number;
        }
      ).n,
    }));

  test("with the identity provider down, sign-in says it is unavailable, and nothing internal", async ({ browser }) => {
    expect(await portIsClosed(SECOND_IDP_PORT), "nothing listens where the identity provider should be").toBe(true);
    await withContext(browser, async (context, page) => {
      const started = Date.now();
      const response = await page.goto(`${SECOND_APP_URL}/account`);
      expect(Date.now() - started, "an answer, not a hang").toBeLessThan(10_000);
      await expect(page).toHaveURL(`${SECOND_APP_URL}/sign-in-unavailable`);
      expect(response?.status()).toBe(200);

      await expect(page).toHaveTitle("Sign-in is unavailable – Confide");
      await expect(page.getByRole("heading", { level: 1, name: "Sign-in is unavailable" })).toBeVisible();
      const main = page.locator("main");
      await expect(main).toContainText("single sign-on service is not responding");
      await expect(main).toContainText("Your information in Confide is safe");
      await expect(main).toContainText("Try again later");
      await expect(main).toContainText("contact the IT service desk");
      await expect(page.getByRole("link", { name: "Try signing in again" })).toHaveAttribute("href", "/signin");
      expect(await page.locator("body").innerText()).not.toMatch(INTERNALS);
      expect(await page.locator("body").innerText()).not.toContain(`${SECOND_IDP_PORT}`);
      // The page's own scripts run: the quick exit is live.
      await waitForHydration(page);
      await expectNoAxeViolations(page);
      expect(await sessionCookieOf(context, SECOND_APP_URL)).toBeUndefined();
    });

    const output = app?.output() ?? "";
    expect(output).toContain('"event":"auth.identity_provider_unreachable"');
    const env = app?.env;
    const dataKeys = (env?.CONFIDE_DATA_KEY ?? "").split(/[,:]/).filter((part) => part.length > 8);
    const secrets = [env?.AUTH_SECRET ?? "", env?.AUTH_OIDC_SECRET ?? "", ...dataKeys];
    expect(dataKeys.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(output.includes(secret), "no secret in the log").toBe(false);
    }
    expect(output, "no stack trace in the log").not.toMatch(/\n\s+at \S/);
    expect(output, "no address in the log").not.toContain("@example.org");
  });

  test("when the identity provider answers again, the same app signs people in", async ({ browser }) => {
    const idp = await startSecondIdp();
    try {
      await withContext(browser, async (context, page) => {
        await page.goto(`${SECOND_APP_URL}/account`);
        await signInThroughForm(page, SECOND_IDP_URL, IVY);
        await expect(page).toHaveURL(`${SECOND_APP_URL}/account`);
        await expect(page.getByText(IVY, { exact: true })).toBeVisible();
        expect(await sessionCookieOf(context, SECOND_APP_URL)).toBeDefined();
      });
    } finally {
      await idp.stop();
    }
  });

  for (const [fault, what] of [
    ["wrong-audience", "issued for another relying party"],
    ["wrong-issuer", "signed as another issuer"],
  ] as const) {
    test(`an ID token ${what} ends signed out on the sign-in problem page, and is audited`, async ({ browser }) => {
      const startedAt = Date.now();
      const before = halRows();
      const idp = await startSecondIdp(fault);
      try {
        await withContext(browser, async (_context, page) => {
          await page.goto(`${SECOND_APP_URL}/account`);
          await signInThroughForm(page, SECOND_IDP_URL, HAL);
          await expectSignedOutWithProblemPage(page, SECOND_APP_URL);
        });
      } finally {
        await idp.stop();
      }
      expect(idp.output()).toContain(`issuing faulty ID tokens (${fault})`);
      expect(halRows(), "no account and no session").toEqual(before);
      expectFailureAudited(inSecondDb((db) => failureRows(db, "token_invalid", copiedSeq)), startedAt);
    });
  }

  // The Sign out button, pressed; whether the identity provider answers or not, the answer is a redirect.
  const pressSignOut = async (page: Page): Promise<void> => {
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/signout");
    await page.getByRole("button", { name: "Sign out" }).click();
    expect((await answer).status(), "a redirect, not an error").toBe(303);
  };
  const sessionRowsFor = (token: string) =>
    inSecondDb((db) => (db.prepare("SELECT count(*) AS n FROM sessions WHERE session_token = ?").get(hashSessionToken(token)) as { n: number }).n);

  /** Our half of sign-out happened: no row, no cookie, the old token sent to sign-in, and the page says so. */
  const expectSignedOutHere = async (
    browser: Browser,
    person: { context: BrowserContext; page: Page; token: string },
    singleSignOn: "ended" | "maybe still signed in",
  ): Promise<void> => {
    const { context, page, token } = person;
    await expect(page).toHaveURL((url) => url.origin === SECOND_APP_URL && url.pathname === "/signed-out");
    await expect(page.getByRole("heading", { level: 1, name: "You have signed out" })).toBeVisible();
    const main = page.locator("main");
    if (singleSignOn === "ended") {
      await expect(main).toContainText("Your session has ended on this device and at single sign-on.");
      await expect(main).not.toContainText("may still be signed in");
    } else {
      await expect(main).toContainText("Your session in Confide has ended on this device.");
      await expect(main).toContainText("The force's single sign-on service did not respond, so you may still be signed in to it.");
      await expect(main).not.toContainText("at single sign-on.");
    }
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
    expect(await page.locator("body").innerText()).not.toMatch(INTERNALS);
    expect(await sessionCookieOf(context, SECOND_APP_URL), "the cookie is cleared").toBeUndefined();
    expect(sessionRowsFor(token), "the session row is deleted").toBe(0);
    await withContext(browser, async (replay) => {
      await replay.addCookies([{ name: SESSION_COOKIE, value: token, url: SECOND_APP_URL, httpOnly: true, sameSite: "Lax" }]);
      expectSentToSignIn(await replay.request.get(`${SECOND_APP_URL}/account`, { maxRedirects: 0 }), SECOND_APP_URL, "/account");
    });
  };

  test("signing out while the identity provider is down ends the session here and says single sign-on may not have", async ({ browser }) => {
    const people: { context: BrowserContext; page: Page; token: string }[] = [];
    let idp: Server | undefined = await startSecondIdp();
    try {
      for (let i = 0; i < 3; i += 1) people.push(await signInAt(browser, IVY, SECOND_APP_URL, SECOND_IDP_URL));
      const [first, second, third] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
      for (const person of people) expect(sessionRowsFor(person.token)).toBe(1);

      // The identity provider goes down and the app restarts: it has never asked the provider anything.
      await idp.stop();
      idp = undefined;
      await app?.restart();
      await pressSignOut(second.page);
      await expectSignedOutHere(browser, second, "maybe still signed in");
      await waitForHydration(second.page);
      await expectNoAxeViolations(second.page);

      // With the provider back, signing out ends its session too (and the app learns where its end-session page is).
      idp = await startSecondIdp();
      await pressSignOut(first.page);
      await expectSignedOutHere(browser, first, "ended");

      // Down again: what the app learnt about the provider while it was up does not send anyone to it now.
      await idp.stop();
      idp = undefined;
      await pressSignOut(third.page);
      await expectSignedOutHere(browser, third, "maybe still signed in");
    } finally {
      await idp?.stop();
      for (const person of people) await person.context.close();
    }
    expect(app?.output() ?? "", "no stack trace in the log").not.toMatch(/\n\s+at \S/);
  });

  test("a flood of bad callbacks is audited once a minute, not once each", async ({ request }) => {
    const startedAt = Date.now();
    const lastSeq = inSecondDb(lastSeqIn);
    // Hand-made callbacks without the check cookies a real sign-in sets: each one fails its state check. (Auth.js
    // reads the provider's discovery document first, so the provider is up: down, they would fail as "other".)
    const idp = await startSecondIdp();
    let responses: APIResponse[];
    try {
      responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          request.get(`${SECOND_APP_URL}/api/auth/callback/oidc?code=flood-${i}&state=flood-${i}`, { maxRedirects: 0 }),
        ),
      );
    } finally {
      await idp.stop();
    }
    for (const response of responses) {
      expect(response.status()).toBe(302);
      expect(new URL(response.headers()["location"] ?? "").pathname).toBe("/sign-in-problem");
    }
    const written = inSecondDb((db) =>
      db.prepare("SELECT action, object_type, object_id, actor_id, at FROM audit_events WHERE seq > ?").all(lastSeq),
    ) as { action: string; object_type: string | null; object_id: string | null; actor_id: string | null; at: number }[];
    expectFailureAudited(inSecondDb((db) => failureRows(db, "check_failed", lastSeq)), startedAt);
    // Per minute: one auth.sign_in_failed, and one rate_limit.refused saying that more followed it.
    const minutes = new Set(written.map((row) => Math.floor(row.at / MINUTE))).size;
    expect(written.length, JSON.stringify(written)).toBeLessThanOrEqual(2 * minutes);
    expect(written).toContainEqual(expect.objectContaining({ action: "rate_limit.refused", object_type: "sign_in", actor_id: null }));
  });
});
