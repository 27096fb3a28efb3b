import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import type { ScaleManifest, ScaleSize } from "../scripts/scale";
import { setTestEnv, tempDir } from "./helpers";

// The benchmark's synthetic data (npm run seed:scale) at a tiny size: the shape the bench relies on, repeatable,
// consistent, and readable by the app's own data access layer with the same key.

const TINY: ScaleSize = { staff: 300, supporters: 20, networks: 5, memberships: 400, bigNetworkMembers: 120, requests: 600, messages: 1_000 };

let file: string;
let manifest: ScaleManifest;
let db: Db;
let scale: typeof import("../scripts/scale");

before(async () => {
  file = setTestEnv();
  scale = await import("../scripts/scale");
  manifest = scale.seedScale(file, TINY, new Date(), () => {});
  ({ db } = await import("@/db/client"));
});

const count = (sql: string, ...args: unknown[]) => db.$client.prepare(sql).pluck().get(...args) as number;

describe("seed:scale", () => {
  test("writes the asked-for number of rows, with consistent references", () => {
    assert.equal(count("SELECT count(*) FROM users"), TINY.staff);
    assert.equal(count("SELECT count(*) FROM supporters"), TINY.supporters);
    assert.equal(count("SELECT count(*) FROM networks"), TINY.networks);
    assert.equal(count("SELECT count(*) FROM network_memberships"), TINY.memberships);
    assert.equal(count("SELECT count(*) FROM support_requests"), TINY.requests);
    assert.equal(count("SELECT count(*) FROM request_messages"), TINY.messages);
    assert.deepEqual(db.$client.prepare("PRAGMA foreign_key_check").all(), []);
    assert.equal(db.$client.pragma("journal_mode", { simple: true }), "wal");
    // No supporter holds more open requests than their capacity.
    assert.equal(
      count(`SELECT count(*) FROM supporters s WHERE capacity < (SELECT count(*) FROM support_requests r
             WHERE r.supporter_id = s.id AND r.status IN ('new', 'acknowledged', 'in_progress', 'handover_pending'))`),
      0,
    );
  });

  test("gives the benchmark its people: a busy supporter, a 200-message conversation, a big network, the Equality Unit", async () => {
    assert.equal(count("SELECT count(*) FROM request_messages WHERE request_id = ?", manifest.conversationId), 200);
    assert.ok(count("SELECT count(*) FROM support_requests WHERE supporter_user_id = ?", manifest.supporter.userId) > TINY.requests / 20);
    assert.equal(count("SELECT count(*) FROM network_memberships m JOIN networks n ON n.id = m.network_id WHERE n.slug = ?", manifest.bigNetworkSlug), TINY.bigNetworkMembers);
    assert.equal(count("SELECT count(*) FROM network_coordinators c JOIN networks n ON n.id = c.network_id WHERE n.slug = ? AND c.user_id = ?", manifest.bigNetworkSlug, manifest.coordinator.userId), 1);
    assert.equal(count("SELECT count(*) FROM role_grants WHERE user_id = ? AND role = 'equality_unit'", manifest.equalityUnit.userId), 1);

    // The app reads the seeded, encrypted conversation with its own key and permission rules.
    const { loadSessionUser } = await import("@/db/queries/users");
    const { getRequestForViewer } = await import("@/db/queries/requests");
    const requester = loadSessionUser(manifest.requester.userId);
    assert.ok(requester);
    const view = getRequestForViewer(requester, manifest.conversationId);
    assert.equal(view.messagePage.total, 200);
    assert.equal(view.messages.length, 50);
    assert.match(view.messages[0]?.body ?? "", /Thank you/);
    const supporter = loadSessionUser(manifest.supporter.userId);
    assert.equal(supporter?.supporterId, manifest.supporter.supporterId);
  });

  test("builds the same database every time", () => {
    const again = scale.seedScale(path.join(tempDir(), "again.db"), TINY, new Date(), () => {});
    assert.deepEqual(again, manifest);
  });
});
