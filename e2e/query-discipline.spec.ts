import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { test, expect } from "@playwright/test";
import Database from "better-sqlite3";

import { hashSessionToken } from "../lib/auth/session-token";
import type { ScaleManifest } from "../scripts/scale";
import { appProcessEnv, BASE_URL } from "./fixtures";

// Issue 8, query discipline: the number of SQL statements a page render executes must not grow with the data (no
// N+1 queries, every list paginated). The real pages, through the real production build, at two sizes of the
// benchmark's synthetic data (scripts/scale.ts): the small size and ten times it. Each server runs with a preload
// (e2e/support/count-statements.mjs) that counts the statements it executes, by SQL text, and reports over IPC.
// The people are signed in the way the benchmark does it: ordinary database sessions, as Auth.js stores them.

const ROOT = path.resolve(__dirname, "..");
const FACTOR = 10;
// Two ports inside this slot's block of ten (scripts/test.ts uses the first three: app, IdP, SMTP), so runs in
// other slots are never in the way.
const SLOT_APP_PORT = Number(new URL(BASE_URL).port);
const SIZES = [
  { name: "small", factor: 1, port: SLOT_APP_PORT + 5 },
  { name: `${FACTOR}× small`, factor: FACTOR, port: SLOT_APP_PORT + 6 },
] as const;

// The reports' widest range (five years) ending this year: every seeded request (they go back three years).
const YEAR = new Date().getFullYear();
const ALL_REQUESTS = new URLSearchParams({ "from-day": "1", "from-month": "1", "from-year": String(YEAR - 4),
  "to-day": "31", "to-month": "12", "to-year": String(YEAR) }).toString();
// A statement that runs more often than this in one render is run per row of a list: an N+1 that paging hides from
// the comparison between sizes (a full page of 20 costs the same at both). Today's most is 2: Auth.js reads the
// session in the proxy and again in the page.
const MAX_RUNS_OF_ONE_STATEMENT = 3;

type Who = "staff" | "supporter" | "requester" | "coordinator" | "equalityUnit";
type Page = { name: string; who: Who; path: (m: ScaleManifest, lastDirectoryPage: number) => string };

const PAGES: Page[] = [
  { name: "help (no data)", who: "staff", path: () => "/help" },
  { name: "directory", who: "staff", path: () => "/supporters" },
  { name: "directory, filtered", who: "staff", path: () => "/supporters?specialism=Bullying+and+harassment&contact=phone&available=yes" },
  { name: "directory, text search", who: "staff", path: () => "/supporters?q=pat" },
  { name: "directory, last page", who: "staff", path: (_m, last) => `/supporters?page=${last}` },
  { name: "supporter profile", who: "staff", path: (m) => `/supporters/${m.profileSupporterId}` },
  { name: "inbox of the busy supporter", who: "supporter", path: () => "/inbox" },
  { name: "my requests", who: "requester", path: () => "/requests" },
  { name: "conversation, 200 messages", who: "requester", path: (m) => `/requests/${m.conversationId}` },
  { name: "networks", who: "staff", path: () => "/networks" },
  { name: "network page", who: "staff", path: (m) => `/networks/${m.bigNetworkSlug}` },
  { name: "coordinator console, big network", who: "coordinator", path: (m) => `/networks/${m.bigNetworkSlug}/manage` },
  { name: "reports, all requests", who: "equalityUnit", path: () => `/admin/reports?${ALL_REQUESTS}` },
  { name: "audit log", who: "equalityUnit", path: () => "/admin/audit" },
  { name: "staff records", who: "equalityUnit", path: () => "/admin/staff" },
  { name: "staff search API", who: "staff", path: () => "/api/staff?q=pat" },
  { name: "account", who: "staff", path: () => "/account" },
  { name: "notifications", who: "staff", path: () => "/notifications" },
];

