import { randomBytes } from "node:crypto";

import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";

import type { Session } from "next-auth";

import { auth } from "@/auth";
import { audit } from "@/lib/audit";
import { env } from "@/lib/env";
import { newErrorReference } from "@/lib/log";
import { isSameOriginRequest } from "@/lib/security/origin";

// The proxy sets per-request security headers, refuses cross-origin writes early and, by running `auth`, re-issues
// the session cookie so the idle timeout slides in the browser too. It is never the security check for data:
// every page, action and route handler calls requireUser() and the data access layer checks permission in SQL.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function contentSecurityPolicy(nonce: string): string {
  const { AUTH_OIDC_ISSUER, APP_URL, NODE_ENV } = env();
  const dev = NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self'${dev ? " 'unsafe-inline'" : ""}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    // Sign-out posts to us and is redirected on to the identity provider's end-session page.
    `form-action 'self' ${new URL(AUTH_OIDC_ISSUER).origin}`,
    "frame-ancestors 'none'",
    ...(new URL(APP_URL).protocol === "https:" ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

// Typed with the event so Auth.js picks its proxy overload rather than the route-handler one.
const handle = (request: NextRequest & { auth: Session | null }, _event: NextFetchEvent): NextResponse => {
  if (!SAFE_METHODS.has(request.method) && !isSameOriginRequest(request.headers)) {
    audit({ actorId: null, action: "request.origin_rejected", outcome: "denied" });
    return new NextResponse("Forbidden", { status: 403, headers: { "Cache-Control": "no-store" } });
  }
  const nonce = randomBytes(16).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  const requestId = newErrorReference();
  requestHeaders.set("x-request-id", requestId);
  // Next.js reads the nonce for its own scripts from the request's CSP header.
  requestHeaders.set("content-security-policy", csp);
  // requireUser() sends people back here after sign-in; the path only, never the query string.
  requestHeaders.set("x-confide-path", request.nextUrl.pathname);
  // A plain form post from our own page arrives with "Origin: null" (our no-referrer policy) and has just been
  // verified as same-origin by Sec-Fetch-Site; name the origin so that Next.js' own server-action check, which
  // refuses "null", accepts it too. Anything else keeps the Origin it came with.
  if (request.headers.get("origin") === "null" && !SAFE_METHODS.has(request.method)) {
    requestHeaders.set("origin", new URL(env().APP_URL).origin);
  }
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("X-Request-Id", requestId);
  return response;
};

// Auth.js' configuration is built lazily (so `next build` needs no secrets), and then auth(handler) hands the
// wrapped handler back in a promise even though its type says otherwise.
const withSession = Promise.resolve(auth(handle));

// A path whose percent-escapes do not decode (%FF, an escaped lone surrogate, %zz) reaches no page: Next.js' own
// router would answer it with a bare 500. It is a bad request, and said so.
function pathDecodes(request: NextRequest): boolean {
  try {
    decodeURIComponent(request.nextUrl.pathname);
    return true;
  } catch {
    return false;
  }
}

export async function proxy(request: NextRequest, event: NextFetchEvent) {
  if (!pathDecodes(request)) return new NextResponse("Bad request", { status: 400, headers: { "Cache-Control": "no-store" } });
  return (await withSession)(request, event);
}

export const config = {
  // Static build output is public and cacheable; everything else goes through the proxy, except the staff search.
  // That is fetched as someone types, a GET answered as JSON: it needs no nonce or CSP, no session sliding (the page
  // they type on did that) and no cross-origin check (it changes nothing), and the route checks the session itself
  // (currentUser, 401 without one). Running the proxy too was about a sixth of each keystroke's cost.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|assets/|api/staff).*)"],
};
