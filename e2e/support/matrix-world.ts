import { randomUUID } from "node:crypto";

import type { APIRequestContext, Browser, BrowserContext, PlaywrightWorkerArgs } from "@playwright/test";

import type { Pov } from "../permission-matrix";
import { BASE_URL, expect, PEOPLE, signedIn } from "../fixtures";
import { withDb } from "../helpers";
import { sendRequest, supporterIdOf, userIdOf } from "../request-helpers";

// The world the permission matrix is driven against (e2e/permission-matrix.spec.ts), set up once.
//
// Our own accounts (reserved for this spec) play the parts that need rows of their own:
//   nina  the requester, with one request to omar      omar  the assigned supporter (put on the roster here)
//   pia   coordinator of the network made here          quinn a visible member    rae a silent member
// Seeded people play the parts that only look, and only ever get refusals, validation messages or changes to
// their own notifications' read marks:
//   staff  Leah Murphy (no part in anything here)      osup   Sam Patel (a seeded supporter)
//   coord2 Casey Jones (coordinator of the LGBT+ Network) eu   Eve Okafor (the Equality Unit)
// Rows nobody signs in as (made here, owned by this spec): two people asking to join the network, one person the
// Equality Unit marks as a leaver and reinstates, a second network to archive and restore (with its own
// coordinator to remove), a staff import record and a feedback item.

export const ACCOUNTS: Record<Exclude<Pov, "out">, string> = {
  staff: "leah.murphy@example.org",
  req: "nina.matrix@example.org",
  asup: "omar.matrix@example.org",
  osup: PEOPLE.supporter,
  mem: "quinn.matrix@example.org",
  silent: "rae.matrix@example.org",
  coord: "pia.matrix@example.org",
  coord2: PEOPLE.coordinator,
  eu: PEOPLE.equalityUnit,
};

export type World = {
  tag: string;
  network: { id: string; slug: string; name: string };
  /** A second network, for archive/restore and for removing a coordinator. */
  spare: { id: string; slug: string; coordinatorId: string };
  requestId: string;
  supporterId: string;
  otherSupporterId: string;
  userIds: Record<Exclude<Pov, "out">, string>;
  memberMembershipId: string;
  silentMembershipId: string;
  /** Pending requests to join: one the coordinator is shown declining, one they approve. */
  pendingToDecline: { userId: string; membershipId: string };
  pendingToApprove: { userId: string; membershipId: string };
  /** Someone of this spec's own for the staff actions (marked a leaver and reinstated by the Equality Unit). */
  bystanderId: string;
  importId: string;
  feedbackId: string;
  /** What only the request holds: it must reach nobody else. */
  marker: string;
};

export type Sessions = Record<Pov, APIRequestContext>;

/** Signs each point of view in through the dev IdP's form, a browser context each; "out" has no cookies. */
export async function signInEveryone(browser: Browser, playwright: PlaywrightWorkerArgs["playwright"]) {
  const contexts: BrowserContext[] = [];
  const entries = await Promise.all(
    (Object.entries(ACCOUNTS) as [Exclude<Pov, "out">, string][]).map(async ([pov, email]) => {
      const page = await signedIn(browser, email, "/help");
      contexts.push(page.context());
      return [pov, page.context().request] as const;
    }),
  );
  const out = await playwright.request.newContext({ baseURL: BASE_URL });
  const sessions = { out, ...Object.fromEntries(entries) } as Sessions;
  return {
    sessions,
    close: async () => {
      await out.dispose();
      for (const context of contexts) await context.close();
    },
  };
}

function insertPerson(label: string, tag: string): string {
  const id = randomUUID();
  withDb((db) =>
    db.prepare("INSERT INTO users (id, email, name, department, site) VALUES (?, ?, ?, 'Matrix', 'Force HQ')").run(
      id,
      `matrix.${label}.${tag}@example.org`,
      `Matrix ${label} ${tag}`,
    ),
  );
  return id;
}

function insertNetwork(slug: string, name: string): string {
  const id = randomUUID();
  withDb((db) =>
    db
      .prepare(
        `INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join, join_policy, status)
         VALUES (?, ?, ?, 'A network for the permission matrix.', 'Made by the permission matrix journey.',
                 'Nobody in particular.', 'Ask to join.', 'approval', 'active')`,
      )
      .run(id, slug, name),
  );
  return id;
}

