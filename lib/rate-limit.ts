import { sql } from "drizzle-orm";

import { db as defaultDb, type Db } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { clock } from "./clock";

// Fixed-window rate limits kept in the database (the rate_limits table), so that every server process and every
// restart counts against the same windows. A window is one row per key; the count goes up in a single upsert, which
// SQLite runs atomically, so two requests at the same moment can never both read the same count.

export type RateLimiter = {
  /** Names the limiter in its keys; no colon. Old windows are pruned per limiter. */
  name: string;
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
};

export type RateLimitResult =
  | { ok: true; count: number; remaining: number }
  | { ok: false; count: number; retryAfterSeconds: number };

// Staff search: a person typing in the picker sends a few requests a second at most; 30 a minute is generous for
// that and stops anyone paging through the whole staff list by script.
export const STAFF_SEARCH_LIMIT: RateLimiter = { name: "staff-search", limit: 30, windowMs: 60_000 };

/** The key of a subject's counter: the limiter's name and an opaque id (a user id, never a search term). */
export function rateLimitKey(limiter: RateLimiter, subject: string): string {
  return `${limiter.name}:${subject}`;
}

// Per process and limiter, the window whose predecessors were last pruned: old rows go once per window at most,
// not on every request.
const prunedUpTo = new Map<string, number>();

/** Counts one request by `subject` and says whether it is within the limit. */
export function hitRateLimit(limiter: RateLimiter, subject: string, options: { now?: Date; db?: Db } = {}): RateLimitResult {
  const database = options.db ?? defaultDb;
  const now = (options.now ?? clock.now()).getTime();
  const windowStart = now - (now % limiter.windowMs);
  const key = rateLimitKey(limiter, subject);

  const row = database
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count })
    .get();
  const count = row.count;

  pruneOldWindows(database, limiter, windowStart);

  if (count > limiter.limit) {
    return { ok: false, count, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + limiter.windowMs - now) / 1000)) };
  }
  return { ok: true, count, remaining: limiter.limit - count };
}

function pruneOldWindows(database: Db, limiter: RateLimiter, windowStart: number): void {
  const cacheKey = `${database.$client.name}\u0000${limiter.name}`;
  if (prunedUpTo.get(cacheKey) === windowStart) return;
  prunedUpTo.set(cacheKey, windowStart);
  // The key range "name:" up to "name;" (";" follows ":") is this limiter's keys only, and walks the primary key.
  database
    .delete(rateLimits)
    .where(
      sql`${rateLimits.key} >= ${`${limiter.name}:`} and ${rateLimits.key} < ${`${limiter.name};`} and ${rateLimits.windowStart} < ${windowStart}`,
    )
    .run();
}
