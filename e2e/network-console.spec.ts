import fs from "node:fs";

import type { Page } from "@playwright/test";

import { BASE_URL, expect, PEOPLE, signedIn, test } from "./fixtures";
import { auditEventsAfter, expectNoAxeViolations, lastAuditSeq, waitForHydration, withDb } from "./helpers";

// The coordinator console: Casey, coordinator of the LGBT+ Network, decides requests, removes a member, sends an
// announcement and exports the member list. The people whose requests and memberships Casey changes are created
// here, for this run only (no other journey knows them), and removed again afterwards, so the seeded network looks
// the same to everyone else. The journeys share the LGBT+ Network's member count, so they run one at a time.
test.describe.configure({ mode: "serial" });

const LGBT = { slug: "lgbt-plus-network", name: "LGBT+ Network" };
const CONSOLE = `/networks/${LGBT.slug}/manage`;
// A visible member of the LGBT+ Network whom no journey changes: she signs in to read an announcement.
const LEAH = { email: "leah.murphy@example.org", name: "Leah Murphy" };
// The seeded active members (db/seed-data.ts): visible and silent alike get announcements.
const SEEDED_MEMBERS = [
  "daniel.oconnor@example.org",
  "jordan.blake@example.org",
  LEAH.email,
  "chris.taylor@example.org",
  "rachel.green@example.org",
];

const networkId = (): string =>
  withDb((db) => db.prepare("SELECT id FROM networks WHERE slug = ?").pluck().get(LGBT.slug) as string);

type Person = { userId: string; name: string; email: string; membershipId: string };

