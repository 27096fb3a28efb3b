import type { Page } from "@playwright/test";

import { expect, PEOPLE, test } from "./fixtures";
import { CASEY_TEXT_SIZE_LOCK, expectIdpSignInForm, expectNoAxeViolations, waitForHydration } from "./helpers";

// WCAG 2.2 AA: zero axe-core violations on every page built so far, and the skip link first in the tab order.

async function expectSkipLinkFirst(page: Page): Promise<void> {
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to main content" })).toBeFocused();
}

for (const path of ["/", "/help", "/accessibility", "/account"]) {
  test(`${path} has no accessibility violations`, async ({ as }) => {
    const page = await as("staff", path);
    await expectSkipLinkFirst(page);
    await expectNoAxeViolations(page);
  });
}

test("the skip link takes keyboard users to the main content", async ({ as }) => {
  const page = await as("staff", "/help");
  await expectSkipLinkFirst(page);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main-content$/);
  await expect(page.getByRole("main")).toBeInViewport();
});

test("/account with the error summary showing has no accessibility violations", { lock: CASEY_TEXT_SIZE_LOCK }, async ({ as }) => {
  const page = await as("coordinator", "/account");
  await waitForHydration(page);
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Save preferences" }) });
  // Nothing chosen (a tampered or stale form): the radios are cleared behind React's back.
  await form.evaluate((element) => element.querySelectorAll("input").forEach((input) => (input.checked = false)));
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "There is a problem" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Text size" })).toContainText("Choose a text size");
  await expectNoAxeViolations(page);
});

for (const { path, heading } of [
  { path: "/signed-out", heading: "You have signed out" },
  { path: "/sign-in-problem", heading: "You could not be signed in" },
  { path: "/sign-in-problem?error=AccessDenied", heading: "You could not be signed in" },
  { path: "/this-does-not-exist", heading: "Page not found" },
]) {
  test(`${path} has no accessibility violations when signed out`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expectSkipLinkFirst(page);
    await expectNoAxeViolations(page);
  });
}

test("the page-not-found page has no accessibility violations when signed in", async ({ as }) => {
  const page = await as("staff");
  await page.goto("/this-does-not-exist");
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expectSkipLinkFirst(page);
  await expectNoAxeViolations(page);
});

test("the identity provider's sign-in form has no accessibility violations, with and without an error", async ({ page }) => {
  await page.goto("/account");
  await expectIdpSignInForm(page);
  await expectNoAxeViolations(page);

  await page.getByLabel("Email").fill(PEOPLE.staff);
  await page.getByLabel("Password").fill("wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Email or password is incorrect").first()).toBeVisible();
  await expectNoAxeViolations(page);
});
