import { createHash } from "node:crypto";

// The session cookie holds a random token; the database holds only its SHA-256, so a copy of the database file or a
// backup cannot be turned into live sessions (a cookie holding the stored value is looked up by its own hash and
// matches nothing). The token is 32 random bytes, so a plain hash is enough: there is nothing to guess, and no salt
// or slow hash would add to 256 bits of randomness. The one place this is computed: the adapter
// (lib/auth/session-adapter.ts), the e2e helpers and the benchmark's sessions all use it.
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
