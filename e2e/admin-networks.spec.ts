import type { Page } from "@playwright/test";

import { BASE_URL, expect, PEOPLE, signedIn, test } from "./fixtures";
import { auditEventsAfter, expectNoAxeViolations, lastAuditSeq, waitForHydration, withDb } from "./helpers";

// The Equality Unit's network administration. Eve creates, edits, archives and restores networks of her own
// (made for each journey, removed afterwards) and assigns a coordinator: Tomasz Kowalski, whom no other journey
// makes a coordinator, so the "Manage …" link in his navigation is ours to check.

const TOMASZ = { email: "tomasz.kowalski@example.org", name: "Tomasz Kowalski" };

// Members of the seeded networks: the Equality Unit sees counts, never these names.
const MEMBER_NAMES = ["Leah Murphy", "Chris Taylor", "Ollie Bennett", "Daniel O'Connor", "Nadia Begum", "Fatima Hussain", "Helen Whitaker"];

type NetworkRow = { id: string; slug: string; name: string; summary: string; status: string; contact_mailbox: string | null; join_policy: string };
const networkBySlug = (slug: string): NetworkRow | undefined =>
  withDb(
    (db) =>
      db.prepare("SELECT id, slug, name, summary, status, contact_mailbox, join_policy FROM networks WHERE slug = ?").get(slug) as
        | NetworkRow
        | undefined,
  );
