import { randomUUID } from "node:crypto";

import type { Locator, Page } from "@playwright/test";

import { captureAction, replayAction } from "./actions";
import { expect, PEOPLE, signedIn, test } from "./fixtures";
import { auditEventsAfter, expectNoAxeViolations, lastAuditSeq, waitForHydration, withDb } from "./helpers";

// Feedback to the Equality Unit (issue 7, item 7). Fern Adey is this spec's alone: she sends named feedback (and
// volunteers for focus groups) and anonymous feedback, with and without JavaScript. Tess Lowe (also this spec
// file's people, shared with accessibility-preferences.spec.ts for her text size only) sends the feedback that
// others try to archive. Eve reads, archives and restores; every item is found by a marker of its own. The
// journeys run one after another in one worker: Fern's sends count against her hourly limit (5).

const FERN = { email: "fern.adey@example.org", name: "Fern Adey" };
const TESS = { email: "tess.lowe@example.org", name: "Tess Lowe" };

test.describe.configure({ mode: "default", timeout: 90_000 });

type FeedbackRow = { id: string; user_id: string | null; body_cipher: string; volunteer: number; created_at: number; archived_at: number | null; archived_by: string | null };

const feedbackRows = (): FeedbackRow[] =>
  withDb((db) => db.prepare("SELECT id, user_id, body_cipher, volunteer, created_at, archived_at, archived_by FROM feedback").all() as FeedbackRow[]);
const feedbackRow = (id: string): FeedbackRow | undefined =>
  withDb((db) => db.prepare("SELECT id, user_id, body_cipher, volunteer, created_at, archived_at, archived_by FROM feedback WHERE id = ?").get(id) as FeedbackRow | undefined);
