import fs from "node:fs";

import type { Page } from "@playwright/test";

import { captureAction, replayAction } from "./actions";
import { expect, PEOPLE, signedIn, test } from "./fixtures";
import { auditEventsAfter, expectNoAxeViolations, lastAuditSeq, waitForHydration, withDb } from "./helpers";

// The Equality Unit's audit log (/admin/audit). Eve reads, filters, pages, verifies and downloads the shared log;
// the events she makes on purpose are her own: refused reads of requests that do not exist (request.read, whose
// actor must never be shown) and her own sign-ins. The tamper journey changes one event of Eve's on the shared
// database and puts it back exactly, with the append-only trigger, before it ends.

const EVE = { email: PEOPLE.equalityUnit, name: "Eve Okafor" };

// One at a time: the tamper journey breaks the chain for a moment, and the other journeys verify it.
test.describe.configure({ mode: "serial" });

type ShownRow = { seq: number; who: string; action: string; object: string };

async function shownRows(page: Page): Promise<ShownRow[]> {
  const rows = page.locator("table.govuk-table tbody tr");
  const out: ShownRow[] = [];
  for (const row of await rows.all()) {
    const cells = await row.locator("th, td").allInnerTexts();
    out.push({ seq: Number((cells[0] ?? "").replace("#", "")), who: cells[2] ?? "", action: (cells[3] ?? "").trim(), object: cells[4] ?? "" });
  }
  return out;
}

const userIdOf = (email: string): string =>
  withDb((db) => db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").pluck().get(email) as string);

// Refused reads of requests that do not exist: each writes "request.read" (denied) with Eve as its actor.
async function refusedReads(page: Page, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => crypto.randomUUID());
  // Five at a time: quicker than one by one, without crowding a server that the other journeys share.
  for (let i = 0; i < ids.length; i += 5) {
    const responses = await Promise.all(ids.slice(i, i + 5).map((id) => page.request.get(`/requests/${id}`)));
    for (const response of responses) expect(response.status()).toBe(404);
  }
  return ids;
}

