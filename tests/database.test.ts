import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { before, describe, test } from "node:test";

import Database from "better-sqlite3";

import type { Db } from "@/db/client";
import { extraDatabase, freshDatabase, tempDir } from "./helpers";

type ClientModule = typeof import("@/db/client");
type MigrateModule = typeof import("@/db/migrate");

let db: Db;
let client: ClientModule;
let migrate: MigrateModule;

before(async () => {
  ({ db } = await freshDatabase());
  client = await import("@/db/client");
  migrate = await import("@/db/migrate");
});

const DOMAIN_TABLES = [
  "users",
  "accounts",
  "sessions",
  "role_grants",
  "networks",
  "network_coordinators",
  "network_memberships",
  "supporters",
  "supporter_attributes",
  "support_requests",
  "request_messages",
  "request_status_events",
  "request_exclusions",
  "notifications",
  "mail_outbox",
  "audit_events",
  "rate_limits",
];

function insertUser(email: string): string {
  const id = randomUUID();
  db.$client.prepare("INSERT INTO users (id, email) VALUES (?, ?)").run(id, email);
  return id;
}

describe("database", () => {
  test("a fresh database has every pragma the design requires", () => {
    const pragma = (name: string): unknown => db.$client.pragma(name, { simple: true });
    assert.equal(pragma("journal_mode"), "wal");
    assert.equal(pragma("synchronous"), 2, "synchronous = FULL");
    assert.equal(pragma("foreign_keys"), 1);
    assert.equal(pragma("busy_timeout"), 5000);
    assert.equal(pragma("secure_delete"), 1);
    assert.deepEqual(client.REQUIRED_PRAGMAS, {
      journal_mode: "wal",
      synchronous: 2,
      foreign_keys: 1,
      busy_timeout: 5000,
      secure_delete: 1,
    });
    assert.doesNotThrow(() => client.checkPragmas(db.$client));
  });

  test("checkPragmas throws on a connection with synchronous=NORMAL", () => {
    const sqlite = new Database(path.join(tempDir(), "weak.db"));
    try {
      sqlite.pragma("journal_mode = WAL");
      sqlite.pragma("synchronous = NORMAL");
      sqlite.pragma("foreign_keys = ON");
      sqlite.pragma("busy_timeout = 5000");
      sqlite.pragma("secure_delete = ON");
      assert.throws(() => client.checkPragmas(sqlite), /synchronous is 1, expected 2/);
      sqlite.pragma("synchronous = FULL");
      assert.doesNotThrow(() => client.checkPragmas(sqlite));
    } finally {
      sqlite.close();
    }
  });

  test("checkPragmas throws on a connection without foreign keys or in rollback-journal mode", () => {
    const sqlite = new Database(path.join(tempDir(), "weak.db"));
    try {
      sqlite.pragma("synchronous = FULL");
      sqlite.pragma("busy_timeout = 5000");
      sqlite.pragma("secure_delete = ON");
      assert.throws(() => client.checkPragmas(sqlite), /journal_mode is delete, expected wal/);
      sqlite.pragma("journal_mode = WAL");
      // better-sqlite3 turns foreign keys on by default; a connection could still turn them off.
      sqlite.pragma("foreign_keys = OFF");
      assert.throws(() => client.checkPragmas(sqlite), /foreign_keys is 0, expected 1/);
    } finally {
      sqlite.close();
    }
  });

  test("migrationsCurrent is current after migrations and not on an empty database", async () => {
    const current = migrate.migrationsCurrent(db);
    assert.equal(current.current, true);
    assert.ok(current.expected > 0, "the journal lists migrations");
    assert.equal(current.applied, current.expected);

    const { db: empty } = await extraDatabase({ migrate: false });
    assert.deepEqual(migrate.migrationsCurrent(empty), { current: false, applied: 0, expected: current.expected });
    migrate.runMigrations(empty);
    assert.equal(migrate.migrationsCurrent(empty).current, true);
  });

  test("the schema has the domain tables", () => {
    const tables = new Set(
      (db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
    const missing = DOMAIN_TABLES.filter((t) => !tables.has(t));
    assert.deepEqual(missing, [], `missing tables: ${missing.join(", ")}`);
  });

  test("the audit log's append-only triggers are installed", () => {
    const triggers = (
      db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    assert.deepEqual(triggers.sort(), ["audit_events_no_delete", "audit_events_no_update"]);
  });

  test("foreign keys are enforced: a session for a missing user is refused", () => {
    assert.throws(
      () =>
        db.$client
          .prepare("INSERT INTO sessions (session_token, user_id, expires) VALUES (?, ?, ?)")
          .run(randomUUID(), "no-such-user", Date.now() + 60_000),
      /FOREIGN KEY constraint failed/,
    );
    const userId = insertUser(`fk-${randomUUID()}@example.org`);
    assert.doesNotThrow(() =>
      db.$client
        .prepare("INSERT INTO sessions (session_token, user_id, expires) VALUES (?, ?, ?)")
        .run(randomUUID(), userId, Date.now() + 60_000),
    );
  });

  test("deleting a user cascades to their sessions", () => {
    const userId = insertUser(`cascade-${randomUUID()}@example.org`);
    db.$client
      .prepare("INSERT INTO sessions (session_token, user_id, expires) VALUES (?, ?, ?)")
      .run(randomUUID(), userId, Date.now() + 60_000);
    db.$client.prepare("DELETE FROM users WHERE id = ?").run(userId);
    const left = db.$client.prepare("SELECT count(*) AS n FROM sessions WHERE user_id = ?").get(userId) as { n: number };
    assert.equal(left.n, 0);
  });

  test("emails are unique case-insensitively (users_email_unique on lower(email))", () => {
    insertUser("Alex.Unique@Example.org");
    assert.throws(() => insertUser("alex.unique@example.org"), /UNIQUE constraint failed/);
    assert.throws(() => insertUser("ALEX.UNIQUE@EXAMPLE.ORG"), /UNIQUE constraint failed/);
    const index = db.$client.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'users_email_unique'").get() as
      | { sql: string }
      | undefined;
    assert.ok(index, "users_email_unique exists");
    assert.match(index.sql, /UNIQUE INDEX/i);
    assert.match(index.sql, /lower\(\s*"?email"?\s*\)/i);
  });
});
