import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import fc from "fast-check";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { factories } from "./factories";
import { freshDatabase } from "./helpers";

// A network's coordinators edit its page's text (DESIGN, permission matrix: "network page: read/edit" for the
// coordinator of their own network). Everyone else, the Equality Unit included (it has /admin/networks), gets the
// same NotFoundError as for a network that does not exist, and nothing changes; the name, web address, contact
// mailbox and join policy stay the Equality Unit's whatever is sent.

let db: Db;
let make: ReturnType<typeof factories>;
// Imported once the test database is set up, as every integration test does.
let mod: {
  dal: typeof import("@/db/queries/network-console");
  users: typeof import("@/db/queries/users");
  validation: typeof import("@/db/validation/network-console");
  errors: typeof import("@/lib/errors");
};

before(async () => {
  ({ db } = await freshDatabase());
  make = factories(db);
  mod = {
    dal: await import("@/db/queries/network-console"),
    users: await import("@/db/queries/users"),
    validation: await import("@/db/validation/network-console"),
    errors: await import("@/lib/errors"),
  };
});

function viewerFor(userId: string): SessionUser {
  const viewer = mod.users.loadSessionUser(userId);
  assert.ok(viewer, "the user loads");
  return viewer;
}

type NetworkRow = {
  slug: string;
  name: string;
  summary: string;
  description: string;
  who_for: string;
  how_to_join: string;
  offers: string;
  contact_mailbox: string | null;
  join_policy: string;
  status: string;
  updated_at: number | null;
};

const networkRow = (id: string): NetworkRow =>
  db.$client
    .prepare(
      `SELECT slug, name, summary, description, who_for, how_to_join, offers, contact_mailbox, join_policy, status, updated_at
       FROM networks WHERE id = ?`,
    )
    .get(id) as NetworkRow;

/** A network with its coordinator, and everyone the permission matrix says may not edit its page. */
function scenario() {
  const network = make.insertNetwork("Rainbow Network");
  db.$client.prepare("UPDATE networks SET contact_mailbox = 'rainbow@example.org' WHERE id = ?").run(network.id);
  const other = make.insertNetwork("Other Network");
  const coordinator = make.insertUser("Cora Coordinator");
  make.addCoordinator(network.id, coordinator);
  const otherCoordinator = make.insertUser("Otto Othercoordinator");
  make.addCoordinator(other.id, otherCoordinator);
  const member = make.insertUser("Vera Visible");
  db.$client
    .prepare("INSERT INTO network_memberships (id, network_id, user_id, status, visibility) VALUES (?, ?, ?, 'active', 'visible')")
    .run(crypto.randomUUID(), network.id, member);
  const equalityUnit = make.insertUser("Eva Equality");
  db.$client.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(equalityUnit);
  const staff = make.insertUser("Sid Staff");
  return {
    network,
    other,
    coordinator,
    refused: () => ({
      "coordinator of another network": viewerFor(otherCoordinator),
      member: viewerFor(member),
      "Equality Unit": viewerFor(equalityUnit),
      "other staff": viewerFor(staff),
    }),
  };
}

const TEXT = {
  summary: "A new summary.",
  description: "A new description.\nIn two paragraphs.",
  whoFor: "Everyone who wants to come.",
  howToJoin: "Ask to join on this page.",
  offers: "Coffee mornings.",
};

function assertNotFound(work: () => unknown, message: string): void {
  assert.throws(work, (error: unknown) => error instanceof mod.errors.NotFoundError, message);
}

