import { sql } from "drizzle-orm";

import { db as defaultDb, type Db } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { appendAudit } from "./audit";
import { clock } from "./clock";

// Fixed-window rate limits, in two kinds:
// - hitRateLimit keeps every count in the database (the rate_limits table), so that every server process and every
//   restart counts against the same windows: for limits that must hold across a restart (feedback, 5 an hour). A
//   window is one row per key; the count goes up in a single upsert, which SQLite runs atomically, so two requests at
//   the same moment can never both read the same count. Each hit is a write transaction with an fsync. Its caller
//   audits a refusal, because only the caller knows whether the person may be named (anonymous feedback may not).
// - hitMemoryRateLimit counts in this process's memory, for limits hit several times a second that only protect the
//   server (the staff search, 30 a minute), and audits the refusal itself. See there.
// (Sending a request has its own limit, 5 an hour, counted from the requests themselves in createRequest.)

export type RateLimiter = {
  /** Names the limiter in its keys; no colon. Old windows are pruned per limiter. */
  name: string;
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  /** The object type in the audit event of a refusal, where the limiter writes one (hitMemoryRateLimit). */
  objectType?: string;
};

export type RateLimitResult =
  | { ok: true; count: number; remaining: number }
  | { ok: false; count: number; retryAfterSeconds: number };

// Staff search: a person typing in the picker sends a few requests a second at most; 30 a minute is generous for
// that and stops anyone paging through the whole staff list by script. Counted in memory (hitMemoryRateLimit).
export const STAFF_SEARCH_LIMIT: RateLimiter = { name: "staff-search", limit: 30, windowMs: 60_000, objectType: "staff_search" };

/** The audit action of a refusal: who was refused, for what kind of thing; never what they asked for. */
export const RATE_LIMIT_REFUSED = "rate_limit.refused";

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

// ---------------------------------------------------------------------------------------------------------------
// Counted in memory
// ---------------------------------------------------------------------------------------------------------------

// Confide runs as one server process (DESIGN: one small server), so a count kept here sees every request. A database
// write (and fsync) for each keystroke of a typeahead cost more than the search itself and queued every other write
// behind it. What is lost on a restart is at most one minute's count of searches, which only lets someone search
// again early: acceptable for a limit that protects the server rather than records anything. The one thing kept
// in the database is a refusal: when someone first goes over the limit in a window, that count is written to
// rate_limits (one write per person and window, and only for someone being refused), and a process that has not
// counted this person yet in the window starts from it, so a restart does not lift a refusal.
//
// That same write appends the audit event (rate_limit.refused, with the person and the limiter's object type, never
// the search term): once per person and window, not once per refused request. A script hammering the search after
// its refusal would otherwise turn every refused request into a locked, fsynced write to the audit chain, the very
// load the limit is there to stop, and grow the log without bound; the one event already says who went over the
// limit and when, and the window says for how long.

type MemoryWindow = { windowStart: number; counts: Map<string, number> };

// Per database file and limiter: the current window and each subject's count in it. Windows start on whole multiples of windowMs
// for everyone, so a new window replaces the old one's counts all at once: nothing grows past one window's people.
const memoryWindows = new Map<string, MemoryWindow>();

/**
 * Counts one request by `subject` in this process's memory and says whether it is within the limit. `actorId` is the
 * person the audit event of a refusal names (null when nobody may be named).
 */
export function hitMemoryRateLimit(
  limiter: RateLimiter,
  subject: string,
  options: { now?: Date; db?: Db; actorId?: string | null } = {},
): RateLimitResult {
  const database = options.db ?? defaultDb;
  const now = (options.now ?? clock.now()).getTime();
  const windowStart = now - (now % limiter.windowMs);
  const windowKey = `${database.$client.name}\u0000${limiter.name}`;
  let current = memoryWindows.get(windowKey);
  if (current?.windowStart !== windowStart) {
    current = { windowStart, counts: new Map() };
    memoryWindows.set(windowKey, current);
  }
  const key = rateLimitKey(limiter, subject);
  const count = (current.counts.get(subject) ?? recordedRefusal(database, key, windowStart)) + 1;
  current.counts.set(subject, count);

  if (count > limiter.limit) {
    if (count === limiter.limit + 1) recordRefusal(database, limiter, key, windowStart, count, options.actorId ?? null);
    return { ok: false, count, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + limiter.windowMs - now) / 1000)) };
  }
  return { ok: true, count, remaining: limiter.limit - count };
}

// A point read on the primary key, without a lock: once per person and window in this process.
function recordedRefusal(database: Db, key: string, windowStart: number): number {
  const row = database
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(sql`${rateLimits.key} = ${key} and ${rateLimits.windowStart} = ${windowStart}`)
    .get();
  return row?.count ?? 0;
}

function recordRefusal(database: Db, limiter: RateLimiter, key: string, windowStart: number, count: number, actorId: string | null): void {
  database.transaction(
    (tx) => {
      tx.insert(rateLimits)
        .values({ key, windowStart, count })
        .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`max(${rateLimits.count}, excluded.count)` } })
        .run();
      appendAudit(tx, { actorId, action: RATE_LIMIT_REFUSED, objectType: limiter.objectType ?? limiter.name, outcome: "denied" });
    },
    { behavior: "immediate" },
  );
  pruneOldWindows(database, limiter, windowStart);
}
