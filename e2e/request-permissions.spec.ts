import type { Page } from "@playwright/test";

import { BASE_URL, expect, PEOPLE, test } from "./fixtures";
import { auditTextValues, expectSentToSignIn, waitForHydration, withDb } from "./helpers";
import {
  allMail,
  captureAction,
  errorSummary,
  expectDone,
  expectRefused,
  expectRefusedRsc,
  messageCount,
  newMarker,
  replayAction,
  requestRow,
  requestState,
  rscPayload,
  sendRequest,
  signedIn,
  supporterIdOf,
  userIdOf,
  type Captured,
} from "./request-helpers";

// A refused or missing request's 404 is titled either way, whichever Next.js settles first: the route's own title
// (which names nothing) or the not-found page's. The same two for both, so the title cannot tell them apart.
const NOT_FOUND_TITLES = ["Page not found \u2013 Confide", "Request \u2013 Confide"];

// Who may read and change a confidential request (DESIGN: permission matrix): only the requester and the assigned
// supporter. For one request with a marker in its message, its safe-contact details and a reply, everyone else —
// another supporter, a coordinator, the Equality Unit, a member of staff with nothing to do with it — gets the
// same 404 as a missing page, by URL and by replaying the real server-action requests the two parties' browsers
// send, and the marker reaches none of them, no audit event and no email.
//
// People: Nadia Begum asks Aisha Rahman (the request is created here and used by no other journey). The
// outsiders only look and are refused. The handover is proposed to Priya Sharma and refused, so her requests are
// never touched. The steps build on each other (the request moves through its states), so they run in order.
test.describe.configure({ mode: "serial" });

const NADIA = "nadia.begum@example.org";
const AISHA = "aisha.rahman@example.org";
const PRIYA = "priya.sharma@example.org";

const OUTSIDERS = [
  { who: "another supporter", email: PEOPLE.supporter },
  { who: "a coordinator", email: PEOPLE.coordinator },
  { who: "the Equality Unit", email: PEOPLE.equalityUnit },
  { who: "an unrelated member of staff", email: PEOPLE.staff },
] as const;

const marker = newMarker("PERMISSION");
const safeContact = `Personal mobile after 6pm ${marker}-safe`;
const replyText = `A reply in the conversation ${marker}-reply`;
let id = "";
let outsiders: { who: string; email: string; page: Page }[] = [];

const secrets = () => [marker, `${marker}-safe`, `${marker}-reply`, "Nadia Begum", NADIA];

async function openAs(page: Page, pathname: string): Promise<void> {
  await page.goto(pathname);
  await waitForHydration(page);
}

/** Each outsider sends each captured action: 404, no marker, and the request exactly as it was. */
async function expectOutsidersRefused(actions: readonly Captured[]): Promise<void> {
  const before = requestState(id);
  for (const { who, email, page } of outsiders) {
    const audited = deniedChanges(email);
    for (const sent of actions) {
      await expectRefused(await replayAction(page.request, sent), `${who}: ${sent.name}`, secrets());
    }
    expect(deniedChanges(email), `${who}: each refusal is one audit event`).toBe(audited + actions.length);
  }
  expect(requestState(id), "nothing changed").toEqual(before);
}

const deniedChanges = (email: string): number =>
  withDb(
    (db) =>
      db
        .prepare("SELECT count(*) FROM audit_events WHERE actor_id = ? AND object_id = ? AND action = 'request.change' AND outcome = 'denied'")
        .pluck()
        .get(userIdOf(email), id) as number,
  );

test.beforeAll(async ({ browser }) => {
  id = sendRequest({
    requester: NADIA,
    supporter: AISHA,
    message: `My line manager keeps commenting on my religion. ${marker}`,
    category: "discrimination",
    protectedCharacteristic: "religion_belief",
    contactMethod: "phone",
    safeContact,
    replies: [{ from: "supporter", body: replyText }],
  });
  outsiders = [];
  for (const outsider of OUTSIDERS) outsiders.push({ ...outsider, page: await signedIn(browser, outsider.email) });
});

test.afterAll(async () => {
  for (const { page } of outsiders) await page.context().close();
});