test("Eve filters the log by person and by action, pages through it, verifies it and downloads what she filtered", async ({ browser }) => {
  // A long journey: 55 refused reads, two pages, two downloads and a check of the whole log.
  test.setTimeout(120_000);
  const eve = await signedIn(browser, EVE.email, "/admin/audit");
  const eveId = userIdOf(EVE.email);
  await expect(eve).toHaveTitle("Audit log \u2013 Confide");
  await expect(eve.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await waitForHydration(eve);
  await expectNoAxeViolations(eve);

  // The form's problems, as the page shows them (axe needs JavaScript, so it scans here rather than in the journey
  // without it).
  await eve.goto("/admin/audit?actor=nobody.here%40example.org&from-day=31&from-month=2&from-year=2025");
  await expect(eve.locator(".govuk-error-summary")).toContainText("The date to search from must be a real date");
  await waitForHydration(eve);
  await expectNoAxeViolations(eve);
  await eve.goto("/admin/audit");

  const readIds = await refusedReads(eve, 55);

  // Her own sign-ins, by email: every row is hers, named with her email, and none is about a request.
  await eve.getByLabel("Member of staff").fill(EVE.email);
  await eve.getByLabel("Action").selectOption("auth.sign_in");
  await eve.getByRole("button", { name: "Apply filters" }).click();
  await expect(eve).toHaveURL((url) => url.searchParams.get("actor") === EVE.email && url.searchParams.get("action") === "auth.sign_in");
  let rows = await shownRows(eve);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row.action).toBe("auth.sign_in");
    expect(row.who).toContain(EVE.name);
    expect(row.who).toContain(EVE.email);
  }
  await expectNoAxeViolations(eve);

  // By name and every action: her refused request reads are not found, although she is their actor.
  await eve.getByLabel("Member of staff").fill(EVE.name);
  await eve.getByLabel("Action").selectOption("");
  await eve.getByRole("button", { name: "Apply filters" }).click();
  await expect(eve).toHaveURL((url) => url.searchParams.get("actor") === EVE.name && !url.searchParams.get("action"));
  rows = await shownRows(eve);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row.who).toContain(EVE.email);
    expect(row.action).not.toMatch(/^(request|network_membership)\./);
  }
  await eve.getByLabel("Action").selectOption("request.");
  await eve.getByRole("button", { name: "Apply filters" }).click();
  await expect(eve.getByText("No events match these filters.")).toBeVisible();

  // Everyone's request reads (hers were refused; other journeys' succeed): who did it is not shown, and why.
  await eve.getByLabel("Member of staff").fill("");
  await eve.getByLabel("Action").selectOption("request.read");
  await eve.getByRole("button", { name: "Apply filters" }).click();
  await expect(eve).toHaveURL((url) => url.searchParams.get("action") === "request.read" && !url.searchParams.get("actor"));
  const first = await shownRows(eve);
  expect(first).toHaveLength(50);
  for (const row of first) {
    expect(row.action).toBe("request.read");
    expect(row.who).toContain("Not shown");
    expect(row.who).toContain("It could identify someone who asked for help");
    expect(row.who).not.toContain(EVE.name);
  }
  expect(first.map((r) => r.seq)).toEqual([...first.map((r) => r.seq)].sort((a, b) => b - a));
  expect(first.some((row) => readIds.some((id) => row.object.includes(id)))).toBe(true);
  await expect(eve.locator("main")).not.toContainText(EVE.email);

  // Older, then newer again: keyset pages, no overlap, the same first page back.
  await eve.getByRole("link", { name: "Next page" }).click();
  await expect(eve).toHaveURL((url) => url.searchParams.get("before") === String(first.at(-1)?.seq));
  const second = await shownRows(eve);
  expect(second.length).toBeGreaterThan(0);
  expect(Math.max(...second.map((r) => r.seq))).toBeLessThan(Math.min(...first.map((r) => r.seq)));
  for (const row of second) expect(row.action).toBe("request.read");
  await expectNoAxeViolations(eve);
  await eve.getByRole("link", { name: "Previous page" }).click();
  await expect(eve).toHaveURL((url) => url.searchParams.get("after") === String(second[0]?.seq));
  expect((await shownRows(eve)).map((r) => r.seq)).toEqual(first.map((r) => r.seq));

  // The download of this filter: the same events, no actor, nothing else.
  let seq = lastAuditSeq();
  const downloading = eve.waitForEvent("download");
  await eve.getByRole("link", { name: "Download the events that match these filters (CSV)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("audit-log.csv");
  const csv = fs.readFileSync(await download.path(), "utf8");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]).toBe("event,time_london,time_utc,actor_name,actor_email,action,object_type,object_id,outcome");
  expect(lines.length).toBeGreaterThanOrEqual(56);
  for (const line of lines.slice(1)) {
    expect(line).toMatch(/^\d+,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{4}-\d\d-\d\dT[\d:.]+Z,Not shown,,request\.read,request,[0-9a-f-]*,(?:success|denied)$/);
  }
  for (const id of readIds) expect(csv).toContain(`,request,${id},denied`);
  expect(csv).not.toContain("@");
  expect(csv).not.toContain(EVE.name);
  expect(auditEventsAfter(seq).filter((e) => e.actor_id === eveId).map((e) => [e.action, e.object_type, e.object_id, e.outcome])).toContainEqual([
    "audit.exported",
    "audit_log",
    null,
    "success",
  ]);

  // Her own events as CSV: her name and email on every row, and no request or membership event.
  const response = await eve.request.get(`/admin/audit/export?actor=${encodeURIComponent(EVE.email)}`);
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toContain("no-store");
  expect(response.headers()["content-disposition"]).toBe('attachment; filename="audit-log.csv"');
  const own = (await response.text()).trimEnd().split("\r\n").slice(1);
  expect(own.length).toBeGreaterThan(0);
  for (const line of own) {
    expect(line).toContain(`,${EVE.name},${EVE.email},`);
    expect(line).not.toMatch(/,(request|network_membership)\./);
  }

  // Verify: intact, and recorded.
  seq = lastAuditSeq();
  await waitForHydration(eve);
  await eve.getByRole("button", { name: "Verify the log" }).click();
  await expect(eve.getByText(/^The log is intact: [\d,]+ events checked$/)).toBeVisible({ timeout: 20_000 });
  expect(auditEventsAfter(seq).filter((e) => e.actor_id === eveId).map((e) => [e.action, e.object_type, e.outcome])).toContainEqual([
    "audit.verified",
    "audit_log",
    "success",
  ]);
  await expectNoAxeViolations(eve);
  await eve.context().close();
});

test("without JavaScript, Eve filters with the form, sees a clear message for an unknown person, and verifies", async ({ browser }) => {
  const eve = await signedIn(browser, EVE.email, "/admin/audit", false);
  await eve.getByLabel("Member of staff").fill("nobody.here@example.org");
  await eve.getByRole("button", { name: "Apply filters" }).click();
  const summary = eve.locator(".govuk-error-summary").filter({ hasText: "There is a problem" });
  await expect(summary).toContainText("No member of staff has that email address. Check it and try again");
  await expect(eve.locator("#actor-error")).toContainText("No member of staff has that email address");
  await expect(eve.getByText("Correct the filter to see events.")).toBeVisible();

  await eve.getByLabel("Member of staff").fill(EVE.email);
  await eve.getByLabel("Action").selectOption("auth.");
  await eve.getByRole("group", { name: "From" }).getByLabel("Day").fill("1");
  await eve.getByRole("group", { name: "From" }).getByLabel("Month").fill("1");
  await eve.getByRole("group", { name: "From" }).getByLabel("Year").fill("2020");
  await eve.getByRole("button", { name: "Apply filters" }).click();
  await expect(eve).toHaveURL((url) => url.searchParams.get("action") === "auth." && url.searchParams.get("from-year") === "2020");
  const rows = await shownRows(eve);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row.action).toMatch(/^auth\./);
    expect(row.who).toContain(EVE.email);
  }
  await expect(eve.getByLabel("Action")).toHaveValue("auth.");

  // A To date before the From date is a message on the form.
  await eve.getByRole("group", { name: "To" }).getByLabel("Day").fill("31");
  await eve.getByRole("group", { name: "To" }).getByLabel("Month").fill("12");
  await eve.getByRole("group", { name: "To" }).getByLabel("Year").fill("2019");
  await eve.getByRole("button", { name: "Apply filters" }).click();
  await expect(eve.locator("#to-error")).toContainText("must be the same as or after the date to search from");

  const seq = lastAuditSeq();
  await eve.getByRole("button", { name: "Verify the log" }).click();
  await expect(eve.getByText(/^The log is intact: [\d,]+ events checked$/)).toBeVisible({ timeout: 20_000 });
  expect(auditEventsAfter(seq).map((e) => e.action)).toContain("audit.verified");
  await eve.context().close();
});

