import { randomUUID } from "node:crypto";

import type { Page } from "@playwright/test";

import { expect, signIn, test } from "./fixtures";
import { expectNoAxeViolations, withDb } from "./helpers";

// A member of staff finds an equality supporter: filters, search, pagination, the profile and the contact page,
// and the 404s for supporters who are not listed. Seeded people (db/seed-data.ts) this relies on, none of whom
// other journeys change: Aisha Rahman and Helen Whitaker (Menopause), Tomasz Kowalski (Polish), Gurpreet Sandhu and
// Imran Qureshi (Loughborough), Fatima Hussain and Imran Qureshi (Urdu), Ioana Popescu (available), Wei Chen
// (paused until 1 March 2027), Priya Sharma (Alex's department), Barbara Lewis (lapsed), Graham Wright (retired).

function supporterIdOf(email: string): string {
  return withDb((db) => {
    const row = db
      .prepare("SELECT s.id FROM supporters s JOIN users u ON u.id = s.user_id WHERE lower(u.email) = lower(?)")
      .get(email) as { id: string } | undefined;
    if (!row) throw new Error(`no supporter for ${email}`);
    return row.id;
  });
}

const results = (page: Page) => page.locator('ul[aria-labelledby="result-count"] > li');

async function resultNames(page: Page): Promise<string[]> {
  return (await results(page).locator("h2").allInnerTexts()).map((name) => name.trim());
}

async function applyFilters(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForLoadState("domcontentloaded");
}

