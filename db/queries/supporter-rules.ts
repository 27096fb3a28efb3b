import { and, eq, gt, gte, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";

import { supporters, users } from "../schema";

// SQL pieces of the roster rules, shared by every query that lists or picks supporters. Queries using them must
// join users on users.id = supporters.user_id.

// A supporter's requests in these statuses count against their capacity. supporters.open_requests holds how many
// they have, kept by triggers on support_requests (migration 0012, which lists the same statuses).
export const OPEN_REQUEST_STATUSES = ["new", "acknowledged", "in_progress", "handover_pending"] as const;


// Shown in the directory and reachable by profile URL: on the roster (active or paused), refresher not overdue
// (even before maintenance has lapsed them) and the account not deactivated.
export function listedOn(today: string): SQL {
  return and(
    inArray(supporters.status, ["active", "paused"]),
    gte(supporters.refresherDue, today),
    isNull(users.deactivatedAt),
  ) as SQL;
}

// Paused today; the same rule as lib/availability.
export function pausedOn(today: string): SQL {
  return and(eq(supporters.status, "paused"), or(isNull(supporters.pausedUntil), gt(supporters.pausedUntil, today))) as SQL;
}

// Can take a new request today.
export function availableOn(today: string): SQL {
  return and(listedOn(today), sql`not (${pausedOn(today)})`, lt(supporters.openRequests, supporters.capacity)) as SQL;
}
