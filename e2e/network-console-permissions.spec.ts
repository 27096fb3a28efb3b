import type { APIRequestContext, APIResponse, Page, Request } from "@playwright/test";

import { BASE_URL, expect, PEOPLE, signedIn, test } from "./fixtures";
import { expectSentToSignIn, waitForHydration, withDb } from "./helpers";

// Who may use the coordinator console and the Equality Unit's network administration, by URL and by direct POST.
// The real server-action requests that Casey (coordinator of the LGBT+ Network) and Eve (Equality Unit) send are
// captured and replayed with other people's cookies, against rows made for this file only: refused with the same
// 404 as a missing page, nothing changed, and no member's name in the response.
//
// Nobody here changes the people below; the rows they act on are created here, for this run only.
test.describe.configure({ mode: "serial" });

const LGBT = { slug: "lgbt-plus-network", name: "LGBT+ Network" };
const CONSOLE = `/networks/${LGBT.slug}/manage`;

const OUTSIDERS = [
  { who: "a visible member", email: "leah.murphy@example.org" },
  { who: "a silent member", email: "chris.taylor@example.org" },
  { who: "a member of staff in no network", email: "imran.qureshi@example.org" },
  { who: "a coordinator of a different network", email: "marcus.johnson@example.org" },
  { who: "the Equality Unit", email: PEOPLE.equalityUnit },
] as const;

// Everyone but the Equality Unit, for the network administration.
const NOT_EQUALITY_UNIT = [
  { who: "a coordinator", email: PEOPLE.coordinator },
  ...OUTSIDERS.filter((o) => o.email !== PEOPLE.equalityUnit),
] as const;

// Members and requesters of the LGBT+ Network: their names must not reach anyone refused here. (Daniel O'Connor's
// name is left out only because HTML escapes its apostrophe.)
const SEEDED_MEMBER_NAMES = ["Chris Taylor", "Rachel Green", "Jordan Blake", "Leah Murphy", "Ollie Bennett"];

const networkIdOf = (slug: string): string =>
  withDb((db) => db.prepare("SELECT id FROM networks WHERE slug = ?").pluck().get(slug) as string);

type Person = { userId: string; name: string; email: string; membershipId: string };

function createPerson(label: string, status: "pending" | "active"): Person {
  const suffix = crypto.randomUUID().slice(0, 8);
  const person = {
    userId: crypto.randomUUID(),
    name: `${label} ${suffix}`,
    email: `perm.${label.toLowerCase()}.${suffix}@example.org`,
    membershipId: crypto.randomUUID(),
  };
  withDb((db) => {
    db.prepare("INSERT INTO users (id, email, name) VALUES (?, ?, ?)").run(person.userId, person.email, person.name);
    db.prepare(
      `INSERT INTO network_memberships (id, network_id, user_id, status, visibility, request_note, decided_at)
       VALUES (?, ?, ?, ?, 'silent', 'A private note', ?)`,
    ).run(person.membershipId, networkIdOf(LGBT.slug), person.userId, status, status === "active" ? Date.now() : null);
  });
  return person;
}

const ANNOUNCEMENT_TITLE = `Captured announcement ${crypto.randomUUID().slice(0, 8)}`;
const capturedAnnouncements = (): number =>
  withDb((db) => db.prepare("SELECT count(*) FROM network_announcements WHERE title = ?").pluck().get(ANNOUNCEMENT_TITLE) as number);

const statusOf = (membershipId: string): string | undefined =>
  withDb((db) => db.prepare("SELECT status FROM network_memberships WHERE id = ?").pluck().get(membershipId) as string | undefined);
const setStatus = (membershipId: string, status: string) =>
  withDb((db) => db.prepare("UPDATE network_memberships SET status = ?, decision_reason = NULL WHERE id = ?").run(status, membershipId));
/** A server action request as the browser sent it, to be sent again by someone else. */
type Captured = { name: string; path: string; headers: Record<string, string>; body: string };

