import { spawnSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { APIResponse, Page } from "@playwright/test";

import { appProcessEnv, BASE_URL, expect } from "./fixtures";
import { withDb } from "./helpers";

// Shared by the confidential request journeys (e2e/requests.spec.ts, e2e/request-permissions.spec.ts): sending a
// request through the real data access layer (e2e/create-request.ts, until the ask form exists), reading what the
// app wrote, the mail outbox, and capturing and replaying the real server-action requests.

const ROOT = path.resolve(__dirname, "..");

function databasePath(): string {
  const file = process.env.E2E_DATABASE_PATH;
  if (!file) throw new Error("E2E_DATABASE_PATH is not set: run the end-to-end tests with npm test");
  return file;
}

const dataDir = () => path.dirname(databasePath());
export const outboxDir = () => path.join(dataDir(), "outbox");

const appEnv = appProcessEnv;

/** The opaque reference the Equality Unit is given for a request (db/queries/requests requestReference). */
export const referenceOf = (id: string) => createHash("sha256").update(id, "utf8").digest("hex").slice(0, 8).toUpperCase();

/** A string that exists only in one request, to look for wherever it must not be. */
export const newMarker = (label: string) => `${label}-${randomUUID()}`;

export type NewRequest = {
  requester: string;
  supporter: string;
  message: string;
  category?: "bullying_harassment" | "discrimination" | "unfair_treatment" | "wellbeing" | "other";
  protectedCharacteristic?: string;
  contactMethod?: "in_app" | "phone" | "video" | "in_person";
  safeContact?: string;
  anonymous?: boolean;
  preferOutsideDepartment?: boolean;
  excluded?: string[];
  replies?: { from: "requester" | "supporter"; body: string }[];
};

/** Sends a request as `requester` through the real createRequest (and its replies through addMessage). */
export function sendRequest(input: NewRequest): string {
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "e2e/create-request.ts", JSON.stringify(input)],
    { cwd: ROOT, env: appEnv(), encoding: "utf8" },
  );
  expect(result.status, `create-request.ts failed: ${result.stderr}`).toBe(0);
  const line = result.stdout.trim().split("\n").pop() ?? "";
  return (JSON.parse(line) as { id: string }).id;
}

// ---------------------------------------------------------------------------------------------------------------
// What the app wrote
// ---------------------------------------------------------------------------------------------------------------

export const userIdOf = (email: string): string =>
  withDb((db) => db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").pluck().get(email) as string);

export const supporterIdOf = (email: string): string =>
  withDb(
    (db) => db.prepare("SELECT s.id FROM supporters s JOIN users u ON u.id = s.user_id WHERE lower(u.email) = lower(?)").pluck().get(email) as string,
  );

export type RequestRow = {
  status: string;
  supporter_user_id: string;
  handover_supporter_id: string | null;
  message_cipher: string | null;
  safe_contact_cipher: string | null;
  decline_reason_cipher: string | null;
  outcome: string | null;
  acknowledge_by: number;
  acknowledged_at: number | null;
  ended_at: number | null;
  erased_at: number | null;
  updated_at: number | null;
};

export const requestRow = (id: string): RequestRow =>
  withDb(
    (db) =>
      db
        .prepare(
          `SELECT status, supporter_user_id, handover_supporter_id, message_cipher, safe_contact_cipher, decline_reason_cipher,
             outcome, acknowledge_by, acknowledged_at, ended_at, erased_at, updated_at
           FROM support_requests WHERE id = ?`,
        )
        .get(id) as RequestRow,
  );

export const messageCount = (id: string): number =>
  withDb((db) => db.prepare("SELECT count(*) FROM request_messages WHERE request_id = ?").pluck().get(id) as number);

/** Everything a change to the request would touch: the row, its messages, its history and who was told. */
export function requestState(id: string) {
  return withDb((db) => ({
    row: db.prepare("SELECT * FROM support_requests WHERE id = ?").get(id),
    messages: db.prepare("SELECT id, author_id, body_cipher FROM request_messages WHERE request_id = ? ORDER BY id").all(id),
    exclusions: db.prepare("SELECT user_id FROM request_exclusions WHERE request_id = ? ORDER BY user_id").all(id),
    statusEvents: db.prepare("SELECT count(*) FROM request_status_events WHERE request_id = ?").pluck().get(id),
    notifications: db.prepare("SELECT count(*) FROM notifications WHERE link = ?").pluck().get(`/requests/${id}`),
  }));
}

/** Moves the acknowledgement target, as if the request had been sent earlier. */
export const setAcknowledgeBy = (id: string, at: Date) =>
  withDb((db) => db.prepare("UPDATE support_requests SET acknowledge_by = ? WHERE id = ?").run(at.getTime(), id));

// The same words the pages use for dates (components/requests/format.ts), for the journeys' expectations.
const ZONE = "Europe/London";
export const deadlineText = (at: Date) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, weekday: "long", day: "numeric", month: "long" }).format(at).replace(",", "");
export const dayText = (at: Date) => new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, day: "numeric", month: "long" }).format(at);