test.describe("the supporter directory", () => {
  test("lists listed supporters with their facts and availability, and never lapsed or retired ones", async ({ as }) => {
    const page = await as("staff", "/supporters");
    await expect(page).toHaveTitle("Find an equality supporter – Confide");
    await expect(page.getByRole("heading", { level: 1, name: "Find an equality supporter" })).toBeVisible();

    const names = await resultNames(page);
    for (const name of ["Aisha Rahman", "Ioana Popescu", "Wei Chen"]) expect(names).toContain(name);
    for (const name of ["Barbara Lewis", "Graham Wright"]) expect(names).not.toContain(name);
    await expect(page.locator("main")).not.toContainText("Barbara Lewis");
    await expect(page.locator("main")).not.toContainText("@example.org");
    expect(names, "sorted by name").toEqual([...names].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })));

    const ioana = results(page).filter({ has: page.getByRole("heading", { name: "Ioana Popescu" }) });
    await expect(ioana.getByRole("link", { name: "Ioana Popescu" })).toHaveAttribute("href", `/supporters/${supporterIdOf("ioana.popescu@example.org")}`);
    await expect(ioana.locator(".govuk-tag")).toHaveText("Available");
    await expect(ioana).toContainText("Police Staff \u2013 Digital Forensics Investigator");
    await expect(ioana).toContainText("Hinckley");
    await expect(ioana).toContainText("Bullying and harassment, Race and ethnicity, Sex and gender");
    await expect(ioana).toContainText("English, Romanian");
    await expect(ioana).toContainText("Messages in Confide, Video call");
    await expect(ioana).toContainText("I joined the force from industry four years ago.");

    const wei = results(page).filter({ has: page.getByRole("heading", { name: "Wei Chen" }) });
    await expect(wei.locator(".govuk-tag")).toHaveText("Not taking requests until 1 March 2027");
  });

  test("filters by specialism, then by language, with a way to remove each filter", async ({ as }) => {
    const page = await as("staff", "/supporters");
    await page.getByLabel("Specialism", { exact: true }).selectOption("Menopause");
    await applyFilters(page);
    await expect(page).toHaveURL(/[?&]specialism=Menopause(&|$)/);
    let names = await resultNames(page);
    expect(names).toEqual(expect.arrayContaining(["Aisha Rahman", "Helen Whitaker"]));
    expect(names).not.toContain("Ioana Popescu");
    await expect(page.getByLabel("Specialism", { exact: true })).toHaveValue("Menopause");
    await expect(page.getByText("Specialism: Menopause")).toBeVisible();
    // Too few for a second page.
    await expect(page.getByRole("navigation", { name: "Pages of supporters" })).toHaveCount(0);
    await expectNoAxeViolations(page);

    await page.getByRole("link", { name: "Remove filter Specialism: Menopause" }).click();
    await expect(page).toHaveURL((url) => url.pathname === "/supporters" && url.search === "");
    await page.getByLabel("Language", { exact: true }).selectOption("Polish");
    await applyFilters(page);
    names = await resultNames(page);
    expect(names).toContain("Tomasz Kowalski");
    expect(names).not.toContain("Aisha Rahman");
    const tomasz = results(page).filter({ has: page.getByRole("heading", { name: "Tomasz Kowalski" }) });
    await expect(tomasz).toContainText("Polish");

    await page.getByLabel("Contact method", { exact: true }).selectOption({ label: "In person" });
    await applyFilters(page);
    await expect(page).toHaveURL(/contact=in_person/);
    expect(await resultNames(page)).not.toContain("Tomasz Kowalski");
  });

  test("searches by name and by site, in any letter case", async ({ as }) => {
    const page = await as("staff", "/supporters");
    await page.getByLabel("Search by name, site or specialism").fill("  popescu ");
    await applyFilters(page);
    expect(await resultNames(page)).toEqual(["Ioana Popescu"]);
    await expect(page.getByText("Showing 1 supporter")).toBeVisible();

    await page.getByLabel("Search by name, site or specialism").fill("LOUGHBOROUGH");
    await applyFilters(page);
    const names = await resultNames(page);
    expect(names).toEqual(expect.arrayContaining(["Gurpreet Sandhu", "Imran Qureshi"]));
    expect(names).not.toContain("Ioana Popescu");

    await page.getByLabel("Site", { exact: true }).selectOption("Hinckley");
    await page.getByLabel("Search by name, site or specialism").fill("");
    await applyFilters(page);
    expect(await resultNames(page)).toContain("Ioana Popescu");
    expect(await resultNames(page)).not.toContain("Gurpreet Sandhu");
  });

  test("'Available now' leaves out a paused supporter", async ({ as }) => {
    const page = await as("staff", "/supporters");
    expect(await resultNames(page)).toContain("Wei Chen");
    await page.getByLabel("Available now").check();
    await applyFilters(page);
    await expect(page).toHaveURL(/[?&]available=yes(&|$)/);
    const names = await resultNames(page);
    expect(names).not.toContain("Wei Chen");
    expect(names).toContain("Ioana Popescu");
    await expect(results(page).locator(".govuk-tag").filter({ hasNotText: "Available" })).toHaveCount(0);
    await expect(page.getByLabel("Available now")).toBeChecked();
  });

  test("'Not in my department' leaves out supporters in the viewer's department", async ({ as }) => {
    const page = await as("staff", "/supporters");
    expect(await resultNames(page)).toContain("Priya Sharma");
    await page.getByLabel("Not in my department").check();
    await applyFilters(page);
    const names = await resultNames(page);
    // Alex works in Response Policing, like Priya.
    expect(names).not.toContain("Priya Sharma");
    expect(names).toContain("Ioana Popescu");
  });

  test("an empty result explains itself and clears the filters", async ({ as }) => {
    const page = await as("staff", "/supporters");
    await page.getByLabel("Search by name, site or specialism").fill("Nobody By This Name");
    await page.getByLabel("Available now").check();
    await applyFilters(page);
    await expect(page.getByRole("heading", { name: "No supporters match your search and filters" })).toBeVisible();
    await expect(results(page)).toHaveCount(0);
    await expect(page.getByText("Search: \u201cNobody By This Name\u201d")).toBeVisible();
    await expectNoAxeViolations(page);

    const clear = page.getByRole("main").getByRole("link", { name: "Clear filters" });
    await expect(clear).toHaveCount(1);
    await clear.click();
    await expect(page).toHaveURL((url) => url.pathname === "/supporters" && url.search === "");
    expect(await resultNames(page)).toContain("Wei Chen");
    await expect(page.getByLabel("Search by name, site or specialism")).toHaveValue("");
    await expect(page.getByLabel("Available now")).not.toBeChecked();
  });

  test("a search containing % matches it literally", async ({ as }) => {
    const page = await as("staff", "/supporters");
    await page.goto("/supporters?q=%25");
    await expect(page.getByRole("heading", { name: "No supporters match your search and filters" })).toBeVisible();
    await page.goto("/supporters?q=_");
    await expect(page.getByRole("heading", { name: "No supporters match your search and filters" })).toBeVisible();
  });

  test("links that are out of date or tampered with are explained, never an error", async ({ as }) => {
    const page = await as("staff", "/supporters");
    let response = await page.goto("/supporters?specialism=Astrology&language=Klingon&page=abc&available=1&site=Atlantis");
    expect(response?.status()).toBe(200);
    await expect(page.getByText(/these filters have been left out: specialism, site, language, available now/)).toBeVisible();
    expect(await resultNames(page)).toContain("Wei Chen");

    response = await page.goto(`/supporters?q=${"a".repeat(101)}`);
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle(/^Error: Find an equality supporter/);
    await expect(page.getByRole("alert").filter({ hasText: "There is a problem" })).toContainText("Search terms must be 100 characters or fewer");
    await expect(page.getByLabel("Search by name, site or specialism")).toHaveValue("a".repeat(101));
    await expectNoAxeViolations(page);

    // Beyond the last page: the last page, not an empty one.
    response = await page.goto("/supporters?page=999");
    expect(response?.status()).toBe(200);
    expect((await resultNames(page)).length).toBeGreaterThan(0);
  });

  test("paginates 20 a page in a stable order", async ({ as }) => {
    // A site of its own, and names that sort after everyone seeded, so other journeys' lists are unaffected.
    const site = `Directory Paging Test ${randomUUID().slice(0, 8)}`;
    const names = ["Zz Pagetest Able", "Zz Pagetest Baker", "Zz Pagetest Able"];
    const created: { supporterId: string; userId: string }[] = [];
    withDb((db) => {
      const user = db.prepare("INSERT INTO users (id, email, name, department) VALUES (?, ?, ?, 'Operations')");
      const supporter = db.prepare(
        `INSERT INTO supporters (id, user_id, status, role_title, site, introduction, trained_on, refresher_due, capacity)
         VALUES (?, ?, 'active', 'Police Constable', ?, 'Happy to help.', '2026-01-01', '2028-01-01', 3)`,
      );
      const attribute = db.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, ?, ?)");
      db.transaction(() => {
        for (let i = 0; i < 25; i += 1) {
          const userId = randomUUID();
          const supporterId = randomUUID();
          user.run(userId, `pagetest.${userId}@example.org`, names[i % names.length]);
          supporter.run(supporterId, userId, site);
          attribute.run(supporterId, "specialism", "Age");
          attribute.run(supporterId, "language", "English");
          attribute.run(supporterId, "contact_method", "in_app");
          created.push({ supporterId, userId });
        }
      })();
    });
    try {
      const page = await as("staff", "/supporters");
      await page.goto("/supporters");
      await page.getByLabel("Site", { exact: true }).selectOption(site);
      await applyFilters(page);
      await expect(page.getByText("Showing 1 to 20 of 25 supporters")).toBeVisible();
      const first = await results(page).getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
      expect(first).toHaveLength(20);

      const pagination = page.getByRole("navigation", { name: "Pages of supporters" });
      await expect(pagination.getByRole("link", { name: "Page 1" })).toHaveAttribute("aria-current", "page");
      await pagination.getByRole("link", { name: /Next/ }).click();
      await expect(page).toHaveURL(/[?&]page=2(&|$)/);
      await expect(page).toHaveURL(/[?&]site=/);
      await expect(page.getByText("Showing 21 to 25 of 25 supporters")).toBeVisible();
      const second = await results(page).getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
      expect(second).toHaveLength(5);

      const all = [...first, ...second];
      expect(new Set(all).size, "nobody twice").toBe(25);
      expect([...all].sort()).toEqual(created.map((c) => `/supporters/${c.supporterId}`).sort());

      await pagination.getByRole("link", { name: /Previous/ }).click();
      const again = await results(page).getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
      expect(again, "the same first page again").toEqual(first);
    } finally {
      withDb((db) => {
        db.transaction(() => {
          for (const c of created) {
            db.prepare("DELETE FROM supporter_attributes WHERE supporter_id = ?").run(c.supporterId);
            db.prepare("DELETE FROM supporters WHERE id = ?").run(c.supporterId);
            db.prepare("DELETE FROM users WHERE id = ?").run(c.userId);
          }
        })();
      });
    }
  });

  test("works without JavaScript", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await signIn(page, "staff", "/supporters");
      await page.getByLabel("Language", { exact: true }).selectOption("Urdu");
      await page.getByLabel("Available now").check();
      await applyFilters(page);
      await expect(page).toHaveURL(/language=Urdu/);
      await expect(page).toHaveURL(/available=yes/);
      const names = await resultNames(page);
      expect(names).toEqual(expect.arrayContaining(["Fatima Hussain", "Imran Qureshi"]));
      expect(names).not.toContain("Ioana Popescu");

      await page.getByRole("link", { name: "Imran Qureshi" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Imran Qureshi" })).toBeVisible();
      await page.getByRole("link", { name: "Ask for confidential contact" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Ask for confidential contact" })).toBeVisible();
    } finally {
      await context.close();
    }
  });
});