async function capture(page: Page, name: string, act: () => Promise<void>): Promise<Captured> {
  const posted = page.waitForRequest((r: Request) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await act();
  const request = await posted;
  const headers = await request.allHeaders();
  return { name, path: new URL(request.url()).pathname, headers, body: request.postData() ?? "" };
}

/** Sends a captured action again with another person's cookies (or none), with ids swapped for other targets. */
function replay(
  api: APIRequestContext,
  action: Captured,
  swaps: readonly (readonly [string, string])[] = [],
): Promise<APIResponse> {
  const swap = (text: string) => swaps.reduce((t, [from, to]) => t.split(from).join(to), text);
  return api.post(new URL(swap(action.path), BASE_URL).toString(), {
    headers: {
      "next-action": action.headers["next-action"] ?? "",
      "content-type": action.headers["content-type"] ?? "",
      accept: action.headers["accept"] ?? "text/x-component",
      "next-router-state-tree": action.headers["next-router-state-tree"] ?? "",
      // Our own origin: the refusal must come from who is asking, not from the cross-site check.
      origin: BASE_URL,
    },
    data: swap(action.body),
    maxRedirects: 0,
  });
}

async function expectRefused(response: APIResponse, where: string, names: readonly string[]): Promise<void> {
  expect(response.status(), where).toBe(404);
  const body = await response.text();
  for (const name of names) expect(body.includes(name), `${where}: ${name} in the response`).toBe(false);
}

// Next.js answers a React Server Component request for a missing page with its not-found payload (the 404 digest
// and the "Page not found" content) rather than the HTTP status; for a route handler (the CSV) it is a plain 404.
async function expectRefusedRsc(response: APIResponse, where: string, names: readonly string[]): Promise<void> {
  const body = await response.text();
  if (response.status() !== 404) {
    expect(response.status(), where).toBe(200);
    expect(body, where).toContain("NEXT_HTTP_ERROR_FALLBACK;404");
    expect(body, where).toContain("Page not found");
  }
  for (const name of names) expect(body.includes(name), `${where}: ${name} in the response`).toBe(false);
}

test.describe("the coordinator console", () => {
  // Rows the replays aim at, and the people Casey really acts on while her requests are captured.
  let pending: Person;
  let member: Person;
  let approveMe: Person;
  let declineMe: Person;
  let removeMe: Person;
  let actions: { action: Captured; swaps: (readonly [string, string])[] }[] = [];

  test.beforeAll(() => {
    pending = createPerson("Pendingtarget", "pending");
    member = createPerson("Membertarget", "active");
    approveMe = createPerson("Approveme", "pending");
    declineMe = createPerson("Declineme", "pending");
    removeMe = createPerson("Removeme", "active");
  });
  // The people stay until the run's database is thrown away: deleting them would also delete notifications that
  // the console journeys, running at the same time, are counting.

  const urls = () => [
    CONSOLE,
    `${CONSOLE}?page=2&requests=2`,
    `${CONSOLE}/announce`,
    `${CONSOLE}/requests/${pending.membershipId}/decline`,
    `${CONSOLE}/members/${member.membershipId}/remove`,
    `${CONSOLE}/members.csv`,
  ];
  const names = () => [...SEEDED_MEMBER_NAMES, ...[pending, member, approveMe, declineMe, removeMe].map((p) => p.name)];
  // The targets' rows, and everything that would tell them something: notifications and queued emails.
  // Other journeys send announcements to the LGBT+ Network at the same time, so an announcement counts only if it is
  // the one captured here, and the targets' notifications and emails only if they are about a decision.
  const targetState = () =>
    withDb((db) => ({
      pending: db.prepare("SELECT status, decision_reason FROM network_memberships WHERE id = ?").get(pending.membershipId),
      member: db.prepare("SELECT status, decision_reason FROM network_memberships WHERE id = ?").get(member.membershipId),
      notifications: db
        .prepare("SELECT count(*) FROM notifications WHERE user_id IN (?, ?) AND kind != 'network.announcement'")
        .pluck()
        .get(pending.userId, member.userId),
      mail: db
        .prepare("SELECT count(*) FROM mail_outbox WHERE to_address IN (?, ?) AND kind != 'network.announcement'")
        .pluck()
        .get(pending.email, member.email),
      announcements: capturedAnnouncements(),
    }));
  const unchanged = (where: string, before: ReturnType<typeof targetState>) => {
    expect(statusOf(pending.membershipId), where).toBe("pending");
    expect(statusOf(member.membershipId), where).toBe("active");
    expect(targetState(), where).toEqual(before);
  };

  test("control: Casey opens every console page and the CSV", async ({ browser }) => {
    const casey = await signedIn(browser, PEOPLE.coordinator);
    try {
      for (const url of urls()) {
        const response = await casey.request.get(new URL(url, BASE_URL).toString());
        expect(response.status(), `Casey: ${url}`).toBe(200);
      }
      expect(await (await casey.request.get(new URL(CONSOLE, BASE_URL).toString())).text()).toContain(member.name);
    } finally {
      await casey.context().close();
    }
    // Marcus is refused below because this is not his network, not because the console is broken for him.
    const marcus = await signedIn(browser, "marcus.johnson@example.org", "/networks/black-support-network/manage");
    await expect(marcus.getByRole("heading", { level: 1 })).toContainText("Black Support Network");
    await marcus.context().close();
  });

  for (const outsider of OUTSIDERS) {
    test(`${outsider.who}: every console page and the CSV are not found, with no member's name`, async ({ browser }) => {
      const page = await signedIn(browser, outsider.email);
      try {
        for (const url of urls()) {
          const absolute = new URL(url, BASE_URL).toString();
          await expectRefused(await page.request.get(absolute), `${outsider.who}: ${url}`, names());
          // The React Server Component payload that client-side navigation asks for is refused the same way.
          await expectRefusedRsc(await page.request.get(absolute, { headers: { RSC: "1" } }), `${outsider.who}: RSC ${url}`, names());
        }
        // What the person sees is exactly what a network that does not exist shows.
        const missing = await page.goto("/networks/no-such-network/manage");
        expect(missing?.status()).toBe(404);
        // Titled either way, whichever Next.js settles first: the route's own title (which names no network) or the
        // not-found page's; the same two for a missing network and a refused one.
        const titles = ["Page not found \u2013 Confide", "Manage network \u2013 Confide"];
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
        expect(titles).toContain(await page.title());
        const shown = await page.goto(CONSOLE);
        expect(shown?.status()).toBe(404);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
        expect(titles).toContain(await page.title());
        await expect(page.getByRole("link", { name: `Manage ${LGBT.name}` })).toHaveCount(0);
      } finally {
        await page.context().close();
      }
    });
  }

  test("a signed-out visitor is sent to sign in for every console address", async ({ playwright }) => {
    const anonymous = await playwright.request.newContext({ baseURL: BASE_URL });
    try {
      for (const url of urls()) {
        const response = await anonymous.get(url, { maxRedirects: 0 });
        await expectSentToSignIn(response, url.split("?")[0] ?? url);
      }
    } finally {
      await anonymous.dispose();
    }
  });

  test("Casey's real actions are captured as the browser sends them", async ({ browser }) => {
    const casey = await signedIn(browser, PEOPLE.coordinator, CONSOLE);
    try {
      await waitForHydration(casey);
      const approve = await capture(casey, "approve", async () => {
        await casey.getByRole("button", { name: `Approve the request from ${approveMe.name}` }).click();
        await expect(casey.getByText("Request approved")).toBeVisible();
      });
      expect(statusOf(approveMe.membershipId)).toBe("active");

      await casey.goto(`${CONSOLE}/requests/${declineMe.membershipId}/decline`);
      await waitForHydration(casey);
      await casey.getByLabel("Why are you declining this request?").fill("Captured reason");
      const decline = await capture(casey, "decline", async () => {
        await casey.getByRole("button", { name: "Decline request" }).click();
        await expect(casey.getByText("Request declined")).toBeVisible();
      });
      expect(statusOf(declineMe.membershipId)).toBe("declined");

      await casey.goto(`${CONSOLE}/members/${removeMe.membershipId}/remove`);
      await waitForHydration(casey);
      await casey.getByLabel("Why are you removing this member?").fill("Captured reason");
      const remove = await capture(casey, "remove", async () => {
        await casey.getByRole("button", { name: "Remove from network" }).click();
        await expect(casey.getByText("Member removed")).toBeVisible();
      });
      expect(statusOf(removeMe.membershipId)).toBe("removed");

      await casey.goto(`${CONSOLE}/announce`);
      await waitForHydration(casey);
      await casey.getByLabel("Title").fill(ANNOUNCEMENT_TITLE);
      await casey.getByLabel("Announcement").fill("Sent once by Casey.");
      const announce = await capture(casey, "announce", async () => {
        await casey.getByRole("button", { name: "Send announcement" }).click();
        await expect(casey.getByText(/Sent to \d+ members/)).toBeVisible();
      });

      // Each request names its target by id; the replays aim at the rows made for this file instead.
      expect(approve.body).toContain(approveMe.membershipId);
      expect(decline.body).toContain(declineMe.membershipId);
      expect(remove.body).toContain(removeMe.membershipId);
      actions = [
        { action: approve, swaps: [[approveMe.membershipId, pending.membershipId]] },
        { action: decline, swaps: [[declineMe.membershipId, pending.membershipId]] },
        { action: remove, swaps: [[removeMe.membershipId, member.membershipId]] },
        { action: announce, swaps: [] },
      ];
    } finally {
      await casey.context().close();
    }
  });

  for (const outsider of OUTSIDERS) {
    test(`${outsider.who}: Casey's actions replayed with their cookies are refused and change nothing`, async ({ browser }) => {
      expect(actions).toHaveLength(4);
      const page = await signedIn(browser, outsider.email);
      try {
        // The decline again with its reason taken out: someone who does not coordinate the network is not even
        // told that a reason is missing.
        const decline = actions[1]!;
        const withoutReason = { action: { ...decline.action, name: "decline without a reason" }, swaps: [...decline.swaps, ["Captured reason", ""] as const] };
        for (const { action, swaps } of [...actions, withoutReason]) {
          const where = `${outsider.who}: ${action.name}`;
          const before = targetState();
          await expectRefused(await replay(page.request, action, swaps), where, names());
          unchanged(where, before);
        }
      } finally {
        await page.context().close();
      }
    });
  }

  test("a signed-out visitor's replays are refused and change nothing", async ({ playwright }) => {
    expect(actions).toHaveLength(4);
    const anonymous = await playwright.request.newContext({ baseURL: BASE_URL });
    try {
      for (const { action, swaps } of actions) {
        const where = `signed out: ${action.name}`;
        const before = targetState();
        const response = await replay(anonymous, action, swaps);
        // requireUser sends the visitor to sign in (for a server action Next.js says so in a header); the action
        // never runs.
        expect(response.headers()["x-action-redirect"] ?? response.headers()["location"] ?? "", where).toMatch(/^\/signin\?callbackUrl=/);
        const body = await response.text();
        for (const name of names()) expect(body.includes(name), `${where}: ${name}`).toBe(false);
        unchanged(where, before);
      }
    } finally {
      await anonymous.dispose();
    }
  });

  test("control: the very same replays with Casey's cookies go through", async ({ browser }) => {
    expect(actions).toHaveLength(4);
    const [approve, decline, remove, announce] = actions;
    const casey = await signedIn(browser, PEOPLE.coordinator);
    try {
      const announcements = capturedAnnouncements();
      expect((await replay(casey.request, approve!.action, approve!.swaps)).status()).toBeLessThan(400);
      expect(statusOf(pending.membershipId)).toBe("active");
      setStatus(pending.membershipId, "pending");
      expect((await replay(casey.request, decline!.action, decline!.swaps)).status()).toBeLessThan(400);
      expect(statusOf(pending.membershipId)).toBe("declined");
      setStatus(pending.membershipId, "pending");
      expect((await replay(casey.request, remove!.action, remove!.swaps)).status()).toBeLessThan(400);
      expect(statusOf(member.membershipId)).toBe("removed");
      setStatus(member.membershipId, "active");
      expect((await replay(casey.request, announce!.action)).status()).toBe(200);
      expect(capturedAnnouncements()).toBe(announcements + 1);
    } finally {
      await casey.context().close();
    }
  });
});

test.describe("network administration", () => {
  let steady: { id: string; slug: string };
  let archived: { id: string; slug: string };
  let scratch: { id: string; slug: string };
  const STEADY_NAME = `Steady Permissions Network ${crypto.randomUUID().slice(0, 6)}`;
  const CREATED_SLUG = `perm-created-${crypto.randomUUID().slice(0, 8)}`;
  // Aisha Rahman is made a coordinator of networks that exist only in this file.
  const AISHA = { email: "aisha.rahman@example.org", name: "Aisha Rahman" };
  let replays: { action: Captured; swaps: (readonly [string, string])[] }[] = [];

  function insertNetwork(name: string, status: "active" | "archived"): { id: string; slug: string } {
    const id = crypto.randomUUID();
    const slug = `perm-admin-${id.slice(0, 8)}`;
    withDb((db) =>
      db
        .prepare(
          `INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join, join_policy, status)
           VALUES (?, ?, ?, 'A summary.', 'A description.', 'Everyone.', 'Ask to join.', 'approval', ?)`,
        )
        .run(id, slug, name, status),
    );
    return { id, slug };
  }

  const aishaId = () => withDb((db) => db.prepare("SELECT id FROM users WHERE email = ?").pluck().get(AISHA.email) as string);

  test.beforeAll(() => {
    steady = insertNetwork(STEADY_NAME, "active");
    archived = insertNetwork(`Archived Permissions Network ${crypto.randomUUID().slice(0, 6)}`, "archived");
    scratch = insertNetwork(`Scratch Permissions Network ${crypto.randomUUID().slice(0, 6)}`, "active");
    // The steady network has a coordinator for the removal replays to aim at.
    withDb((db) => db.prepare("INSERT INTO network_coordinators (network_id, user_id) VALUES (?, ?)").run(steady.id, aishaId()));
  });
  test.afterAll(() =>
    withDb((db) => db.prepare("DELETE FROM networks WHERE id IN (?, ?, ?) OR slug LIKE ?").run(steady.id, archived.id, scratch.id, `${CREATED_SLUG}%`)),
  );

  const adminUrls = () => ["/admin/networks", "/admin/networks?page=2", "/admin/networks/new", `/admin/networks/${steady.id}`, `/admin/networks/${steady.id}/edit`];

  const snapshot = () =>
    withDb((db) => ({
      networks: db.prepare("SELECT id, slug, name, status FROM networks WHERE id IN (?, ?, ?) OR slug LIKE ? ORDER BY id").all(steady.id, archived.id, scratch.id, `${CREATED_SLUG}%`),
      coordinators: db.prepare("SELECT network_id, user_id FROM network_coordinators WHERE network_id IN (?, ?, ?) ORDER BY network_id, user_id").all(steady.id, archived.id, scratch.id),
    }));

  test("control: Eve opens every page", async ({ browser }) => {
    const eve = await signedIn(browser, PEOPLE.equalityUnit);
    try {
      for (const url of adminUrls()) expect((await eve.request.get(new URL(url, BASE_URL).toString())).status(), url).toBe(200);
    } finally {
      await eve.context().close();
    }
  });

  for (const person of NOT_EQUALITY_UNIT) {
    test(`${person.who}: the network administration pages are not found`, async ({ browser }) => {
      const page = await signedIn(browser, person.email);
      try {
        for (const url of adminUrls()) {
          const absolute = new URL(url, BASE_URL).toString();
          await expectRefused(await page.request.get(absolute), `${person.who}: ${url}`, [STEADY_NAME, ...SEEDED_MEMBER_NAMES]);
          await expectRefusedRsc(await page.request.get(absolute, { headers: { RSC: "1" } }), `${person.who}: RSC ${url}`, [STEADY_NAME]);
        }
      } finally {
        await page.context().close();
      }
    });
  }

  test("a signed-out visitor is sent to sign in for every administration address", async ({ playwright }) => {
    const anonymous = await playwright.request.newContext({ baseURL: BASE_URL });
    try {
      for (const url of adminUrls()) await expectSentToSignIn(await anonymous.get(url, { maxRedirects: 0 }), url.split("?")[0] ?? url);
    } finally {
      await anonymous.dispose();
    }
  });

  test("Eve's real actions are captured as the browser sends them", async ({ browser }) => {
    const eve = await signedIn(browser, PEOPLE.equalityUnit, `/admin/networks/${scratch.id}`);
    try {
      await waitForHydration(eve);
      const assign = await capture(eve, "assign coordinator", async () => {
        await eve.getByLabel("Assign a coordinator").fill(AISHA.email);
        await eve.getByRole("button", { name: "Assign coordinator" }).click();
        await expect(eve.locator(".govuk-notification-banner").getByText("Coordinator assigned")).toBeVisible();
      });
      await waitForHydration(eve);
      const removeCoordinator = await capture(eve, "remove coordinator", async () => {
        await eve.getByRole("button", { name: `Remove ${AISHA.name} as coordinator` }).click();
        await expect(eve.locator(".govuk-notification-banner").getByText("Coordinator removed")).toBeVisible();
      });
      await waitForHydration(eve);
      const archive = await capture(eve, "archive", async () => {
        await eve.getByRole("button", { name: "Archive network" }).click();
        await expect(eve.locator(".govuk-notification-banner").getByText("Network archived")).toBeVisible();
      });
      await waitForHydration(eve);
      const restore = await capture(eve, "restore", async () => {
        await eve.getByRole("button", { name: "Restore network" }).click();
        await expect(eve.locator(".govuk-notification-banner").getByText("Network restored")).toBeVisible();
      });
      await eve.goto(`/admin/networks/${scratch.id}/edit`);
      await waitForHydration(eve);
      await eve.getByLabel("Name", { exact: true }).fill("Scratch network renamed by Eve");
      const edit = await capture(eve, "edit", async () => {
        await eve.getByRole("button", { name: "Save changes" }).click();
        await expect(eve.locator(".govuk-notification-banner").getByText("Changes saved")).toBeVisible();
      });
      await eve.goto("/admin/networks/new");
      await waitForHydration(eve);
      await eve.getByLabel("Name", { exact: true }).fill("Created by Eve");
      await eve.getByLabel("Web address").fill(CREATED_SLUG);
      await eve.getByLabel("Summary").fill("Summary.");
      await eve.getByLabel("Description").fill("Description.");
      await eve.getByLabel("Who it is for").fill("Everyone.");
      await eve.getByLabel("How to join").fill("Ask.");
      await eve.getByLabel("They join at once").check();
      const create = await capture(eve, "create", async () => {
        await eve.getByRole("button", { name: "Create network" }).click();
        await expect(eve.locator(".govuk-notification-banner").getByText("Network created")).toBeVisible();
      });

      const toSteady = [[scratch.id, steady.id] as const];
      replays = [
        { action: assign, swaps: toSteady },
        { action: removeCoordinator, swaps: toSteady },
        { action: archive, swaps: toSteady },
        { action: restore, swaps: [[scratch.id, archived.id]] },
        { action: edit, swaps: toSteady },
        { action: create, swaps: [[CREATED_SLUG, `${CREATED_SLUG}-again`]] },
      ];
    } finally {
      await eve.context().close();
    }
  });

  for (const person of NOT_EQUALITY_UNIT) {
    test(`${person.who}: Eve's actions replayed with their cookies are refused and change nothing`, async ({ browser }) => {
      expect(replays).toHaveLength(6);
      const before = snapshot();
      expect(before.coordinators).toContainEqual({ network_id: steady.id, user_id: aishaId() });
      const page = await signedIn(browser, person.email);
      try {
        for (const { action, swaps } of replays) {
          const where = `${person.who}: ${action.name}`;
          await expectRefused(await replay(page.request, action, swaps), where, [...SEEDED_MEMBER_NAMES, STEADY_NAME]);
          expect(snapshot(), where).toEqual(before);
        }
      } finally {
        await page.context().close();
      }
    });
  }

  test("control: Eve's own replays go through", async ({ browser }) => {
    expect(replays).toHaveLength(6);
    const [assign, removeCoordinator, archive, restore] = replays;
    const eve = await signedIn(browser, PEOPLE.equalityUnit);
    const statusOfSteady = () => withDb((db) => db.prepare("SELECT status FROM networks WHERE id = ?").pluck().get(steady.id));
    const coordinatorsOfSteady = () => withDb((db) => db.prepare("SELECT count(*) FROM network_coordinators WHERE network_id = ?").pluck().get(steady.id));
    try {
      await replay(eve.request, archive!.action, archive!.swaps);
      expect(statusOfSteady()).toBe("archived");
      await replay(eve.request, restore!.action, [[scratch.id, steady.id]]);
      expect(statusOfSteady()).toBe("active");
      await replay(eve.request, removeCoordinator!.action, removeCoordinator!.swaps);
      expect(coordinatorsOfSteady()).toBe(0);
      await replay(eve.request, assign!.action, assign!.swaps);
      expect(coordinatorsOfSteady()).toBe(1);
    } finally {
      await eve.context().close();
    }
  });
});