type Counts = Record<string, number>;
type Server = { child: ChildProcess; base: string; snapshot: () => Promise<Counts> };
type Measured = { total: number; bySource: Counts };

// Runs a script of the app with the app's configuration and resolves when it has finished.
function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", ...args], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited with ${code}`))));
  });
}

// The rows Auth.js writes at sign-in, one per person. The session expires well inside its 12-hour absolute lifetime
// yet far enough ahead that Auth.js does not slide it forward during the run: that write would land in whichever
// render happened to come first after a minute, and make two equal renders count differently.
function createSessions(file: string, manifest: ScaleManifest): Record<Who, string> {
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  const insert = db.prepare("INSERT INTO sessions (session_token, user_id, expires, created_at) VALUES (?, ?, ?, ?)");
  const now = Date.now();
  const tokenFor = (userId: string) => {
    const token = randomBytes(32).toString("hex");
    // The cookie carries the token; the database holds its hash (lib/auth/session-adapter.ts).
    insert.run(hashSessionToken(token), userId, now + 6 * 60 * 60_000, now);
    return token;
  };
  const tokens = {
    staff: tokenFor(manifest.staff.userId),
    supporter: tokenFor(manifest.supporter.userId),
    requester: tokenFor(manifest.requester.userId),
    coordinator: tokenFor(manifest.coordinator.userId),
    equalityUnit: tokenFor(manifest.equalityUnit.userId),
  };
  db.close();
  return tokens;
}

function startServer(port: number, env: NodeJS.ProcessEnv): Server {
  const child = spawn(
    process.execPath,
    ["--import", pathToFileURL(path.join(__dirname, "support", "count-statements.mjs")).href, path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)],
    { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const snapshot = () =>
    new Promise<Counts>((resolve, reject) => {
      const onMessage = (message: { type?: string; executed?: Counts }) => {
        if (message.type !== "statements" || !message.executed) return;
        child.off("message", onMessage);
        resolve(message.executed);
      };
      child.on("message", onMessage);
      if (!child.send({ type: "statements" })) reject(new Error(`the server on port ${port} is not listening for the count`));
    });
  return { child, base: `http://localhost:${port}`, snapshot };
}

async function waitForHealth(base: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server for ${base} stopped (${child.exitCode})`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${base} did not answer within ${timeoutMs / 1000} s`);
}

// One whole render: the page itself for that person (not a redirect to sign-in, not an error), read to the end.
async function render(base: string, pathname: string, token: string): Promise<string> {
  const response = await fetch(base + pathname, { headers: { cookie: `confide.session=${token}` }, redirect: "manual" });
  const body = await response.text();
  expect(response.status, `${pathname} answered ${response.status}`).toBe(200);
  // A page that only shows its form's errors has not run the queries being counted.
  expect(body, `${pathname} shows an error summary`).not.toContain("govuk-error-summary");
  return body;
}

function difference(after: Counts, before: Counts): Measured {
  const bySource: Counts = {};
  let total = 0;
  for (const [source, count] of Object.entries(after)) {
    const delta = count - (before[source] ?? 0);
    if (delta > 0) bySource[source] = delta;
    total += delta;
  }
  return { total, bySource };
}

const oneLine = (sql: string) => sql.replace(/\s+/g, " ").trim();

// What a page executes more often at one size than at the other, statement by statement.
function explain(small: Measured, large: Measured): string {
  const sources = new Set([...Object.keys(small.bySource), ...Object.keys(large.bySource)]);
  return [...sources]
    .filter((source) => small.bySource[source] !== large.bySource[source])
    .map((source) => `    ${small.bySource[source] ?? 0} → ${large.bySource[source] ?? 0}× ${oneLine(source).slice(0, 300)}`)
    .join("\n");
}

