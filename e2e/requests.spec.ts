import type { Page } from "@playwright/test";

import { BASE_URL, expect, test } from "./fixtures";
import { expectNoAxeViolations, waitForHydration } from "./helpers";
import {
  dayText,
  deadlineText,
  errorSummary,
  expectContentFree,
  mailSince,
  mailTo,
  messageCount,
  newMarker,
  outboxFiles,
  referenceOf,
  requestRow,
  rscPayload,
  sendRequest,
  setAcknowledgeBy,
  signedIn,
  successBanner,
  summaryValue,
  userIdOf,
} from "./request-helpers";

// Confidential requests from both sides: the supporter's inbox and the request page, the requester's list and the
// request page, through every state. Requests are sent with e2e/create-request.ts (the real data access layer) until
// the ask form exists.
//
// People used here and by no other journey's data (other specs only look at their names, or not at all):
//   requesters – Leah Murphy (the full journey), Ollie Bennett (decline, withdraw, erase), Chris Taylor (anonymous)
//   supporters – Priya Sharma (every journey), Aisha Rahman (takes the handover)
// Sam Patel is left alone: e2e/supporter-self-service.spec.ts expects his inbox to have no requests. Aisha also
// holds the request of e2e/request-permissions.spec.ts; her capacity (5) leaves room for the one from here. Other
// journeys only look at Aisha and Priya, and nothing here changes what they look at (profile, availability).
// The journeys share Priya's capacity (3), so they run one after another.
test.describe.configure({ mode: "default" });

const LEAH = { email: "leah.murphy@example.org", name: "Leah Murphy" };
const OLLIE = { email: "ollie.bennett@example.org", name: "Ollie Bennett" };
const CHRIS = { email: "chris.taylor@example.org", name: "Chris Taylor" };
const PRIYA = { email: "priya.sharma@example.org", name: "Priya Sharma" };
const AISHA = { email: "aisha.rahman@example.org", name: "Aisha Rahman" };
// Her role and site, as the handover list and question show them.
const AISHA_ROLE = "Police Staff \u2013 HR Adviser, Force HQ";

const statusTag = (page: Page) => page.getByRole("main").locator("p", { hasText: "Status:" }).locator(".govuk-tag").first();
const inboxRow = (page: Page, id: string) => page.locator("tr", { has: page.locator(`a[href="/requests/${id}"]`) });
const conversation = (page: Page) => page.getByRole("list", { name: "Messages, oldest first" });

async function open(page: Page, pathname: string): Promise<void> {
  await page.goto(pathname);
  await waitForHydration(page);
}

async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel("Your message").fill(text);
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(successBanner(page)).toContainText("Your message has been sent");
}

