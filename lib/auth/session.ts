import "server-only";

import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";

import { auth } from "@/auth";
import { loadSessionUser } from "@/db/queries/users";
import type { TextSize } from "@/db/schema";
import { audit } from "@/lib/audit";
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
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
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