test.describe("query discipline", () => {
  const servers: Server[] = [];
  const work = path.join(path.dirname(process.env.E2E_DATABASE_PATH ?? path.join(ROOT, ".test-data", "e2e", "x")), "query-discipline");

  test.afterAll(async () => {
    await Promise.all(
      servers.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
    fs.rmSync(work, { recursive: true, force: true });
  });

  test("statements per page render do not grow with the data", async () => {
    test.setTimeout(180_000);
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    const appEnv = appProcessEnv();

    // Seed both sizes at once, each in its own process, with the data key of the servers that will read them.
    const files = SIZES.map((size) => path.join(work, `scale-${size.factor}.db`));
    await Promise.all(SIZES.map((size, i) =>
      runScript(["e2e/support/seed-scale-db.ts", files[i] as string, String(size.factor)], { ...appEnv, DATABASE_PATH: files[i] })));

    const runs = SIZES.map((size, i) => {
      const file = files[i] as string;
      const manifest = JSON.parse(fs.readFileSync(`${file}.json`, "utf8")) as ScaleManifest;
      const url = `http://localhost:${size.port}`;
      // The same build as the rest of the run (CONFIDE_DIST_DIR comes with the app's environment).
      const server = startServer(size.port, { ...appEnv, DATABASE_PATH: file, NODE_ENV: "production", PORT: String(size.port), APP_URL: url, AUTH_URL: url });
      servers.push(server);
      return { size, manifest, tokens: createSessions(file, manifest), server };
    });
    await Promise.all(runs.map(({ server }) => waitForHealth(server.base, server.child, 120_000)));

    const results = new Map<string, Measured[]>();
    for (const { manifest, tokens, server } of runs) {
      const directory = await render(server.base, "/supporters", tokens.staff);
      const lastDirectoryPage = Math.max(1, ...[...directory.matchAll(/[?&;]page=(\d+)/g)].map((m) => Number(m[1])));
      for (const page of PAGES) {
        const pathname = page.path(manifest, lastDirectoryPage);
        const token = tokens[page.who];
        // The first render loads the route's code and anything cached per process; the next two are counted, and
        // must agree with each other before they are compared across sizes.
        await render(server.base, pathname, token);
        const before = await server.snapshot();
        await render(server.base, pathname, token);
        const middle = await server.snapshot();
        await render(server.base, pathname, token);
        const after = await server.snapshot();
        const first = difference(middle, before);
        const second = difference(after, middle);
        expect(second.total, `${page.name} (${pathname}) counted ${first.total} then ${second.total} statements:\n${explain(first, second)}`).toBe(first.total);
        // Every render reads the session at least: a zero would mean the counter is not seeing the server's queries.
        expect(first.total, `${page.name}: no statements counted`).toBeGreaterThan(0);
        results.set(page.name, [...(results.get(page.name) ?? []), first]);
      }
    }

    const [smallName, largeName] = [SIZES[0].name, SIZES[1].name];
    const rows = PAGES.map((page) => {
      const [small, large] = results.get(page.name) as [Measured, Measured];
      return { page: page.name, [smallName]: small.total, [largeName]: large.total };
    });
    console.log("Statements per page render:");
    console.table(rows);

    const grown = PAGES.flatMap((page) => {
      const [small, large] = results.get(page.name) as [Measured, Measured];
      return small.total === large.total ? [] : [`${page.name}: ${small.total} (${smallName}) vs ${large.total} (${largeName})\n${explain(small, large)}`];
    });
    expect(grown, `Pages whose statement count changes with the data:\n${grown.join("\n")}`).toEqual([]);

    const repeated = PAGES.flatMap((page) =>
      (results.get(page.name) ?? []).flatMap((measured, i) =>
        Object.entries(measured.bySource)
          .filter(([, runs]) => runs > MAX_RUNS_OF_ONE_STATEMENT)
          .map(([source, runs]) => `${page.name} (${SIZES[i]?.name}): ${runs}× ${oneLine(source).slice(0, 300)}`)));
    expect(repeated, `Statements run once per row (N+1):\n${repeated.join("\n")}`).toEqual([]);
  });
});