test("a request goes from new to closed, through a conversation and a handover the requester agrees to", async ({ browser }) => {
  test.setTimeout(180_000);
  const marker = newMarker("FULL");
  const mailBefore = outboxFiles();
  const id = sendRequest({
    requester: LEAH.email,
    supporter: PRIYA.email,
    message: `A colleague keeps making remarks about me in briefings. ${marker}`,
    contactMethod: "phone",
    safeContact: "Personal mobile after 6pm, not at work",
  });

  // Priya's inbox: who, what, how long ago and by when to acknowledge.
  const priya = await signedIn(browser, PRIYA.email, "/inbox");
  const row = inboxRow(priya, id);
  await expect(row).toContainText(LEAH.name);
  await expect(row).toContainText("Bullying or harassment");
  await expect(row.locator(".govuk-tag").first()).toHaveText("New");
  await expect(row).toContainText(/Just now|minute/);
  await expect(row).toContainText(deadlineText(new Date(requestRow(id).acknowledge_by)));
  await expect(row.getByText("Overdue")).toHaveCount(0);
  await expect(row).toContainText(`Reference ${referenceOf(id)}`);
  await expectNoAxeViolations(priya);

  // Past the target, the inbox and the request say so.
  setAcknowledgeBy(id, new Date(Date.now() - 3_600_000));
  await priya.reload();
  await expect(row.getByText("Overdue")).toBeVisible();

  await row.getByRole("link").click();
  await expect(priya).toHaveURL(`${BASE_URL}/requests/${id}`);
  await waitForHydration(priya);
  await expect(priya).toHaveTitle("Request – Confide");
  await expect(priya.getByRole("heading", { level: 1 })).toHaveText(`Request from ${LEAH.name}`);
  await expect(statusTag(priya)).toHaveText("New");
  await expect(priya.getByRole("main").getByText("Overdue")).toBeVisible();
  await expect(priya.getByText(/should have been acknowledged by/)).toBeVisible();
  await expect(priya.getByText(marker)).toBeVisible();
  await expect(summaryValue(priya, "From")).toHaveText(LEAH.name);
  await expect(summaryValue(priya, "How to contact")).toHaveText("Phone call");
  await expect(summaryValue(priya, "Reference")).toHaveText(referenceOf(id));
  await expect(summaryValue(priya, "Safe contact details and times")).toHaveText("Personal mobile after 6pm, not at work");
  await expect(priya.getByRole("button", { name: "Move to in progress" })).toHaveCount(0);
  await expectNoAxeViolations(priya);

  await priya.getByRole("button", { name: "Acknowledge request" }).click();
  await expect(successBanner(priya)).toContainText("You have acknowledged this request");
  await expect(priya).toHaveURL(`${BASE_URL}/requests/${id}?done=acknowledged`);
  await expect(statusTag(priya)).toHaveText("Acknowledged");
  await expect(priya.getByRole("main").getByText("Overdue")).toHaveCount(0);
  await waitForHydration(priya);
  // An empty message is refused with the error summary, and nothing is sent.
  await priya.getByRole("button", { name: "Send message" }).click();
  await expect(errorSummary(priya).getByRole("link", { name: "Enter a message" })).toHaveAttribute("href", "#body");
  await expect(priya.locator("#body-error")).toContainText("Enter a message");
  expect(messageCount(id)).toBe(0);
  await expectNoAxeViolations(priya);
  await sendMessage(priya, "Thank you for getting in touch, Leah. When would suit you for a call?");
  await expect(errorSummary(priya)).toHaveCount(0);
  await expect(conversation(priya).getByRole("listitem").last()).toContainText("You");
  await expect(conversation(priya)).toContainText("When would suit you for a call?");
  await expectNoAxeViolations(priya);

  // Leah's side: her list, then the conversation.
  const leah = await signedIn(browser, LEAH.email, "/requests");
  await expect(leah).toHaveTitle("Your requests – Confide");
  const mine = inboxRow(leah, id);
  await expect(mine).toContainText(PRIYA.name);
  await expect(mine).toContainText("Bullying or harassment");
  await expect(mine.locator(".govuk-tag")).toHaveText("Acknowledged");
  await expect(mine).toContainText(dayText(new Date()));
  await expectNoAxeViolations(leah);
  await mine.getByRole("link").click();
  await expect(leah).toHaveURL(`${BASE_URL}/requests/${id}`);
  await waitForHydration(leah);
  await expect(leah.getByRole("heading", { level: 1 })).toHaveText(`Your request to ${PRIYA.name}`);
  await expect(leah.getByText(`${PRIYA.name} has acknowledged your request and will be in touch.`)).toBeVisible();
  const first = conversation(leah).getByRole("listitem").first();
  await expect(first.getByRole("heading")).toHaveText(PRIYA.name);
  await expect(first).toContainText("When would suit you for a call?");
  await sendMessage(leah, "Thursday after 6pm would be best, thank you.");
  await expect(conversation(leah).getByRole("listitem").last().getByRole("heading")).toHaveText("You");
  await expectNoAxeViolations(leah);

  // Priya sees the reply under Leah's name, starts work and suggests Aisha.
  await open(priya, `/requests/${id}`);
  await expect(conversation(priya).getByRole("listitem").last().getByRole("heading")).toHaveText(LEAH.name);
  await expect(conversation(priya)).toContainText("Thursday after 6pm would be best");
  await priya.getByRole("button", { name: "Move to in progress" }).click();
  await expect(successBanner(priya)).toContainText("The request is now in progress");
  await expect(statusTag(priya)).toHaveText("In progress");
  await expectNoAxeViolations(priya);
  await waitForHydration(priya);
  const choices = priya.getByLabel("Who could help better?");
  await expect(choices.locator("option", { hasText: PRIYA.name })).toHaveCount(0);
  await choices.selectOption({ label: `${AISHA.name} (${AISHA_ROLE})` });
  await priya.getByRole("button", { name: "Propose handover" }).click();
  await expect(successBanner(priya)).toContainText("Your suggestion has been sent");
  await expect(statusTag(priya)).toHaveText("Handover proposed");
  await expect(priya.getByText(`You have suggested ${AISHA.name} could help better.`)).toBeVisible();
  expect(requestRow(id).supporter_user_id, "nothing moves before Leah agrees").toBe(userIdOf(PRIYA.email));

  // Leah is asked and agrees.
  await open(leah, `/requests/${id}`);
  await expect(statusTag(leah)).toHaveText("Handover proposed");
  const question = leah.getByRole("group", {
    name: `${PRIYA.name} suggests ${AISHA.name} (${AISHA_ROLE}) could help better. Do you agree?`,
  });
  await expect(question).toBeVisible();
  await expectNoAxeViolations(leah);
  await question.getByLabel(`Yes, move my request to ${AISHA.name}`).check();
  await leah.getByRole("button", { name: "Send answer" }).click();
  await expect(successBanner(leah)).toContainText("Your request has been handed over");
  await expect(leah.getByRole("heading", { level: 1 })).toHaveText(`Your request to ${AISHA.name}`);
  await expect(statusTag(leah)).toHaveText("New");
  await expect(conversation(leah)).toContainText("Thursday after 6pm would be best");

  // Aisha now has it (with the conversation so far); Priya no longer sees it at all.
  const aisha = await signedIn(browser, AISHA.email, "/inbox");
  await expect(inboxRow(aisha, id)).toContainText(LEAH.name);
  await expect(inboxRow(aisha, id).locator(".govuk-tag").first()).toHaveText("New");
  const priyaNow = await priya.goto(`/requests/${id}`);
  expect(priyaNow?.status()).toBe(404);
  await expect(priya.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(priya.locator("body")).not.toContainText(marker);
  await priya.goto("/inbox");
  await expect(inboxRow(priya, id)).toHaveCount(0);

  await open(aisha, `/requests/${id}`);
  await expect(aisha.getByText(marker)).toBeVisible();
  await expect(conversation(aisha)).toContainText("When would suit you for a call?");
  await aisha.getByRole("button", { name: "Acknowledge request" }).click();
  await expect(statusTag(aisha)).toHaveText("Acknowledged");
  await waitForHydration(aisha);
  await aisha.getByRole("group", { name: "Close the request" }).getByLabel("Signposted to other support").check();
  await aisha.getByRole("button", { name: "Close request" }).click();
  await expect(successBanner(aisha)).toContainText("The request has been closed");
  await expect(statusTag(aisha)).toHaveText("Closed");
  await expect(aisha.getByLabel("Your message")).toHaveCount(0);
  await expectNoAxeViolations(aisha);
  expect(requestRow(id)).toMatchObject({ status: "closed", outcome: "signposted" });

  // Leah sees the outcome and can no longer write.
  await open(leah, `/requests/${id}`);
  await expect(statusTag(leah)).toHaveText("Closed");
  await expect(leah.getByText(`${AISHA.name} closed this request on ${dayText(new Date())}. Outcome: Signposted to other support.`)).toBeVisible();
  await expect(leah.getByText("This request has ended, so no more messages can be sent.")).toBeVisible();
  await expect(leah.getByLabel("Your message")).toHaveCount(0);
  await expect(leah.getByRole("link", { name: "Withdraw request" })).toHaveCount(0);
  await expect(leah.getByRole("link", { name: "Erase now" })).toBeVisible();
  await expectNoAxeViolations(leah);
  await leah.goto("/requests");
  await expect(inboxRow(leah, id).locator(".govuk-tag")).toHaveText("Closed");

  // Everyone was told, by email too, and no email says more than that there is an update.
  const aishas = await signedIn(browser, AISHA.email, "/notifications");
  await expect(aishas.getByRole("link", { name: "There is an update on a confidential request." }).first()).toBeVisible();
  await expect(aishas.locator(`a[href="/requests/${id}"]`).first()).toBeVisible();
  await expect.poll(() => mailTo(LEAH.email, mailBefore).length).toBeGreaterThanOrEqual(3);
  await expect.poll(() => mailTo(PRIYA.email, mailBefore).length).toBeGreaterThanOrEqual(2);
  await expect.poll(() => mailTo(AISHA.email, mailBefore).length).toBeGreaterThanOrEqual(1);
  for (const raw of mailSince(mailBefore)) {
    expectContentFree(raw);
    for (const secret of [marker, "remarks", LEAH.name, PRIYA.name, "Aisha", "Thursday", "Personal mobile"]) {
      expect(raw.includes(secret), `an email contains "${secret}"`).toBe(false);
    }
  }
  for (const page of [priya, leah, aisha, aishas]) await page.context().close();
});

test("a supporter declines with a reason (without JavaScript), and the requester is told why and can choose someone else", async ({ browser }) => {
  const id = sendRequest({ requester: OLLIE.email, supporter: PRIYA.email, message: "I would like to talk about my team.", category: "unfair_treatment" });
  const priya = await signedIn(browser, PRIYA.email, `/requests/${id}`, false);
  await expect(statusTag(priya)).toHaveText("New");

  // No reason: refused, with the error summary, and nothing changes.
  await priya.getByRole("button", { name: "Decline request" }).click();
  await expect(errorSummary(priya)).toBeVisible();
  await expect(errorSummary(priya).getByRole("link", { name: "Enter a reason for the colleague" })).toHaveAttribute("href", "#reason");
  await expect(priya.locator("#reason-error")).toContainText("Enter a reason for the colleague");
  expect(requestRow(id).status).toBe("new");

  const reason = "I know the people in your team well, so someone else would be fairer to you.";
  await priya.getByLabel("Why are you declining this request?").fill(reason);
  await priya.getByRole("button", { name: "Decline request" }).click();
  await expect(priya).toHaveURL(`${BASE_URL}/requests/${id}?done=declined`);
  await expect(successBanner(priya)).toContainText("You have declined this request");
  await expect(statusTag(priya)).toHaveText("Declined");
  await expect(priya.getByText(reason)).toBeVisible();
  await expect(priya.getByLabel("Your message")).toHaveCount(0);

  // Ollie reads it with JavaScript on, so that axe can check the page.
  const ollie = await signedIn(browser, OLLIE.email, `/requests/${id}`);
  await expect(statusTag(ollie)).toHaveText("Declined");
  await expect(ollie.getByText(`${PRIYA.name} declined this request on ${dayText(new Date())}.`)).toBeVisible();
  await expect(ollie.getByText(`${PRIYA.name} gave this reason:`)).toBeVisible();
  await expect(ollie.getByText(reason)).toBeVisible();
  await expect(ollie.getByRole("link", { name: "Choose someone else" })).toHaveAttribute("href", "/supporters");
  await expect(ollie.getByLabel("Your message")).toHaveCount(0);
  await expectNoAxeViolations(ollie);
  await ollie.goto("/requests");
  await expect(inboxRow(ollie, id).locator(".govuk-tag")).toHaveText("Declined");
  expect(requestRow(id)).toMatchObject({ status: "declined" });
  expect(requestRow(id).ended_at).not.toBeNull();
  await priya.context().close();
  await ollie.context().close();
});

test("the requester withdraws a request after confirming, and it leaves the supporter's open requests", async ({ browser }) => {
  const id = sendRequest({ requester: OLLIE.email, supporter: PRIYA.email, message: "Please can we talk about my shift pattern?" });
  const ollie = await signedIn(browser, OLLIE.email, `/requests/${id}`);
  await waitForHydration(ollie);
  await expect(statusTag(ollie)).toHaveText("New");
  const deadline = deadlineText(new Date(requestRow(id).acknowledge_by));
  await expect(ollie.getByText(`${PRIYA.name} has 2 working days to acknowledge your request \u2014 by ${deadline}.`)).toBeVisible();
  await expectNoAxeViolations(ollie);
  await ollie.getByRole("link", { name: "Withdraw request" }).click();
  await expect(ollie).toHaveURL(`${BASE_URL}/requests/${id}?confirm=withdraw`);
  await expect(ollie).toHaveTitle("Withdraw your request – Confide");
  await expect(ollie.getByRole("heading", { level: 1 })).toHaveText("Are you sure you want to withdraw your request?");
  expect(requestRow(id).status, "following the link changes nothing").toBe("new");
  await expectNoAxeViolations(ollie);

  // "No" goes back without changing anything.
  await ollie.getByRole("link", { name: "No, keep my request" }).click();
  await expect(ollie).toHaveURL(`${BASE_URL}/requests/${id}`);
  expect(requestRow(id).status).toBe("new");

  await ollie.getByRole("link", { name: "Withdraw request" }).click();
  await waitForHydration(ollie);
  await ollie.getByRole("button", { name: "Withdraw request" }).click();
  await expect(ollie).toHaveURL(`${BASE_URL}/requests/${id}?done=withdrawn`);
  await expect(successBanner(ollie)).toContainText("You have withdrawn your request");
  await expect(statusTag(ollie)).toHaveText("Withdrawn");
  await expect(ollie.getByText(`You withdrew this request on ${dayText(new Date())}.`)).toBeVisible();
  await expect(ollie.getByLabel("Your message")).toHaveCount(0);
  await expect(ollie.getByRole("link", { name: "Withdraw request" })).toHaveCount(0);
  await expectNoAxeViolations(ollie);
  expect(requestRow(id).status).toBe("withdrawn");

  const priya = await signedIn(browser, PRIYA.email, "/inbox");
  await expect(inboxRow(priya, id)).toHaveCount(0);
  await priya.getByRole("link", { name: "Show all requests, including ended ones" }).click();
  await expect(priya).toHaveURL(/\/inbox\?requests=all/);
  await expect(inboxRow(priya, id).locator(".govuk-tag").first()).toHaveText("Withdrawn");
  await inboxRow(priya, id).getByRole("link").click();
  await expect(priya.getByText(`${OLLIE.name} withdrew this request on ${dayText(new Date())}.`)).toBeVisible();
  await expect(priya.getByRole("button", { name: "Acknowledge request" })).toHaveCount(0);
  await expectNoAxeViolations(priya);
  await ollie.context().close();
  await priya.context().close();
});

test("erase now deletes the message, the safe-contact details and the conversation for good, after a clear warning", async ({ browser }) => {
  const marker = newMarker("ERASE");
  const id = sendRequest({
    requester: OLLIE.email,
    supporter: PRIYA.email,
    message: `Something happened at the team party. ${marker}`,
    contactMethod: "phone",
    safeContact: `Home phone ${marker}`,
    replies: [{ from: "supporter", body: `I am sorry to hear that. ${marker}` }],
  });
  expect(messageCount(id)).toBe(1);

  const ollie = await signedIn(browser, OLLIE.email, `/requests/${id}`);
  await waitForHydration(ollie);
  await ollie.getByRole("link", { name: "Erase now" }).click();
  await expect(ollie).toHaveURL(`${BASE_URL}/requests/${id}?confirm=erase`);
  await expect(ollie).toHaveTitle("Erase your request – Confide");
  await expect(ollie.locator(".govuk-warning-text")).toContainText(
    "This permanently deletes your message and the conversation. It cannot be undone.",
  );
  await waitForHydration(ollie);

  // Without ticking the confirmation: refused, nothing erased.
  await ollie.getByRole("button", { name: "Erase now" }).click();
  await expect(errorSummary(ollie)).toBeVisible();
  await expect(errorSummary(ollie).getByRole("link")).toHaveAttribute("href", "#confirm");
  await expect(ollie.locator("#confirm-error")).toContainText("Confirm that you understand");
  expect(requestRow(id).message_cipher).not.toBeNull();
  await expectNoAxeViolations(ollie);

  await ollie.getByLabel("I understand that my message and the conversation will be permanently deleted").check();
  await ollie.getByRole("button", { name: "Erase now" }).click();
  await expect(ollie).toHaveURL(`${BASE_URL}/requests/${id}?done=erased`);
  await expect(successBanner(ollie)).toContainText("Your request has been erased");
  await expect(ollie.getByText(`The content of this request was erased on ${dayText(new Date())}`)).toBeVisible();
  await expect(statusTag(ollie)).toHaveText("Withdrawn");
  await expect(ollie.locator("body")).not.toContainText(marker);
  await expect(ollie.getByRole("link", { name: "Erase now" })).toHaveCount(0);
  await expectNoAxeViolations(ollie);

  const row = requestRow(id);
  expect(row).toMatchObject({ status: "withdrawn", message_cipher: null, safe_contact_cipher: null, decline_reason_cipher: null });
  expect(row.erased_at).not.toBeNull();
  expect(messageCount(id)).toBe(0);

  // The supporter keeps the facts and nothing else.
  const priya = await signedIn(browser, PRIYA.email, `/requests/${id}`);
  await expect(priya.getByText(`The content of this request was erased on ${dayText(new Date())}`)).toBeVisible();
  await expect(priya.locator("body")).not.toContainText(marker);
  await expect(priya.locator("body")).not.toContainText("Home phone");
  expect(await rscPayload(priya, `/requests/${id}`)).not.toContain(marker);
  await ollie.context().close();
  await priya.context().close();
});

test("an anonymous requester is never named to the supporter: pages, payloads, inbox, notifications or email", async ({ browser }) => {
  test.setTimeout(120_000);
  const marker = newMarker("ANON");
  const mailBefore = outboxFiles();
  const id = sendRequest({
    requester: CHRIS.email,
    supporter: PRIYA.email,
    message: `I do not want anyone to know I asked. ${marker}`,
    anonymous: true,
    safeContact: `Only my personal email ${marker}-contact`,
    replies: [{ from: "requester", body: "Thank you for reading this." }],
  });
  const secrets = [CHRIS.name, "Chris", "Taylor", CHRIS.email, `${marker}-contact`, "personal email", userIdOf(CHRIS.email)];
  const expectNoSecrets = (text: string, where: string) => {
    for (const secret of secrets) expect(text.includes(secret), `${where}: "${secret}"`).toBe(false);
  };

  const chris = await signedIn(browser, CHRIS.email, `/requests/${id}`);
  await expect(summaryValue(chris, "Your name")).toContainText("Anonymous colleague");
  await expect(summaryValue(chris, "Safe contact details and times")).toContainText("Only my personal email");

  const priya = await signedIn(browser, PRIYA.email, "/inbox");
  await expect(inboxRow(priya, id)).toContainText("Anonymous colleague");
  expectNoSecrets(await priya.content(), "/inbox");
  expectNoSecrets(await rscPayload(priya, "/inbox"), "/inbox RSC");

  await open(priya, `/requests/${id}`);
  await expect(priya.getByRole("heading", { level: 1 })).toHaveText("Request from an anonymous colleague");
  await expect(summaryValue(priya, "From")).toContainText("Anonymous colleague");
  await expect(priya.getByText(marker, { exact: false }).first()).toBeVisible();
  await expect(conversation(priya).getByRole("listitem").first().getByRole("heading")).toHaveText("Anonymous colleague");
  await expect(summaryValue(priya, "Safe contact details and times")).toHaveCount(0);
  expectNoSecrets(await priya.content(), "request page");
  expectNoSecrets(await rscPayload(priya, `/requests/${id}`), "request page RSC");

  await priya.getByRole("button", { name: "Acknowledge request" }).click();
  await expect(statusTag(priya)).toHaveText("Acknowledged");
  await waitForHydration(priya);
  await sendMessage(priya, "Thank you. I am here whenever you are ready.");
  expectNoSecrets(await priya.content(), "after acknowledging and replying");
  expectNoSecrets(await rscPayload(priya, `/requests/${id}?done=replied`), "RSC after replying");

  await priya.goto("/notifications");
  await expect(priya.locator(`a[href="/requests/${id}"]`).first()).toBeVisible();
  expectNoSecrets(await priya.content(), "/notifications");
  expectNoSecrets(await rscPayload(priya, "/notifications"), "/notifications RSC");

  // Chris sees the reply, and Priya closes the request (which frees her capacity for the other journeys).
  await open(chris, `/requests/${id}`);
  await expect(conversation(chris)).toContainText("I am here whenever you are ready.");
  await open(priya, `/requests/${id}`);
  await priya.getByRole("group", { name: "Close the request" }).getByLabel("No further action wanted").check();
  await priya.getByRole("button", { name: "Close request" }).click();
  await expect(statusTag(priya)).toHaveText("Closed");
  expectNoSecrets(await priya.content(), "closed request");
  await priya.goto("/inbox?requests=all");
  await expect(inboxRow(priya, id)).toContainText("Anonymous colleague");
  expectNoSecrets(await priya.content(), "/inbox, all requests");

  await expect.poll(() => mailTo(PRIYA.email, mailBefore).length).toBeGreaterThanOrEqual(1);
  await expect.poll(() => mailTo(CHRIS.email, mailBefore).length).toBeGreaterThanOrEqual(2);
  for (const raw of mailSince(mailBefore)) {
    expectContentFree(raw);
    expect(raw.includes(marker), "the request's words in an email").toBe(false);
  }
  for (const raw of mailTo(PRIYA.email, mailBefore)) expectNoSecrets(raw, "an email to Priya");
  await chris.context().close();
  await priya.context().close();
});

test("a person with no requests is pointed to the directory", async ({ as }) => {
  // The Equality Unit's Eve never asks for support in any journey.
  const page = await as("equalityUnit", "/requests");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your requests");
  await expect(page.getByText("You have not asked anyone for confidential contact yet.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Find an equality supporter" })).toHaveAttribute("href", "/supporters");
  await expectNoAxeViolations(page);
});
