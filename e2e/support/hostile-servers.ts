import fs from "node:fs";

import Database from "better-sqlite3";

import { BASE_URL } from "../fixtures";
import { copyRunDatabase, startApp, startDevIdp, type Server } from "./own-servers";

// For e2e/hostile-oidc.spec.ts: a second dev IdP (optionally misbehaving) and a second `next start` of the run's
// own build, on ports of this run's slot, with a copy of the run's database so that nothing they do (start-up
// included) touches the rows other journeys rely on.

const APP_PORT = Number(new URL(BASE_URL).port);
// scripts/test.ts gives each slot ten ports and uses the first three (app, IdP, SMTP).
export const SECOND_IDP_PORT = APP_PORT + 3;
export const SECOND_APP_PORT = APP_PORT + 4;
export const SECOND_IDP_URL = `http://localhost:${SECOND_IDP_PORT}`;
export const SECOND_APP_URL = `http://localhost:${SECOND_APP_PORT}`;

/** A dev IdP for the second app; with a fault, every ID token it issues is for another audience or issuer. */
export function startSecondIdp(fault?: "wrong-audience" | "wrong-issuer"): Promise<Server> {
  return startDevIdp(`dev IdP${fault ? ` (${fault})` : ""}`, SECOND_IDP_PORT, SECOND_APP_URL, fault);
}

export type SecondApp = Omit<Server, "pid"> & {
  databasePath: string;
  env: NodeJS.ProcessEnv;
  /** Stops the app's process and starts it again on the same data: what it held in memory is gone. */
  restart: () => Promise<void>;
};

/** The run's build, started again against the second IdP's address (listening or not) and a copy of the data. */
export async function startSecondApp(): Promise<SecondApp> {
  const { dir, databasePath, env } = await copyRunDatabase("hostile-oidc", { idp: SECOND_IDP_PORT, app: SECOND_APP_PORT });
  // The run's app counts its own rate-limit windows (failed sign-ins among them); the second app starts with none,
  // so that what it audits depends on what happens to it alone.
  const copy = new Database(databasePath);
  try {
    copy.prepare("DELETE FROM rate_limits").run();
  } finally {
    copy.close();
  }
  const start = () => startApp("second app", env);
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