function insertMembership(networkId: string, userId: string, status: "active" | "pending", visibility: "visible" | "silent"): string {
  const id = randomUUID();
  withDb((db) =>
    db
      .prepare(
        `INSERT INTO network_memberships (id, network_id, user_id, status, visibility, decided_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(id, networkId, userId, status, visibility, status === "active" ? Date.now() : null),
  );
  return id;
}

/** Everything the cells need. Call after everyone has signed in (their user rows exist from then on). */
export function buildWorld(): World {
  const tag = randomUUID().slice(0, 8);
  const userIds = Object.fromEntries(
    (Object.entries(ACCOUNTS) as [Exclude<Pov, "out">, string][]).map(([pov, email]) => [pov, userIdOf(email)]),
  ) as Record<Exclude<Pov, "out">, string>;
  for (const [pov, id] of Object.entries(userIds)) expect(id, `${pov} has signed in`).toBeTruthy();

  // Omar on the roster, with the in-app contact method the request uses.
  const supporterId = withDb((db) => {
    const existing = db.prepare("SELECT id FROM supporters WHERE user_id = ?").pluck().get(userIds.asup) as string | undefined;
    const id = existing ?? randomUUID();
    if (existing) {
      db.prepare("UPDATE supporters SET status = 'active', paused_until = NULL, capacity = 5 WHERE id = ?").run(id);
    } else {
      db.prepare(
        `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, capacity)
         VALUES (?, ?, 'active', 'Police Constable', 'Force HQ', '2026-01-01', '2099-01-01', 5)`,
      ).run(id, userIds.asup);
      db.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'contact_method', 'in_app')").run(id);
    }
    return id;
  });

  const marker = `MATRIX-${randomUUID()}`;
  const requestId = sendRequest({
    requester: ACCOUNTS.req,
    supporter: ACCOUNTS.asup,
    message: `A request only two people may read. ${marker}`,
    category: "wellbeing",
  });

  const slug = `matrix-network-${tag}`;
  const name = `Matrix Network ${tag}`;
  const networkId = insertNetwork(slug, name);
  withDb((db) => db.prepare("INSERT INTO network_coordinators (network_id, user_id) VALUES (?, ?)").run(networkId, userIds.coord));
  const memberMembershipId = insertMembership(networkId, userIds.mem, "active", "visible");
  const silentMembershipId = insertMembership(networkId, userIds.silent, "active", "silent");
  const declineUser = insertPerson("decline", tag);
  const approveUser = insertPerson("approve", tag);
  const pendingToDecline = { userId: declineUser, membershipId: insertMembership(networkId, declineUser, "pending", "silent") };
  const pendingToApprove = { userId: approveUser, membershipId: insertMembership(networkId, approveUser, "pending", "silent") };

  const spareSlug = `matrix-spare-${tag}`;
  const spareId = insertNetwork(spareSlug, `Matrix Spare ${tag}`);
  const spareCoordinator = insertPerson("spare-coordinator", tag);
  withDb((db) => db.prepare("INSERT INTO network_coordinators (network_id, user_id) VALUES (?, ?)").run(spareId, spareCoordinator));

  const bystanderId = insertPerson("bystander", tag);
  const importId = randomUUID();
  withDb((db) =>
    db
      .prepare("INSERT INTO staff_imports (id, file_name, status, total_rows, processed_rows, created_rows) VALUES (?, ?, 'done', 1, 1, 1)")
      .run(importId, `matrix-${tag}.csv`),
  );

  return {
    tag,
    network: { id: networkId, slug, name },
    spare: { id: spareId, slug: spareSlug, coordinatorId: spareCoordinator },
    requestId,
    supporterId,
    otherSupporterId: supporterIdOf(ACCOUNTS.osup),
    userIds,
    memberMembershipId,
    silentMembershipId,
    pendingToDecline,
    pendingToApprove,
    bystanderId,
    importId,
    feedbackId: "",
    marker,
  };
}

/** The feedback item is sent through the app itself (its text is encrypted), by the requester. */
export function feedbackIdOf(userId: string): string {
  const id = withDb(
    (db) => db.prepare("SELECT id FROM feedback WHERE user_id = ? ORDER BY created_at DESC LIMIT 1").pluck().get(userId) as string | undefined,
  );
  expect(id, "the world's feedback item was sent").toBeTruthy();
  return id ?? "";
}

/** Puts the shared database back as others expect it: this spec's networks and rows go, Omar leaves the roster. */
export function tearDownWorld(world: World | undefined): void {
  if (!world) return;
  withDb((db) =>
    db.transaction(() => {
      db.prepare("DELETE FROM networks WHERE id IN (?, ?)").run(world.network.id, world.spare.id);
      db.prepare("DELETE FROM staff_imports WHERE id = ?").run(world.importId);
      if (world.feedbackId) db.prepare("DELETE FROM feedback WHERE id = ?").run(world.feedbackId);
      // Omar's request has ended (closed, then erased by Nina); he leaves the directory.
      db.prepare("UPDATE supporters SET status = 'retired' WHERE id = ?").run(world.supporterId);
    })(),
  );
}
