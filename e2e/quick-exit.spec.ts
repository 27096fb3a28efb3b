import type { Page } from "@playwright/test";

import { BASE_URL, expect, signIn, test } from "./fixtures";
import { QUICK_EXIT_URL, routeNeutralSite, waitForHydration } from "./helpers";

// "Exit this page" replaces Confide with a neutral site (BBC Weather by default; served locally here, as the machine
// has no internet) without leaving the page it exits from in the back button's history.

const exitLink = (page: Page) => page.getByRole("link", { name: "Exit this page" });
const status = (page: Page) => page.getByRole("region", { name: "Quick exit" }).getByRole("status");

async function expectOnNeutralSite(page: Page): Promise<void> {
  await expect(page).toHaveURL(QUICK_EXIT_URL);
  await expect(page.getByRole("heading", { name: "Weather" })).toBeVisible();
}

/** Signed in, on /help and then /account: exiting from /account must leave /help as the previous entry. */
async function onAccountAfterHelp(page: Page): Promise<void> {
  await routeNeutralSite(page.context());
  await signIn(page, "staff", "/help");
  await page.goto("/account");
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await waitForHydration(page);
}

async function expectAccountPageLeftHistory(page: Page): Promise<void> {
  await page.goBack();
  // Back goes to the page before the one exited from: /account was replaced, not added to.
  await expect(page).toHaveURL(`${BASE_URL}/help`);
  await expect(page.getByRole("heading", { level: 1, name: "Help" })).toBeVisible();
}

test("every page has the Exit this page link to the neutral site", async ({ as, page }) => {
  const signedIn = await as("staff");
  for (const path of ["/", "/help", "/accessibility", "/account"]) {
    await signedIn.goto(path);
    await expect(signedIn).toHaveURL(`${BASE_URL}${path}`);
    await expect(exitLink(signedIn), path).toHaveAttribute("href", QUICK_EXIT_URL);
  }
  for (const path of ["/signed-out", "/sign-in-problem", "/this-does-not-exist"]) {
    await page.goto(path);
    await expect(page).toHaveURL(`${BASE_URL}${path}`);
    await expect(exitLink(page), path).toHaveAttribute("href", QUICK_EXIT_URL);
  }
});

test("the link replaces the page with the neutral site and Back does not return to it", async ({ page }) => {
  await onAccountAfterHelp(page);
  await exitLink(page).click();
  await expectOnNeutralSite(page);
  await expectAccountPageLeftHistory(page);
});

test("pressing Shift three times exits the same way", async ({ page }) => {
  await onAccountAfterHelp(page);
  for (let press = 0; press < 3; press += 1) await page.keyboard.press("Shift");
  await expectOnNeutralSite(page);
  await expectAccountPageLeftHistory(page);
});

test("another key between the Shift presses starts the count again", async ({ page }) => {
  await onAccountAfterHelp(page);
  await page.keyboard.press("Shift");
  await page.keyboard.press("Shift");
  await expect(status(page)).toHaveText("Shift, press 1 more time to exit.");
  await page.keyboard.press("a");
  await page.keyboard.press("Shift");
  // Counted as the first press again, so the page stays.
  await expect(status(page)).toHaveText("Shift, press 2 more times to exit.");
  await expect(page).toHaveURL(`${BASE_URL}/account`);
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();

  // Two more complete a fresh count of three.
  await page.keyboard.press("Shift");
  await page.keyboard.press("Shift");
  await expectOnNeutralSite(page);
});

test("without JavaScript the button is a plain link to the neutral site", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    await routeNeutralSite(context);
    const page = await context.newPage();
    // The identity provider's sign-in form works without JavaScript.
    await signIn(page, "staff", "/account");
    const link = exitLink(page);
    await expect(link).toHaveAttribute("href", QUICK_EXIT_URL);
    // The Shift shortcut needs JavaScript, so it is not announced.
    await expect(link).not.toHaveAttribute("aria-describedby", /.+/);
    await link.click();
    await expectOnNeutralSite(page);
  } finally {
    await context.close();
  }
});
