import "server-only";

import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";

import { loadSessionUser } from "@/db/queries/users";
import type { TextSize } from "@/db/schema";
import { audit } from "@/lib/audit";
import { sessionOwner } from "@/lib/auth/session-adapter";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { isSameOriginRequest } from "@/lib/security/origin";

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  textSize: TextSize;
  isEqualityUnit: boolean;
  /** Set while the person is on the roster as active or paused. */
  supporterId: string | null;
  /** Networks this person coordinates. */
  coordinates: { slug: string; name: string }[];
};

// The signed-in person, or null. Roles come from the database on every request.
//
// The session cookie is looked up through the same adapter and the same rules as Auth.js' auth() uses
// (lib/auth/session-adapter.ts: the token's hash, the idle and absolute lifetimes, a deactivated account), without
// auth()'s detour through an internal /api/auth/session request and response, which cost more than the lookup
// itself on every page and every keystroke of the staff search. Sliding the idle timeout stays with Auth.js, in
// proxy.ts, which runs auth() before every page.
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const token = (await cookies()).get(sessionCookieName())?.value;
  const id = token ? sessionOwner(token) : null;
  return id ? loadSessionUser(id) : null;
});

const MAX_RETURN_PATH = 2_000;

// Every page, action and route handler starts here. Without a session, go to sign-in and come back afterwards.
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) {
    const path = (await headers()).get("x-confide-path") ?? "/";
    // No real page has a path this long; carried into the Location header, it would overflow what clients accept.
    redirect(path.length > MAX_RETURN_PATH ? "/signin" : `/signin?callbackUrl=${encodeURIComponent(path)}`);
  }
  return user;
}

// Server actions change data, so they also refuse a missing, "null" or foreign Origin (defence in depth behind
// the same check in proxy.ts, which is never relied on alone).
export async function requireUserForAction(): Promise<SessionUser> {
  if (!isSameOriginRequest(await headers())) {
    audit({ actorId: null, action: "request.origin_rejected", outcome: "denied" });
    notFound();
  }
  return requireUser();
}

// For pages that only some roles may see: anyone else gets the same 404 as for a missing page.
export async function requireRole(check: (user: SessionUser) => boolean, objectType: string): Promise<SessionUser> {
  const user = await requireUser();
  if (!check(user)) {
    audit({ actorId: user.id, action: "access.denied", objectType, outcome: "denied" });
    notFound();
  }
  return user;
}
