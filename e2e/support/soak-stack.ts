import fs from "node:fs";

import type { Browser, Page } from "@playwright/test";
import Database from "better-sqlite3";

import { BASE_URL, expect } from "../fixtures";
import { copyRunDatabase, startApp, startDevIdp, type Server } from "./own-servers";

// For e2e/soak.spec.ts and e2e/smtp-down.spec.ts: a dev IdP and a `next start` of the run's own build of their own,
// on ports of this run's slot, with a copy of the run's database, so that load, a dead mail server or anything
// else done to them never disturbs the shared app, its database or the timing of other journeys, and the
// server's memory can be measured on its own process tree.
//
// scripts/test.ts gives each slot ten ports and uses the first three (app, IdP, SMTP);
// e2e/support/hostile-servers.ts uses the next two. Each spec here has its own, so both can run at once.

const APP_PORT = Number(new URL(BASE_URL).port);
export const PORTS = {
  smtpDown: { idp: APP_PORT + 5, app: APP_PORT + 6, smtp: APP_PORT + 7 },
  soak: { idp: APP_PORT + 8, app: APP_PORT + 9 },
} as const;

export type OwnServer = Server;

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
  const { dir, databasePath, env } = await copyRunDatabase(name, ports, options.env);
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
  const idp = await startDevIdp(`${name} IdP`, ports.idp, appUrl);
  let app: OwnServer;
  try {
    app = await startApp(`${name} app`, env);
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
