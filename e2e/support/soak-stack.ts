import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { Browser, Page } from "@playwright/test";
import Database from "better-sqlite3";

import { appProcessEnv, BASE_URL, expect } from "../fixtures";
import { portIsClosed } from "./hostile-servers";

// For e2e/soak.spec.ts and e2e/smtp-down.spec.ts: a dev IdP and a `next start` of the run's own build of their own,
// on ports of this run's slot, with a copy of the run's database, so that load, a dead mail server or anything
// else done to them never disturbs the shared app, its database or the timing of other journeys, and the
// server's memory can be measured on its own process tree.
//
// scripts/test.ts gives each slot ten ports and uses the first three (app, IdP, SMTP);
// e2e/support/hostile-servers.ts uses the next two. Each spec here has its own, so both can run at once.

const ROOT = path.resolve(__dirname, "..", "..");
const APP_PORT = Number(new URL(BASE_URL).port);
export const PORTS = {
  smtpDown: { idp: APP_PORT + 5, app: APP_PORT + 6, smtp: APP_PORT + 7 },
  soak: { idp: APP_PORT + 8, app: APP_PORT + 9 },
} as const;

export type OwnServer = { pid: number; output: () => string; stop: () => Promise<void> };

async function runUntilReady(name: string, args: string[], env: NodeJS.ProcessEnv, readyUrl: string): Promise<OwnServer> {
  // Something left over on the port would answer the readiness check in place of the server started here.
  const port = Number(new URL(readyUrl).port);
  if (!(await portIsClosed(port))) throw new Error(`${name}: port ${port} is already in use`);
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const server: OwnServer = { pid: child.pid ?? 0, output: () => output, stop };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} stopped while starting:\n${output}`);
    try {
      if ((await fetch(readyUrl)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`${name} did not start within 30 s:\n${output}`);
}

export type OwnStack = {
  appUrl: string;
  idpUrl: string;
  databasePath: string;
  /** The app's environment, for running its scripts (maintenance) against the same data. */
  env: NodeJS.ProcessEnv;
  app: OwnServer;
  /** Opens the stack's own database copy for one piece of work. */
  withDb: <T>(work: (db: Database.Database) => T) => T;
  stop: () => Promise<void>;
};

/**
 * A dev IdP and the run's build on `ports`, with a copy of the run's database in a folder of its own under the run's
 * data folder. `prepare` runs on the copy before the app starts; `env` adds to the app's environment.
 */
export async function startOwnStack(
  name: string,
  ports: { idp: number; app: number },
  options: { env?: Record<string, string>; prepare?: (db: Database.Database) => void } = {},
): Promise<OwnStack> {
  const runEnv = appProcessEnv();
  const dir = path.join(path.dirname(runEnv.DATABASE_PATH ?? ""), name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const databasePath = path.join(dir, "confide.db");
  const source = new Database(runEnv.DATABASE_PATH ?? "", { readonly: true });
  try {
    await source.backup(databasePath);
  } finally {
    source.close();
  }
  const withDb = <T>(work: (db: Database.Database) => T): T => {
    const db = new Database(databasePath);
    db.pragma("busy_timeout = 5000");
    try {
      return work(db);
    } finally {
      db.close();
    }
  };
  if (options.prepare) withDb(options.prepare);

  const appUrl = `http://localhost:${ports.app}`;
  const idpUrl = `http://localhost:${ports.idp}`;
  const idp = await runUntilReady(
    `${name} IdP`,
    ["--import", "tsx", "dev-idp/server.ts"],
    {
      ...process.env,
      DEV_IDP_PORT: String(ports.idp),
      DEV_IDP_ISSUER: idpUrl,
      DEV_IDP_APP_URL: appUrl,
      DEV_IDP_ACCOUNTS_FILE: path.join(ROOT, "e2e", "accounts.json"),
    },
    `${idpUrl}/.well-known/openid-configuration`,
  );
  const env: NodeJS.ProcessEnv = {
    ...runEnv,
    APP_URL: appUrl,
    AUTH_URL: appUrl,
    AUTH_OIDC_ISSUER: idpUrl,
    DATABASE_PATH: databasePath,
    MAIL_OUTBOX_DIR: path.join(dir, "outbox"),
    PORT: String(ports.app),
    ...options.env,
  };
  let app: OwnServer;
  try {
    const next = path.join(ROOT, "node_modules/next/dist/bin/next");
    app = await runUntilReady(`${name} app`, [next, "start", "-p", String(ports.app)], env, `${appUrl}/api/health`);
  } catch (error) {
    await idp.stop();
    throw error;
  }
  return {
    appUrl,
    idpUrl,
    databasePath,
    env,
    app,
    withDb,
    stop: async () => {
      await app.stop();
      await idp.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs someone in to the stack's app through its own IdP's form, in a browser context of their own. */
export async function signInTo(stack: OwnStack, browser: Browser, email: string, pathname = "/", javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.appUrl, javaScriptEnabled });
  const page = await context.newPage();
  await page.goto(`${stack.appUrl}${pathname}`);
  await expect(page).toHaveURL((url) => url.origin === stack.idpUrl);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.origin === stack.appUrl);
  await expect(page).toHaveURL((url) => url.pathname === pathname);
  return page;
}

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
export function treeRss(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name is in parentheses and may hold spaces: the fields after it are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const visit = (id: number) => {
    try {
      const status = fs.readFileSync(`/proc/${id}/status`, "utf8");
      total += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
    for (const child of children.get(id) ?? []) visit(child);
  };
  visit(pid);
  return total;
}

/**
 * Signs someone in over plain HTTP, the way a browser without JavaScript does: /signin on the app, the redirects to
 * the dev IdP, its sign-in form posted with the person's email and password, and the redirects back through the
 * app's OIDC callback. Returns the app's cookies ("name=value; …"), the session cookie among them. Cheaper than a
 * browser when many people sign in at once.
 */
export async function signInOverHttp(stack: OwnStack, email: string, pathname = "/"): Promise<string> {
  const jars = new Map<string, Map<string, string>>();
  const jar = (origin: string) => jars.get(origin) ?? jars.set(origin, new Map()).get(origin)!;
  const cookieHeader = (origin: string) => [...jar(origin)].map(([name, value]) => `${name}=${value}`).join("; ");
  let url = new URL(`/signin?callbackUrl=${encodeURIComponent(pathname)}`, stack.appUrl);
  let body: FormData | URLSearchParams | undefined;
  for (let step = 0; step < 15; step += 1) {
    const response = await fetch(url, {
      method: body ? "POST" : "GET",
      body,
      redirect: "manual",
      headers: { cookie: cookieHeader(url.origin), ...(body ? { origin: url.origin } : {}) },
    });
    body = undefined;
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(line);
      if (expired) jar(url.origin).delete(pair.slice(0, at));
      else jar(url.origin).set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get("location");
    const text = await response.text();
    if (location) {
      url = new URL(location, url);
      if (url.origin === stack.appUrl && url.pathname === pathname) return cookieHeader(stack.appUrl);
      continue;
    }
    // The IdP's sign-in form.
    const action = /<form method="post" action="([^"]+\/login)"/.exec(text)?.[1];
    if (response.status !== 200 || !action) throw new Error(`signing ${email} in stopped at ${response.status} ${url.pathname}`);
    url = new URL(action.replace(/&amp;/g, "&"), url);
    body = new URLSearchParams({ email, password: "demo" });
  }
  throw new Error(`signing ${email} in did not finish`);
}
