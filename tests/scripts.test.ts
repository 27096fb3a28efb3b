import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import Database from "better-sqlite3";

import { ROOT, tempDir, testEnv } from "./helpers";

// The command-line tools run as a person would run them, as separate processes on a real database file.

const TSX = ["--conditions=react-server", "--import", "tsx"];

const validEnv = (databasePath: string): NodeJS.ProcessEnv => ({ ...process.env, ...testEnv(databasePath) });

function run(script: string, args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [...TSX, script, ...args], { cwd: ROOT, env, encoding: "utf8" });
}

function migratedDatabase(): string {
  const file = path.join(tempDir(), "confide.db");
  const result = run("scripts/migrate.ts", [], validEnv(file));
  assert.equal(result.status, 0, result.stderr);
  return file;
}

describe("npm run grant", () => {
  test("grants the Equality Unit role to someone who has not signed in yet, once, and revokes it", () => {
    const file = migratedDatabase();
    const env = validEnv(file);
    for (let i = 0; i < 2; i += 1) {
      const result = run("scripts/grant.ts", ["New.Lead@Example.org", "equality-unit"], env);
      assert.equal(result.status, 0, result.stderr);
    }
    const db = new Database(file);
    const grants = db
      .prepare("SELECT u.email, g.role FROM role_grants g JOIN users u ON u.id = g.user_id")
      .all();
    assert.deepEqual(grants, [{ email: "new.lead@example.org", role: "equality_unit" }]);
    // The second run changes nothing, so only the first is a role change in the audit log.
    const audited = db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'role.granted'").get() as { n: number };
    assert.equal(audited.n, 1);

    assert.equal(run("scripts/grant.ts", ["new.lead@example.org", "equality-unit", "--revoke"], env).status, 0);
    assert.equal((db.prepare("SELECT count(*) AS n FROM role_grants").get() as { n: number }).n, 0);
    db.close();
  });

  test("refuses an unknown role or a missing email and changes nothing", () => {
    const file = migratedDatabase();
    const env = validEnv(file);
    const unknown = run("scripts/grant.ts", ["someone@example.org", "superuser"], env);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown role "superuser"/);
    const missing = run("scripts/grant.ts", [], env);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /Usage: npm run grant/);
    const db = new Database(file);
    assert.equal((db.prepare("SELECT count(*) AS n FROM users").get() as { n: number }).n, 0);
    db.close();
  });
});

describe("npm run backup and restore", () => {
  test("a backup taken while the database is open restores the same data", () => {
    const file = migratedDatabase();
    const env = validEnv(file);
    assert.equal(run("scripts/grant.ts", ["kept@example.org", "equality-unit"], env).status, 0);
    const backupFile = path.join(tempDir(), "backup.db");
    const backup = run("scripts/backup.ts", [backupFile], env);
    assert.equal(backup.status, 0, backup.stderr);
    assert.equal(fs.statSync(backupFile).mode & 0o777, 0o600);

    assert.equal(run("scripts/grant.ts", ["later@example.org", "equality-unit"], env).status, 0);
    const restore = run("scripts/restore.ts", [backupFile, "--force"], env);
    assert.equal(restore.status, 0, restore.stderr);
    const db = new Database(file);
    const emails = db.prepare("SELECT email FROM users ORDER BY email").all();
    assert.deepEqual(emails, [{ email: "kept@example.org" }]);
    db.close();
  });

  test("restore refuses a file that is not a SQLite database", () => {
    const file = migratedDatabase();
    const junk = path.join(tempDir(), "junk.db");
    fs.writeFileSync(junk, "not a database");
    const result = run("scripts/restore.ts", [junk], validEnv(file));
    assert.notEqual(result.status, 0);
  });
});

describe("start-up checks", () => {
  const startup = "require('./lib/startup.ts').startupCheck()";
  const check = (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [...TSX, "-e", startup], { cwd: ROOT, env, encoding: "utf8" });

  test("production refuses the development identity provider and plain http", () => {
    const file = migratedDatabase();
    const result = check({ ...validEnv(file), CONFIDE_ENV: "production", SMTP_URL: "smtp://mail.example:25" });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /AUTH_OIDC_ISSUER: production cannot use the development identity provider/);
    assert.match(result.stderr, /APP_URL: production must be served over https/);
  });

  test("refuses to start without the data key or the client secret", () => {
    const file = migratedDatabase();
    const env = validEnv(file);
    delete env.CONFIDE_DATA_KEY;
    delete env.AUTH_OIDC_SECRET;
    const result = check(env);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /CONFIDE_DATA_KEY/);
    assert.match(result.stderr, /AUTH_OIDC_SECRET/);
  });

  test("refuses a database whose migrations are behind, and starts on a current one", () => {
    const empty = path.join(tempDir(), "empty.db");
    const behind = check(validEnv(empty));
    assert.equal(behind.status, 1);
    assert.match(behind.stderr, /Run npm run db:migrate/);

    const ok = check(validEnv(migratedDatabase()));
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr, /"event":"startup.ok"/);
  });
});
