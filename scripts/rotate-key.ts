import { countOldVersions, ENCRYPTED_COLUMNS, newestKeyVersion, rotateAllToNewestKey } from "@/db/queries/key-rotation";
import { env } from "@/lib/env";

// npm run rotate-key [-- --batch-size <n>] — re-encrypts every encrypted value to the newest key version in CONFIDE_DATA_KEY, while the
// app keeps serving. The procedure (README, "Backup, restore and key rotation"): add ",N:<new key>", restart the
// app so new values use it, run this, and remove the old key only when this reports nothing left on it. Safe to run
// again at any time: it only touches values not yet on the newest version.

const number = (n: number) => n.toLocaleString("en-GB");

const USAGE = "Usage: npm run rotate-key [-- --batch-size <1-10000>]";

function batchSizeFrom(args: string[]): number | null {
  if (args.length === 0) return 500;
  const size = Number(args[1]);
  if (args.length !== 2 || args[0] !== "--batch-size" || !Number.isInteger(size) || size < 1 || size > 10_000) return null;
  return size;
}

async function main(): Promise<void> {
  const batchSize = batchSizeFrom(process.argv.slice(2));
  if (batchSize === null) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const keys = env().CONFIDE_DATA_KEY;
  const version = newestKeyVersion();
  const before = countOldVersions(version).reduce((sum, c) => sum + c.remaining, 0);
  const older = [...keys.keys()].filter((v) => v !== version).sort((a, b) => a - b);
  console.log(
    `Re-encrypting to key version ${version} (configured: ${[...keys.keys()].sort((a, b) => a - b).join(", ")}); ` +
      `${number(before)} ${before === 1 ? "value is" : "values are"} on another version.`,
  );

  let lastPrinted = 0;
  const summary = await rotateAllToNewestKey({
    batchSize,
    onProgress: (p) => {
      if (p.done) {
        lastPrinted = 0;
        console.log(`  ${p.table}.${p.column}: ${number(p.rotated)} re-encrypted`);
      } else if (p.rotated - lastPrinted >= 5_000) {
        // A line per 5,000 values shows a long run moving without flooding the terminal.
        lastPrinted = p.rotated;
        console.log(`  ${p.table}.${p.column}: ${number(p.rotated)} re-encrypted so far`);
      }
    },
  });

  console.log(`Re-encrypted ${number(summary.rotated)} ${summary.rotated === 1 ? "value" : "values"} in ${ENCRYPTED_COLUMNS.length} columns.`);
  if (summary.changedMeanwhile > 0) {
    console.log(`${number(summary.changedMeanwhile)} changed by the app while this ran and were left as the app wrote them.`);
  }
  for (const { table, column, ids } of summary.unreadable) {
    console.error(`${ids.length} ${ids.length === 1 ? "value" : "values"} in ${table}.${column} cannot be decrypted with the configured keys (row ids: ${ids.slice(0, 20).join(", ")}${ids.length > 20 ? ", …" : ""}).`);
  }
  const remaining = summary.remaining.reduce((sum, c) => sum + c.remaining, 0);
  for (const c of summary.remaining) if (c.remaining > 0) console.log(`  ${c.table}.${c.column}: ${number(c.remaining)} still on an older version`);
  console.log(`${number(remaining)} ${remaining === 1 ? "value remains" : "values remain"} on older key versions.`);

  if (remaining === 0 && summary.unreadable.length === 0) {
    console.log(
      older.length > 0
        ? `Done. Key version${older.length > 1 ? "s" : ""} ${older.join(", ")} ${older.length > 1 ? "are" : "is"} no longer used by the database: remove ${older.length > 1 ? "them" : "it"} from CONFIDE_DATA_KEY and restart, but keep a copy for as long as you keep backups made before now: those need the old key to be read.`
        : "Done. Only one key version is configured; nothing else to remove.",
    );
    return;
  }
  console.error(
    summary.unreadable.length > 0
      ? "Not done: some values cannot be decrypted (above). Do not remove any key until they are accounted for."
      : "Not done: is every server running with the new key? Restart them, then run npm run rotate-key again. Do not remove the old key yet.",
  );
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`Key rotation failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
