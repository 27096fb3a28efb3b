import type { NextRequest } from "next/server";

import { handlers } from "@/auth";

// Auth.js' own endpoints (the OIDC callback among them). They establish the session, so they cannot require one.
//
// Auth.js answers a callbackUrl it cannot parse (in the query string, or in its callback cookie) with a 500 "problem
// with the server configuration", as if our set-up were wrong. Only a hand-made request sends one, so it is turned
// down first as the bad request it is, with Auth.js' own 400 answer. The test is Auth.js' own (an http(s) URL, or a
// path on this site); where a valid one may lead is still Auth.js' and lib/auth/callback.ts's to decide.
function parsesAsHttpUrl(value: string, origin: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

function unusableCallback(request: NextRequest): Response | null {
  const values = [
    ...request.nextUrl.searchParams.getAll("callbackUrl"),
    ...request.cookies
      .getAll()
      .filter((cookie) => cookie.name.endsWith("confide.callback"))
      .map((cookie) => cookie.value),
  ];
  const bad = values.some((value) => value !== "" && !parsesAsHttpUrl(value, request.nextUrl.origin));
  return bad ? Response.json("Bad request.", { status: 400 }) : null;
}

export async function GET(request: NextRequest): Promise<Response> {
  return unusableCallback(request) ?? handlers.GET(request);
}

export async function POST(request: NextRequest): Promise<Response> {
  return unusableCallback(request) ?? handlers.POST(request);
}
