import type { Page } from "@playwright/test";

import { BASE_URL, expect, PEOPLE, signedIn, test } from "./fixtures";
import { auditEventsAfter, lastAuditSeq, waitForHydration, withDb } from "./helpers";

// Membership must not surface anywhere but where the design allows (DESIGN: Membership, permission matrix). In the
// Sikh Police Association (open; under 5 members), with
//   S – Graham Wright, a silent member      V – Barbara Lewis, a visible member
//   N – Kwame Mensah, not a member           C2 – Marcus Johnson, coordinator of a different network
//   E – Eve Okafor, the Equality Unit
// every page each of them can open, as HTML and as the React Server Component payload, is checked for S's and V's
// names, the member list and small counts. S and V are a retired and a lapsed supporter, so the supporter directory
// never lists them for its own reasons; their names can only appear through their membership.
//
// The journeys share S's and V's rows, so they run one after another in one worker.
test.describe.configure({ mode: "serial" });

const NETWORK = { slug: "sikh-police-association", name: "Sikh Police Association" };
const S = { email: "graham.wright@example.org", name: "Graham Wright" };
const V = { email: "barbara.lewis@example.org", name: "Barbara Lewis" };
const N = { email: "kwame.mensah@example.org", name: "Kwame Mensah" };
const C2 = { email: "marcus.johnson@example.org", name: "Marcus Johnson" };
const E = { email: PEOPLE.equalityUnit, name: "Eve Okafor" };

const PAGES = ["/networks", `/networks/${NETWORK.slug}`, "/account", "/supporters", "/"] as const;

function userIdOf(email: string): string {
  return withDb((db) => db.prepare("SELECT id FROM users WHERE lower(email) = lower(?)").pluck().get(email) as string);
}

function networkId(): string {
  return withDb((db) => db.prepare("SELECT id FROM networks WHERE slug = ?").pluck().get(NETWORK.slug) as string);
}

function membershipOf(email: string): { id: string; status: string; visibility: string } | undefined {
  return withDb(
    (db) =>
      db
        .prepare("SELECT id, status, visibility FROM network_memberships WHERE network_id = ? AND user_id = ?")
        .get(networkId(), userIdOf(email)) as { id: string; status: string; visibility: string } | undefined,
  );
}

function setUp(): void {
  withDb((db) => {
    const insert = db.prepare(
      `INSERT INTO network_memberships (id, network_id, user_id, status, visibility, decided_at)
       VALUES (?, ?, ?, 'active', ?, ?)
       ON CONFLICT (network_id, user_id) DO UPDATE SET status = 'active', visibility = excluded.visibility`,
    );
    insert.run(crypto.randomUUID(), networkId(), userIdOf(S.email), "silent", Date.now());
    insert.run(crypto.randomUUID(), networkId(), userIdOf(V.email), "visible", Date.now());
    // N, C2 and E belong to no part of this network.
    const clear = db.prepare("DELETE FROM network_memberships WHERE network_id = ? AND user_id = ?");
    for (const person of [N, C2, E]) clear.run(networkId(), userIdOf(person.email));
  });
}

function tearDown(): void {
  withDb((db) => {
    const clear = db.prepare("DELETE FROM network_memberships WHERE network_id = ? AND user_id = ?");
    for (const person of [S, V]) clear.run(networkId(), userIdOf(person.email));
  });
}

test.beforeAll(setUp);
test.afterAll(tearDown);

type Response = { url: string; kind: "HTML" | "RSC"; status: number; body: string };

// The page as the browser gets it (the HTML, which also carries the inline RSC payload) and the RSC payload that
// client-side navigation asks for.
async function responsesFor(page: Page): Promise<Response[]> {
  const responses: Response[] = [];
  for (const url of PAGES) {
    const html = await page.goto(url);
    responses.push({ url, kind: "HTML", status: html?.status() ?? 0, body: (await html?.text()) ?? "" });
    const rsc = await page.request.get(new URL(url, BASE_URL).toString(), { headers: { RSC: "1" } });
    responses.push({ url, kind: "RSC", status: rsc.status(), body: await rsc.text() });
  }
  return responses;
}

const where = (r: Response) => `${r.kind} of ${r.url}`;

// Counts under 5 are never shown, as a number or as "fewer than 5", to anyone on these pages.
const SMALL_COUNT = /\b[1-4] members?\b|fewer than 5/i;

type Case = {
  who: string;
  person: { email: string; name: string };
  seesS: boolean;
  seesV: boolean;
  seesMemberList: boolean;
};

const CASES: Case[] = [
  { who: "the silent member S", person: S, seesS: true, seesV: true, seesMemberList: true },
  { who: "the visible member V", person: V, seesS: false, seesV: true, seesMemberList: true },
  { who: "the non-member N", person: N, seesS: false, seesV: false, seesMemberList: false },
  { who: "C2, coordinator of a different network", person: C2, seesS: false, seesV: false, seesMemberList: false },
  { who: "E, the Equality Unit", person: E, seesS: false, seesV: false, seesMemberList: false },
];

