import fs from "node:fs";
import path from "node:path";

import { appEnv, ROOT } from "./lib";

// npm run seed:scale [-- --size small|large] [--out <file>]
// Fills a separate SQLite file (default .bench/confide-<size>.db, never .data/) with synthetic data at force scale,
// and writes what the benchmark needs to know about it next to it (<file>.json). The data key is the benchmark's
// own, kept in .bench/secrets.json, so the app started by npm run bench can read what is encrypted here.

export const BENCH_DIR = path.join(ROOT, ".bench");

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const sizeName = option("size") ?? "large";
  Object.assign(process.env, appEnv({ appPort: 3200, idpPort: 3201, dataDir: BENCH_DIR, confideEnv: "test" }));
  const { SIZES, seedScale } = await import("./scale");
  if (!(sizeName in SIZES)) throw new Error(`Unknown size "${sizeName}": use ${Object.keys(SIZES).join(" or ")}`);
  const size = SIZES[sizeName as keyof typeof SIZES];
  const file = path.resolve(option("out") ?? path.join(BENCH_DIR, `confide-${sizeName}.db`));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  console.log(`Seeding ${sizeName}: ${size.staff.toLocaleString("en-GB")} staff, ${size.requests.toLocaleString("en-GB")} requests, ` +
    `${size.messages.toLocaleString("en-GB")} messages into ${file}`);
  const manifest = seedScale(file, size, new Date());
  fs.writeFileSync(`${file}.json`, JSON.stringify(manifest, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
