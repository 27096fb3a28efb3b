import { randomUUID } from "node:crypto";

import type { Db } from "@/db/client";

// Rows for integration tests, written with plain SQL so that the code under test is the only Drizzle query in
// play. Every test builds its own people and networks, so tests do not depend on each other's order.

export type AuditRow = {
  seq: number;
  actor_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string;
};

export function factories(db: Db) {
  return {
    insertUser(name: string | null, options: { deactivated?: boolean; email?: string } = {}): string {
      const id = randomUUID();
      db.$client
        .prepare("INSERT INTO users (id, email, name, deactivated_at) VALUES (?, ?, ?, ?)")
        .run(id, options.email ?? `${randomUUID()}@example.org`, name, options.deactivated ? Date.now() : null);
      return id;
    },

    insertNetwork(name = "Test Network", status: "active" | "archived" = "active"): { id: string; slug: string; name: string } {
      const id = randomUUID();
      const slug = `net-${id.slice(0, 8)}`;
      db.$client
        .prepare(
          `INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join, status)
           VALUES (?, ?, ?, 'summary', 'description', 'who for', 'how to join', ?)`,
        )
        .run(id, slug, name, status);
      return { id, slug, name };
    },

    addCoordinator(networkId: string, userId: string): void {
      db.$client.prepare("INSERT INTO network_coordinators (network_id, user_id) VALUES (?, ?)").run(networkId, userId);
    },

    lastSeq: (): number =>
      (db.$client.prepare("SELECT coalesce(max(seq), 0) AS s FROM audit_events").get() as { s: number }).s,

    auditSince: (seq: number): AuditRow[] =>
      db.$client
        .prepare("SELECT seq, actor_id, action, object_type, object_id, outcome FROM audit_events WHERE seq > ? ORDER BY seq")
        .all(seq) as AuditRow[],
  };
}
