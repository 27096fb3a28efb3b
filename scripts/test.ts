import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { startSmtpCapture } from "./smtp-capture";
import { appEnv, buildIfStaleInBackground, idpEnv, NODE_TSX, nextStartArgs, ROOT, runSync, start, stopAll, waitFor, type Stack } from "./lib";

// npm test — unit and integration tests on real SQLite files, then Playwright journeys through the real sign-in
// against the production build, the dev IdP and a throwaway database. Ends with "N passed, M failed".

const only = process.argv.includes("--unit") ? "unit" : process.argv.includes("--e2e") ? "e2e" : "all";
const TEST_DATA = path.join(ROOT, ".test-data");
const SUMMARY = path.join(TEST_DATA, "summary.txt");
// CONFIDE_TEST_SLOT (0–9) lets several end-to-end runs share a machine: own ports, data and build folder.
const SLOT = Number(process.env.CONFIDE_TEST_SLOT ?? 0);
const SMTP_PORT = 3102 + 10 * SLOT;
const E2E: Stack = {
  appPort: 3100 + 10 * SLOT,
  idpPort: 3101 + 10 * SLOT,
  dataDir: path.join(TEST_DATA, SLOT ? `e2e-${SLOT}` : "e2e"),
  confideEnv: "test",
};
const BUILD_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  ...(SLOT ? { CONFIDE_DIST_DIR: `.next-test-${SLOT}` } : {}),
  CONFIDE_BUILD_SKIP_TYPECHECK: "1",
};

type Counts = { passed: number; failed: number };

// Streams a child's output while keeping it, so the counts can be read from the runner's closing lines.
function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on("data", keep(process.stdout));
    child.stderr.on("data", keep(process.stderr));
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

// The production build for the journeys starts beside the lint and the unit tests, which leave a core free, and is
// awaited before the journeys.
let build: Promise<void> | undefined;

function startBuild(): Promise<void> {
  build ??= buildIfStaleInBackground(BUILD_ENV);
  // Awaited by the journeys; a failure before then must not surface as an unhandled rejection.
  build.catch(() => undefined);
  return build;
}

// Type errors and lint findings fail the run like a failing test; each check counts once.
async function staticChecks(): Promise<Counts> {
  const counts: Counts = { passed: 0, failed: 0 };
  for (const [name, args] of [
    ["typecheck", [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "."]],
    ["lint", [path.join(ROOT, "node_modules/eslint/bin/eslint.js"), "--max-warnings=0", "."]],
  ] as const) {
    console.log(`Running ${name}…`);
    const { code } = await run([...args], process.env);
    counts[code === 0 ? "passed" : "failed"] += 1;
    // The build writes route types into .next/types, which the type check reads: start it once that is done.
    if (name === "typecheck") startBuild();
  }
  return counts;
}

async function unitTests(): Promise<Counts> {
  const files = fs.readdirSync(path.join(ROOT, "tests")).filter((f) => f.endsWith(".test.ts")).sort().map((f) => path.join("tests", f));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test" };
  const { code, output } = await run([...NODE_TSX, "--test", "--test-concurrency=2", ...files], env);
  const count = (word: string) => Number(output.match(new RegExp(`^[ℹ#] ${word} (\\d+)`, "m"))?.[1] ?? 0);
  const counts = { passed: count("pass"), failed: count("fail") };
  // A crash before any test ran must not read as success.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

function ensureChromium(): void {
  if (fs.existsSync("/usr/bin/chromium")) return;
  console.log("Installing Debian's chromium for the end-to-end tests…");
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "chromium"]]) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.status !== 0) throw new Error("could not install chromium (apt-get)");
  }
}


async function e2eTests(): Promise<Counts> {
  ensureChromium();
  await startBuild();
  fs.rmSync(E2E.dataDir, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = {
    ...appEnv(E2E),
    ...BUILD_ENV,
    NODE_ENV: "production",
    SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
  };
  runSync([...NODE_TSX, "scripts/setup-db.ts"], env);
  // Mail goes through a real SMTP server, which files what arrives where the tests read it.
  await startSmtpCapture(SMTP_PORT, env.MAIL_OUTBOX_DIR ?? path.join(E2E.dataDir, "outbox"));
  // Tests that run the app's own scripts (maintenance, deactivate) need the app's configuration.
  const appEnvFile = path.join(E2E.dataDir, "app-env.json");
  const own = Object.fromEntries(Object.entries(env).filter(([key, value]) => process.env[key] !== value));
  fs.writeFileSync(appEnvFile, JSON.stringify(own), { mode: 0o600 });
  start("dev-idp", ["--import", "tsx", "dev-idp/server.ts"], idpEnv(E2E, path.join(ROOT, "e2e", "accounts.json")));
  start("app", nextStartArgs(E2E.appPort), env);
  await waitFor(`http://localhost:${E2E.idpPort}/.well-known/openid-configuration`);
  await waitFor(`http://localhost:${E2E.appPort}/api/health`, 120_000);
  const report = path.join(E2E.dataDir, "playwright.json");
  const { code } = await run([path.join(ROOT, "node_modules/@playwright/test/cli.js"), "test", ...process.argv.slice(3)], {
    ...process.env,
    E2E_BASE_URL: `http://localhost:${E2E.appPort}`,
    E2E_IDP_URL: `http://localhost:${E2E.idpPort}`,
    E2E_DATABASE_PATH: env.DATABASE_PATH,
    E2E_APP_ENV: appEnvFile,
    E2E_REPORT: report,
  });
  const stats = fs.existsSync(report)
    ? (JSON.parse(fs.readFileSync(report, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number } }).stats
    : { expected: 0, unexpected: 0, flaky: 0 };
  const counts = { passed: stats.expected + stats.flaky, failed: stats.unexpected };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

async function main(): Promise<void> {
  fs.mkdirSync(TEST_DATA, { recursive: true });
  const total: Counts = { passed: 0, failed: 0 };
  const suites = { all: [staticChecks, unitTests, e2eTests], unit: [unitTests], e2e: [e2eTests] }[only];

  for (const suite of suites) {
    const counts = await suite();
    total.passed += counts.passed;
    total.failed += counts.failed;
  }
  const line = `${total.passed} passed, ${total.failed} failed`;
  fs.writeFileSync(SUMMARY, `${line}\n`);
  console.log(`\n${line}`);
  stopAll(total.failed === 0 && total.passed > 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  fs.writeFileSync(SUMMARY, "0 passed, 1 failed\n");
  console.log("\n0 passed, 1 failed");
  stopAll(1);
});
