import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { STAFF } from "../db/seed-data";

// Shared by the demo and the test runner: local secrets, the environment of the app and the dev IdP, the
// production build (rebuilt only when the source changed) and child processes that stop together.

export const ROOT = path.resolve(import.meta.dirname, "..");
export const NODE_TSX = ["--conditions=react-server", "--import", "tsx"];

type Secrets = { authSecret: string; dataKey: string };

// Generated once per folder and kept there, so the demo's sessions and encrypted data survive restarts.
export function localSecrets(dir: string): Secrets {
  const file = path.join(dir, "secrets.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as Secrets;
  fs.mkdirSync(dir, { recursive: true });
  const secrets = { authSecret: randomBytes(32).toString("hex"), dataKey: `1:${randomBytes(32).toString("base64")}` };
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export type Stack = { appPort: number; idpPort: number; dataDir: string; confideEnv: "demo" | "test" | "development" };

export const IDP_CLIENT = { id: "confide-dev", secret: "confide-dev-secret" };

export function appEnv(stack: Stack): NodeJS.ProcessEnv {
  const secrets = localSecrets(stack.dataDir);
  return {
    ...process.env,
    CONFIDE_ENV: stack.confideEnv,
    APP_URL: `http://localhost:${stack.appPort}`,
    AUTH_URL: `http://localhost:${stack.appPort}`,
    AUTH_SECRET: secrets.authSecret,
    AUTH_OIDC_ISSUER: `http://localhost:${stack.idpPort}`,
    AUTH_OIDC_ID: IDP_CLIENT.id,
    AUTH_OIDC_SECRET: IDP_CLIENT.secret,
    DATABASE_PATH: path.join(stack.dataDir, "confide.db"),
    CONFIDE_DATA_KEY: secrets.dataKey,
    MAIL_OUTBOX_DIR: path.join(stack.dataDir, "outbox"),
    PORT: String(stack.appPort),
  };
}

// Every seeded member of staff can sign in at the dev IdP (its page lists only the four demo accounts), plus any
// extra people a test run needs.
function writeIdpAccounts(dataDir: string, extraFile?: string): string {
  const extra = extraFile ? (JSON.parse(fs.readFileSync(extraFile, "utf8")) as { email: string; name: string }[]) : [];
  const file = path.join(dataDir, "idp-accounts.json");
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify([...STAFF.map(({ email, name }) => ({ email, name })), ...extra], null, 2));
  return file;
}

export function idpEnv(stack: Stack, extraAccountsFile?: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DEV_IDP_PORT: String(stack.idpPort),
    DEV_IDP_ISSUER: `http://localhost:${stack.idpPort}`,
    DEV_IDP_APP_URL: `http://localhost:${stack.appPort}`,
    DEV_IDP_CLIENT_ID: IDP_CLIENT.id,
    DEV_IDP_CLIENT_SECRET: IDP_CLIENT.secret,
    DEV_IDP_ACCOUNTS_FILE: writeIdpAccounts(stack.dataDir, extraAccountsFile),
  };
}

const SOURCES = ["app", "components", "db", "lib", "auth.ts", "proxy.ts", "instrumentation.ts", "next.config.mjs",
  "package-lock.json", "tsconfig.json"];

function sourceHash(): string {
  const hash = createHash("sha256");
  const visit = (entry: string) => {
    const full = path.join(ROOT, entry);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) {
      for (const child of fs.readdirSync(full).sort()) visit(path.join(entry, child));
    } else {
      hash.update(entry).update(fs.readFileSync(full));
    }
  };
  SOURCES.forEach(visit);
  return hash.digest("hex");
}

type Build = { marker: string; hash: string; args: string[]; env: NodeJS.ProcessEnv } | undefined;

// What a build needs, or undefined when the last build is of these very sources.
function staleBuild(env: NodeJS.ProcessEnv): Build {
  const distDir = path.join(ROOT, env.CONFIDE_DIST_DIR || ".next");
  const marker = path.join(distDir, "confide-source-hash");
  const hash = sourceHash();
  if (fs.existsSync(path.join(distDir, "BUILD_ID")) && fs.existsSync(marker) &&
      fs.readFileSync(marker, "utf8") === hash) return undefined;
  return { marker, hash, args: [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], env: { ...env, NEXT_TELEMETRY_DISABLED: "1" } };
}

// A production build, so what a newcomer or a test sees is as fast as production; rebuilt only when stale.
export function buildIfStale(env: NodeJS.ProcessEnv = process.env): void {
  const build = staleBuild(env);
  if (!build) return;
  console.log("Building the app (next build)…");
  const result = spawnSync(process.execPath, build.args, { cwd: ROOT, stdio: "inherit", env: build.env });
  if (result.status !== 0) throw new Error("next build failed");
  fs.writeFileSync(build.marker, build.hash);
}

// The same in the background, for npm test: the type check and lint use one core each, so the build's time mostly
// disappears beside them. Its output is kept and shown only if it fails.
export function buildIfStaleInBackground(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const build = staleBuild(env);
  if (!build) return Promise.resolve();
  console.log("Building the app (next build) in the background…");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, build.args, { cwd: ROOT, env: build.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => {
      if (code !== 0) {
        process.stderr.write(output);
        reject(new Error("next build failed"));
        return;
      }
      fs.writeFileSync(build.marker, build.hash);
      resolve();
    });
  });
}

export function runSync(args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed`);
}

const children: ChildProcess[] = [];

export function start(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${name} stopped (${signal ?? code}); stopping everything.`);
      stopAll(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;

export function stopAll(code = 0): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exit(code);
}

export async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

// A fixed heap limit: left to itself V8 sizes the heap from the machine's memory (4 GB here) and lets it grow lazily
// under load (665–718 MB resident in the benchmark). With 256 MB it collects sooner: about 200 MB resident under
// load instead of 320 MB in the same 30 s test, at the small size.
export const SERVER_HEAP_MB = 256;

export function nextStartArgs(port: number): string[] {
  return [`--max-old-space-size=${SERVER_HEAP_MB}`, path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)];
}
