import path from "node:path";

import { appEnv, buildIfStale, idpEnv, NODE_TSX, nextStartArgs, ROOT, runSync, start, stopAll, waitFor, type Stack } from "./lib";

// npm run demo — everything a newcomer needs: local secrets, a migrated and seeded database in .data/, the
// development identity provider, and the production build of the app at http://localhost:3000.
// npm run dev — the same with `next dev` (hot reload) instead of the production build.

const dev = process.argv.includes("--dev");
const stack: Stack = { appPort: 3000, idpPort: 3001, dataDir: path.join(ROOT, ".data"), confideEnv: dev ? "development" : "demo" };
const env = appEnv(stack);

async function main(): Promise<void> {
  runSync([...NODE_TSX, "scripts/setup-db.ts"], env);
  if (!dev) buildIfStale();
  start("dev-idp", ["--import", "tsx", "dev-idp/server.ts"], idpEnv(stack));
  await waitFor(`http://localhost:${stack.idpPort}/.well-known/openid-configuration`);
  const next = path.join(ROOT, "node_modules/next/dist/bin/next");
  start("app", dev ? [next, "dev", "-p", String(stack.appPort)] : nextStartArgs(stack.appPort), env);
  await waitFor(`http://localhost:${stack.appPort}/api/health`, 120_000);
  console.log(`
Confide is running at http://localhost:${stack.appPort}

Sign in with any of these demo accounts (password: demo):
  alex.staff@example.org          member of staff
  sam.supporter@example.org       equality supporter
  casey.coordinator@example.org   coordinator of the LGBT+ Network
  eve.equality@example.org        Equality Unit

Data is kept in .data/ (database, mail outbox, local secrets). Press Ctrl+C to stop.
`);
}

process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  stopAll(1);
});
