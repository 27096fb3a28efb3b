import { randomUUID } from "node:crypto";

import type { APIRequestContext, Browser, PlaywrightWorkerArgs } from "@playwright/test";

import { BASE_URL, expect, PEOPLE, signedIn } from "../fixtures";
import { withDb } from "../helpers";
import { sendRequest, userIdOf } from "../request-helpers";
import type { World } from "./matrix-world";

// The world the fuzzing properties (e2e/fuzz.spec.ts) run in.
//
// The callers, signed in for real through the dev IdP (reserved for this spec):
//   fuzz.one  staff, the requester of one request to fuzz.two, a visible member of fuzz.two's network
//   fuzz.two  on the roster, and the coordinator of a network of this spec's own
// so that hostile input reaches past the permission checks into each role's validation and writes.
//
// Other people, made here and never signed in as (their rows are this spec's own, so that nothing else changes
// them while the property runs, and any change to them is the fuzzing's doing):
//   v.requester asks v.supporter for support (a request with a message); v.coordinator runs the victims' network,
//   with a visible, a silent and a pending member, and an announcement; a pending request to join fuzz.two's
//   network (which fuzz.two may legitimately decide: it is in the caller's scope).

export const FUZZ_ACCOUNTS = ["fuzz.one@example.org", "fuzz.two@example.org"] as const;

export type FuzzWorld = {
  tag: string;
  fuzzOne: string;
  fuzzTwo: string;
  /** fuzz.two's supporter profile, fuzz.one's request to it, fuzz.two's network and fuzz.one's membership there. */
  own: { supporterId: string; requestId: string; networkId: string; slug: string; membershipId: string; pendingMembershipId: string };
  /** Other people's rows: never the callers' to change. */
  victims: {
    userIds: string[];
    supporterId: string;
    requestId: string;
    networkId: string;
    slug: string;
    membershipIds: string[];
    announcementId: string;
  };
  /** Seeded people's ids: targets for the actions (only the Equality Unit's take a user id). */
  seededUsers: string[];
  /** Seeded people's, Sam's supporter profile's and the LGBT+ Network's ids and slug: read-only targets for the routes. */
  seeded: string[];
};

export type FuzzSessions = { one: APIRequestContext; two: APIRequestContext; out: APIRequestContext; close: () => Promise<void> };

/** Signs both fuzz accounts in through the IdP's form once, then keeps only plain request contexts with their cookies. */
export async function signInFuzzAccounts(browser: Browser, playwright: PlaywrightWorkerArgs["playwright"]): Promise<FuzzSessions> {
  const [one, two] = await Promise.all(
    FUZZ_ACCOUNTS.map(async (email) => {
      const page = await signedIn(browser, email, "/help");
      const storageState = await page.context().storageState();
      await page.context().close();
      return playwright.request.newContext({ baseURL: BASE_URL, storageState });
    }),
  );
  const out = await playwright.request.newContext({ baseURL: BASE_URL });
  if (!one || !two) throw new Error("the fuzz accounts did not sign in");
  return {
    one,
    two,
    out,
    close: async () => {
      await Promise.all([one.dispose(), two.dispose(), out.dispose()]);
    },
  };
}

function insertPerson(label: string, tag: string): { id: string; email: string } {
  const id = randomUUID();
  const email = `fuzz.victim.${label}.${tag}@example.org`;
  withDb((db) =>
    db.prepare("INSERT INTO users (id, email, name, department, site) VALUES (?, ?, ?, 'Fuzz', 'Force HQ')").run(id, email, `Victim ${label} ${tag}`),
  );
  return { id, email };
}

function putOnRoster(userId: string): string {
  return withDb((db) => {
    const existing = db.prepare("SELECT id FROM supporters WHERE user_id = ?").pluck().get(userId) as string | undefined;
    const id = existing ?? randomUUID();
    if (existing) {
      db.prepare("UPDATE supporters SET status = 'active', paused_until = NULL, capacity = 50 WHERE id = ?").run(id);
    } else {
      db.prepare(
        `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, capacity)
         VALUES (?, ?, 'active', 'Police Constable', 'Force HQ', '2026-01-01', '2099-01-01', 50)`,
      ).run(id, userId);
    }
    db.prepare("INSERT OR IGNORE INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'contact_method', 'in_app')").run(id);
    return id;
  });
}

