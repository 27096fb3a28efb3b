import { test as base, expect, type Browser, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import fs from "node:fs";

// Journeys sign in the way a person does: through the dev IdP's form. There is no shortcut in the app.

export const PEOPLE = {
  staff: "alex.staff@example.org",
  supporter: "sam.supporter@example.org",
  coordinator: "casey.coordinator@example.org",
  equalityUnit: "eve.equality@example.org",
  leaver: "dana.leaver@example.org",
  newStarter: "jo.newstarter@example.org",
} as const;
export type Person = keyof typeof PEOPLE;

export const BASE_URL = process.env.E2E_BASE_URL ?? "http://localhost:3100";
export const IDP_URL = process.env.E2E_IDP_URL ?? "http://localhost:3101";

// Fills the identity provider's form on the current page and waits to be back on the app.
export async function completeSignIn(page: Page, email: string, password = "demo"): Promise<void> {
  await expect(page).toHaveURL((url) => url.origin === IDP_URL);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.origin === BASE_URL);
}

export async function signIn(page: Page, who: Person, path = "/"): Promise<void> {
  await page.goto(path);
  await completeSignIn(page, PEOPLE[who]);
  await expect(page).toHaveURL((url) => url.pathname === path);
}

/** Signs someone in through the identity provider's form, in a browser context of their own, and waits to be back. */
export async function signedIn(browser: Browser, email: string, pathname = "/", javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await page.goto(pathname);
  await completeSignIn(page, email);
  await expect(page).toHaveURL((url) => url.pathname === new URL(pathname, BASE_URL).pathname);
  return page;
}

export function signedInPage(browser: Browser, who: Person, path = "/"): Promise<Page> {
  return signedIn(browser, PEOPLE[who], path);
}

// The app's own configuration (database, local secrets, SMTP), written by the test runner, for tests that run the
// app's scripts (maintenance, deactivate) against the same data.
export function appProcessEnv(): NodeJS.ProcessEnv {
  const file = process.env.E2E_APP_ENV;
  if (!file) throw new Error("E2E_APP_ENV is not set: run the end-to-end tests with npm test");
  return { ...process.env, ...(JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>) };
}

// The test run's own database (never .data/), for checking what the app wrote and for moving time.
export function testDb(): Database.Database {
  const file = process.env.E2E_DATABASE_PATH;
  if (!file) throw new Error("E2E_DATABASE_PATH is not set: run the end-to-end tests with npm test");
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  return db;
}

type Fixtures = { as: (who: Person, path?: string) => Promise<Page> };

export const test = base.extend<Fixtures>({
  as: async ({ browser }, provide) => {
    const pages: Page[] = [];
    await provide(async (who, path) => {
      const page = await signedInPage(browser, who, path);
      pages.push(page);
      return page;
    });
    for (const page of pages) await page.context().close();
  },
});

export { expect };