describe("a coordinator edits their network's page", () => {
  test("reads the page's text and saves a change to it, audited as network.updated by the coordinator", () => {
    const s = scenario();
    const coordinator = viewerFor(s.coordinator);
    const loaded = mod.dal.getNetworkPageText(coordinator, s.network.slug);
    assert.deepEqual(loaded, {
      id: s.network.id,
      slug: s.network.slug,
      name: "Rainbow Network",
      joinPolicy: "approval",
      text: { summary: "summary", description: "description", whoFor: "who for", howToJoin: "how to join", offers: "" },
    });

    const seq = make.lastSeq();
    const result = mod.dal.updateNetworkPage(coordinator, { networkId: s.network.id, ...TEXT });
    assert.deepEqual(result, { slug: s.network.slug });
    const row = networkRow(s.network.id);
    assert.deepEqual(
      [row.summary, row.description, row.who_for, row.how_to_join, row.offers],
      [TEXT.summary, TEXT.description, TEXT.whoFor, TEXT.howToJoin, TEXT.offers],
    );
    assert.ok(row.updated_at, "the change is dated");
    assert.deepEqual(
      make.auditSince(seq).map((e) => [e.actor_id, e.action, e.object_type, e.object_id, e.outcome]),
      [[s.coordinator, "network.updated", "network", s.network.id, "success"]],
    );
    assert.deepEqual(mod.dal.getNetworkPageText(coordinator, s.network.slug).text, TEXT);
  });

  test("the name, web address, contact mailbox and join policy cannot be changed through it, whatever is sent", () => {
    const s = scenario();
    const before = networkRow(s.network.id);
    // As a hand-made post would arrive: the schema drops what is not the page's text...
    const parsed = mod.validation.NetworkPageInput.parse({
      networkId: s.network.id,
      ...TEXT,
      name: "Renamed",
      slug: "renamed",
      contactMailbox: "someone@example.org",
      joinPolicy: "open",
      status: "archived",
    });
    assert.deepEqual(Object.keys(parsed).sort(), ["description", "howToJoin", "networkId", "offers", "summary", "whoFor"]);
    // ...and the data access layer names its columns, so a caller that passes more changes no more.
    const posted = { ...parsed, name: "Renamed", slug: "renamed", contactMailbox: "someone@example.org", joinPolicy: "open", status: "archived" };
    mod.dal.updateNetworkPage(viewerFor(s.coordinator), posted);
    const after = networkRow(s.network.id);
    assert.deepEqual(
      [after.name, after.slug, after.contact_mailbox, after.join_policy, after.status],
      [before.name, before.slug, before.contact_mailbox, before.join_policy, before.status],
    );
    assert.equal(after.summary, TEXT.summary);
  });

  test("everyone else gets NotFoundError, reading or writing, and no row or audit event changes", () => {
    const s = scenario();
    const before = { network: networkRow(s.network.id), other: networkRow(s.other.id) };
    const seq = make.lastSeq();
    for (const [who, viewer] of Object.entries(s.refused())) {
      assertNotFound(() => mod.dal.getNetworkPageText(viewer, s.network.slug), `${who}: read`);
      assertNotFound(() => mod.dal.updateNetworkPage(viewer, { networkId: s.network.id, ...TEXT }), `${who}: write`);
    }
    // The other network's coordinator through their own network's address, and this one's through the other's id.
    assertNotFound(() => mod.dal.getNetworkPageText(viewerFor(s.coordinator), s.other.slug), "the other network, read");
    assertNotFound(() => mod.dal.updateNetworkPage(viewerFor(s.coordinator), { networkId: s.other.id, ...TEXT }), "the other network, write");
    assertNotFound(
      () => mod.dal.updateNetworkPage(viewerFor(s.coordinator), { networkId: crypto.randomUUID(), ...TEXT }),
      "a network that does not exist",
    );
    assert.deepEqual({ network: networkRow(s.network.id), other: networkRow(s.other.id) }, before);
    assert.deepEqual(make.auditSince(seq), []);
  });

  test("an archived network's page cannot be edited, even by its coordinator; nor by a former coordinator", () => {
    const s = scenario();
    const coordinator = viewerFor(s.coordinator);
    db.$client.prepare("UPDATE networks SET status = 'archived' WHERE id = ?").run(s.network.id);
    const archived = networkRow(s.network.id);
    assertNotFound(() => mod.dal.getNetworkPageText(coordinator, s.network.slug), "archived: read");
    assertNotFound(() => mod.dal.updateNetworkPage(coordinator, { networkId: s.network.id, ...TEXT }), "archived: write");
    assert.deepEqual(networkRow(s.network.id), archived);

    db.$client.prepare("UPDATE networks SET status = 'active' WHERE id = ?").run(s.network.id);
    db.$client.prepare("DELETE FROM network_coordinators WHERE network_id = ? AND user_id = ?").run(s.network.id, s.coordinator);
    assertNotFound(() => mod.dal.updateNetworkPage(coordinator, { networkId: s.network.id, ...TEXT }), "former coordinator");
    assert.equal(networkRow(s.network.id).summary, archived.summary);
  });
});

describe("the edit form's schema", () => {
  test("keeps the Equality Unit's rules and messages for the page's text", () => {
    const refused = mod.validation.NetworkPageInput.safeParse({ networkId: crypto.randomUUID(), ...TEXT, summary: "  ", offers: "x".repeat(2001) });
    assert.equal(refused.success, false);
    const fieldErrors = refused.error ? Object.fromEntries(refused.error.issues.map((issue) => [issue.path.join("."), issue.message])) : {};
    assert.deepEqual(fieldErrors, {
      summary: "Enter a short summary",
      offers: "What it offers must be 2,000 characters or fewer",
    });
    // Line breaks count once, as people see them.
    const parsed = mod.validation.NetworkPageInput.parse({ networkId: crypto.randomUUID(), ...TEXT, description: "One\r\nTwo" });
    assert.equal(parsed.description, "One\nTwo");
  });

  test("whatever is posted, only the page's text and a well-formed network id come out (1,000 runs)", () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    console.log(`network page schema: seed ${seed} (replay: FUZZ_SEED=${seed})`);
    const anything = fc.oneof(fc.string(), fc.string({ unit: "binary", maxLength: 400 }), fc.integer(), fc.constant(null), fc.array(fc.string()));
    fc.assert(
      fc.property(
        fc.record({
          networkId: fc.oneof(fc.uuid(), anything),
          summary: anything,
          description: anything,
          whoFor: anything,
          howToJoin: anything,
          offers: anything,
          name: anything,
          slug: anything,
          contactMailbox: anything,
          joinPolicy: anything,
        }),
        (posted) => {
          const parsed = mod.validation.NetworkPageInput.safeParse(posted);
          if (!parsed.success) return;
          assert.deepEqual(Object.keys(parsed.data).sort(), ["description", "howToJoin", "networkId", "offers", "summary", "whoFor"]);
        },
      ),
      { numRuns: 1000, seed },
    );
  });
});
