import type { Browser, BrowserContext, Page } from "@playwright/test";

import { completeSignIn, expect, test } from "./fixtures";
import { expectNoAxeViolations, userByEmail, waitForHydration, withDb } from "./helpers";

// Accessibility preferences (issue 7, item 6): the text size on the account, applied by the server as a class on
// <html>, and "Listen to this page" with the browser's speech synthesis. Tess Lowe is this spec's alone: only these
// journeys change her text size, and they put it back to standard afterwards. They run one after another in one
// worker, because they share her setting.

const TESS = "tess.lowe@example.org";
const SIZES = [
  { value: "standard", label: "Standard", className: null },
  { value: "large", label: "Large", className: "confide-text-large" },
  { value: "larger", label: "Larger", className: "confide-text-larger" },
] as const;
type Size = (typeof SIZES)[number];

test.describe.configure({ mode: "default", timeout: 90_000 });

const textSizeOf = () => userByEmail(TESS)?.text_size;
const resetTextSize = () => withDb((db) => db.prepare("UPDATE users SET text_size = 'standard' WHERE lower(email) = lower(?)").run(TESS));

async function signedIn(browser: Browser, pathname: string, options: { javaScriptEnabled?: boolean; initScript?: () => void } = {}): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  await page.goto(pathname);
  await completeSignIn(page, TESS);
  await expect(page).toHaveURL((url) => url.pathname === pathname);
  return page;
}

async function expectHtmlClass(page: Page, size: Size): Promise<void> {
  const html = page.locator("html");
  for (const other of SIZES) {
    if (!other.className) continue;
    if (other.className === size.className) await expect(html).toHaveClass(new RegExp(`\\b${other.className}\\b`));
    else await expect(html).not.toHaveClass(new RegExp(`\\b${other.className}\\b`));
  }
}

/** The computed size, in CSS pixels, of the first paragraph of body text in the main content. */
async function bodyTextPixels(page: Page): Promise<number> {
  const size = await page.locator("main p.govuk-body").first().evaluate((element) => getComputedStyle(element).fontSize);
  return Number.parseFloat(size);
}

/**
 * Nothing visible is pushed wider than the window, so there is no sideways scrolling to read the page. (Visually
 * hidden text, which is one pixel wide and clipped, is left out: it is never seen.)
 */
