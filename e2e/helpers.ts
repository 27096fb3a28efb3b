import { spawnSync } from "node:child_process";
import path from "node:path";

import AxeBuilder from "@axe-core/playwright";
import type { APIResponse, BrowserContext, Page } from "@playwright/test";
import type Database from "better-sqlite3";

import { hashSessionToken } from "../lib/auth/session-token";
import { appProcessEnv, BASE_URL, expect, IDP_URL, testDb } from "./fixtures";

// Helpers shared by the journeys: the database the run uses, the session cookie, the identity provider's form,
// the quick-exit destination and axe-core.

export const SESSION_COOKIE = "confide.session";
// lib/env's default; the tests run without QUICK_EXIT_URL.
export const QUICK_EXIT_URL = "https://www.bbc.co.uk/weather";
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
// Names the identity provider releases for the people the journeys use (dev-idp/accounts.ts, e2e/accounts.json).
// Casey's text size is changed by the security journeys and nobody else; tests that change or show it take this lock.
export const CASEY_TEXT_SIZE_LOCK = "casey.text-size";
// Held by journeys that change who is in the Equality Unit, and by those that depend on who is.
export const EQUALITY_UNIT_MEMBERS_LOCK = "equality-unit-members";
export const PEOPLE_NAMES = ["Alex Morgan", "Sam Patel", "Casey Jones", "Eve Okafor", "Dana Reid", "Jo Bennett"];

const ROOT = path.resolve(__dirname, "..");

/** Opens the run's database for one piece of work and closes it again, so no test holds a connection open. */
export function withDb<T>(work: (db: Database.Database) => T): T {
  const db = testDb();
  try {
    return work(db);
  } finally {
    db.close();
  }
}

export type UserRow = { id: string; email: string; name: string | null; text_size: string; deactivated_at: number | null };
export type SessionRow = { session_token: string; user_id: string; expires: number; created_at: number };

export function userByEmail(email: string): UserRow | undefined {
  return withDb((db) =>
    db
      .prepare("SELECT id, email, name, text_size, deactivated_at FROM users WHERE lower(email) = lower(?)")
      .get(email) as UserRow | undefined,
  );
}

/** The session row of a cookie's token. The database holds the token's SHA-256, never the token (lib/auth/session-adapter.ts). */
export function sessionRow(token: string): SessionRow | undefined {
  return withDb((db) =>
    db
      .prepare("SELECT session_token, user_id, expires, created_at FROM sessions WHERE session_token = ?")
      .get(hashSessionToken(token)) as SessionRow | undefined,
  );
}

/** How many session rows hold exactly this value in session_token, as stored: no hashing. */
export function sessionRowsStoring(value: string): number {
  return withDb((db) => (db.prepare("SELECT count(*) AS n FROM sessions WHERE session_token = ?").get(value) as { n: number }).n);
}

export function sessionCountFor(email: string): number {
  return withDb((db) => {
    const row = db
      .prepare("SELECT count(*) AS n FROM sessions JOIN users ON users.id = sessions.user_id WHERE lower(users.email) = lower(?)")
      .get(email) as { n: number };
    return row.n;
  });
}

export function updateSession(token: string, change: { expires?: number; createdAt?: number }): void {
  withDb((db) => {
    if (change.expires !== undefined) {
      db.prepare("UPDATE sessions SET expires = ? WHERE session_token = ?").run(change.expires, hashSessionToken(token));
    }
    if (change.createdAt !== undefined) {
      db.prepare("UPDATE sessions SET created_at = ? WHERE session_token = ?").run(change.createdAt, hashSessionToken(token));
    }
  });
}

export type AuditRow = {
  seq: number;
  actor_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string;
};

export function lastAuditSeq(): number {
  return withDb((db) => (db.prepare("SELECT coalesce(max(seq), 0) AS seq FROM audit_events").get() as { seq: number }).seq);
}

export function auditEventsAfter(seq: number): AuditRow[] {
  return withDb(
    (db) =>
      db
        .prepare("SELECT seq, actor_id, action, object_type, object_id, outcome FROM audit_events WHERE seq > ? ORDER BY seq")
        .all(seq) as AuditRow[],
  );
}

