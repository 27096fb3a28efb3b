import type { Page } from "@playwright/test";

import { expect, PEOPLE, signedIn, test } from "./fixtures";
import { auditEventsAfter, expectNoAxeViolations, lastAuditSeq, waitForHydration, withDb } from "./helpers";

// Joining, switching visibility and leaving networks, as staff see them. Each journey that changes memberships
// uses its own person and network (seeded staff in no network: db/seed-data.ts), so journeys can run in parallel:
//   Alex  – Christian Police Association (open) and Disability Support Network (approval)
//   Ioana – Association of Muslim Police (open) and a declined request for the LGBT+ Network, on /account
//   Wei   – Black Support Network (open), without JavaScript
//   Sam   – declined and removed states (LGBT+ Network, Christian Police Association, Disability Support Network)

const ALEX = PEOPLE.staff;
const IOANA = "ioana.popescu@example.org";
const WEI = "wei.chen@example.org";
const SAM = PEOPLE.supporter;

const CHRISTIAN = { slug: "christian-police-association", name: "Christian Police Association" };
const DISABILITY = { slug: "disability-support-network", name: "Disability Support Network" };
const MUSLIM = { slug: "association-of-muslim-police", name: "Association of Muslim Police" };
const BLACK = { slug: "black-support-network", name: "Black Support Network" };
const LGBT = { slug: "lgbt-plus-network", name: "LGBT+ Network" };
const LGBT_WHO_FOR_START = "Lesbian, gay, bisexual, trans, non-binary and questioning officers";

type MembershipRow = { id: string; status: string; visibility: string; request_note: string | null };