async function expectNoSidewaysScrolling(page: Page, where: string): Promise<void> {
  const overflowing = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll("body *"))
      .filter((element) => !element.closest(".govuk-visually-hidden"))
      .filter((element) => element.getBoundingClientRect().right > width + 0.5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className} (${Math.round(element.getBoundingClientRect().right)}px)`);
  });
  expect(overflowing, where).toEqual([]);
}

async function chooseTextSize(page: Page, size: Size): Promise<void> {
  await page.getByLabel(size.label, { exact: true }).check();
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByText("Your text size has been saved")).toBeVisible();
  await expectHtmlClass(page, size);
  expect(textSizeOf()).toBe(size.value);
}

test.afterAll(() => {
  resetTextSize();
});

test("each text size makes body text bigger than the one before, keeps the layout, and stays after signing in again", async ({ browser }) => {
  resetTextSize();
  const page = await signedIn(browser, "/account");
  let again: BrowserContext | undefined;
  try {
    await waitForHydration(page);
    await expect(page.getByRole("group", { name: "Text size" }).getByRole("radio")).toHaveCount(3);
    const pixels: number[] = [];
    for (const size of SIZES) {
      await page.goto("/account");
      await waitForHydration(page);
      await chooseTextSize(page, size);
      await expectNoAxeViolations(page);

      // Applied on every page by the server, not only on the page that saved it.
      await page.goto("/help");
      await expectHtmlClass(page, size);
      pixels.push(await bodyTextPixels(page));
      await expectNoSidewaysScrolling(page, `/help at ${size.value}`);
      await expectNoAxeViolations(page);
      // The narrowest screen WCAG asks for (reflow at 320 CSS pixels).
      await page.setViewportSize({ width: 320, height: 640 });
      for (const path of ["/help", "/account"]) {
        await page.goto(path);
        await expectNoSidewaysScrolling(page, `${path} at ${size.value}, 320 pixels wide`);
      }
      await page.setViewportSize({ width: 1280, height: 720 });
    }
    const [standard, large, larger] = pixels as [number, number, number];
    expect(standard).toBeCloseTo(19, 0);
    expect(large).toBeGreaterThan(standard * 1.2);
    expect(larger).toBeGreaterThan(large * 1.15);

    // A new sign-in, in a browser of its own: the setting is on the account, not in the browser.
    const next = await signedIn(browser, "/help");
    again = next.context();
    await expectHtmlClass(next, SIZES[2]);
    expect(await bodyTextPixels(next)).toBeCloseTo(larger, 1);
  } finally {
    await again?.close();
    await page.context().close();
    resetTextSize();
  }
});

test("without JavaScript the form still saves each size, and the page comes back at that size", async ({ browser }) => {
  resetTextSize();
  const page = await signedIn(browser, "/account", { javaScriptEnabled: false });
  try {
    for (const size of [SIZES[2], SIZES[1], SIZES[0]]) {
      await page.getByLabel(size.label, { exact: true }).check();
      const saved = page.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname === "/account");
      await page.getByRole("button", { name: "Save preferences" }).click();
      expect((await saved).status()).toBe(200);
      await expect(page.getByText("Your text size has been saved")).toBeVisible();
      await expectHtmlClass(page, size);
      expect(textSizeOf()).toBe(size.value);
      // The server's HTML already has the chosen size checked.
      await expect(page.getByLabel(size.label, { exact: true })).toBeChecked();
    }
    // Without JavaScript there is no speech synthesis to offer.
    await expect(page.getByRole("button", { name: "Listen to this page" })).toHaveCount(0);
  } finally {
    await page.context().close();
    resetTextSize();
  }
});

test("posting no text size shows the error summary and an inline error, and changes nothing", async ({ browser }) => {
  withDb((db) => db.prepare("UPDATE users SET text_size = 'large' WHERE lower(email) = lower(?)").run(TESS));
  const page = await signedIn(browser, "/account");
  try {
    await waitForHydration(page);
    await expect(page.getByLabel("Large", { exact: true })).toBeChecked();
    const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Save preferences" }) });
    // Changed behind React's back, as a stale or tampered form would be.
    await form.evaluate((element) => element.querySelectorAll("input").forEach((input) => (input.checked = false)));
    const posted = page.waitForRequest((request) => request.method() === "POST" && new URL(request.url()).pathname === "/account");
    await page.getByRole("button", { name: "Save preferences" }).click();
    expect((await posted).postData() ?? "").not.toContain("textSize");
    const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await expect(summary.getByRole("link", { name: "Choose a text size" })).toHaveAttribute("href", "#textSize");
    await expect(page.getByRole("group", { name: "Text size" })).toContainText("Error: Choose a text size");
    await expect(page.getByText("Your text size has been saved")).toHaveCount(0);
    expect(textSizeOf()).toBe("large");
    await expectHtmlClass(page, SIZES[1]);
    await expectNoAxeViolations(page);
  } finally {
    await page.context().close();
    resetTextSize();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Listen to this page
// ---------------------------------------------------------------------------------------------------------------

type Recorded = { spoken: string[] };

// Wraps the browser's own speak() so that the test can read what was sent to it; the real speech synthesis still
// receives every utterance.
function recordSpeech(): void {
  const recorded: string[] = [];
  (window as unknown as Recorded).spoken = recorded;
  const synthesis = window.speechSynthesis;
  const speak = synthesis.speak.bind(synthesis);
  synthesis.speak = (utterance: SpeechSynthesisUtterance) => {
    recorded.push(utterance.text);
    speak(utterance);
  };
}

test("Listen to this page reads the main content aloud, not the header, navigation or footer", async ({ browser }) => {
  const page = await signedIn(browser, "/help", { initScript: recordSpeech });
  try {
    expect(await page.evaluate(() => "speechSynthesis" in window && typeof window.speechSynthesis.speak === "function")).toBe(true);
    await waitForHydration(page);
    const listen = page.getByRole("button", { name: "Listen to this page" });
    await expect(listen).toBeVisible();
    // It is the first thing in the main content, where the skip link leads.
    await expect(page.locator("#main-content > *").first()).toContainText("Listen to this page");
    await expectNoAxeViolations(page);

    // Keyboard: focus it and press Enter.
    await listen.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => (window as unknown as Recorded).spoken.length)).toBeGreaterThan(0);
    const pieces = await page.evaluate(() => (window as unknown as Recorded).spoken);
    const heading = (await page.getByRole("heading", { level: 1 }).innerText()).trim();
    expect(heading).toBe("Help");
    expect(pieces[0]).toBe(heading);
    const spoken = pieces.join("\n");
    expect(spoken).toContain("What an equality supporter can do");
    expect(spoken).toContain("If you or someone else is in immediate danger, call 999.");
    // Not the header, the navigation, the footer or the control itself.
    for (const outside of ["Midshire Police", "Find a supporter", "My requests", "Notifications", "Sign out", "Accessibility", "Listen to this page"]) {
      expect(spoken, outside).not.toContain(outside);
    }
    // Read in short pieces: some browsers stop a long utterance part-way.
    expect(pieces.length).toBeGreaterThan(10);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(300);
  } finally {
    await page.context().close();
  }
});

type Counted = { cancelled: number };

test("while it reads, the control is Stop reading aloud; Stop cancels the speech and leaving the page stops it too", async ({ browser }) => {
  // This machine has no voices, so the real engine fails at once ("synthesis-failed"). Here those failures are kept
  // from the page, as if a voice were still speaking: speak() and cancel() themselves are the browser's own,
  // wrapped to count what they are asked to do.
  const page = await signedIn(browser, "/help", {
    initScript: () => {
      const counted = window as unknown as Recorded & Counted;
      counted.spoken = [];
      counted.cancelled = 0;
      const Original = window.SpeechSynthesisUtterance;
      window.SpeechSynthesisUtterance = class extends Original {
        constructor(text?: string) {
          super(text);
          // Registered before the page's own handler, so that it can hold the failure back.
          this.addEventListener("error", (event) => {
            if (event.error === "synthesis-failed") event.stopImmediatePropagation();
          });
        }
      };
      const synthesis = window.speechSynthesis;
      const speak = synthesis.speak.bind(synthesis);
      const cancel = synthesis.cancel.bind(synthesis);
      synthesis.speak = (utterance: SpeechSynthesisUtterance) => {
        counted.spoken.push(utterance.text);
        speak(utterance);
      };
      synthesis.cancel = () => {
        counted.cancelled += 1;
        cancel();
      };
    },
  });
  try {
    await waitForHydration(page);
    const cancelled = () => page.evaluate(() => (window as unknown as Counted).cancelled);
    await page.getByRole("button", { name: "Listen to this page" }).click();
    const stop = page.getByRole("button", { name: "Stop reading aloud" });
    await expect(stop).toBeVisible();
    await expect(stop).toBeFocused();
    await expectNoAxeViolations(page);
    const before = await cancelled();
    await stop.click();
    await expect(page.getByRole("button", { name: "Listen to this page" })).toBeFocused();
    expect(await cancelled()).toBeGreaterThan(before);

    // Reading again, then leaving the page (as Exit this page does): the speech is cancelled on the way out.
    await page.getByRole("button", { name: "Listen to this page" }).click();
    await expect(stop).toBeVisible();
    const beforeLeaving = await cancelled();
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent("pagehide")));
    expect(await cancelled()).toBeGreaterThan(beforeLeaving);
    await expect(page.getByRole("button", { name: "Listen to this page" })).toBeVisible();
  } finally {
    await page.context().close();
  }
});

test("when the browser cannot speak, the control says so and is ready to try again", async ({ browser }) => {
  // The browser's own speak(), wrapped to report a failure afterwards, whatever voices this machine has.
  const page = await signedIn(browser, "/help", {
    initScript: () => {
      const synthesis = window.speechSynthesis;
      const speak = synthesis.speak.bind(synthesis);
      synthesis.speak = (utterance: SpeechSynthesisUtterance) => {
        speak(utterance);
        utterance.dispatchEvent(new SpeechSynthesisErrorEvent("error", { utterance, error: "synthesis-failed" }));
      };
    },
  });
  try {
    await waitForHydration(page);
    await page.getByRole("button", { name: "Listen to this page" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Your browser could not read this page aloud" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Listen to this page" })).toBeVisible();
    await expectNoAxeViolations(page);
  } finally {
    await page.context().close();
  }
});

test("Listen to this page is absent where the browser has no speech synthesis", async ({ browser }) => {
  const page = await signedIn(browser, "/help", {
    initScript: () => {
      delete (window as unknown as { speechSynthesis?: SpeechSynthesis }).speechSynthesis;
    },
  });
  try {
    expect(await page.evaluate(() => "speechSynthesis" in window)).toBe(false);
    await waitForHydration(page);
    await expect(page.getByRole("heading", { level: 1, name: "Help" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Listen to this page" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Stop reading aloud" })).toHaveCount(0);
  } finally {
    await page.context().close();
  }
});
