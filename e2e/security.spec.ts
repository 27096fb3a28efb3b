import type { Page } from "@playwright/test";

import { BASE_URL, completeSignIn, expect, PEOPLE, signIn, test } from "./fixtures";
import {
  CASEY_TEXT_SIZE_LOCK,
  expectIdpSignInForm,
  sessionRow,
  sessionToken,
  userByEmail,
  waitForHydration,
  withDb,
} from "./helpers";

const EVIL = "https://evil.example";

const textSizeOf = (email: string) => userByEmail(email)?.text_size;

async function chooseTextSize(page: Page, label: "Standard" | "Large"): Promise<void> {
  await page.getByLabel(label, { exact: true }).check();
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByText("Your text size has been saved")).toBeVisible();
}

test("an authenticated page sends a nonce-based CSP and no-store, and no framework banner", async ({ as }) => {
  const page = await as("staff", "/account");
  const response = await page.goto("/account");
  expect(response?.status()).toBe(200);
  const headers = response?.headers() ?? {};

  const csp = headers["content-security-policy"] ?? "";
  const scriptSrc = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src ")) ?? "";
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
  expect(nonce, `a nonce in script-src: ${csp}`).toBeTruthy();
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["cache-control"]).toContain("no-store");
  expect(headers["x-powered-by"]).toBeUndefined();

  // Next.js' scripts in the page carry the nonce from this response's header.
  const scriptTags = (await response?.text())?.match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.filter((tag) => tag.includes("/_next/")).length).toBeGreaterThan(0);
  for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);
});

test("the health check reports a working service and no framework banner", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", database: "reachable", migrations: "current" });
  expect(response.headers()["x-powered-by"]).toBeUndefined();
});

test.describe("changing your text size", { lock: CASEY_TEXT_SIZE_LOCK }, () => {
  // A known starting point, so that one failure does not cascade into the others.
  test.beforeEach(() => {
    withDb((db) => db.prepare("UPDATE users SET text_size = 'standard' WHERE email = ?").run(PEOPLE.coordinator));
  });

  test("a server action posted without our Origin is refused and changes nothing; our own form works", async ({ as }) => {
    const page = await as("coordinator", "/account");
    expect(textSizeOf(PEOPLE.coordinator)).toBe("standard");
    await waitForHydration(page);

    // (d) The real form, from our own page, changes it; keep that request to replay it from elsewhere.
    const posted = page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/account");
    await chooseTextSize(page, "Large");
    const action = await posted;
    expect(textSizeOf(PEOPLE.coordinator)).toBe("large");
    await expect(page.locator("html")).toHaveClass(/\bconfide-text-large\b/);
    const sent = await action.allHeaders();
    const body = action.postDataBuffer();
    expect(sent["next-action"], "a server action request").toBeTruthy();

    await chooseTextSize(page, "Standard");
    await expect(page.locator("html")).not.toHaveClass(/\bconfide-text-large\b/);
    expect(textSizeOf(PEOPLE.coordinator)).toBe("standard");

    const replay = (origin: string | undefined) =>
      page.request.post("/account", {
        headers: {
          "next-action": sent["next-action"] ?? "",
          "content-type": sent["content-type"] ?? "",
          accept: sent["accept"] ?? "text/x-component",
          "next-router-state-tree": sent["next-router-state-tree"] ?? "",
          ...(origin === undefined ? {} : { origin }),
        },
        data: body ?? undefined,
        maxRedirects: 0,
      });

    for (const origin of [undefined, "null", EVIL]) {
      const response = await replay(origin);
      expect(response.status(), `Origin ${origin ?? "(none)"}`).toBe(403);
      expect(textSizeOf(PEOPLE.coordinator), `Origin ${origin ?? "(none)"}`).toBe("standard");
    }

    // Control: the very same request with our Origin goes through, so the refusals above are about the Origin alone.
    const control = await replay(BASE_URL);
    expect(control.status()).toBe(200);
    expect(textSizeOf(PEOPLE.coordinator)).toBe("large");

    await page.reload();
    await waitForHydration(page);
    await chooseTextSize(page, "Standard");
    expect(textSizeOf(PEOPLE.coordinator)).toBe("standard");
  });

  const TAMPERED = [
    { name: "no text size chosen", tamper: (form: HTMLFormElement) => form.querySelectorAll("input").forEach((i) => (i.checked = false)) },
    {
      name: "a text size that is not offered",
      tamper: (form: HTMLFormElement) => {
        const large = form.querySelector<HTMLInputElement>('input[value="large"]');
        if (large) {
          large.checked = true;
          large.value = "huge";
        }
      },
    },
  ];
  for (const { name, tamper } of TAMPERED) {
    test(`${name} shows the error summary and changes nothing`, async ({ as }) => {
      const page = await as("coordinator", "/account");
      expect(textSizeOf(PEOPLE.coordinator)).toBe("standard");
      await waitForHydration(page);

      const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Save preferences" }) });
      // Changed behind React's back (a click on a radio would make React put its value back).
      await form.evaluate(tamper);
      const posted = page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/account");
      await page.getByRole("button", { name: "Save preferences" }).click();
      const body = (await posted).postData() ?? "";
      expect(body).not.toMatch(/name="[^"]*textSize"\s+(standard|large)\s/);

      const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
      await expect(summary).toBeVisible();
      await expect(summary.getByRole("link", { name: "Choose a text size" })).toHaveAttribute("href", "#textSize");
      await expect(page.getByText("Your text size has been saved")).toHaveCount(0);
      expect(textSizeOf(PEOPLE.coordinator)).toBe("standard");
      await expect(page.locator("html")).not.toHaveClass(/\bconfide-text-large\b/);
    });
  }

  // DESIGN.md: every form works without JavaScript.
  test("the text size form works without JavaScript", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await signIn(page, "coordinator", "/account");
      expect(textSizeOf(PEOPLE.coordinator)).toBe("standard");
      await page.getByLabel("Large", { exact: true }).check();
      const saved = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/account");
      await page.getByRole("button", { name: "Save preferences" }).click();
      expect((await saved).status(), "our own form, posted by the browser, is accepted").toBe(200);
      await expect(page.getByText("Your text size has been saved")).toBeVisible();
      expect(textSizeOf(PEOPLE.coordinator)).toBe("large");
      await expect(page.locator("html")).toHaveClass(/\bconfide-text-large\b/);
      await chooseTextSize(page, "Standard");
      expect(textSizeOf(PEOPLE.coordinator)).toBe("standard");
    } finally {
      await context.close();
    }
  });
});

