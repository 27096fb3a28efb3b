import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { Page } from "@playwright/test";

import { appProcessEnv, BASE_URL, expect, signedIn, test } from "./fixtures";
import { expectNoAxeViolations, expectSentToSignIn, getWithoutRedirects, withDb } from "./helpers";

// npm run maintenance against the run's database, then the in-app notification and the header count it leads to.
// People used here and nowhere else: Helen Whitaker (seeded with her refresher due in the 60-day window) and
// Ravi Chauhan (a member of staff who is not a supporter).

const HELEN = "helen.whitaker@example.org";
const RAVI = "ravi.chauhan@example.org";
const ROOT = path.resolve(__dirname, "..");

function databasePath(): string {
  const file = process.env.E2E_DATABASE_PATH;
  if (!file) throw new Error("E2E_DATABASE_PATH is not set: run the end-to-end tests with npm test");
  return file;
}

const maintenanceEnv = appProcessEnv;

function runMaintenance(): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/maintenance.ts"],
    { cwd: ROOT, env: maintenanceEnv(), encoding: "utf8" },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const londonToday = () =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());

function userId(email: string): string {
  return withDb((db) => (db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").get(email) as { id: string }).id);
}

function unreadCount(email: string): number {
  return withDb(
    (db) =>
      (db.prepare("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL").get(userId(email)) as { n: number }).n,
  );
}

const notificationsLink = (page: Page) =>
  page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: /^Notifications/ });

// On screen "Notifications (2)"; to a screen reader "Notifications (2 unread)" (GOV.UK's visually hidden text
// brings spaces of its own).
const unreadName = (n: number) => new RegExp(`^Notifications \\(${n}\\s+unread\\s*\\)$`);

test("maintenance reminds a supporter whose refresher is due, in the app and by a content-free email", async ({ browser }) => {
  // The maintenance run delivers every mail the run's journeys have queued so far, one by one: more than 30 s when
  // many journeys have run before it.
  test.setTimeout(90_000);
  // Helen's seeded refresher date is fixed; which reminder is due depends on today.
  const due = withDb(
    (db) =>
      (db.prepare("SELECT s.refresher_due AS due FROM supporters s JOIN users u ON u.id = s.user_id WHERE u.email = ?").get(HELEN) as {
        due: string;
      }).due,
  );
  const days = Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${londonToday()}T00:00:00Z`)) / 86_400_000);
  expect(days, "db/seed-data.ts: Helen's refresher should fall due within 60 days of today").toBeGreaterThanOrEqual(0);
  expect(days).toBeLessThanOrEqual(60);
  const sentence =
    days <= 14
      ? "Your equality supporter refresher training is due within 14 days."
      : "Your equality supporter refresher training is due within 60 days.";

  // Repeatable on the same database: Helen's reminders are as if never sent (what the Equality Unit's new
  // refresher date does too).
  withDb((db) => db.prepare("UPDATE supporters SET reminder_60_sent_at = NULL, reminder_14_sent_at = NULL WHERE user_id = ?").run(userId(HELEN)));
  const outbox = path.join(path.dirname(databasePath()), "outbox");
  const filesBefore = new Set(fs.existsSync(outbox) ? fs.readdirSync(outbox) : []);

  const run = runMaintenance();
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout.trim()).toMatch(
    /^lapsed \d+, reminders 60-day \d+, 14-day \d+, pauses ended \d+, acknowledgement reminders \d+, escalations \d+, erased \d+, mail sent \d+, mail failed 0$/,
  );
  // Run again at once: nothing more for Helen.
  const unreadAfterRun = unreadCount(HELEN);
  expect(runMaintenance().status).toBe(0);
  expect(unreadCount(HELEN)).toBe(unreadAfterRun);
  expect(unreadAfterRun).toBeGreaterThanOrEqual(1);

  // One email for Helen, saying nothing but that there is an update.
  const helenMail = fs
    .readdirSync(outbox)
    .filter((file) => !filesBefore.has(file) && file.endsWith(".eml"))
    .map((file) => fs.readFileSync(path.join(outbox, file), "utf8"))
    .filter((raw) => /^To: helen\.whitaker@example\.org$/im.test(raw));
  expect(helenMail).toHaveLength(1);
  expect(helenMail[0]).toMatch(/^Subject: New update in Confide$/m);
  expect(helenMail[0]).toContain(`You have a new update in Confide. Sign in to read it.\n\n${BASE_URL}`);
  expect(helenMail[0]!.replace(/^To: .*$/m, "")).not.toMatch(/helen|whitaker|refresher|supporter|keyham/i);

  const page = await signedIn(browser, HELEN, "/");
  await expect(notificationsLink(page)).toHaveAccessibleName(unreadName(unreadAfterRun));
  await notificationsLink(page).click();
  await expect(page).toHaveURL(`${BASE_URL}/notifications`);
  await expect(page).toHaveTitle("Notifications – Confide");
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const reminder = page.getByRole("listitem").filter({ hasText: sentence });
  await expect(reminder).toHaveCount(1);
  await expect(reminder).toContainText("Unread");
  await expect(reminder.getByRole("link", { name: sentence })).toHaveAttribute("href", "/inbox");
  await expect(notificationsLink(page)).toHaveAttribute("aria-current", "page");
  await expectNoAxeViolations(page);

  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(notificationsLink(page)).toHaveAccessibleName("Notifications");
  await expect(page.getByText("You have no unread notifications.")).toBeVisible();
  await expect(reminder).not.toContainText("Unread");
  await expect(page.getByRole("button", { name: "Mark all as read" })).toHaveCount(0);
  expect(unreadCount(HELEN)).toBe(0);
  await expectNoAxeViolations(page);
  await page.context().close();
});

test("without JavaScript, a person sees only their own notifications and can mark them as read", async ({ browser }) => {
  const ravi = userId(RAVI);
  withDb((db) => {
    db.prepare("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL").run(Date.now(), ravi);
    // A kind this version does not know still reads sensibly.
    db.prepare("INSERT INTO notifications (id, user_id, kind, link) VALUES (?, ?, 'test.unknown_kind', '/help')").run(randomUUID(), ravi);
  });
  const page = await signedIn(browser, RAVI, "/notifications", false);
  await expect(notificationsLink(page)).toHaveAccessibleName(unreadName(1));
  const item = page.getByRole("listitem").filter({ hasText: "You have a new update." });
  await expect(item.first()).toContainText("Unread");
  // Nobody else's notifications: no supporter reminders for someone who is not a supporter.
  await expect(page.getByText("refresher training")).toHaveCount(0);

  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page).toHaveURL(`${BASE_URL}/notifications`);
  await expect(notificationsLink(page)).toHaveAccessibleName("Notifications");
  await expect(page.getByText("You have no unread notifications.")).toBeVisible();
  expect(unreadCount(RAVI)).toBe(0);
  await page.context().close();
});

test("the notifications page needs signing in", async ({ page }) => {
  await expectSentToSignIn(await getWithoutRedirects(page, "/notifications"), "/notifications");
});
