import type { Page } from "@playwright/test";

import { BASE_URL, expect, PEOPLE, signedIn, test } from "./fixtures";
import { auditEventsAfter, expectNoAxeViolations, lastAuditSeq, waitForHydration, withDb } from "./helpers";

// Casey, coordinator of the LGBT+ Network, edits the network's page from the console: with JavaScript (a mistake
// first, then the change), and without. Other journeys read the network's page while these run (networks.spec.ts
// reads who it is for), so only the summary, the description and what it offers change, each with this run's own
// marker, and every test puts the text back in its finally. The two tests share the row, so they run one at a time.
test.describe.configure({ mode: "serial" });

const LGBT = { slug: "lgbt-plus-network", name: "LGBT+ Network" };
const CONSOLE = `/networks/${LGBT.slug}/manage`;
const EDIT = `${CONSOLE}/edit`;
const PUBLIC_PAGE = `/networks/${LGBT.slug}`;

type NetworkRow = {
  id: string;
  name: string;
  slug: string;
  summary: string;
  description: string;
  who_for: string;
  how_to_join: string;
  offers: string;
  contact_mailbox: string | null;
  join_policy: string;
};

const readNetwork = (): NetworkRow =>
  withDb(
    (db) =>
      db
        .prepare(
          `SELECT id, name, slug, summary, description, who_for, how_to_join, offers, contact_mailbox, join_policy
           FROM networks WHERE slug = ?`,
        )
        .get(LGBT.slug) as NetworkRow,
  );

/** Puts the page's text back as the test found it. */
function putBack(row: NetworkRow): void {
  withDb((db) =>
    db
      .prepare("UPDATE networks SET summary = ?, description = ?, who_for = ?, how_to_join = ?, offers = ? WHERE id = ?")
      .run(row.summary, row.description, row.who_for, row.how_to_join, row.offers, row.id),
  );
}

/** The network.updated events Casey wrote for the LGBT+ Network since `seq` (other journeys write their own). */
function updatesSince(seq: number, caseyId: string, networkId: string): number {
  return auditEventsAfter(seq).filter(
    (e) => e.action === "network.updated" && e.actor_id === caseyId && e.object_type === "network" && e.object_id === networkId && e.outcome === "success",
  ).length;
}

const caseyId = (): string =>
  withDb((db) => db.prepare("SELECT id FROM users WHERE email = ?").pluck().get(PEOPLE.coordinator) as string);

const marker = () => crypto.randomUUID().slice(0, 8);
const banner = (page: Page) => page.getByRole("alert").filter({ hasText: "The network\u2019s page has been updated." });
const problems = (page: Page) => page.getByRole("alert").filter({ hasText: "There is a problem" });

test("Casey edits the network's page: a missing summary is turned down with what was typed kept, then the change shows at once", async ({
  browser,
}) => {
  test.setTimeout(60_000);
  const original = readNetwork();
  const tag = marker();
  const offers = `Book club every month (${tag}).`;
  const summary = `A safe, confidential network for LGBT+ colleagues and allies (${tag}).`;
  const page = await signedIn(browser, PEOPLE.coordinator, CONSOLE);
  try {
    await page.getByRole("link", { name: "Edit the network\u2019s page" }).click();
    await expect(page).toHaveURL((url) => url.pathname === EDIT);
    await expect(page).toHaveTitle("Edit the network\u2019s page \u2013 Manage network \u2013 Confide");
    await expect(page.getByRole("heading", { level: 1 })).toContainText(LGBT.name);
    // The page's text, as it is; the name and the web address are not Casey's to change.
    await expect(page.getByLabel("Summary")).toHaveValue(original.summary);
    await expect(page.getByLabel("What it offers (optional)")).toHaveValue(original.offers);
    await expect(page.getByLabel("Name", { exact: true })).toHaveCount(0);
    await expect(page.getByLabel("Web address")).toHaveCount(0);
    await expect(page.getByText("To change the name, the web address, the contact mailbox or how people join, contact the Equality Unit.")).toBeVisible();
    await waitForHydration(page);
    await expectNoAxeViolations(page);

    // An empty summary: the form says so, keeps what was typed, and nothing is saved.
    let seq = lastAuditSeq();
    await page.getByLabel("Summary").fill("");
    await page.getByLabel("What it offers (optional)").fill(offers);
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(problems(page).getByRole("link", { name: "Enter a short summary" })).toHaveAttribute("href", "#summary");
    await expect(page.locator("#summary-error")).toContainText("Enter a short summary");
    await expect(page.getByLabel("What it offers (optional)")).toHaveValue(offers);
    await expect(page).toHaveURL((url) => url.pathname === EDIT);
    expect(readNetwork()).toEqual(original);
    expect(updatesSince(seq, caseyId(), original.id)).toBe(0);
    await expectNoAxeViolations(page);

    seq = lastAuditSeq();
    await page.getByLabel("Summary").fill(summary);
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).toHaveURL((url) => url.pathname === CONSOLE && url.searchParams.get("outcome") === "updated");
    await expect(banner(page)).toBeVisible();
    expect(readNetwork()).toEqual({ ...original, summary, offers });
    expect(updatesSince(seq, caseyId(), original.id)).toBe(1);

    // Everyone reads the new text at once: the network's page and the list of networks.
    await page.goto(PUBLIC_PAGE);
    await expect(page.getByText(summary)).toBeVisible();
    await expect(page.getByText(offers)).toBeVisible();
    await page.goto("/networks");
    await expect(page.getByRole("region", { name: LGBT.name })).toContainText(summary);
  } finally {
    await page.context().close();
    putBack(original);
  }
});

test("Casey edits the network's page without JavaScript", async ({ browser }) => {
  const original = readNetwork();
  const tag = marker();
  const description = `${original.description}\n\nWe meet on the first Tuesday of the month (${tag}).`;
  const offers = `Walks in the park (${tag}).`;
  const page = await signedIn(browser, PEOPLE.coordinator, EDIT, false);
  try {
    // A missing description comes back on the page from the server, with what was typed.
    await page.getByLabel("Description").fill("");
    await page.getByLabel("What it offers (optional)").fill(offers);
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(problems(page).getByRole("link", { name: "Enter a description" })).toHaveAttribute("href", "#description");
    await expect(page.getByLabel("What it offers (optional)")).toHaveValue(offers);
    await expect(page.getByLabel("Summary")).toHaveValue(original.summary);
    expect(readNetwork()).toEqual(original);

    const seq = lastAuditSeq();
    await page.getByLabel("Description").fill(description);
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).toHaveURL(`${BASE_URL}${CONSOLE}?outcome=updated`);
    await expect(banner(page)).toBeVisible();
    expect(readNetwork()).toEqual({ ...original, description, offers });
    expect(updatesSince(seq, caseyId(), original.id)).toBe(1);

    await page.goto(PUBLIC_PAGE);
    await expect(page.getByText(`We meet on the first Tuesday of the month (${tag}).`)).toBeVisible();
    await expect(page.getByText(offers)).toBeVisible();
  } finally {
    await page.context().close();
    putBack(original);
  }
});