test("an altered event breaks the chain at its seq; put back exactly, the log is intact again", async ({ browser }) => {
  test.setTimeout(60_000);
  const eve = await signedIn(browser, EVE.email, "/admin/audit");
  const eveId = userIdOf(EVE.email);
  await waitForHydration(eve);
  // Eve's latest sign-in: an event of hers, which nobody else reads or writes.
  const target = withDb(
    (db) =>
      db
        .prepare("SELECT seq, action FROM audit_events WHERE actor_id = ? AND action = 'auth.sign_in' ORDER BY seq DESC LIMIT 1")
        .get(eveId) as { seq: number; action: string },
  );
  expect(target).toBeDefined();
  const trigger = withDb(
    (db) => db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_events_no_update'").pluck().get() as string,
  );
  expect(trigger).toContain("RAISE(ABORT, 'audit_events is append-only')");

  try {
    withDb((db) => {
      db.exec("DROP TRIGGER audit_events_no_update");
      db.prepare("UPDATE audit_events SET action = 'auth.sign_out' WHERE seq = ?").run(target.seq);
    });
    const seq = lastAuditSeq();
    await eve.getByRole("button", { name: "Verify the log" }).click();
    const alert = eve.locator(".govuk-error-summary");
    await expect(alert.getByRole("heading", { name: `The log has been altered: the chain breaks at event #${target.seq}` })).toBeVisible({
      timeout: 20_000,
    });
    await expect(eve.getByText(/The log is intact/)).toHaveCount(0);
    await expectNoAxeViolations(eve);
    expect(auditEventsAfter(seq).filter((e) => e.actor_id === eveId).map((e) => [e.action, e.object_type, e.object_id, e.outcome])).toContainEqual([
      "audit.verified",
      "audit_event",
      String(target.seq),
      "failure",
    ]);
  } finally {
    withDb((db) => {
      db.prepare("UPDATE audit_events SET action = ? WHERE seq = ?").run(target.action, target.seq);
      const present = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_events_no_update'").pluck().get();
      if (present === 0) db.exec(trigger);
    });
  }
  expect(withDb((db) => db.prepare("SELECT sql FROM sqlite_master WHERE name = 'audit_events_no_update'").pluck().get())).toBe(trigger);
  expect(() => withDb((db) => db.prepare("UPDATE audit_events SET action = 'x' WHERE seq = ?").run(target.seq))).toThrow(/append-only/);

  await eve.reload();
  await waitForHydration(eve);
  await eve.getByRole("button", { name: "Verify the log" }).click();
  await expect(eve.getByText(/^The log is intact: [\d,]+ events checked$/)).toBeVisible({ timeout: 20_000 });
  await eve.context().close();
});

test("staff, a supporter and a coordinator get 404 for the log, its download and a replayed verify, which records nothing", async ({ as }) => {
  const eve = await as("equalityUnit", "/admin/audit");
  await waitForHydration(eve);
  const verify = await captureAction(eve, "verify", () => eve.getByRole("button", { name: "Verify the log" }).click());

  const seq = lastAuditSeq();
  const refusers: string[] = [];
  for (const who of ["staff", "supporter", "coordinator"] as const) {
    const page = await as(who, "/");
    refusers.push(userIdOf(PEOPLE[who]));
    for (const path of ["/admin/audit", "/admin/audit?action=auth.sign_in&actor=eve.equality%40example.org"]) {
      const response = await page.goto(path);
      expect(response?.status(), `${who} ${path}`).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
      await expect(page.locator("main")).not.toContainText("Audit log");
    }
    for (const path of ["/admin/audit/export", "/admin/audit/export?actor=eve.equality%40example.org"]) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status(), `${who} ${path}`).toBe(404);
      expect(await response.text()).not.toContain("actor_email");
    }
    const replayed = await replayAction(page.request, verify);
    expect(replayed.status(), `${who} replaying verify`).toBe(404);
    expect(await replayed.text()).not.toContain("The log is");
  }
  const theirs = auditEventsAfter(seq).filter((e) => e.actor_id !== null && refusers.includes(e.actor_id));
  expect(theirs.filter((e) => e.action.startsWith("audit."))).toEqual([]);
  expect(theirs.filter((e) => e.action === "access.denied" && e.object_type === "audit_log").length).toBeGreaterThanOrEqual(15);
});