const deleteNetwork = (slug: string) => withDb((db) => db.prepare("DELETE FROM networks WHERE slug = ?").run(slug));
const userIdOf = (email: string): string =>
  withDb((db) => db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").pluck().get(email) as string);
const coordinatorIds = (networkId: string): string[] =>
  withDb((db) => db.prepare("SELECT user_id FROM network_coordinators WHERE network_id = ?").pluck().all(networkId) as string[]);

function insertNetwork(name: string): { id: string; slug: string } {
  const id = crypto.randomUUID();
  const slug = `admin-e2e-${id.slice(0, 8)}`;
  withDb((db) =>
    db
      .prepare(
        `INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join, join_policy)
         VALUES (?, ?, ?, 'A summary.', 'A description.', 'Everyone.', 'Ask to join.', 'approval')`,
      )
      .run(id, slug, name),
  );
  return { id, slug };
}

const summary = (page: Page) => page.getByRole("alert").filter({ hasText: "There is a problem" });

async function fillNetworkForm(page: Page, values: { name: string; slug: string; mailbox: string }): Promise<void> {
  await page.getByLabel("Name", { exact: true }).fill(values.name);
  await page.getByLabel("Web address").fill(values.slug);
  await page.getByLabel("Summary").fill("Support and friendship for colleagues who are parents or carers.");
  await page.getByLabel("Description").fill("The network shares practical advice on flexible working, leave and caring.\nIt meets monthly.");
  await page.getByLabel("Who it is for").fill("Parents and carers at any rank or grade, and anyone who supports them.");
  await page.getByLabel("How to join").fill("Select \u201cAsk to join\u201d. A coordinator confirms your request.");
  await page.getByLabel("What it offers (optional)").fill("Peer support, a buddy scheme and a monthly coffee morning.");
  await page.getByLabel("Contact mailbox (optional)").fill(values.mailbox);
  await page.getByLabel("A coordinator approves each request").check();
}

test("Eve creates a network, edits it, assigns a coordinator, archives and restores it", async ({ browser }) => {
  // A long journey through two people's sessions.
  test.setTimeout(90_000);
  const slug = `parents-carers-${crypto.randomUUID().slice(0, 6)}`;
  const name = `Parents and Carers Network ${slug.slice(-6)}`;
  const renamed = `${name} (renamed)`;
  const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/networks");
  let tomasz: Page | undefined;
  try {
    await expect(eve).toHaveTitle("Networks \u2013 admin \u2013 Confide");
    await expectNoAxeViolations(eve);
    await eve.getByRole("link", { name: "Create a network" }).click();
    await expect(eve).toHaveTitle("Create a network \u2013 Networks \u2013 admin \u2013 Confide");
    await waitForHydration(eve);
    await expectNoAxeViolations(eve);

    let seq = lastAuditSeq();
    await fillNetworkForm(eve, { name, slug, mailbox: "Parents.Carers@Example.org" });
    await eve.getByRole("button", { name: "Create network" }).click();
    await expect(eve.getByRole("alert").filter({ hasText: "Network created" })).toBeVisible();
    await expect(eve.getByRole("heading", { level: 1 })).toContainText(name);
    const created = networkBySlug(slug);
    expect(created).toMatchObject({ name, status: "active", contact_mailbox: "parents.carers@example.org", join_policy: "approval" });
    expect(auditEventsAfter(seq).map((e) => [e.action, e.object_type, e.object_id])).toContainEqual(["network.created", "network", created?.id]);
    // A new network's counts are suppressed like any other's.
    await expect(eve.locator(".govuk-summary-list").first()).toContainText("fewer than 5");
    await waitForHydration(eve);
    await expectNoAxeViolations(eve);

    // Staff see it straight away.
    await eve.goto("/networks");
    await expect(eve.getByRole("link", { name, exact: true })).toBeVisible();

    // Edit.
    await eve.goto(`/admin/networks/${created?.id}`);
    await eve.getByRole("link", { name: "Edit the network\u2019s details" }).click();
    await expect(eve).toHaveTitle("Edit network \u2013 Networks \u2013 admin \u2013 Confide");
    await expect(eve.getByLabel("Web address")).toHaveValue(slug);
    await waitForHydration(eve);
    await expectNoAxeViolations(eve);
    seq = lastAuditSeq();
    await eve.getByLabel("Name", { exact: true }).fill(renamed);
    await eve.getByLabel("Summary").fill("A network for parents and carers.");
    await eve.getByLabel("Contact mailbox (optional)").fill("");
    await eve.getByRole("button", { name: "Save changes" }).click();
    await expect(eve.getByRole("alert").filter({ hasText: "Changes saved" })).toBeVisible();
    expect(networkBySlug(slug)).toMatchObject({ name: renamed, summary: "A network for parents and carers.", contact_mailbox: null });
    expect(auditEventsAfter(seq).map((e) => [e.action, e.object_id])).toContainEqual(["network.updated", created?.id]);

    // Assign Tomasz with the staff picker's typeahead.
    await waitForHydration(eve);
    seq = lastAuditSeq();
    await eve.getByRole("combobox", { name: "Assign a coordinator" }).fill("Tomasz");
    await eve.getByRole("option", { name: /Tomasz Kowalski/ }).click();
    await eve.getByRole("button", { name: "Assign coordinator" }).click();
    await expect(eve.getByRole("alert").filter({ hasText: "Coordinator assigned" })).toBeVisible();
    await expect(eve.locator(".govuk-summary-list").filter({ hasText: TOMASZ.name })).toBeVisible();
    expect(coordinatorIds(created!.id)).toEqual([userIdOf(TOMASZ.email)]);
    expect(auditEventsAfter(seq).map((e) => [e.action, e.object_id])).toContainEqual(["network.coordinator_assigned", created?.id]);
    await expectNoAxeViolations(eve);

    // Tomasz now has the console in his navigation, and it opens.
    tomasz = await signedIn(browser, TOMASZ.email, "/");
    await tomasz.getByRole("link", { name: `Manage ${renamed}` }).click();
    await expect(tomasz).toHaveURL((url) => url.pathname === `/networks/${slug}/manage`);
    await expect(tomasz.getByRole("heading", { level: 1 })).toContainText(renamed);
    await expect(tomasz.getByText("There are no requests waiting.")).toBeVisible();

    // Archive: gone from /networks, its page and console are not found, the link leaves Tomasz's navigation.
    seq = lastAuditSeq();
    await eve.getByRole("button", { name: "Archive network" }).click();
    await expect(eve.getByRole("alert").filter({ hasText: "Network archived" })).toBeVisible();
    expect(networkBySlug(slug)?.status).toBe("archived");
    expect(auditEventsAfter(seq).map((e) => [e.action, e.object_id])).toContainEqual(["network.archived", created?.id]);
    await tomasz.goto("/networks");
    await expect(tomasz.getByRole("link", { name: renamed, exact: true })).toHaveCount(0);
    await expect(tomasz.getByRole("link", { name: `Manage ${renamed}` })).toHaveCount(0);
    expect((await tomasz.goto(`/networks/${slug}`))?.status()).toBe(404);
    expect((await tomasz.goto(`/networks/${slug}/manage`))?.status()).toBe(404);
    // The Equality Unit still sees it, marked archived.
    await eve.goto("/admin/networks");
    await expect(eve.getByRole("row").filter({ hasText: renamed })).toContainText("Archived");
    await eve.goto(`/admin/networks/${created?.id}`);
    await waitForHydration(eve);
    await expectNoAxeViolations(eve);

    // Restore: back for staff and for its coordinator.
    seq = lastAuditSeq();
    await eve.getByRole("button", { name: "Restore network" }).click();
    await expect(eve.getByRole("alert").filter({ hasText: "Network restored" })).toBeVisible();
    expect(networkBySlug(slug)?.status).toBe("active");
    expect(auditEventsAfter(seq).map((e) => [e.action, e.object_id])).toContainEqual(["network.restored", created?.id]);
    await tomasz.goto("/networks");
    await expect(tomasz.getByRole("link", { name: renamed, exact: true })).toBeVisible();
    expect((await tomasz.goto(`/networks/${slug}`))?.status()).toBe(200);
    await expect(tomasz.getByRole("link", { name: `Manage ${renamed}` })).toBeVisible();

    // Remove the coordinator again.
    await eve.getByRole("button", { name: `Remove ${TOMASZ.name} as coordinator` }).click();
    await expect(eve.getByRole("alert").filter({ hasText: "Coordinator removed" })).toBeVisible();
    expect(coordinatorIds(created!.id)).toEqual([]);
    expect((await tomasz.goto(`/networks/${slug}/manage`))?.status()).toBe(404);
  } finally {
    await tomasz?.context().close();
    await eve.context().close();
    deleteNetwork(slug);
  }
});

test("validation errors are shown in the error summary and on each field, and nothing is saved", async ({ browser }) => {
  const slug = `validation-${crypto.randomUUID().slice(0, 6)}`;
  const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/networks/new");
  try {
    await waitForHydration(eve);
    // Other journeys create networks at the same time, so "nothing saved" is checked by name.
    const saved = () => withDb((db) => db.prepare("SELECT count(*) FROM networks WHERE name = 'Validation Network'").pluck().get() as number);

    // Nothing filled in.
    await eve.getByRole("button", { name: "Create network" }).click();
    for (const [message, href] of [
      ["Enter the network\u2019s name", "#name"],
      ["Enter the web address", "#slug"],
      ["Enter a short summary", "#summary"],
      ["Enter a description", "#description"],
      ["Enter who the network is for", "#whoFor"],
      ["Enter how to join", "#howToJoin"],
      ["Choose how people join", "#joinPolicy"],
    ] as const) {
      await expect(summary(eve).getByRole("link", { name: message })).toHaveAttribute("href", href);
    }
    await expectNoAxeViolations(eve);

    // A bad email address and a badly formed web address.
    await fillNetworkForm(eve, { name: "Validation Network", slug: "Not A Slug", mailbox: "not-an-email" });
    await eve.getByRole("button", { name: "Create network" }).click();
    await expect(summary(eve).getByRole("link", { name: "Enter an email address in the correct format, like name@example.org" })).toHaveAttribute(
      "href",
      "#contactMailbox",
    );
    await expect(summary(eve).getByRole("link", { name: /lower-case letters, numbers and single hyphens/ })).toHaveAttribute("href", "#slug");
    await expect(eve.locator("#contactMailbox-error")).toContainText("Enter an email address in the correct format");
    // What was typed is kept.
    await expect(eve.getByLabel("Name", { exact: true })).toHaveValue("Validation Network");
    await expect(eve.getByLabel("Contact mailbox (optional)")).toHaveValue("not-an-email");
    expect(saved()).toBe(0);
    await expectNoAxeViolations(eve);

    // A web address another network already uses.
    await eve.getByLabel("Web address").fill("lgbt-plus-network");
    await eve.getByLabel("Contact mailbox (optional)").fill("validation@example.org");
    await eve.getByRole("button", { name: "Create network" }).click();
    await expect(
      summary(eve).getByRole("link", { name: "Another network already uses this web address. Choose a different one" }),
    ).toHaveAttribute("href", "#slug");
    await expect(eve.locator("#slug-error")).toContainText("Another network already uses this web address");
    expect(saved()).toBe(0);
    await expectNoAxeViolations(eve);

    // Fixed: it saves.
    await eve.getByLabel("Web address").fill(slug);
    await eve.getByRole("button", { name: "Create network" }).click();
    await expect(eve.getByRole("alert").filter({ hasText: "Network created" })).toBeVisible();

    // Editing to another network's web address is refused the same way.
    await eve.getByRole("link", { name: "Edit the network\u2019s details" }).click();
    await waitForHydration(eve);
    await eve.getByLabel("Web address").fill("womens-network");
    await eve.getByRole("button", { name: "Save changes" }).click();
    await expect(summary(eve).getByRole("link", { name: /Another network already uses this web address/ })).toBeVisible();
    expect(networkBySlug(slug)?.name).toBe("Validation Network");
    expect(networkBySlug("womens-network")?.name).toBe("Women's Network");
  } finally {
    await eve.context().close();
    deleteNetwork(slug);
  }
});

test("the list shows counts from 5 upwards only, coordinators, and never a member's name", async ({ browser }) => {
  const eve = await signedIn(browser, PEOPLE.equalityUnit, "/admin/networks");
  try {
    const row = (name: string) => eve.getByRole("row").filter({ has: eve.getByRole("link", { name, exact: true }) });
    // The Sikh Police Association has fewer than 5 members and no requests.
    await expect(row("Sikh Police Association")).toContainText("fewer than 5");
    await expect(row("Sikh Police Association").getByRole("cell").nth(2)).toHaveText("fewer than 5");
    // The LGBT+ Network has 5 or more: a number (other journeys change it, so any number of 5 or more).
    await expect(row("LGBT+ Network").getByRole("cell").nth(2)).toHaveText(/^([5-9]|\d{2,})$/);
    await expect(row("LGBT+ Network")).toContainText("Casey Jones");
    const body = (await eve.content()) + (await (await eve.request.get(new URL("/admin/networks", BASE_URL).toString(), { headers: { RSC: "1" } })).text());
    for (const name of MEMBER_NAMES) expect(body, name).not.toContain(name);

    await row("LGBT+ Network").getByRole("link").click();
    await expect(eve).toHaveTitle("Network \u2013 Networks \u2013 admin \u2013 Confide");
    const detail = await eve.content();
    for (const name of MEMBER_NAMES) expect(detail, name).not.toContain(name);
    await waitForHydration(eve);
    await expectNoAxeViolations(eve);
  } finally {
    await eve.context().close();
  }
});

test("without JavaScript, Eve assigns a coordinator by email; a leaver cannot be assigned", async ({ browser }) => {
  const network = insertNetwork(`No-JS Network ${crypto.randomUUID().slice(0, 6)}`);
  const leaver = { id: crypto.randomUUID(), email: `leaver.${crypto.randomUUID().slice(0, 8)}@example.org` };
  withDb((db) =>
    db.prepare("INSERT INTO users (id, email, name, deactivated_at) VALUES (?, ?, 'Departed Colleague', ?)").run(leaver.id, leaver.email, Date.now()),
  );
  const eve = await signedIn(browser, PEOPLE.equalityUnit, `/admin/networks/${network.id}`, false);
  try {
    await eve.getByLabel("Assign a coordinator").fill(leaver.email);
    await eve.getByRole("button", { name: "Assign coordinator" }).click();
    await expect(eve.locator(".govuk-error-summary")).toContainText("No member of staff with that email address");
    await expect(eve.locator("#staff-error")).toBeVisible();
    expect(coordinatorIds(network.id)).toEqual([]);

    await eve.getByLabel("Assign a coordinator").fill(TOMASZ.email);
    await eve.getByRole("button", { name: "Assign coordinator" }).click();
    await expect(eve.getByText("Coordinator assigned")).toBeVisible();
    expect(coordinatorIds(network.id)).toEqual([userIdOf(TOMASZ.email)]);

    // Twice is refused with a clear message.
    await eve.getByLabel("Assign a coordinator").fill(TOMASZ.email);
    await eve.getByRole("button", { name: "Assign coordinator" }).click();
    await expect(eve.locator(".govuk-error-summary")).toContainText("They are already a coordinator of this network");

    await eve.getByRole("button", { name: `Remove ${TOMASZ.name} as coordinator` }).click();
    await expect(eve.getByText("Coordinator removed")).toBeVisible();
    expect(coordinatorIds(network.id)).toEqual([]);
  } finally {
    await eve.context().close();
    withDb((db) => {
      db.prepare("DELETE FROM networks WHERE id = ?").run(network.id);
      db.prepare("DELETE FROM users WHERE id = ?").run(leaver.id);
    });
  }
});
