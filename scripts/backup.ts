import fs from "node:fs";
import path from "node:path";

import { db } from "@/db/client";
import { databasePath } from "@/lib/env";

// npm run backup [-- <file>] — an online backup (SQLite's backup API): safe while the app is running, and a
// consistent snapshot even mid-write. Backups hold confidential data: keep them encrypted and access-controlled.
async function main(): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const target = process.argv[2] ?? path.join(path.dirname(databasePath()), "backups", `confide-${stamp}.db`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  await db.$client.backup(target);
  fs.chmodSync(target, 0o600);
  console.log(`Backed up ${databasePath()} to ${target}.`);
}

void main();
