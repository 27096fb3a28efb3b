import fs from "node:fs";

import { SIZES, seedScale, type ScaleSize } from "../../scripts/scale";

// For e2e/query-discipline.spec.ts: seeds one database with the benchmark's synthetic data (scripts/scale.ts) at the
// small size times a factor, in a process of its own (it needs the app's configuration, the react-server condition
// and the data key of the server that will read it), and writes the manifest beside it as <file>.json.
// Usage: node --conditions=react-server --import tsx e2e/support/seed-scale-db.ts <file> <factor>

const [file, factorText] = process.argv.slice(2);
const factor = Number(factorText);
if (!file || !Number.isInteger(factor) || factor < 1) throw new Error("usage: seed-scale-db.ts <file> <factor>");

// Every count grows by the factor except the number of networks, as between the benchmark's small and large sizes.
const small: ScaleSize = SIZES.small;
const size: ScaleSize = {
  staff: small.staff * factor,
  supporters: small.supporters * factor,
  networks: small.networks,
  memberships: small.memberships * factor,
  bigNetworkMembers: small.bigNetworkMembers * factor,
  requests: small.requests * factor,
  messages: small.messages * factor,
};
const manifest = seedScale(file, size, new Date(), () => {});
fs.writeFileSync(`${file}.json`, JSON.stringify(manifest, null, 2));