/** Every text value in the audit log, column by column, so a new column cannot escape the check. */
export function auditTextValues(): { column: string; value: string }[] {
  return withDb((db) => {
    const columns = (db.prepare("PRAGMA table_info(audit_events)").all() as { name: string; type: string }[])
      .filter((column) => column.type.toUpperCase() === "TEXT")
      .map((column) => column.name);
    expect(columns.length).toBeGreaterThan(0);
    const rows = db.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(", ")} FROM audit_events`).all() as Record<
      string,
      string | null
    >[];
    return rows.flatMap((row) =>
      columns.flatMap((column) => {
        const value = row[column];
        return typeof value === "string" ? [{ column, value }] : [];
      }),
    );
  });
}

/** Audit events record opaque ids, never an email address or a person's name. */
export function expectAuditFreeOfPersonalData(): void {
  const values = auditTextValues();
  expect(values.length).toBeGreaterThan(0);
  const leaks = values.filter(
    ({ value }) => value.includes("@") || PEOPLE_NAMES.some((name) => value.toLowerCase().includes(name.toLowerCase())),
  );
  expect(leaks).toEqual([]);
}

/** `npm run deactivate -- <email>` against the run's database. */
export function deactivate(email: string): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/deactivate.ts", email],
    { cwd: ROOT, env: appProcessEnv(), encoding: "utf8" },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export async function sessionCookie(context: BrowserContext) {
  return (await context.cookies(BASE_URL)).find((cookie) => cookie.name === SESSION_COOKIE);
}

export async function sessionToken(context: BrowserContext): Promise<string> {
  const cookie = await sessionCookie(context);
  expect(cookie, `the ${SESSION_COOKIE} cookie`).toBeDefined();
  return cookie?.value ?? "";
}

/** The identity provider's own sign-in form, not an automatic sign-in. */
export async function expectIdpSignInForm(page: Page): Promise<void> {
  await expect(page).toHaveURL((url) => url.origin === IDP_URL);
  await expect(page.getByLabel("Email")).toBeVisible();
  await expect(page.getByLabel("Password")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
}

/** Asks for a page without following redirects, with the context's cookies. */
export function getWithoutRedirects(page: Page, pathname: string): Promise<APIResponse> {
  return page.request.get(new URL(pathname, BASE_URL).toString(), { maxRedirects: 0 });
}

/** The app sends a visitor without a valid session to sign-in, coming back to `pathname` afterwards. */
export async function expectSentToSignIn(response: APIResponse, pathname: string): Promise<void> {
  expect(response.status(), "a redirect, not the page").toBeGreaterThanOrEqual(300);
  expect(response.status()).toBeLessThan(400);
  const location = new URL(response.headers()["location"] ?? "", BASE_URL);
  expect(location.origin).toBe(BASE_URL);
  expect(location.pathname).toBe("/signin");
  expect(location.searchParams.get("callbackUrl")).toBe(pathname);
}

/** The machine has no internet: the neutral site is served locally. */
export async function routeNeutralSite(context: BrowserContext): Promise<void> {
  await context.route("https://www.bbc.co.uk/**", (route) =>
    route.fulfill({ body: "<title>Weather</title><h1>Weather</h1>", contentType: "text/html" }),
  );
}

export async function expectNoAxeViolations(page: Page): Promise<void> {
  // After a server action the page's metadata is re-rendered; scan once it has its title again, not mid-refresh.
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
  expect(summary).toEqual([]);
  // Guard against a scan of an empty or half-loaded page passing vacuously.
  expect(results.passes.length).toBeGreaterThan(0);
}

/**
 * Client components are interactive only after hydration. The quick-exit link gains its keyboard hint then, so it
 * tells us that the page's JavaScript is running (and that a click submits forms through React, not the browser).
 */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.getByRole("link", { name: "Exit this page" })).toHaveAttribute("aria-describedby", "exit-this-page-hint");
}