test("control: the requester and the assigned supporter can open it, with everything in it", async ({ browser }) => {
  for (const email of [NADIA, AISHA]) {
    const page = await signedIn(browser, email, `/requests/${id}`);
    const main = page.getByRole("main");
    await expect(main).toContainText(marker);
    await expect(main).toContainText(safeContact);
    await expect(main).toContainText(replyText);
    await expect(main).toContainText("Religion or belief");
    expect(await rscPayload(page, `/requests/${id}`)).toContain(marker);
    await page.context().close();
  }
});

test("everyone else gets the same 404 as a missing request, by URL and as a payload, and it is audited", async () => {
  const missing = crypto.randomUUID();
  for (const { who, email, page } of outsiders) {
    for (const pathname of [`/requests/${id}`, `/requests/${id}?confirm=erase`, `/requests/${id}?confirm=withdraw`, `/requests/${id}?done=replied`]) {
      const url = new URL(pathname, BASE_URL).toString();
      await expectRefused(await page.request.get(url), `${who}: ${pathname}`, secrets());
      await expectRefusedRsc(await page.request.get(url, { headers: { RSC: "1" } }), `${who}: RSC ${pathname}`, secrets());
    }
    // Indistinguishable from a request that does not exist, and from an address that is not a request at all.
    const shown = await page.goto(`/requests/${id}`);
    expect(shown?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    expect(NOT_FOUND_TITLES).toContain(await page.title());
    expect((await page.goto(`/requests/${missing}`))?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    expect(NOT_FOUND_TITLES).toContain(await page.title());
    expect((await page.goto("/requests/not-a-request"))?.status()).toBe(404);
    // Their own lists say nothing of it either.
    for (const pathname of ["/requests", "/notifications", "/"]) {
      const body = await (await page.request.get(new URL(pathname, BASE_URL).toString())).text();
      for (const secret of secrets()) expect(body.includes(secret), `${who}: ${pathname} shows "${secret}"`).toBe(false);
      expect(body.includes(`/requests/${id}`), `${who}: ${pathname} links to the request`).toBe(false);
    }
    const denied = withDb(
      (db) =>
        db
          .prepare("SELECT count(*) FROM audit_events WHERE actor_id = ? AND object_id = ? AND action = 'request.read' AND outcome = 'denied'")
          .pluck()
          .get(userIdOf(email), id) as number,
    );
    expect(denied, `${who}: refusals are audited`).toBeGreaterThanOrEqual(1);
  }
  // Sam's inbox is a supporter's inbox without this request.
  const sam = outsiders.find((o) => o.email === PEOPLE.supporter);
  if (!sam) throw new Error("Sam is one of the outsiders");
  const inbox = await sam.page.request.get(new URL("/inbox", BASE_URL).toString());
  expect(inbox.status()).toBe(200);
  expect((await inbox.text()).includes(`/requests/${id}`)).toBe(false);
});

test("a signed-out visitor is sent to sign in", async ({ playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL: BASE_URL });
  try {
    for (const pathname of [`/requests/${id}`, "/requests"]) {
      const response = await anonymous.get(pathname, { maxRedirects: 0 });
      await expectSentToSignIn(response, pathname);
      expect((await response.text()).includes(marker)).toBe(false);
    }
  } finally {
    await anonymous.dispose();
  }
});

// The actions each party's page sends, captured once and reused by the later steps.
const captured: Record<string, Captured> = {};
const action = (name: string): Captured => {
  const found = captured[name];
  if (!found) throw new Error(`the ${name} action was not captured`);
  return found;
};

test("new request: reply, acknowledge, decline, withdraw and erase, replayed by anyone else, are refused", async ({ browser, playwright }) => {
  test.setTimeout(120_000);
  const aisha = await signedIn(browser, AISHA, `/requests/${id}`);
  const nadia = await signedIn(browser, NADIA, `/requests/${id}`);
  try {
    await waitForHydration(aisha);
    captured.supporterReply = await captureAction(aisha, "supporter reply", async () => {
      await aisha.getByLabel("Your message").fill("A captured reply from the supporter");
      await aisha.getByRole("button", { name: "Send message" }).click();
    });
    await waitForHydration(aisha);
    captured.acknowledge = await captureAction(aisha, "acknowledge", () => aisha.getByRole("button", { name: "Acknowledge request" }).click());
    await waitForHydration(aisha);
    captured.decline = await captureAction(aisha, "decline", async () => {
      await aisha.getByLabel("Why are you declining this request?").fill("A captured reason");
      await aisha.getByRole("button", { name: "Decline request" }).click();
    });

    await waitForHydration(nadia);
    captured.requesterReply = await captureAction(nadia, "requester reply", async () => {
      await nadia.getByLabel("Your message").fill("A captured reply from the requester");
      await nadia.getByRole("button", { name: "Send message" }).click();
    });
    await openAs(nadia, `/requests/${id}?confirm=withdraw`);
    captured.withdraw = await captureAction(nadia, "withdraw", () => nadia.getByRole("button", { name: "Withdraw request" }).click());
    await openAs(nadia, `/requests/${id}?confirm=erase`);
    captured.erase = await captureAction(nadia, "erase", async () => {
      await nadia.getByLabel("I understand that my message and the conversation will be permanently deleted").check();
      await nadia.getByRole("button", { name: "Erase now" }).click();
    });
    expect(requestRow(id).status, "capturing changes nothing").toBe("new");
    expect(messageCount(id)).toBe(1);

    await expectOutsidersRefused(Object.values(captured));

    // A signed-out replay changes nothing either.
    const before = requestState(id);
    const anonymous = await playwright.request.newContext({ baseURL: BASE_URL });
    try {
      for (const sent of Object.values(captured)) {
        const response = await replayAction(anonymous, sent);
        // A server action answers a fetch with a redirect in a header rather than an HTTP redirect.
        expect(response.headers()["x-action-redirect"] ?? "", `signed out: ${sent.name}`).toMatch(/^\/signin\?/);
        expect((await response.text()).includes(marker)).toBe(false);
      }
    } finally {
      await anonymous.dispose();
    }
    expect(requestState(id)).toEqual(before);

    // The same requests from the parties themselves do what they say: they were real, and refused only because of
    // who sent them.
    expectDone(await replayAction(aisha.request, action("supporterReply")), "replied");
    expectDone(await replayAction(nadia.request, action("requesterReply")), "replied");
    expect(messageCount(id)).toBe(3);
    expectDone(await replayAction(aisha.request, action("acknowledge")), "acknowledged");
    expect(requestRow(id).status).toBe("acknowledged");
  } finally {
    await aisha.context().close();
    await nadia.context().close();
  }
});

test("bad or oversized input is refused with a clear message and nothing is written", async ({ browser }) => {
  const aisha = await signedIn(browser, AISHA, `/requests/${id}`);
  try {
    const before = requestState(id);
    const reply = aisha.getByLabel("Your message");
    const send = aisha.getByRole("button", { name: "Send message" });

    await waitForHydration(aisha);
    await reply.fill("x".repeat(5001));
    await send.click();
    await expect(errorSummary(aisha).getByRole("link", { name: "Your message must be 5,000 characters or fewer" })).toHaveAttribute("href", "#body");
    await expect(aisha.locator("#body-error")).toContainText("Your message must be 5,000 characters or fewer");
    await expect(reply, "what was typed is kept").toHaveValue("x".repeat(5001));

    await reply.fill("   ");
    await send.click();
    await expect(errorSummary(aisha).getByRole("link", { name: "Enter a message" })).toBeVisible();
    await expect(aisha.locator("#body-error")).toContainText("Enter a message");

    // An outcome that is not one of the choices (a tampered form).
    await aisha.locator('input[name="outcome"]').first().evaluate((input: HTMLInputElement) => {
      input.value = "sacked";
      input.checked = true;
    });
    await aisha.getByRole("button", { name: "Close request" }).click();
    await expect(errorSummary(aisha).getByRole("link", { name: "Choose an outcome" })).toHaveAttribute("href", "#outcome");
    await expect(aisha.getByRole("group", { name: "Close the request" })).toContainText("Choose an outcome");

    expect(requestState(id), "nothing written").toEqual(before);
    expect(requestRow(id).status).toBe("acknowledged");
  } finally {
    await aisha.context().close();
  }
});

test("acknowledged request: start, close and propose a handover, replayed by anyone else, are refused", async ({ browser }) => {
  test.setTimeout(90_000);
  const aisha = await signedIn(browser, AISHA, `/requests/${id}`);
  try {
    await waitForHydration(aisha);
    captured.start = await captureAction(aisha, "start", () => aisha.getByRole("button", { name: "Move to in progress" }).click());
    await waitForHydration(aisha);
    captured.close = await captureAction(aisha, "close", async () => {
      await aisha.getByRole("group", { name: "Close the request" }).getByLabel("Resolved informally").check();
      await aisha.getByRole("button", { name: "Close request" }).click();
    });
    await waitForHydration(aisha);
    captured.handover = await captureAction(aisha, "propose handover", async () => {
      await aisha.getByLabel("Who could help better?").selectOption(supporterIdOf(PRIYA));
      await aisha.getByRole("button", { name: "Propose handover" }).click();
    });
    expect(requestRow(id).status).toBe("acknowledged");

    await expectOutsidersRefused([action("start"), action("close"), action("handover")]);

    expectDone(await replayAction(aisha.request, action("start")), "started");
    expect(requestRow(id).status).toBe("in_progress");
    expectDone(await replayAction(aisha.request, action("handover")), "handover_proposed");
    expect(requestRow(id)).toMatchObject({ status: "handover_pending", handover_supporter_id: supporterIdOf(PRIYA) });
  } finally {
    await aisha.context().close();
  }
});

test("a proposed handover: the answer, replayed by anyone else, is refused; then every captured action is tried by its party", async ({ browser }) => {
  test.setTimeout(90_000);
  const nadia = await signedIn(browser, NADIA, `/requests/${id}`);
  const aisha = await signedIn(browser, AISHA, `/requests/${id}`);
  try {
    await waitForHydration(nadia);
    captured.consent = await captureAction(nadia, "consent to handover", async () => {
      await nadia.getByLabel(/^Yes, move my request to/).check();
      await nadia.getByRole("button", { name: "Send answer" }).click();
    });
    await waitForHydration(nadia);
    captured.refuse = await captureAction(nadia, "refuse handover", async () => {
      await nadia.getByLabel(/^No, stay with/).check();
      await nadia.getByRole("button", { name: "Send answer" }).click();
    });
    expect(requestRow(id).status).toBe("handover_pending");

    // Every action captured so far, from both parties, in every state: still nobody else's to use.
    await expectOutsidersRefused(Object.values(captured));
    expect(requestRow(id).supporter_user_id, "the request did not move to Priya").toBe(userIdOf(AISHA));

    // The parties' own replays, state by state. A refused state answers with its message, not a 404.
    expectDone(await replayAction(nadia.request, action("refuse")), "handover_refused");
    expect(requestRow(id)).toMatchObject({ status: "in_progress", handover_supporter_id: null, supporter_user_id: userIdOf(AISHA) });
    const late = await replayAction(nadia.request, action("consent"));
    expect(late.status()).toBe(200);
    expect(await late.text()).toContain("There is no handover waiting for your answer.");
    const decline = await replayAction(aisha.request, action("decline"));
    expect(decline.status()).toBe(200);
    expect(await decline.text()).toContain("Only a new or acknowledged request can be declined.");
    expect(requestRow(id).status).toBe("in_progress");

    expectDone(await replayAction(aisha.request, action("close")), "closed");
    expect(requestRow(id)).toMatchObject({ status: "closed", outcome: "resolved" });
    const withdraw = await replayAction(nadia.request, action("withdraw"));
    expect(await withdraw.text()).toContain("This request has already ended.");

    // Outsiders still cannot erase it; Nadia can.
    await expectOutsidersRefused([action("erase")]);
    expectDone(await replayAction(nadia.request, action("erase")), "erased");
    const row = requestRow(id);
    expect(row).toMatchObject({ status: "closed", message_cipher: null, safe_contact_cipher: null });
    expect(row.erased_at).not.toBeNull();
    expect(messageCount(id)).toBe(0);
  } finally {
    await nadia.context().close();
    await aisha.context().close();
  }
});

test("the marker is in no audit event and no email", async () => {
  const values = auditTextValues();
  expect(values.length).toBeGreaterThan(0);
  expect(values.filter(({ value }) => value.includes(marker))).toEqual([]);
  const mail = allMail();
  expect(mail.length).toBeGreaterThan(0);
  for (const raw of mail) {
    expect(raw.includes(marker), "an email holds the marker").toBe(false);
    expect(raw).toMatch(/^Subject: New update in Confide$/m);
  }
});