function userIdOf(email: string): string {
  return withDb((db) => (db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").pluck().get(email) as string));
}

function networkIdOf(slug: string): string {
  return withDb((db) => db.prepare("SELECT id FROM networks WHERE slug = ?").pluck().get(slug) as string);
}

function membership(email: string, slug: string): MembershipRow | undefined {
  return withDb(
    (db) =>
      db
        .prepare(
          `SELECT m.id, m.status, m.visibility, m.request_note FROM network_memberships m
           JOIN networks n ON n.id = m.network_id JOIN users u ON u.id = m.user_id
           WHERE n.slug = ? AND lower(u.email) = lower(?)`,
        )
        .get(slug, email) as MembershipRow | undefined,
  );
}

function deleteMembership(email: string, slug: string): void {
  withDb((db) =>
    db.prepare("DELETE FROM network_memberships WHERE network_id = ? AND user_id = ?").run(networkIdOf(slug), userIdOf(email)),
  );
}

function insertMembership(email: string, slug: string, status: "declined" | "removed", reason: string): void {
  withDb((db) =>
    db
      .prepare(
        `INSERT INTO network_memberships (id, network_id, user_id, status, visibility, decision_reason, decided_at)
         VALUES (?, ?, ?, ?, 'silent', ?, ?)`,
      )
      .run(crypto.randomUUID(), networkIdOf(slug), userIdOf(email), status, reason, Date.now()),
  );
}

async function expectTitle(page: Page, network: { name: string }): Promise<void> {
  // The network's name is public; whether the viewer belongs is never in the title.
  await expect(page).toHaveTitle(`${network.name} \u2013 Confide`);
}

const SEEDED_NETWORKS = [
  "Association of Muslim Police",
  "Black Support Network",
  "Christian Police Association",
  "Disability Support Network",
  "LGBT+ Network",
  "Sikh Police Association",
  "Women's Network",
];

function activeMembers(slug: string): number {
  return withDb(
    (db) =>
      db
        .prepare(
          `SELECT count(*) FROM network_memberships m JOIN networks n ON n.id = m.network_id
           JOIN users u ON u.id = m.user_id WHERE n.slug = ? AND m.status = 'active' AND u.deactivated_at IS NULL`,
        )
        .pluck()
        .get(slug) as number,
  );
}

test("/networks lists the active networks with contact points, and no size under 5, and is accessible", async ({ as }) => {
  const page = await as("staff", "/networks");
  await expect(page).toHaveTitle("Staff support networks \u2013 Confide");
  for (const name of SEEDED_NETWORKS) {
    await expect(page.getByRole("region", { name }).getByRole("link", { name })).toBeVisible();
  }
  const lgbt = page.getByRole("region", { name: LGBT.name });
  await expect(lgbt.getByRole("link", { name: LGBT.name })).toHaveAttribute("href", `/networks/${LGBT.slug}`);
  await expect(lgbt).toContainText("Coordinator: Casey Jones");
  await expect(lgbt.getByRole("link", { name: "lgbt.network@example.org" })).toHaveAttribute("href", "mailto:lgbt.network@example.org");
  await expect(lgbt).toContainText("A coordinator confirms each request");
  await expect(lgbt).toContainText(LGBT_WHO_FOR_START);
  // Other journeys may change the LGBT+ Network's members, so the expectation follows the database: a count when
  // there are 5 or more, otherwise nothing about size.
  const members = activeMembers(LGBT.slug);
  if (members >= 5) await expect(lgbt).toContainText(`${members} members`);
  else await expect(lgbt).not.toContainText(/members\b/);
  // The Sikh Police Association has fewer than 5 members: nothing about its size at all.
  expect(activeMembers("sikh-police-association")).toBeLessThan(5);
  const sikh = page.getByRole("region", { name: "Sikh Police Association" });
  await expect(sikh).toContainText("Who it is for");
  await expect(sikh).not.toContainText(/\b\d+ members\b|fewer than/i);
  await expect(page.locator("main")).not.toContainText(/fewer than 5/i);
  await expectNoAxeViolations(page);
});

test("an archived network is not listed and its page is not found", async ({ as }) => {
  const page = await as("staff", "/networks");
  const slug = `archived-${crypto.randomUUID().slice(0, 8)}`;
  withDb((db) =>
    db
      .prepare(
        `INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join, status)
         VALUES (?, ?, 'Zz Closed Network', 's', 'd', 'w', 'h', 'archived')`,
      )
      .run(crypto.randomUUID(), slug),
  );
  try {
    await page.reload();
    await expect(page.locator("main")).not.toContainText("Zz Closed Network");
    const response = await page.goto(`/networks/${slug}`);
    expect(response?.status()).toBe(404);
    await expect(page.locator("main")).not.toContainText("Zz Closed Network");
    expect((await page.goto("/networks/no-such-network"))?.status()).toBe(404);
    expect((await page.goto("/networks/Not%20A%20Slug"))?.status()).toBe(404);
  } finally {
    withDb((db) => db.prepare("DELETE FROM networks WHERE slug = ?").run(slug));
  }
});

test("Alex joins an open network as a silent member, becomes visible, then leaves", async ({ as }) => {
  deleteMembership(ALEX, CHRISTIAN.slug);
  const seq = lastAuditSeq();
  const page = await as("staff", `/networks/${CHRISTIAN.slug}`);
  await waitForHydration(page);
  await expectTitle(page, CHRISTIAN);
  await expect(page.getByRole("heading", { name: "What the network offers" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Join this network", level: 2 })).toBeVisible();
  // Silent is the safer default, and the page says so.
  await expect(page.getByRole("radio", { name: /^Silent/ })).toBeChecked();
  await expect(page.getByText("Silent is chosen for you unless you change it")).toBeVisible();
  // Non-members see neither the members nor the announcements.
  await expect(page.getByRole("heading", { name: "Members you can see" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Announcements" })).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.getByRole("button", { name: "Join this network" }).click();
  await expect(page.getByRole("heading", { name: "You are a member of this network" })).toBeVisible();
  expect(membership(ALEX, CHRISTIAN.slug)).toMatchObject({ status: "active", visibility: "silent" });
  await expect(page.getByText("You are a silent member, so you are not on this list.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Members you can see" })).not.toContainText("Alex Morgan");
  await expect(page.getByRole("heading", { name: "Announcements" })).toBeVisible();
  await expectTitle(page, CHRISTIAN);
  await expectNoAxeViolations(page);

  await page.getByRole("radio", { name: /^Visible/ }).check();
  await page.getByRole("button", { name: "Save who can see me" }).click();
  await expect(page.getByText("Your choice has been saved")).toBeVisible();
  await expect(page.getByRole("region", { name: "Members you can see" }).getByRole("listitem")).toContainText(["Alex Morgan (you)"]);
  expect(membership(ALEX, CHRISTIAN.slug)).toMatchObject({ status: "active", visibility: "visible" });
  const id = membership(ALEX, CHRISTIAN.slug)?.id;

  await page.getByRole("button", { name: "Leave this network" }).click();
  await expect(page.getByRole("heading", { name: "Join this network", level: 2 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Members you can see" })).toHaveCount(0);
  expect(membership(ALEX, CHRISTIAN.slug), "leaving deletes the row").toBeUndefined();

  // Every write is audited against the membership row's opaque id, never the network.
  const events = auditEventsAfter(seq).filter((e) => e.object_type === "network_membership" && e.object_id === id);
  expect(events.map((e) => e.action)).toEqual([
    "network_membership.joined",
    "network_membership.visibility_changed",
    "network_membership.left",
  ]);
  expect(JSON.stringify(auditEventsAfter(seq))).not.toMatch(/christian|Christian/);
});

test("Alex asks to join an approval network with a note, sees it pending, and withdraws", async ({ as }) => {
  deleteMembership(ALEX, DISABILITY.slug);
  const rachel = userIdOf("rachel.green@example.org");
  const notificationsBefore = withDb(
    (db) => db.prepare("SELECT count(*) FROM notifications WHERE user_id = ? AND kind = 'network.join_requested'").pluck().get(rachel) as number,
  );
  const page = await as("staff", `/networks/${DISABILITY.slug}`);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: "Ask to join this network", level: 2 })).toBeVisible();

  // Too long a note: the error summary, a message on the field, and nothing saved.
  await page.getByLabel("Note to the coordinators (optional)").fill("x".repeat(501));
  await page.getByRole("button", { name: "Ask to join" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "There is a problem" })).toContainText("Your note must be 500 characters or fewer");
  expect(membership(ALEX, DISABILITY.slug)).toBeUndefined();
  await expectNoAxeViolations(page);

  await page.getByLabel("Note to the coordinators (optional)").fill("I have dyslexia and would like to talk to others about adjustments.");
  await page.getByRole("button", { name: "Ask to join" }).click();
  await expect(page.getByRole("heading", { name: "Request pending" })).toBeVisible();
  await expect(page.getByText("I have dyslexia and would like to talk to others about adjustments.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Members you can see" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Announcements" })).toHaveCount(0);
  await expectTitle(page, DISABILITY);
  expect(membership(ALEX, DISABILITY.slug)).toMatchObject({
    status: "pending",
    visibility: "silent",
    request_note: "I have dyslexia and would like to talk to others about adjustments.",
  });
  await expectNoAxeViolations(page);

  // The coordinator is told, with a fixed sentence and a link to the console (which checks permission itself).
  const notes = withDb(
    (db) =>
      db.prepare("SELECT link FROM notifications WHERE user_id = ? AND kind = 'network.join_requested'").pluck().all(rachel) as string[],
  );
  expect(notes.length).toBe(notificationsBefore + 1);
  expect(notes).toContain(`/networks/${DISABILITY.slug}/manage`);

  // "Your networks" on /account shows the request.
  await page.goto("/account");
  const row = page.locator(".govuk-summary-list__row").filter({ hasText: DISABILITY.name });
  await expect(row).toContainText("Request pending");
  await expect(row.getByRole("button", { name: `Withdraw request \u2013 ${DISABILITY.name}` })).toBeVisible();

  await page.goto(`/networks/${DISABILITY.slug}`);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Withdraw request" }).click();
  await expect(page.getByRole("heading", { name: "Ask to join this network", level: 2 })).toBeVisible();
  expect(membership(ALEX, DISABILITY.slug)).toBeUndefined();
});

test("\u201cYour networks\u201d on /account lists memberships and requests, each with a way to leave", async ({ browser }) => {
  deleteMembership(IOANA, MUSLIM.slug);
  deleteMembership(IOANA, LGBT.slug);
  insertMembership(IOANA, LGBT.slug, "declined", "We meet only in Leicester at the moment.");
  const page = await signedIn(browser, IOANA, `/networks/${MUSLIM.slug}`);
  try {
    await waitForHydration(page);
    await page.getByRole("radio", { name: /^Visible/ }).check();
    await page.getByRole("button", { name: "Join this network" }).click();
    await expect(page.getByRole("heading", { name: "You are a member of this network" })).toBeVisible();

    await page.goto("/account");
    await waitForHydration(page);
    const section = page.getByRole("region", { name: "Your networks" });
    const muslim = section.locator(".govuk-summary-list__row").filter({ hasText: MUSLIM.name });
    const lgbt = section.locator(".govuk-summary-list__row").filter({ hasText: LGBT.name });
    await expect(muslim).toContainText("Member");
    await expect(muslim).toContainText("Visible to other members");
    await expect(lgbt).toContainText("Request declined");
    // The text size form is still there, as it was.
    await expect(page.getByRole("button", { name: "Save preferences" })).toBeVisible();
    await expectNoAxeViolations(page);

    await muslim.getByRole("button", { name: `Leave this network \u2013 ${MUSLIM.name}` }).click();
    await expect(section.locator(".govuk-summary-list__row").filter({ hasText: MUSLIM.name })).toHaveCount(0);
    expect(membership(IOANA, MUSLIM.slug)).toBeUndefined();

    await lgbt.getByRole("button", { name: `Remove from your networks \u2013 ${LGBT.name}` }).click();
    await expect(section).toContainText("You have not joined or asked to join any networks.");
    expect(membership(IOANA, LGBT.slug)).toBeUndefined();
  } finally {
    await page.context().close();
    deleteMembership(IOANA, MUSLIM.slug);
    deleteMembership(IOANA, LGBT.slug);
  }
});

test("joining, switching and leaving work without JavaScript", async ({ browser }) => {
  deleteMembership(WEI, BLACK.slug);
  const page = await signedIn(browser, WEI, `/networks/${BLACK.slug}`, false);
  try {
    await page.getByRole("button", { name: "Join this network" }).click();
    await expect(page.getByRole("heading", { name: "You are a member of this network" })).toBeVisible();
    expect(membership(WEI, BLACK.slug)).toMatchObject({ status: "active", visibility: "silent" });

    await page.getByRole("radio", { name: /^Visible/ }).check();
    await page.getByRole("button", { name: "Save who can see me" }).click();
    await expect(page.getByText("Your choice has been saved")).toBeVisible();
    expect(membership(WEI, BLACK.slug)?.visibility).toBe("visible");

    await page.getByRole("button", { name: "Leave this network" }).click();
    await expect(page.getByRole("heading", { name: "Join this network", level: 2 })).toBeVisible();
    expect(membership(WEI, BLACK.slug)).toBeUndefined();

    // And from /account.
    await page.getByRole("button", { name: "Join this network" }).click();
    await expect(page.getByRole("heading", { name: "You are a member of this network" })).toBeVisible();
    await page.goto("/account");
    await page.getByRole("button", { name: `Leave this network \u2013 ${BLACK.name}` }).click();
    await expect(page.getByRole("region", { name: "Your networks" })).toContainText("You have not joined or asked to join any networks.");
    expect(membership(WEI, BLACK.slug)).toBeUndefined();
  } finally {
    await page.context().close();
    deleteMembership(WEI, BLACK.slug);
  }
});

test("declined and removed: the coordinator's reason, and asking or joining again where allowed", async ({ browser }) => {
  const cases = [
    { network: LGBT, status: "declined", reason: "Please talk to me before joining.", heading: "Your request to join was declined", again: "Ask again" },
    { network: CHRISTIAN, status: "removed", reason: "Removed at your own request by email.", heading: "You were removed from this network", again: "Join again" },
    { network: DISABILITY, status: "removed", reason: "Posts in the group broke its rules.", heading: "You were removed from this network", again: null },
  ] as const;
  for (const c of cases) {
    deleteMembership(SAM, c.network.slug);
    insertMembership(SAM, c.network.slug, c.status, c.reason);
  }
  const page = await signedIn(browser, SAM, `/networks/${LGBT.slug}`);
  try {
    for (const c of cases) {
      await page.goto(`/networks/${c.network.slug}`);
      await expect(page.getByRole("heading", { name: c.heading })).toBeVisible();
      await expect(page.getByText(c.reason)).toBeVisible();
      await expect(page.getByRole("heading", { name: "Members you can see" })).toHaveCount(0);
      await expectTitle(page, c.network);
      if (c.again) await expect(page.getByRole("button", { name: c.again })).toBeVisible();
      else await expect(page.getByText("If you think this is a mistake, contact the network\u2019s coordinators.")).toBeVisible();
      await expectNoAxeViolations(page);
    }

    // Joining again (an open network) replaces the removed row: a member again, without the old reason.
    await page.goto(`/networks/${CHRISTIAN.slug}`);
    await waitForHydration(page);
    await page.getByRole("button", { name: "Join again" }).click();
    await expect(page.getByRole("heading", { name: "You are a member of this network" })).toBeVisible();
    await expect(page.getByText("Removed at your own request by email.")).toHaveCount(0);
    expect(membership(SAM, CHRISTIAN.slug)).toMatchObject({ status: "active", visibility: "silent" });
  } finally {
    await page.context().close();
    for (const c of cases) deleteMembership(SAM, c.network.slug);
  }
});