for (const c of CASES) {
  test(`${c.who} sees exactly what the design allows on every page`, async ({ browser }) => {
    const page = await signedIn(browser, c.person.email);
    try {
      const responses = await responsesFor(page);
      for (const r of responses) {
        expect(r.status, where(r)).toBe(200);
        expect(r.body.length, where(r)).toBeGreaterThan(500);
        expect(r.body, where(r)).not.toMatch(SMALL_COUNT);
        // S's name: only in S's own responses (their /account). Nobody else, not even V, ever receives it.
        if (!c.seesS) expect(r.body.includes(S.name), `S's name in the ${where(r)} for ${c.who}`).toBe(false);
        // V's name: only for members of the network, and only on its page (and V's own /account).
        const vAllowedHere = c.seesV && (r.url === `/networks/${NETWORK.slug}` || (c.person === V && r.url === "/account"));
        if (!vAllowedHere) expect(r.body.includes(V.name), `V's name in the ${where(r)} for ${c.who}`).toBe(false);
        // The member list exists only on the network's page, and only for members.
        const listAllowed = c.seesMemberList && r.url === `/networks/${NETWORK.slug}`;
        if (!listAllowed) expect(r.body.includes("Members you can see"), `member list in ${where(r)}`).toBe(false);
      }

      // What members do see, so the absences above are not an accident of an empty page.
      const networkPages = responses.filter((r) => r.url === `/networks/${NETWORK.slug}`);
      for (const r of networkPages) {
        expect(r.body.includes(NETWORK.name), where(r)).toBe(true);
        expect(r.body.includes("Members you can see"), where(r)).toBe(c.seesMemberList);
        expect(r.body.includes(V.name), where(r)).toBe(c.seesV);
      }
      // S is silent: not listed to S either (S's own page says so instead).
      if (c.person === S) {
        for (const r of networkPages) expect(r.body.includes(S.name), where(r)).toBe(false);
      }
      // The page title never says whether the viewer belongs.
      await page.goto(`/networks/${NETWORK.slug}`);
      await expect(page).toHaveTitle(`${NETWORK.name} \u2013 Confide`);
      if (c.person === V) {
        await expect(page.getByRole("region", { name: "Members you can see" }).getByRole("listitem")).toContainText([`${V.name} (you)`]);
      }
    } finally {
      await page.context().close();
    }
  });
}

test("the coordinator console link in a notification is not a way in for non-coordinators", async ({ browser }) => {
  for (const person of [S, V, N, C2, E]) {
    const page = await signedIn(browser, person.email);
    try {
      const response = await page.request.get(new URL(`/networks/${NETWORK.slug}/manage`, BASE_URL).toString());
      expect(response.status(), person.email).toBe(404);
      const body = await response.text();
      expect(body.includes(S.name), person.email).toBe(false);
      expect(body.includes(V.name), person.email).toBe(false);
    } finally {
      await page.context().close();
    }
  }
});

test("replaying S's \u201cleave\u201d request with N's cookies acts on N, not S: S is still a member", async ({ browser }) => {
  const sPage = await signedIn(browser, S.email);
  const nPage = await signedIn(browser, N.email);
  try {
    await sPage.goto(`/networks/${NETWORK.slug}`);
    await waitForHydration(sPage);
    // Capture S's real server-action request and stop it before it reaches the app.
    let captured: { headers: Record<string, string>; body: Buffer | null } | undefined;
    await sPage.route(`**/networks/${NETWORK.slug}`, async (route) => {
      const request = route.request();
      if (request.method() !== "POST") return route.continue();
      captured = { headers: await request.allHeaders(), body: request.postDataBuffer() };
      return route.abort();
    });
    await sPage.getByRole("button", { name: "Leave this network" }).click();
    await expect.poll(() => captured !== undefined).toBe(true);
    const sent = captured!;
    expect(sent.headers["next-action"], "a server action request").toBeTruthy();
    // The request carries the network, never a person.
    const body = sent.body?.toString("utf8") ?? "";
    expect(body).toContain(NETWORK.slug);
    expect(body).not.toContain(userIdOf(S.email));
    const sMembership = membershipOf(S.email);
    expect(sMembership?.status).toBe("active");

    const replay = (page: Page, extra = "") =>
      page.request.post(new URL(`/networks/${NETWORK.slug}`, BASE_URL).toString(), {
        headers: {
          "next-action": sent.headers["next-action"] ?? "",
          "content-type": sent.headers["content-type"] ?? "",
          accept: sent.headers["accept"] ?? "text/x-component",
          "next-router-state-tree": sent.headers["next-router-state-tree"] ?? "",
          origin: BASE_URL,
        },
        data: Buffer.concat([Buffer.from(extra), sent.body ?? Buffer.alloc(0)]),
        maxRedirects: 0,
      });

    const seq = lastAuditSeq();
    // The same request from N: it can only ever mean "N leaves", and N is not a member, so nothing changes.
    const fromN = await replay(nPage);
    expect(fromN.status()).toBe(200);
    const answer = await fromN.text();
    expect(answer).toContain("You are not a member of this network");
    expect(answer.includes(S.name)).toBe(false);
    expect(membershipOf(S.email)).toEqual(sMembership);
    expect(membershipOf(N.email)).toBeUndefined();
    expect(auditEventsAfter(seq).filter((e) => e.object_type === "network_membership")).toEqual([]);

    // A user id smuggled into the form is ignored just the same.
    const boundary = /boundary=(.+)$/.exec(sent.headers["content-type"] ?? "")?.[1];
    expect(boundary, "a multipart form").toBeTruthy();
    const smuggled = ["userId", "user_id", "1_userId", "1_user_id"]
      .map((name) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${userIdOf(S.email)}\r\n`)
      .join("");
    const withUserId = await replay(nPage, smuggled);
    expect(withUserId.status()).toBe(200);
    expect(membershipOf(S.email)).toEqual(sMembership);

    // Control: the very same request with S's own cookies does remove S, so the refusals above are about who sent it.
    const fromS = await replay(sPage);
    expect(fromS.status()).toBe(200);
    expect(membershipOf(S.email)).toBeUndefined();
  } finally {
    await sPage.context().close();
    await nPage.context().close();
    setUp();
  }
});