// ---------------------------------------------------------------------------------------------------------------
// Mail
// ---------------------------------------------------------------------------------------------------------------

export const outboxFiles = (): Set<string> => new Set(fs.existsSync(outboxDir()) ? fs.readdirSync(outboxDir()) : []);

/** Messages written to the outbox since `before`, as raw .eml text. */
export function mailSince(before: Set<string>): string[] {
  return [...outboxFiles()]
    .filter((file) => !before.has(file) && file.endsWith(".eml"))
    .map((file) => fs.readFileSync(path.join(outboxDir(), file), "utf8"));
}

export const mailTo = (email: string, before: Set<string>) =>
  mailSince(before).filter((raw) => new RegExp(`^To: ${email.replace(/[.]/g, "\\.")}$`, "im").test(raw));

/** Every message in the outbox, from the whole run. */
export function allMail(): string[] {
  return [...outboxFiles()].filter((file) => file.endsWith(".eml")).map((file) => fs.readFileSync(path.join(outboxDir(), file), "utf8"));
}

/** The one thing every email says (lib/mail): no names, no request, not even in the subject. */
export function expectContentFree(raw: string): void {
  expect(raw).toMatch(/^Subject: New update in Confide$/m);
  expect(raw).toContain(`You have a new update in Confide. Sign in to read it.\n\n${BASE_URL}`);
}

// ---------------------------------------------------------------------------------------------------------------
// People and pages
// ---------------------------------------------------------------------------------------------------------------

export { signedIn } from "./fixtures";

export const errorSummary = (page: Page) => page.locator(".govuk-error-summary");
export const successBanner = (page: Page) => page.locator(".govuk-notification-banner--success");
export const summaryValue = (page: Page, key: string) =>
  page.locator(".govuk-summary-list__row").filter({ has: page.locator("dt", { hasText: key }) }).locator("dd");

/** The React Server Component payload that client-side navigation asks for, with the page's cookies. */
export async function rscPayload(page: Page, pathname: string): Promise<string> {
  const response = await page.request.get(new URL(pathname, BASE_URL).toString(), { headers: { RSC: "1" } });
  expect(response.status(), `RSC ${pathname}`).toBe(200);
  return response.text();
}

// Server actions: captured as the browser sends them, replayed with other cookies (e2e/actions.ts).
export { captureAction, replayAction, type Captured } from "./actions";

/** A party's own replay did what the form does: it sent them back to the request with a success banner. */
export function expectDone(response: APIResponse, done: string): void {
  expect(response.status()).toBe(200);
  expect(response.headers()["x-action-redirect"] ?? "").toMatch(new RegExp(`^/requests/[0-9a-f-]{36}\\?done=${done};`));
}

export async function expectRefused(response: APIResponse, where: string, secrets: readonly string[]): Promise<void> {
  expect(response.status(), where).toBe(404);
  const body = await response.text();
  for (const secret of secrets) expect(body.includes(secret), `${where}: "${secret}" in the response`).toBe(false);
}

// Next.js answers a React Server Component request for a page that calls notFound() with its not-found payload
// (the 404 digest and the "Page not found" content), sometimes with status 200.
export async function expectRefusedRsc(response: APIResponse, where: string, secrets: readonly string[]): Promise<void> {
  const body = await response.text();
  if (response.status() !== 404) {
    expect(response.status(), where).toBe(200);
    expect(body, where).toContain("NEXT_HTTP_ERROR_FALLBACK;404");
    expect(body, where).toContain("Page not found");
  }
  for (const secret of secrets) expect(body.includes(secret), `${where}: "${secret}" in the response`).toBe(false);
}
