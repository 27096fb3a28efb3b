import { createHash } from "node:crypto";

import { BASE_URL, expect, PEOPLE, test } from "./fixtures";
import { EQUALITY_UNIT_MEMBERS_LOCK, expectNoAxeViolations, getWithoutRedirects, withDb } from "./helpers";
import { expectContentFree, mailTo, newMarker, outboxFiles, rscPayload, sendRequest, signedIn, summaryValue } from "./request-helpers";
import { closeAsSupporter, moveRequestIntoPast, runMaintenance } from "./retention-helpers";

// Reminders and retention in `npm run maintenance` (issue 5, item 6). The controllable clock: the app and maintenance
// read the real time, so a request is moved into the past in the run's database (retention-helpers
// moveRequestIntoPast) instead of the clock being moved forward.
// - Retention erases the content of a request that ended more than RETENTION_DAYS (default 90) days ago and keeps
//   its facts.
// - A request not acknowledged in time reminds its supporter, then alerts the Equality Unit by opaque reference.
// People used here and nowhere else in the journeys: Fatima Hussain asks, Gurpreet Sandhu supports (each request is
// closed by the end of its test, so neither changes as a supporter). The alert also reaches Eve Okafor, the only
// seeded Equality Unit member; nothing else here depends on her notifications.

const FATIMA = "fatima.hussain@example.org";
const GURPREET = "gurpreet.sandhu@example.org";
const DAY = 86_400_000;

// How the request page writes a day (components/requests/format.ts formatDay): "26 August", with the year when it
// is not this year (as 91 days ago is, early in the year).
const ZONE = "Europe/London";
const year = (at: Date) => new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, year: "numeric" }).format(at);
const shownDay = (at: Date) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, day: "numeric", month: "long", ...(year(at) === year(new Date()) ? {} : { year: "numeric" }) }).format(at);

type Facts = { category: string; outcome: string | null; status: string; created_at: number; ended_at: number; events: number };
const facts = (id: string): Facts =>
  withDb((db) => ({
    ...(db.prepare("SELECT category, outcome, status, created_at, ended_at FROM support_requests WHERE id = ?").get(id) as Omit<Facts, "events">),
    events: db.prepare("SELECT count(*) FROM request_status_events WHERE request_id = ?").pluck().get(id) as number,
  }));

type Content = { message_cipher: string | null; safe_contact_cipher: string | null; erased_at: number | null; messages: number };
const content = (id: string): Content =>
  withDb((db) => ({
    ...(db.prepare("SELECT message_cipher, safe_contact_cipher, erased_at FROM support_requests WHERE id = ?").get(id) as Omit<Content, "messages">),
    messages: db.prepare("SELECT count(*) FROM request_messages WHERE request_id = ?").pluck().get(id) as number,
  }));

const retentionAudit = (id: string) =>
  withDb((db) =>
    db.prepare("SELECT actor_id, object_type, outcome FROM audit_events WHERE action = 'request.erased_by_retention' AND object_id = ?").all(id),
  );

test("a request closed more than 90 days ago loses its words to npm run maintenance and keeps its facts", async ({ browser }) => {
  // Three child processes with the real data access layer, two maintenance runs and a browser journey.
  test.setTimeout(90_000);
  const marker = newMarker("RETENTION");
  const id = sendRequest({
    requester: FATIMA,
    supporter: GURPREET,
    category: "unfair_treatment",
    message: `I was left off the rota again after raising a concern. ${marker}`,
    contactMethod: "in_app",
    replies: [
      { from: "supporter", body: `Thank you for telling me. Shall we talk on Thursday? ${marker}` },
      { from: "requester", body: `Thursday works. ${marker}` },
    ],
  });
  closeAsSupporter(id, GURPREET, "signposted");

  // Before: the requester reads every word.
  const page = await signedIn(browser, FATIMA, `/requests/${id}`);
  await expect(page.getByText(marker).first()).toBeVisible();

  // Ended 91 days ago, as far as the database knows.
  moveRequestIntoPast(id, 91 * DAY);
  const before = facts(id);
  expect(before).toMatchObject({ category: "unfair_treatment", outcome: "signposted", status: "closed" });
  expect(Date.now() - before.ended_at).toBeGreaterThan(90 * DAY);
  expect(content(id).messages).toBe(2);

  const run = runMaintenance();
  expect(run.status, run.stderr).toBe(0);
  // Another journey's maintenance run may get there first, so the count is not asserted here; the state below is.
  expect(run.stdout.trim()).toMatch(/, acknowledgement reminders \d+, escalations \d+, erased \d+, mail sent \d+, mail failed 0$/);
  for (const output of [run.stdout, run.stderr]) expect(output).not.toContain(marker);

  // The words are gone; the facts for reports are all still there; one audit event, by no one.
  const after = content(id);
  expect(after).toMatchObject({ message_cipher: null, safe_contact_cipher: null, messages: 0 });
  expect(after.erased_at).not.toBeNull();
  expect(facts(id)).toEqual(before);
  expect(retentionAudit(id)).toEqual([{ actor_id: null, object_type: "request", outcome: "success" }]);

  // Running again changes nothing for this request.
  expect(runMaintenance().status).toBe(0);
  expect(retentionAudit(id)).toHaveLength(1);

  // The requester opens it again: it says the content was erased, and still shows what it was about and when.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText(`The content of this request was erased on ${shownDay(new Date(after.erased_at ?? 0))}`)).toBeVisible();
  await expect(page.getByText("The conversation was erased with the request.")).toBeVisible();
  await expect(summaryValue(page, "About")).toHaveText("Unfair treatment");
  await expect(page.getByText(`Sent ${shownDay(new Date(before.created_at))}`)).toBeVisible();
  await expect(page.getByText(new RegExp(`closed this request on ${shownDay(new Date(before.ended_at))}`))).toBeVisible();
  await expect(page.getByRole("link", { name: "Erase now" })).toHaveCount(0);
  expect(await page.content()).not.toContain(marker);
  expect(await rscPayload(page, `/requests/${id}`)).not.toContain(marker);
  await expectNoAxeViolations(page);
  await page.context().close();
});

