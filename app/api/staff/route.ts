import { NextResponse, type NextRequest } from "next/server";
import * as z from "zod";

import { searchStaff, STAFF_SEARCH_MAX_LENGTH, STAFF_SEARCH_MIN_LENGTH } from "@/db/queries/staff";
import { currentUser } from "@/lib/auth/session";
import { hitMemoryRateLimit, STAFF_SEARCH_LIMIT } from "@/lib/rate-limit";

// The staff picker's typeahead. Signed-in staff only, answered as JSON (an API call is never redirected to sign-in),
// never cached, rate-limited per person, and the search term is neither logged nor audited: who looked for whom is
// itself sensitive (a request can name people who must not be involved). Going over the limit is audited (by the
// limiter, once a window: rate_limit.refused, the person and "staff_search", nothing searched for).

const NO_STORE = { "Cache-Control": "no-store" };

const Query = z.object({
  q: z
    .string()
    .trim()
    .min(STAFF_SEARCH_MIN_LENGTH, { error: `Type at least ${STAFF_SEARCH_MIN_LENGTH} letters of their name` })
    .max(STAFF_SEARCH_MAX_LENGTH, { error: `Type no more than ${STAFF_SEARCH_MAX_LENGTH} characters` }),
});

function error(status: number, message: string, headers: Record<string, string> = {}): NextResponse {
  return NextResponse.json({ error: message }, { status, headers: { ...NO_STORE, ...headers } });
}

export async function GET(request: NextRequest): Promise<NextResponse> {
  const viewer = await currentUser();
  if (!viewer) return error(401, "Sign in to search for staff");

  const limit = hitMemoryRateLimit(STAFF_SEARCH_LIMIT, viewer.id, { actorId: viewer.id });
  if (!limit.ok) {
    return error(429, "Too many searches. Wait a minute and try again", { "Retry-After": String(limit.retryAfterSeconds) });
  }

  const parsed = Query.safeParse({ q: request.nextUrl.searchParams.get("q") ?? "" });
  if (!parsed.success) return error(400, parsed.error.issues[0]?.message ?? "Check your search");

  const results = searchStaff(viewer, parsed.data.q);
  return NextResponse.json({ results }, { headers: NO_STORE });
}
