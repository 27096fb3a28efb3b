import { env } from "@/lib/env";

// A state-changing request must come from our own pages. A missing Origin, a foreign one and "null" are refused,
// with one exception: our own Referrer-Policy (no-referrer) makes browsers send "Origin: null" on every plain
// form POST (the Fetch standard), so forms without JavaScript would fail. Those posts also carry
// Sec-Fetch-Site, which the browser sets and no page can forge; "null" is accepted only when it says same-origin.
// Sandboxed frames and cross-site redirects that also produce "null" are marked cross-site and stay refused.
export function isSameOrigin(origin: string | null | undefined, fetchSite?: string | null): boolean {
  if (origin === "null") return fetchSite === "same-origin";
  if (!origin) return false;
  return origin === new URL(env().APP_URL).origin;
}

export function isSameOriginRequest(headers: Pick<Headers, "get">): boolean {
  return isSameOrigin(headers.get("origin"), headers.get("sec-fetch-site"));
}