// lib/maintenance: the reference the Equality Unit is given instead of anything about the request.
const referenceOf = (id: string) => createHash("sha256").update(id, "utf8").digest("hex").slice(0, 8).toUpperCase();

type NotificationRow = { user_id: string; link: string; reference: string | null };
const notificationsOf = (kind: string, where: { link?: string; reference?: string }) =>
  withDb(
    (db) =>
      db
        .prepare("SELECT user_id, link, reference FROM notifications WHERE kind = ? AND (link = @link OR reference = @reference) ORDER BY user_id")
        .all(kind, { link: where.link ?? null, reference: where.reference ?? null }) as NotificationRow[],
  );
const activeEqualityUnit = () =>
  withDb((db) =>
    (
      db
        .prepare("SELECT u.id FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.role = 'equality_unit' AND u.deactivated_at IS NULL ORDER BY u.id")
        .pluck()
        .all() as string[]
    ).sort(),
  );
const userIdOf = (email: string) => withDb((db) => db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").pluck().get(email) as string);

test("an unacknowledged request reminds its supporter, then alerts the Equality Unit by reference only", { lock: EQUALITY_UNIT_MEMBERS_LOCK }, async ({ browser, as }) => {
  test.setTimeout(90_000);
  const marker = newMarker("OVERDUE");
  const id = sendRequest({ requester: FATIMA, supporter: GURPREET, category: "wellbeing", message: `I am struggling since the move. ${marker}` });
  const reference = referenceOf(id);
  const mailBefore = outboxFiles();

  // Sent ten days ago and never acknowledged: the supporter is reminded, once, with a link to the request.
  moveRequestIntoPast(id, 10 * DAY);
  expect(runMaintenance().status).toBe(0);
  expect(runMaintenance().status).toBe(0);
  expect(notificationsOf("request.acknowledge_reminder", { link: `/requests/${id}` })).toEqual([
    { user_id: userIdOf(GURPREET), link: `/requests/${id}`, reference: null },
  ]);
  expect(notificationsOf("request.acknowledge_overdue", { reference }), "not yet: the reminder gives a working day").toEqual([]);

  // The reminder was days ago (moved back with the rest): every Equality Unit member is alerted, once.
  moveRequestIntoPast(id, 5 * DAY);
  expect(runMaintenance().status).toBe(0);
  expect(runMaintenance().status).toBe(0);
  const unit = activeEqualityUnit();
  expect(unit).toContain(userIdOf(PEOPLE.equalityUnit));
  expect(notificationsOf("request.acknowledge_overdue", { reference })).toEqual(
    unit.map((userId) => ({ user_id: userId, link: "/notifications", reference })),
  );

  // The emails say nothing, not even the reference.
  for (const email of [GURPREET, PEOPLE.equalityUnit]) {
    const mail = mailTo(email, mailBefore);
    expect(mail.length, email).toBeGreaterThanOrEqual(1);
    for (const raw of mail) {
      expectContentFree(raw);
      for (const secret of [marker, reference, id, "Fatima", "Hussain", "Gurpreet", "Sandhu"]) expect(raw).not.toContain(secret);
    }
  }

  // What Eve sees: the fixed sentence and the reference, nothing that names or describes the request.
  const eve = await as("equalityUnit", "/notifications");
  const alert = eve.getByRole("listitem").filter({ hasText: `Reference: ${reference}` });
  await expect(alert).toHaveCount(1);
  await expect(alert).toContainText("A confidential request has not been acknowledged in time. Open Confide to see its reference.");
  await expect(alert.getByRole("link")).toHaveAttribute("href", "/notifications");
  const html = await eve.content();
  for (const secret of [marker, id, "Fatima", "Hussain", "Gurpreet", "Sandhu", "Wellbeing"]) expect(html).not.toContain(secret);
  await expectNoAxeViolations(eve);
  // …and the request itself is not hers to open.
  expect((await getWithoutRedirects(eve, `/requests/${id}`)).status()).toBe(404);

  // The supporter's link still leads to the request (acknowledging it is the supporter pages' journey).
  const gurpreet = await signedIn(browser, GURPREET, `/requests/${id}`);
  await expect(gurpreet).toHaveURL(`${BASE_URL}/requests/${id}`);
  await expect(gurpreet.getByText(marker).first()).toBeVisible();
  await gurpreet.context().close();

  // Leave Gurpreet as found: the request is closed.
  closeAsSupporter(id, GURPREET, "resolved");
});
