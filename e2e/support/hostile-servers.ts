import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import Database from "better-sqlite3";

import { appProcessEnv, BASE_URL } from "../fixtures";

// For e2e/hostile-oidc.spec.ts: a second dev IdP (optionally misbehaving) and a second `next start` of the run's
// own build, on ports of this run's slot, with a copy of the run's database so that nothing they do (start-up
// included) touches the rows other journeys rely on.

const ROOT = path.resolve(__dirname, "..", "..");
const APP_PORT = Number(new URL(BASE_URL).port);
// scripts/test.ts gives each slot ten ports and uses the first three (app, IdP, SMTP).
export const SECOND_IDP_PORT = APP_PORT + 3;
export const SECOND_APP_PORT = APP_PORT + 4;
export const SECOND_IDP_URL = `http://localhost:${SECOND_IDP_PORT}`;
export const SECOND_APP_URL = `http://localhost:${SECOND_APP_PORT}`;

export type Server = { output: () => string; stop: () => Promise<void> };

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
    await exited;
  };
  const server: Server = { output: () => output, stop };
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

/** A dev IdP for the second app; with a fault, every ID token it issues is for another audience or issuer. */
export function startSecondIdp(fault?: "wrong-audience" | "wrong-issuer"): Promise<Server> {
  return runUntilReady(
    `dev IdP${fault ? ` (${fault})` : ""}`,
    ["--import", "tsx", "dev-idp/server.ts"],
    {
      ...process.env,
      DEV_IDP_PORT: String(SECOND_IDP_PORT),
      DEV_IDP_ISSUER: SECOND_IDP_URL,
      DEV_IDP_APP_URL: SECOND_APP_URL,
      DEV_IDP_ACCOUNTS_FILE: path.join(ROOT, "e2e", "accounts.json"),
      ...(fault ? { DEV_IDP_ID_TOKEN_FAULT: fault } : {}),
    },
    `${SECOND_IDP_URL}/.well-known/openid-configuration`,
  );
}

export type SecondApp = Server & {
  databasePath: string;
  env: NodeJS.ProcessEnv;
  /** Stops the app's process and starts it again on the same data: what it held in memory is gone. */
  restart: () => Promise<void>;
};

/** The run's build, started again against the second IdP's address (listening or not) and a copy of the data. */
export async function startSecondApp(): Promise<SecondApp> {
  const runEnv = appProcessEnv();
  const dir = path.join(path.dirname(runEnv.DATABASE_PATH ?? ""), "hostile-oidc");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const databasePath = path.join(dir, "confide.db");
  const source = new Database(runEnv.DATABASE_PATH ?? "", { readonly: true });
  try {
    await source.backup(databasePath);
  } finally {
    source.close();
  }
  // The run's app counts its own rate-limit windows (failed sign-ins among them); the second app starts with none,
  // so that what it audits depends on what happens to it alone.
  const copy = new Database(databasePath);
  try {
    copy.prepare("DELETE FROM rate_limits").run();
  } finally {
    copy.close();
  }
  const env: NodeJS.ProcessEnv = {
    ...runEnv,
    APP_URL: SECOND_APP_URL,
    AUTH_URL: SECOND_APP_URL,
    AUTH_OIDC_ISSUER: SECOND_IDP_URL,
    DATABASE_PATH: databasePath,
    MAIL_OUTBOX_DIR: path.join(dir, "outbox"),
    PORT: String(SECOND_APP_PORT),
  };
  const next = path.join(ROOT, "node_modules/next/dist/bin/next");
  const start = () => runUntilReady("second app", [next, "start", "-p", String(SECOND_APP_PORT)], env, `${SECOND_APP_URL}/api/health`);
  let server = await start();
  let earlierOutput = "";
  return {
    databasePath,
    env,
    output: () => earlierOutput + server.output(),
    restart: async () => {
      await server.stop();
      earlierOutput += server.output();
      server = await start();
    },
    stop: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True when nothing accepts connections on the port: the identity provider is down, not slow. */
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