test.describe("a supporter's profile", () => {
  test("shows the facts, the call to action and what supporters do; the title never names them", async ({ as }) => {
    const id = supporterIdOf("ioana.popescu@example.org");
    const page = await as("staff", "/supporters");
    await page.getByRole("link", { name: "Ioana Popescu" }).click();
    await expect(page).toHaveURL((url) => url.pathname === `/supporters/${id}`);
    await expect(page).toHaveTitle("Equality supporter – Confide");
    await expect(page.getByRole("heading", { level: 1, name: "Ioana Popescu" })).toBeVisible();
    await expect(page.locator("main .govuk-tag")).toHaveText("Available");

    const facts = page.locator(".govuk-summary-list");
    const row = (key: string) => facts.locator(".govuk-summary-list__row").filter({ has: page.locator("dt", { hasText: key }) });
    await expect(row("Role or rank").locator("dd")).toHaveText("Police Staff \u2013 Digital Forensics Investigator");
    await expect(row("Site").locator("dd")).toHaveText("Hinckley");
    await expect(row("Specialisms").locator("dd")).toHaveText("Bullying and harassment, Race and ethnicity, Sex and gender");
    await expect(row("Languages").locator("dd")).toHaveText("English, Romanian");
    await expect(row("Contact methods").locator("dd")).toHaveText("Messages in Confide, Video call");
    await expect(row("Working pattern").locator("dd")).toHaveText("Monday to Friday, 7:30am to 3:30pm");
    await expect(page.getByText("Message me and we can take it from there.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "What a supporter can and cannot do" })).toBeVisible();
    await expect(page.getByRole("link", { name: /Read more about what supporters do/ })).toHaveAttribute("href", "/help");
    await expect(page.getByRole("link", { name: "Back to all supporters" })).toHaveAttribute("href", "/supporters");
    await expect(page.locator("main")).not.toContainText("@example.org");
    await expectNoAxeViolations(page);

    await page.getByRole("link", { name: "Ask for confidential contact" }).click();
    await expect(page).toHaveURL((url) => url.pathname === `/supporters/${id}/contact`);
    await expect(page).toHaveTitle("Ask for confidential contact – Confide");
    await expect(page.getByRole("heading", { level: 1, name: "Ask for confidential contact" })).toBeVisible();
    await expect(page.getByText("You are asking Ioana Popescu for confidential support.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Send request" })).toBeVisible();
    await expect(page.getByText(/acknowledge your request within 2 working days/)).toBeVisible();
    await expect(page.getByText(/stay anonymous to Ioana Popescu/)).toBeVisible();
    await expect(page.getByRole("heading", { name: "The limits of confidentiality" })).toBeVisible();
    await expect(page.getByRole("link", { name: /Read more about confidentiality/ })).toHaveAttribute("href", "/help#confidentiality");
    await expect(page.getByRole("link", { name: "Back to the supporter's profile" })).toHaveAttribute("href", `/supporters/${id}`);
    await expectNoAxeViolations(page);
  });

  test("a paused supporter has no button, says why and points to someone available", async ({ as }) => {
    const id = supporterIdOf("wei.chen@example.org");
    const page = await as("staff", "/supporters");
    await page.goto(`/supporters/${id}`);
    await expect(page.getByRole("heading", { level: 1, name: "Wei Chen" })).toBeVisible();
    await expect(page.locator("main .govuk-tag")).toHaveText("Not taking requests until 1 March 2027");
    await expect(page.getByText("Wei Chen is not taking new requests until 1 March 2027.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Ask for confidential contact" })).toHaveCount(0);
    await expect(page.getByText(/secondment/i)).toHaveCount(0);
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: "Choose a supporter who is available now" }).click();
    await expect(page).toHaveURL(/\/supporters\?available=yes$/);
    expect(await resultNames(page)).not.toContain("Wei Chen");

    await page.goto(`/supporters/${id}/contact`);
    await expect(page.getByRole("heading", { level: 1, name: "Ask for confidential contact" })).toBeVisible();
    await expect(page.getByText("Wei Chen cannot take a new request at the moment.")).toBeVisible();
    await expect(page.getByText("What will happen")).toHaveCount(0);
  });

  const hidden = [
    { who: "a lapsed supporter", id: () => supporterIdOf("barbara.lewis@example.org") },
    { who: "a retired supporter", id: () => supporterIdOf("graham.wright@example.org") },
    { who: "a random id", id: () => randomUUID() },
    { who: "a malformed id", id: () => "not-an-id" },
  ];
  for (const { who, id } of hidden) {
    test(`the profile and contact page of ${who} are a 404`, async ({ as }) => {
      const supporterId = id();
      const page = await as("staff", "/supporters");
      for (const path of [`/supporters/${supporterId}`, `/supporters/${supporterId}/contact`]) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(404);
        await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
        await expect(page.locator("main")).not.toContainText(/Barbara|Graham|Lewis|Wright/);
      }
    });
  }
});