test("sign-out posted from another site is refused and the session goes on", async ({ as }) => {
  const page = await as("staff", "/account");
  const token = await sessionToken(page.context());
  // "null" with Sec-Fetch-Site cross-site is what a sandboxed frame or a cross-site redirect sends.
  const refused: Record<string, string>[] = [{ origin: EVIL }, { origin: "null" }, { origin: "null", "sec-fetch-site": "cross-site" }];
  for (const headers of refused) {
    const response = await page.request.post("/signout", { headers, maxRedirects: 0 });
    expect(response.status(), JSON.stringify(headers)).toBe(403);
  }
  expect(sessionRow(token)).toBeDefined();
  const response = await page.goto("/account");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

const INTERNALS = /node_modules|\bat \S+ \(|\.tsx?:\d+|Error:|Configuration|InvalidCheck|CallbackRouteError|digest/;

test("a page that does not exist is a 404 with a reference and nothing internal", async ({ as }) => {
  const page = await as("staff");
  const response = await page.goto("/this-does-not-exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page.getByText(/give them this reference: [A-Z0-9]{6,}/)).toBeVisible();
  await expect(page).toHaveTitle(/^Page not found/);
  expect(await page.locator("body").innerText()).not.toMatch(INTERNALS);
});

test("a broken sign-in callback ends on the sign-in problem page without internals", async ({ page }) => {
  await page.goto("/api/auth/callback/oidc?code=x&state=y");
  await expect(page).toHaveURL((url) => url.origin === BASE_URL && url.pathname === "/sign-in-problem");
  await expect(page.getByRole("heading", { level: 1, name: "You could not be signed in" })).toBeVisible();
  await expect(page.getByText("Something went wrong while signing you in. Try again.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Try signing in again" })).toHaveAttribute("href", "/signin");
  expect(await page.locator("body").innerText()).not.toMatch(INTERNALS);
});

for (const target of ["https://evil.example", "//evil.example", "/\\evil.example"]) {
  test(`sign-in never sends people to another site (callbackUrl=${target})`, async ({ page }) => {
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(target)}`);
    await expectIdpSignInForm(page);
    await completeSignIn(page, PEOPLE.staff);
    await expect(page).toHaveURL(`${BASE_URL}/`);

    // Already signed in: the same address still stays here.
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(target)}`);
    await expect(page).toHaveURL(`${BASE_URL}/`);
  });
}
