import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import Database from "better-sqlite3";

import { appProcessEnv } from "../fixtures";

// Servers a spec starts for itself, beside the run's shared ones: a dev IdP and a `next start` of the run's own
// build, on ports of the run's slot, with a copy of the run's database, so that nothing done to them (a misbehaving
// IdP, load, a dead mail server, a restart) touches the rows and timing other journeys rely on.
// e2e/support/hostile-servers.ts and e2e/support/soak-stack.ts choose the ports and the configuration.

const ROOT = path.resolve(__dirname, "..", "..");

export type Server = { pid: number; output: () => string; stop: () => Promise<void> };

async function runUntilReady(name: string, args: string[], env: NodeJS.ProcessEnv, readyUrl: string): Promise<Server> {
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
    // A graceful stop can wait on a connection still open: don't let it outlast the hook that called it.
    const forced = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(forced);
  };
  const server: Server = { pid: child.pid ?? 0, output: () => output, stop };
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

/** True when nothing accepts connections on the port: the server is down, not slow. */
export function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "localhost", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

/** A dev IdP on `port` for the app at `appUrl`; with a fault, every ID token it issues is for another audience or issuer. */
export function startDevIdp(name: string, port: number, appUrl: string, fault?: "wrong-audience" | "wrong-issuer"): Promise<Server> {
  const issuer = `http://localhost:${port}`;
  return runUntilReady(
    name,
    ["--import", "tsx", "dev-idp/server.ts"],
    {
      ...process.env,
      DEV_IDP_PORT: String(port),
      DEV_IDP_ISSUER: issuer,
      DEV_IDP_APP_URL: appUrl,
      DEV_IDP_ACCOUNTS_FILE: path.join(ROOT, "e2e", "accounts.json"),
      ...(fault ? { DEV_IDP_ID_TOKEN_FAULT: fault } : {}),
    },
    `${issuer}/.well-known/openid-configuration`,
  );
}

/**
 * A consistent copy of the run's database in a new folder `name` beside it, and the app's environment for a server
 * of its own on `ports` using it (mail to the folder's outbox); `env` adds to that environment.
 */
export async function copyRunDatabase(
  name: string,
  ports: { idp: number; app: number },
  env: Record<string, string> = {},
): Promise<{ dir: string; databasePath: string; env: NodeJS.ProcessEnv }> {
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
  const appUrl = `http://localhost:${ports.app}`;
  return {
    dir,
    databasePath,
    env: {
      ...runEnv,
      APP_URL: appUrl,
      AUTH_URL: appUrl,
      AUTH_OIDC_ISSUER: `http://localhost:${ports.idp}`,
      DATABASE_PATH: databasePath,
      MAIL_OUTBOX_DIR: path.join(dir, "outbox"),
      PORT: String(ports.app),
      ...env,
    },
  };
}

/** The run's build, started with `env` (from copyRunDatabase) on its PORT. */
export function startApp(name: string, env: NodeJS.ProcessEnv): Promise<Server> {
  const port = env.PORT ?? "";
  const next = path.join(ROOT, "node_modules/next/dist/bin/next");
  return runUntilReady(name, [next, "start", "-p", port], env, `http://localhost:${port}/api/health`);
}

/** A port nothing listens on now, chosen by the system, for a server that needs no fixed place in the slot's range. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "localhost", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
