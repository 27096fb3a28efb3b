import fs from "node:fs";

import Database from "better-sqlite3";

import { databasePath } from "@/lib/env";

// npm run restore -- <backup file> — replaces the database with a backup. Stop Confide first: a running server
// would keep serving from the data it has open.
async function main(): Promise<void> {
  const source = process.argv[2];
  if (!source || !fs.existsSync(source)) {
    console.error("Usage: npm run restore -- <backup file>");
    process.exit(2);
  }
  const backup = new Database(source, { readonly: true, fileMustExist: true });
  const check = backup.pragma("integrity_check", { simple: true });
  if (check !== "ok") {
    console.error(`${source} is damaged (integrity check: ${String(check)}); nothing was restored.`);
    process.exit(1);
  }
  await backup.backup(databasePath());
  backup.close();
  console.log(`Restored ${databasePath()} from ${source}. Run npm run db:migrate if the backup is older than the code.`);
}

void main();