function insertNetwork(slug: string, coordinatorId: string): string {
  const id = randomUUID();
  withDb((db) => {
    db.prepare(
      `INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join, join_policy, status)
       VALUES (?, ?, ?, 'A network for the fuzzing.', 'Made by the fuzzing.', 'Nobody in particular.', 'Ask to join.', 'approval', 'active')`,
    ).run(id, slug, `Fuzz ${slug}`);
    db.prepare("INSERT INTO network_coordinators (network_id, user_id) VALUES (?, ?)").run(id, coordinatorId);
  });
  return id;
}

function insertMembership(networkId: string, userId: string, status: "active" | "pending", visibility: "visible" | "silent"): string {
  const id = randomUUID();
  withDb((db) =>
    db
      .prepare("INSERT INTO network_memberships (id, network_id, user_id, status, visibility, decided_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(id, networkId, userId, status, visibility, status === "active" ? Date.now() : null),
  );
  return id;
}

/** Builds the world; call after the fuzz accounts have signed in (their user rows exist from then on). */
export function buildFuzzWorld(): FuzzWorld {
  const tag = randomUUID().slice(0, 8);
  const fuzzOne = userIdOf(FUZZ_ACCOUNTS[0]);
  const fuzzTwo = userIdOf(FUZZ_ACCOUNTS[1]);
  expect(fuzzOne && fuzzTwo, "the fuzz accounts have signed in").toBeTruthy();

  const ownSupporter = putOnRoster(fuzzTwo);
  const ownRequest = sendRequest({
    requester: FUZZ_ACCOUNTS[0],
    supporter: FUZZ_ACCOUNTS[1],
    message: "A request between the two fuzz accounts.",
    category: "wellbeing",
    replies: [{ from: "supporter", body: "A reply from the supporter." }],
  });
  const ownSlug = `fuzz-own-${tag}`;
  const ownNetwork = insertNetwork(ownSlug, fuzzTwo);
  const ownMembership = insertMembership(ownNetwork, fuzzOne, "active", "visible");

  const requester = insertPerson("requester", tag);
  const supporter = insertPerson("supporter", tag);
  const coordinator = insertPerson("coordinator", tag);
  const visible = insertPerson("visible", tag);
  const silent = insertPerson("silent", tag);
  const pending = insertPerson("pending", tag);
  const asking = insertPerson("asking", tag);
  const victimSupporter = putOnRoster(supporter.id);
  const victimRequest = sendRequest({
    requester: requester.email,
    supporter: supporter.email,
    message: "A request between two other people.",
    category: "discrimination",
    replies: [{ from: "requester", body: "More detail only they may read." }],
  });
  const victimSlug = `fuzz-victims-${tag}`;
  const victimNetwork = insertNetwork(victimSlug, coordinator.id);
  const membershipIds = [
    insertMembership(victimNetwork, visible.id, "active", "visible"),
    insertMembership(victimNetwork, silent.id, "active", "silent"),
    insertMembership(victimNetwork, pending.id, "pending", "silent"),
  ];
  const announcementId = randomUUID();
  withDb((db) =>
    db
      .prepare("INSERT INTO network_announcements (id, network_id, author_id, title, body) VALUES (?, ?, ?, 'For members', 'Hello.')")
      .run(announcementId, victimNetwork, coordinator.id),
  );
  // Someone asking to join fuzz.two's network: fuzz.two may decide it (in scope), nobody else may.
  const pendingMembershipId = insertMembership(ownNetwork, asking.id, "pending", "silent");

  const seededUsers = withDb(
    (db) =>
      db.prepare("SELECT id FROM users WHERE lower(email) IN (?, ?, ?, ?)").pluck().all(PEOPLE.staff, PEOPLE.supporter, PEOPLE.coordinator, PEOPLE.equalityUnit) as string[],
  );
  const seeded = withDb((db) => [
    ...seededUsers,
    ...(db.prepare("SELECT s.id FROM supporters s JOIN users u ON u.id = s.user_id WHERE lower(u.email) = ?").pluck().all(PEOPLE.supporter) as string[]),
    ...(db.prepare("SELECT id FROM networks WHERE slug = 'lgbt-plus-network'").pluck().all() as string[]),
    "lgbt-plus-network",
  ]);

  return {
    tag,
    fuzzOne,
    fuzzTwo,
    own: { supporterId: ownSupporter, requestId: ownRequest, networkId: ownNetwork, slug: ownSlug, membershipId: ownMembership, pendingMembershipId },
    victims: {
      userIds: [requester.id, supporter.id, coordinator.id, visible.id, silent.id, pending.id],
      supporterId: victimSupporter,
      requestId: victimRequest,
      networkId: victimNetwork,
      slug: victimSlug,
      membershipIds,
      announcementId,
    },
    seededUsers,
    seeded,
  };
}

/** Every id (and slug) of other people's rows made here: a change to a row that mentions one is the fuzzing's. */
export function victimIds(w: FuzzWorld): string[] {
  const v = w.victims;
  return [...v.userIds, v.supporterId, v.requestId, v.networkId, v.slug, ...v.membershipIds, v.announcementId];
}

/**
 * The callers' scope once the property has run: their user ids, fuzz.two's profile and network, and every request
 * either of them is a party to (including any the fuzzing sent). A row that mentions one of these is theirs to change.
 */
export function scopeIds(w: FuzzWorld): string[] {
  const ids = withDb((db) => [
    ...(db
      .prepare("SELECT id FROM support_requests WHERE requester_id IN (?, ?) OR supporter_user_id IN (?, ?)")
      .pluck()
      .all(w.fuzzOne, w.fuzzTwo, w.fuzzOne, w.fuzzTwo) as string[]),
    ...(db.prepare("SELECT id FROM network_memberships WHERE user_id IN (?, ?) OR network_id = ?").pluck().all(w.fuzzOne, w.fuzzTwo, w.own.networkId) as string[]),
    ...(db.prepare("SELECT id FROM feedback WHERE user_id IN (?, ?)").pluck().all(w.fuzzOne, w.fuzzTwo) as string[]),
  ]);
  return [w.fuzzOne, w.fuzzTwo, w.own.supporterId, w.own.networkId, w.own.slug, ...ids];
}

/** The address and form ids the matrix's probes expect, pointed at the fuzz world (own rows, or other people's). */
export function asMatrixWorld(w: FuzzWorld, victims: boolean): World {
  const v = w.victims;
  const ids = (one: string, other: string) => (victims ? other : one);
  return {
    tag: w.tag,
    network: { id: ids(w.own.networkId, v.networkId), slug: ids(w.own.slug, v.slug), name: "Fuzz" },
    spare: { id: ids(w.own.networkId, v.networkId), slug: ids(w.own.slug, v.slug), coordinatorId: ids(w.fuzzTwo, v.userIds[2] ?? "") },
    requestId: ids(w.own.requestId, v.requestId),
    supporterId: ids(w.own.supporterId, v.supporterId),
    otherSupporterId: ids(v.supporterId, w.own.supporterId),
    userIds: {
      staff: w.fuzzOne,
      req: ids(w.fuzzOne, v.userIds[0] ?? ""),
      asup: ids(w.fuzzTwo, v.userIds[1] ?? ""),
      osup: v.userIds[1] ?? "",
      mem: ids(w.fuzzOne, v.userIds[3] ?? ""),
      silent: v.userIds[4] ?? "",
      coord: ids(w.fuzzTwo, v.userIds[2] ?? ""),
      coord2: v.userIds[2] ?? "",
      eu: v.userIds[5] ?? "",
    },
    memberMembershipId: ids(w.own.membershipId, v.membershipIds[0] ?? ""),
    silentMembershipId: v.membershipIds[1] ?? "",
    pendingToDecline: { userId: "", membershipId: ids(w.own.pendingMembershipId, v.membershipIds[2] ?? "") },
    pendingToApprove: { userId: "", membershipId: ids(w.own.pendingMembershipId, v.membershipIds[2] ?? "") },
    bystanderId: v.userIds[0] ?? "",
    importId: randomUUID(),
    feedbackId: randomUUID(),
    marker: "",
  };
}

/** Puts the shared database back: this spec's people, networks and requests go, fuzz.two leaves the roster. */
export function tearDownFuzzWorld(w: FuzzWorld | undefined): void {
  if (!w) return;
  withDb((db) =>
    db.transaction(() => {
      const parties = [w.fuzzOne, w.fuzzTwo, ...w.victims.userIds];
      const marks = parties.map(() => "?").join(", ");
      db.prepare(`DELETE FROM support_requests WHERE requester_id IN (${marks}) OR supporter_user_id IN (${marks})`).run(...parties, ...parties);
      db.prepare("DELETE FROM networks WHERE id IN (?, ?)").run(w.own.networkId, w.victims.networkId);
      // Anything the fuzz accounts joined or asked to join elsewhere.
      db.prepare("DELETE FROM network_memberships WHERE user_id IN (?, ?)").run(w.fuzzOne, w.fuzzTwo);
      db.prepare("DELETE FROM supporters WHERE id = ?").run(w.own.supporterId);
      db.prepare(`DELETE FROM users WHERE id IN (${w.victims.userIds.map(() => "?").join(", ")})`).run(...w.victims.userIds);
    })(),
  );
}
