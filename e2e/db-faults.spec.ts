import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { Page } from "@playwright/test";
import Database from "better-sqlite3";

import { appProcessEnv, BASE_URL, expect, signedIn, test, testDb } from "./fixtures";
import { waitForHydration } from "./helpers";

// Issue 9, item 7: what a person sees when the database refuses to save. The run's server and database are shared
// with every other journey, so this spec starts a server of its own (the same production build and configuration)
// on a copy of the run's database, on a port of this slot's range, and makes that copy refuse writes by holding
// its write lock past busy_timeout (5 s), which a running server meets when another process (a backup, the
// maintenance job) keeps the lock too long. Kit Fault, this spec's alone, signs in through the run's own identity
// provider on the run's server; the copy then holds Kit's session, and the browser sends the session cookie to the
// second server too, as cookies on localhost ignore the port.
//
// A read-only or full disk cannot be arranged under a running server without root (a file's mode is checked when
// it is opened, and the server opens the database at start-up; and a server started on a read-only file stops at
// start-up, as lib/startup.ts writes); tests/db-faults.test.ts shows that those refusals take the same path, as a
// ServiceUnavailableError from db/client.ts.
//
// With JavaScript only: without it, Next.js answers any error thrown by a server action with a bare "Internal
// Server Error", before any error page of ours can run; only an action that returns its form state can do better.

const KIT = "kit.fault@example.org";
const PORT = Number(new URL(BASE_URL).port) + 5;
const OWN_URL = `http://localhost:${PORT}`;
const ROOT = path.resolve(__dirname, "..");
// As scripts/lib.ts's nextStartArgs starts the run's server (that module cannot be loaded by Playwright).
const NEXT_START = ["--max-old-space-size=256", path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(PORT)];
const MESSAGE = "Confide cannot save changes at the moment. Nothing was saved. Try again later.";

test.describe.configure({ mode: "serial", timeout: 120_000 });

type Server = { child: ChildProcess; output: string[]; copy: string };

async function startOwnServer(): Promise<Server> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "confide-db-faults-"));
  const copy = path.join(dir, "confide.db");
  const source = testDb();
  try {
    await source.backup(copy);
  } finally {
    source.close();
  }
  const env = { ...appProcessEnv(), DATABASE_PATH: copy, APP_URL: OWN_URL, AUTH_URL: OWN_URL, PORT: String(PORT) };
  const child = spawn(process.execPath, NEXT_START, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const server = { child, output, copy };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server stopped:\n${output.join("")}`);
    const health = await fetch(`${OWN_URL}/api/health`).catch(() => undefined);
    if (health?.ok) return server;
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output.join("")}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stopOwnServer(server: Server): Promise<void> {
  if (server.child.exitCode === null) {
    const exited = new Promise((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGTERM");
    await exited;
  }
  fs.rmSync(path.dirname(server.copy), { recursive: true, force: true });
}

// What a refused write could have left, in any table: feedback, its rate-limit count, an audit event.
function counts(db: Database.Database): Record<string, number> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((name) => [name, db.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number]));
}

async function expectCannotSave(page: Page): Promise<void> {
  // The action waits busy_timeout (5 s) for the lock before it gives up.
  await expect(page.getByRole("heading", { level: 1, name: "Sorry, there is a problem with the service" })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText(MESSAGE)).toBeVisible();
  await expect(page.locator("p", { hasText: "give them this reference" }).locator("strong")).toHaveText(/^[0-9A-F]{8}$/);
  // No internals: not the database's words, not its codes, not what was typed.
  const text = (await page.locator("body").innerText()).toLowerCase();
  for (const internal of ["sqlite", "database", "busy", "stack", "digest", "unavailable-"]) expect(text).not.toContain(internal);
}

test("when the database refuses to save, Kit is told plainly that nothing was saved, and nothing is", async ({ browser }) => {
  // Signed in on the run's server, through the run's identity provider, before the copy is made.
  const kit = await signedIn(browser, KIT, "/feedback");
  const server = await startOwnServer();
  const holder = new Database(server.copy);
  try {
    await kit.goto(`${OWN_URL}/feedback`);
    await expect(kit).toHaveURL(`${OWN_URL}/feedback`);
    await waitForHydration(kit);
    const before = counts(holder);

    // Another process holds the write lock for longer than the server will wait.
    holder.exec("BEGIN IMMEDIATE");
    const marker = `DB-FAULT-${randomUUID()}`;
    await kit.getByLabel("Your feedback", { exact: true }).fill(`The search could be quicker. ${marker}`);
    await kit.getByRole("button", { name: "Send feedback" }).click();
    await expectCannotSave(kit);
    await expect(kit.locator("body")).not.toContainText(marker);

    holder.exec("ROLLBACK");
    expect(counts(holder)).toEqual(before);
    expect(holder.prepare("SELECT count(*) FROM feedback f JOIN users u ON u.id = f.user_id WHERE u.email = ?").pluck().get(KIT)).toBe(0);

    // Once the lock is released, trying again works: the message was true.
    await kit.goto(`${OWN_URL}/feedback`);
    await waitForHydration(kit);
    await kit.getByLabel("Your feedback", { exact: true }).fill(`Sent once the database was free. ${marker}`);
    await kit.getByRole("button", { name: "Send feedback" }).click();
    await expect(kit).toHaveURL(`${OWN_URL}/feedback/sent`);
    expect(counts(holder).feedback).toBe((before.feedback ?? 0) + 1);
  } finally {
    if (holder.inTransaction) holder.exec("ROLLBACK");
    holder.close();
    await stopOwnServer(server);
    await kit.context().close();
  }
});