/** A person who exists only for this journey, with a membership of the LGBT+ Network in the given state. */
function createPerson(
  label: string,
  status: "pending" | "active",
  options: { visibility?: "visible" | "silent"; note?: string; name?: string } = {},
): Person {
  const suffix = crypto.randomUUID().slice(0, 8);
  const person = {
    userId: crypto.randomUUID(),
    name: options.name ?? `${label} ${suffix}`,
    email: `console.${label.toLowerCase().replace(/\W+/g, ".")}.${suffix}@example.org`,
    membershipId: crypto.randomUUID(),
  };
  withDb((db) => {
    db.prepare("INSERT INTO users (id, email, name) VALUES (?, ?, ?)").run(person.userId, person.email, person.name);
    db.prepare(
      `INSERT INTO network_memberships (id, network_id, user_id, status, visibility, request_note, decided_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      person.membershipId,
      networkId(),
      person.userId,
      status,
      options.visibility ?? "visible",
      options.note ?? null,
      status === "active" ? Date.now() : null,
    );
  });
  return person;
}

/** Removes the people a journey created, with everything that points at them. */
function removePeople(people: Person[]): void {
  withDb((db) => {
    for (const person of people) {
      db.prepare("DELETE FROM mail_outbox WHERE to_address = ?").run(person.email);
      db.prepare("DELETE FROM users WHERE id = ?").run(person.userId);
    }
  });
}

type MembershipRow = { status: string; decision_reason: string | null; decided_at: number | null };
const membershipRow = (id: string): MembershipRow | undefined =>
  withDb(
    (db) =>
      db.prepare("SELECT status, decision_reason, decided_at FROM network_memberships WHERE id = ?").get(id) as
        | MembershipRow
        | undefined,
  );

// Other journeys send announcements to the LGBT+ Network while these run, and an active member receives them: only
// the notices about this person's own membership are counted.
const notificationsOf = (userId: string): { kind: string; link: string }[] =>
  withDb(
    (db) =>
      db
        .prepare("SELECT kind, link FROM notifications WHERE user_id = ? AND kind != 'network.announcement' ORDER BY created_at")
        .all(userId) as { kind: string; link: string }[],
  );

const requestRow = (page: Page, name: string) => page.getByRole("table", { name: /^Requests to join/ }).getByRole("row").filter({ hasText: name });
const memberRow = (page: Page, name: string) => page.getByRole("table", { name: /^Members/ }).getByRole("row").filter({ hasText: name });

test("Casey approves one request and declines another with a reason; each person is told without content", async ({ browser }) => {
  const approved = createPerson("Approvable", "pending", { note: "I would like to help organise Pride events." });
  const declined = createPerson("Declinable", "pending", { note: "Happy to volunteer." });
  const page = await signedIn(browser, PEOPLE.coordinator, "/");
  try {
    // The console is in Casey's header navigation.
    await page.getByRole("link", { name: `Manage ${LGBT.name}` }).click();
    await expect(page).toHaveURL((url) => url.pathname === CONSOLE);
    await expect(page).toHaveTitle("Manage network \u2013 Confide");
    await expect(page.getByRole("heading", { level: 1 })).toContainText(LGBT.name);
    // The seeded request, and the two made for this journey with their notes.
    await expect(requestRow(page, "Ollie Bennett")).toBeVisible();
    await expect(requestRow(page, approved.name)).toContainText("I would like to help organise Pride events.");
    await expect(requestRow(page, declined.name)).toContainText("Happy to volunteer.");
    await waitForHydration(page);
    await expectNoAxeViolations(page);

    let seq = lastAuditSeq();
    await requestRow(page, approved.name).getByRole("button", { name: `Approve the request from ${approved.name}` }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Request approved" })).toBeVisible();
    await expect(requestRow(page, approved.name)).toHaveCount(0);
    await expect(memberRow(page, approved.name)).toContainText("Visible to other members");
    const approvedRow = membershipRow(approved.membershipId);
    expect(approvedRow?.status).toBe("active");
    expect(approvedRow?.decision_reason).toBeNull();
    expect(approvedRow?.decided_at).toBeTruthy();
    expect(notificationsOf(approved.userId)).toEqual([{ kind: "network.request_decided", link: `/networks/${LGBT.slug}` }]);
    expect(auditEventsAfter(seq).map((e) => [e.action, e.object_type, e.object_id])).toContainEqual([
      "network_membership.approved",
      "network_membership",
      approved.membershipId,
    ]);
    await expectNoAxeViolations(page);

    // Declining needs a reason: without one nothing changes and the error summary says why.
    await requestRow(page, declined.name).getByRole("link", { name: `Decline the request from ${declined.name}` }).click();
    await expect(page).toHaveTitle("Decline a request \u2013 Manage network \u2013 Confide");
    await expect(page.locator(".govuk-summary-list")).toContainText(declined.name);
    await waitForHydration(page);
    await page.getByRole("button", { name: "Decline request" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await expect(summary.getByRole("link", { name: "Enter a reason for declining this request" })).toHaveAttribute("href", "#reason");
    await expect(page.locator("#reason-error")).toContainText("Enter a reason for declining this request");
    expect(membershipRow(declined.membershipId)?.status).toBe("pending");
    await expectNoAxeViolations(page);

    // Over 500 characters is refused too, and what was typed is kept.
    await page.getByLabel("Why are you declining this request?").fill("x".repeat(501));
    await page.getByRole("button", { name: "Decline request" }).click();
    await expect(summary.getByRole("link", { name: "The reason must be 500 characters or fewer" })).toBeVisible();
    await expect(page.getByLabel("Why are you declining this request?")).toHaveValue("x".repeat(501));
    expect(membershipRow(declined.membershipId)?.status).toBe("pending");

    seq = lastAuditSeq();
    const reason = "This network is for colleagues in our force only; you are on secondment from another force.";
    await page.getByLabel("Why are you declining this request?").fill(reason);
    await page.getByRole("button", { name: "Decline request" }).click();
    await expect(page).toHaveURL((url) => url.pathname === CONSOLE);
    await expect(page.getByRole("alert").filter({ hasText: "Request declined" })).toBeVisible();
    await expect(requestRow(page, declined.name)).toHaveCount(0);
    await expect(memberRow(page, declined.name)).toHaveCount(0);
    const declinedRow = membershipRow(declined.membershipId);
    expect(declinedRow?.status).toBe("declined");
    expect(declinedRow?.decision_reason).toBe(reason);
    expect(declinedRow?.decided_at).toBeTruthy();
    expect(notificationsOf(declined.userId)).toEqual([{ kind: "network.request_decided", link: `/networks/${LGBT.slug}` }]);
    const events = auditEventsAfter(seq);
    expect(events.map((e) => [e.action, e.object_id])).toContainEqual(["network_membership.declined", declined.membershipId]);
    // The reason lives on the membership row, never in the audit log.
    expect(JSON.stringify(events)).not.toContain("secondment");
  } finally {
    await page.context().close();
    removePeople([approved, declined]);
  }
});

test("Casey removes a member with a reason, and the person is told", async ({ browser }) => {
  const member = createPerson("Removable", "active", { visibility: "silent" });
  const page = await signedIn(browser, PEOPLE.coordinator, CONSOLE);
  try {
    const row = memberRow(page, member.name);
    await expect(row).toContainText("Silent \u2014 only coordinators can see this");
    await row.getByRole("link", { name: `Remove ${member.name}` }).click();
    await expect(page).toHaveTitle("Remove a member \u2013 Manage network \u2013 Confide");
    await expect(page.locator(".govuk-summary-list")).toContainText(member.name);
    await expect(page.locator(".govuk-summary-list")).toContainText("Silent \u2014 only coordinators can see this");
    await waitForHydration(page);
    await expectNoAxeViolations(page);

    await page.getByRole("button", { name: "Remove from network" }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: "There is a problem" }).getByRole("link", { name: "Enter a reason for removing this member" }),
    ).toBeVisible();
    expect(membershipRow(member.membershipId)?.status).toBe("active");
    await expectNoAxeViolations(page);

    const seq = lastAuditSeq();
    await page.getByLabel("Why are you removing this member?").fill("Repeated posts that broke the network's ground rules.");
    await page.getByRole("button", { name: "Remove from network" }).click();
    await expect(page).toHaveURL((url) => url.pathname === CONSOLE);
    await expect(page.getByRole("alert").filter({ hasText: "Member removed" })).toBeVisible();
    await expect(memberRow(page, member.name)).toHaveCount(0);
    const row2 = membershipRow(member.membershipId);
    expect(row2?.status).toBe("removed");
    expect(row2?.decision_reason).toBe("Repeated posts that broke the network's ground rules.");
    expect(notificationsOf(member.userId)).toEqual([{ kind: "network.membership_removed", link: `/networks/${LGBT.slug}` }]);
    expect(auditEventsAfter(seq).map((e) => [e.action, e.object_type, e.object_id])).toContainEqual([
      "network_membership.removed",
      "network_membership",
      member.membershipId,
    ]);
    await expectNoAxeViolations(page);
  } finally {
    await page.context().close();
    removePeople([member]);
  }
});

test("Casey sends an announcement: every member is told individually, and a member reads it", async ({ browser }) => {
  // A silent member, and a pending requester who must not be told.
  const silent = createPerson("Silentmember", "active", { visibility: "silent" });
  const pending = createPerson("Stillpending", "pending");
  const page = await signedIn(browser, PEOPLE.coordinator, `${CONSOLE}/announce`);
  const title = `Pride planning meeting ${crypto.randomUUID().slice(0, 6)}`;
  try {
    await expect(page).toHaveTitle("Send an announcement \u2013 Manage network \u2013 Confide");
    await waitForHydration(page);
    await expectNoAxeViolations(page);

    // Nothing is sent without a title and a body.
    await page.getByRole("button", { name: "Send announcement" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await expect(summary.getByRole("link", { name: "Enter a title" })).toHaveAttribute("href", "#title");
    await expect(summary.getByRole("link", { name: "Enter the announcement" })).toHaveAttribute("href", "#body");
    await expectNoAxeViolations(page);
    expect(withDb((db) => db.prepare("SELECT count(*) FROM network_announcements WHERE title = ?").pluck().get(title))).toBe(0);

    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Announcement").fill("We meet on Thursday at 6pm in the training room at Force HQ.\nAll welcome.");
    const seq = lastAuditSeq();
    await page.getByRole("button", { name: "Send announcement" }).click();
    const banner = page.getByRole("alert").filter({ hasText: /Sent to \d+ members/ });
    await expect(banner).toBeVisible();
    // The form is empty again, ready for the next one.
    await expect(page.getByLabel("Title")).toHaveValue("");
    await expectNoAxeViolations(page);

    const stored = withDb(
      (db) =>
        db.prepare("SELECT id, title, created_at FROM network_announcements WHERE network_id = ? AND title = ?").all(networkId(), title) as {
          id: string;
          title: string;
          created_at: number;
        }[],
    );
    expect(stored).toHaveLength(1);

    // One notification per active member, each their own; the count Casey saw is that number. Notifications carry
    // nothing of the announcement, but share its timestamp (other journeys may announce at the same time).
    const told = withDb(
      (db) =>
        db
          .prepare(`SELECT user_id FROM notifications WHERE kind = 'network.announcement' AND link = ? AND created_at = ?`)
          .pluck()
          .all(`/networks/${LGBT.slug}`, stored[0]?.created_at) as string[],
    );
    expect(new Set(told).size).toBe(told.length);
    await expect(banner).toContainText(`Sent to ${told.length} members`);
    // Everyone told has a membership of this network; the seeded members and the silent one were told, the
    // pending requester was not. (Other journeys add and remove members of their own while this runs.)
    const everMembers = withDb(
      (db) => db.prepare("SELECT user_id FROM network_memberships WHERE network_id = ?").pluck().all(networkId()) as string[],
    );
    for (const userId of told) expect(everMembers).toContain(userId);
    const seeded = withDb(
      (db) =>
        db
          .prepare(`SELECT id FROM users WHERE email IN (${SEEDED_MEMBERS.map(() => "?").join(", ")})`)
          .pluck()
          .all(...SEEDED_MEMBERS) as string[],
    );
    expect(seeded).toHaveLength(SEEDED_MEMBERS.length);
    for (const userId of [...seeded, silent.userId]) expect(told).toContain(userId);
    expect(told).not.toContain(pending.userId);
    expect(told).not.toContain(withDb((db) => db.prepare("SELECT id FROM users WHERE email = ?").pluck().get("ollie.bennett@example.org")));
    // The email is content-free and queued for each person.
    const mail = withDb(
      (db) =>
        db.prepare("SELECT kind FROM mail_outbox WHERE to_address = ? AND created_at = ?").pluck().all(silent.email, stored[0]?.created_at) as string[],
    );
    expect(mail).toEqual(["network.announcement"]);
    expect(auditEventsAfter(seq).map((e) => [e.action, e.object_type, e.object_id])).toContainEqual([
      "network.announcement_sent",
      "network_announcement",
      stored[0]?.id,
    ]);

    // Leah, a member, sees a notification that names nothing, and the announcement on the network's page.
    const leah = await signedIn(browser, LEAH.email, "/notifications");
    try {
      const link = leah.getByRole("link", { name: "There is a new announcement from a network you belong to." }).first();
      await expect(link).toBeVisible();
      await expect(leah.locator("main")).not.toContainText(LGBT.name);
      await expect(leah.locator("main")).not.toContainText(title);
      await link.click();
      await expect(leah).toHaveURL((url) => url.pathname === `/networks/${LGBT.slug}`);
      await expect(leah.getByRole("heading", { name: title })).toBeVisible();
      // Nobody is shown who else received it: the silent member's name is nowhere on Leah's page.
      await expect(leah.locator("body")).not.toContainText(silent.name);
    } finally {
      await leah.context().close();
    }
  } finally {
    await page.context().close();
    removePeople([silent, pending]);
  }
});

test("Casey exports the members as CSV: contact details, formula-safe, no-store, audited", async ({ browser }) => {
  const tricky = createPerson("Formula", "active", { name: `=HYPERLINK("http://evil.example","Click ${crypto.randomUUID().slice(0, 4)}")` });
  const page = await signedIn(browser, PEOPLE.coordinator, CONSOLE);
  try {
    const seq = lastAuditSeq();
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export members as CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("members.csv");
    const csv = fs.readFileSync(await download.path(), "utf8");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("name,email,visibility,joined");
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${LEAH.name},${LEAH.email.replace(/\./g, "\\.")},visible,\\d{4}-\\d{2}-\\d{2}$`)));
    expect(lines.some((line) => line.startsWith("Chris Taylor,chris.taylor@example.org,silent,"))).toBe(true);
    // The formula is text: a leading single quote, and RFC 4180 quoting for its commas and quotes.
    const quoted = `"'${tricky.name.replace(/"/g, '""')}",${tricky.email},visible,`;
    expect(lines.some((line) => line.startsWith(quoted))).toBe(true);
    // Pending requests are not members.
    expect(csv).not.toContain("ollie.bennett@example.org");

    const events = auditEventsAfter(seq).filter((e) => e.action === "network.members_exported");
    expect(events).toHaveLength(1);
    const casey = withDb((db) => db.prepare("SELECT id FROM users WHERE email = ?").pluck().get(PEOPLE.coordinator) as string);
    expect(events[0]).toMatchObject({ actor_id: casey, object_type: "network", object_id: networkId(), outcome: "success" });

    // The response itself: an attachment whose name says nothing about the network, never cached.
    const response = await page.request.get(new URL(`${CONSOLE}/members.csv`, BASE_URL).toString());
    expect(response.status()).toBe(200);
    expect(response.headers()["content-disposition"]).toBe('attachment; filename="members.csv"');
    expect(response.headers()["cache-control"]).toContain("no-store");
    expect(response.headers()["content-type"]).toContain("text/csv");
  } finally {
    await page.context().close();
    removePeople([tricky]);
  }
});

test("without JavaScript, Casey approves a request and declines one, errors included", async ({ browser }) => {
  const approved = createPerson("Nojsapprove", "pending");
  const declined = createPerson("Nojsdecline", "pending");
  const page = await signedIn(browser, PEOPLE.coordinator, CONSOLE, false);
  try {
    await requestRow(page, approved.name).getByRole("button", { name: `Approve the request from ${approved.name}` }).click();
    await expect(page.getByText("Request approved. The person has been told.")).toBeVisible();
    expect(membershipRow(approved.membershipId)?.status).toBe("active");

    await requestRow(page, declined.name).getByRole("link", { name: `Decline the request from ${declined.name}` }).click();
    await page.getByRole("button", { name: "Decline request" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Enter a reason for declining this request");
    expect(membershipRow(declined.membershipId)?.status).toBe("pending");
    await page.getByLabel("Why are you declining this request?").fill("Not this time.");
    await page.getByRole("button", { name: "Decline request" }).click();
    await expect(page.getByText("Request declined. The person has been told.")).toBeVisible();
    expect(membershipRow(declined.membershipId)).toMatchObject({ status: "declined", decision_reason: "Not this time." });
  } finally {
    await page.context().close();
    removePeople([approved, declined]);
  }
});
