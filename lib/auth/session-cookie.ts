import { env } from "@/lib/env";

// Over HTTPS the session cookie gets the __Host- prefix: Secure, no Domain, Path=/, so it cannot be set or read by a
// sibling subdomain on the intranet. Named here for auth.ts' configuration and for lib/auth/session.ts, which reads it.
export function cookiePrefix(): string {
  return new URL(env().APP_URL).protocol === "https:" ? "__Host-" : "";
}

export function sessionCookieName(): string {
  return `${cookiePrefix()}confide.session`;
}