const userIdOf = (email: string): string =>
  withDb((db) => db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").pluck().get(email) as string);

// Other journeys (the permission matrix, the fuzzing) send feedback while these run: rows count only when they
// are the sender's own (named) or anonymous.
const newRowsFrom = (before: Set<string>, senders: readonly (string | null)[]) =>
  feedbackRows().filter((row) => !before.has(row.id) && senders.includes(row.user_id));

/** The one row written since `before` (a set of ids) by `sender` (null: anonymously). */
function newRow(before: Set<string>, sender: string | null): FeedbackRow {
  const rows = newRowsFrom(before, [sender]);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}
const feedbackIds = () => new Set(feedbackRows().map((row) => row.id));

const marker = (label: string) => `${label}-${randomUUID()}`;
const errorSummary = (page: Page) => page.getByRole("alert").filter({ hasText: "There is a problem" });
const card = (page: Page, text: string): Locator => page.locator(".govuk-summary-card").filter({ hasText: text });

async function expectSent(page: Page): Promise<void> {
  await expect(page).toHaveURL((url) => url.pathname === "/feedback/sent" && url.search === "");
  await expect(page).toHaveTitle("Feedback sent \u2013 Confide");
  await expect(page.getByRole("heading", { level: 1, name: "Feedback sent" })).toBeVisible();
}

test("Fern sends named feedback as a focus group volunteer and anonymous feedback; Eve reads both, archives and restores", async ({ browser }) => {
  const named = marker("NAMED-FEEDBACK");
  const anonymous = marker("ANONYMOUS-FEEDBACK");
  const fern = await signedIn(browser, FERN.email, "/help");
  let eve: Page | undefined;
  try {
    // Found from Help and from the footer of every page.
    await expect(fern.getByRole("main").getByRole("link", { name: "Give feedback on Confide" })).toHaveAttribute("href", "/feedback");
    await fern.getByRole("contentinfo").getByRole("link", { name: "Feedback", exact: true }).click();
    await expect(fern).toHaveURL((url) => url.pathname === "/feedback");
    await expect(fern).toHaveTitle("Give feedback \u2013 Confide");
    await expect(fern.getByText("Do not include other people\u2019s names.")).toBeVisible();
    await waitForHydration(fern);
    await expectNoAxeViolations(fern);

    // Sent empty: the error summary (which takes focus) and the inline error, and nothing is stored.
    let before = feedbackIds();
    await fern.getByRole("button", { name: "Send feedback" }).click();
    await expect(errorSummary(fern).getByRole("link", { name: "Enter your feedback" })).toHaveAttribute("href", "#body");
    await expect(fern.locator(".govuk-error-summary")).toBeFocused();
    await expect(fern.locator("#body-error")).toContainText("Enter your feedback");
    await expectNoAxeViolations(fern);
    expect(newRowsFrom(before, [userIdOf(FERN.email), null])).toEqual([]);

    // Named, volunteering, with a topic. The character count is live with JavaScript.
    const fernId = userIdOf(FERN.email);
    before = feedbackIds();
    let seq = lastAuditSeq();
    await fern.getByLabel("What is your feedback about? (optional)").selectOption({ label: "Networks" });
    const namedText = `The network pages helped me find the right people. ${named}`;
    await fern.getByLabel("Your feedback", { exact: true }).fill(namedText);
    await expect(fern.getByText(`You have ${(2000 - namedText.length).toLocaleString("en-GB")} characters remaining`)).toBeVisible();
    await fern.getByLabel("I\u2019d like to take part in focus groups").check();
    await fern.getByRole("button", { name: "Send feedback" }).click();
    await expectSent(fern);
    await expectNoAxeViolations(fern);
    const namedRow = newRow(before, fernId);
    expect(namedRow).toMatchObject({ user_id: fernId, volunteer: 1, archived_at: null });
    expect(namedRow.body_cipher).not.toContain(named);
    expect(auditEventsAfter(seq).map((e) => [e.actor_id, e.action, e.object_type, e.object_id, e.outcome])).toContainEqual([
      fernId,
      "feedback.sent",
      "feedback",
      namedRow.id,
      "success",
    ]);

    // Anonymous.
    await fern.getByRole("link", { name: "Send more feedback" }).click();
    await waitForHydration(fern);
    before = feedbackIds();
    seq = lastAuditSeq();
    await fern.getByLabel("Your feedback", { exact: true }).fill(`I was nervous the first time I used this. ${anonymous}`);
    await fern.getByLabel("Send anonymously").check();
    await fern.getByRole("button", { name: "Send feedback" }).click();
    await expectSent(fern);
    const anonymousRow = newRow(before, null);
    expect(anonymousRow).toMatchObject({ user_id: null, volunteer: 0 });
    // Dated by day only: midnight (UTC) of the day it was sent.
    expect(anonymousRow.created_at % 86_400_000).toBe(0);
    const sent = auditEventsAfter(seq).filter((e) => e.action === "feedback.sent");
    expect(sent.map((e) => [e.actor_id, e.object_type, e.object_id, e.outcome])).toEqual([[null, "feedback", null, "success"]]);
    expect(JSON.stringify(auditEventsAfter(seq))).not.toContain(fernId);

    // Eve: both in New, newest first, the anonymous one without a name.
    eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/feedback");
    await expect(eve).toHaveTitle("Feedback \u2013 admin \u2013 Confide");
    await expect(eve.getByRole("link", { name: /^New \(\d+\)$/ })).toHaveAttribute("aria-current", "page");
    const namedCard = card(eve, named);
    await expect(namedCard).toContainText("Networks");
    await expect(namedCard).toContainText(FERN.name);
    await expect(namedCard).toContainText(FERN.email);
    await expect(namedCard).toContainText("Volunteers for focus groups");
    const anonymousCard = card(eve, anonymous);
    await expect(anonymousCard).toContainText("Anonymous");
    await expect(anonymousCard).toContainText("No topic given");
    await expect(anonymousCard).toContainText("Did not volunteer");
    await expect(anonymousCard).not.toContainText(FERN.name);
    await expect(anonymousCard).not.toContainText(FERN.email);
    await waitForHydration(eve);
    await expectNoAxeViolations(eve);

    // Archive the named one: it moves to Archived.
    seq = lastAuditSeq();
    await namedCard.getByRole("button", { name: /^Archive feedback from Fern Adey/ }).click();
    await expect(eve.getByRole("alert").filter({ hasText: "Feedback archived" })).toBeVisible();
    await expect(card(eve, named)).toHaveCount(0);
    await expect(card(eve, anonymous)).toHaveCount(1);
    expect(feedbackRow(namedRow.id)).toMatchObject({ archived_by: userIdOf(PEOPLE.equalityUnit) });
    expect(feedbackRow(namedRow.id)?.archived_at).toEqual(expect.any(Number));
    expect(auditEventsAfter(seq).map((e) => [e.action, e.object_type, e.object_id])).toContainEqual(["feedback.archived", "feedback", namedRow.id]);
    await eve.getByRole("link", { name: /^Archived \(\d+\)$/ }).click();
    await expect(eve).toHaveURL((url) => url.searchParams.get("status") === "archived");
    await expect(eve.getByRole("link", { name: /^Archived \(\d+\)$/ })).toHaveAttribute("aria-current", "page");
    await expect(card(eve, named)).toContainText(FERN.name);
    await expect(card(eve, anonymous)).toHaveCount(0);
    await waitForHydration(eve);
    await expectNoAxeViolations(eve);

    // Restore: back in New.
    seq = lastAuditSeq();
    await card(eve, named).getByRole("button", { name: /^Restore feedback from Fern Adey/ }).click();
    await expect(eve.getByRole("alert").filter({ hasText: "Feedback restored" })).toBeVisible();
    await expect(card(eve, named)).toHaveCount(0);
    expect(feedbackRow(namedRow.id)).toMatchObject({ archived_at: null, archived_by: null });
    expect(auditEventsAfter(seq).map((e) => [e.action, e.object_id])).toContainEqual(["feedback.restored", namedRow.id]);
    await eve.goto("/admin/feedback");
    await expect(card(eve, named)).toHaveCount(1);
  } finally {
    await eve?.context().close();
    await fern.context().close();
  }
});

test("without JavaScript: errors are explained and nothing is sent, then anonymous feedback is sent", async ({ browser }) => {
  const text = marker("NO-JS-FEEDBACK");
  const fern = await signedIn(browser, FERN.email, "/feedback", false);
  try {
    const before = feedbackIds();
    const button = fern.getByRole("button", { name: "Send feedback" });

    // Nothing typed.
    await button.click();
    await expect(errorSummary(fern).getByRole("link", { name: "Enter your feedback" })).toHaveAttribute("href", "#body");
    await expect(fern.locator("#body-error")).toContainText("Enter your feedback");

    // Anonymous and volunteering: refused, with the reason, and what was typed is kept.
    await fern.getByLabel("Your feedback", { exact: true }).fill(`Please run more drop-in sessions. ${text}`);
    await fern.getByLabel("Send anonymously").check();
    await fern.getByLabel("I\u2019d like to take part in focus groups").check();
    await button.click();
    const reason = /To take part in focus groups, send your feedback with your name: we need it to invite you/;
    await expect(errorSummary(fern).getByRole("link", { name: reason })).toHaveAttribute("href", "#anonymous");
    await expect(fern.getByRole("group", { name: "Your name" })).toContainText(reason);
    await expect(fern.getByLabel("Your feedback", { exact: true })).toHaveValue(`Please run more drop-in sessions. ${text}`);
    await expect(fern.getByLabel("Send anonymously")).toBeChecked();
    await expect(fern.getByLabel("I\u2019d like to take part in focus groups")).toBeChecked();

    // Too long (2,001 characters).
    await fern.getByLabel("Your feedback", { exact: true }).fill("x".repeat(2001));
    await button.click();
    await expect(errorSummary(fern).getByRole("link", { name: "Your feedback must be 2,000 characters or fewer" })).toBeVisible();
    expect(newRowsFrom(before, [userIdOf(FERN.email), null])).toEqual([]);

    // Fixed: anonymous only.
    await fern.getByLabel("Your feedback", { exact: true }).fill(`Please run more drop-in sessions. ${text}`);
    await fern.getByLabel("I\u2019d like to take part in focus groups").uncheck();
    await expect(fern.getByLabel("Send anonymously")).toBeChecked();
    await button.click();
    await expectSent(fern);
    expect(newRow(before, null)).toMatchObject({ user_id: null, volunteer: 0 });
  } finally {
    await fern.context().close();
  }

  // Eve sees it without a name.
  const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/feedback");
  try {
    await expect(card(eve, text)).toContainText("Anonymous");
    await expect(card(eve, text)).not.toContainText(FERN.name);
  } finally {
    await eve.context().close();
  }
});

for (const who of ["staff", "supporter", "coordinator"] as const) {
  test(`${who} gets 404 for /admin/feedback and both its lists`, async ({ as }) => {
    const page = await as(who);
    for (const path of ["/admin/feedback", "/admin/feedback?status=archived", "/admin/feedback?page=2"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    }
  });
}

test("archive and restore, replayed by staff, a supporter and a coordinator, are refused and change nothing", async ({ browser, as }) => {
  const text = marker("REPLAY-FEEDBACK");
  // Tess sends the feedback (with her name) that the others try to archive.
  const tess = await signedIn(browser, TESS.email, "/feedback");
  const before = feedbackIds();
  try {
    await waitForHydration(tess);
    await tess.getByLabel("Your feedback", { exact: true }).fill(`The directory filters are useful. ${text}`);
    await tess.getByRole("button", { name: "Send feedback" }).click();
    await expectSent(tess);
  } finally {
    await tess.context().close();
  }
  const row = newRow(before, userIdOf(TESS.email));

  const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/feedback");
  try {
    await waitForHydration(eve);
    const archive = await captureAction(eve, "archive", () => card(eve, text).getByRole("button", { name: /^Archive/ }).click());
    expect(feedbackRow(row.id)?.archived_at, "capturing the action archived nothing").toBeNull();

    const outsiders = { staff: await as("staff"), supporter: await as("supporter"), coordinator: await as("coordinator") };
    const state = () => JSON.stringify(feedbackRow(row.id));
    const unchanged = state();
    for (const [who, page] of Object.entries(outsiders)) {
      const seq = lastAuditSeq();
      const response = await replayAction(page.request, archive);
      expect(response.status(), who).toBe(404);
      expect(await response.text(), who).not.toContain(text);
      expect(state(), who).toBe(unchanged);
      const events = auditEventsAfter(seq);
      expect(events.filter((e) => e.action === "feedback.archived")).toEqual([]);
      expect(events.map((e) => [e.actor_id, e.action, e.object_type, e.outcome])).toContainEqual([userIdOf(PEOPLE[who as keyof typeof outsiders]), "access.denied", "feedback", "denied"]);
    }

    // The same request from Eve does what it says: it was real, and refused only because of who sent it.
    const done = await replayAction(eve.request, archive);
    expect(done.status()).toBe(200);
    expect(done.headers()["x-action-redirect"] ?? "").toMatch(/^\/admin\/feedback\?outcome=archived/);
    expect(feedbackRow(row.id)?.archived_at).toEqual(expect.any(Number));

    // Restore, captured from the Archived list and replayed by the others: still archived.
    await eve.goto("/admin/feedback?status=archived");
    await waitForHydration(eve);
    const restore = await captureAction(eve, "restore", () => card(eve, text).getByRole("button", { name: /^Restore/ }).click());
    const archived = state();
    for (const [who, page] of Object.entries(outsiders)) {
      expect((await replayAction(page.request, restore)).status(), who).toBe(404);
      expect(state(), who).toBe(archived);
    }
    expect((await replayAction(eve.request, restore)).status()).toBe(200);
    expect(feedbackRow(row.id)).toMatchObject({ archived_at: null, archived_by: null });
  } finally {
    await eve.context().close();
  }
});
