import "server-only";

import { notFound } from "next/navigation";

import { viewerIsEqualityUnitNow } from "@/db/queries/roster";
import { audit } from "@/lib/audit";
import { requireRole, requireUserForAction, type SessionUser } from "@/lib/auth/session";

// The Equality Unit console's guards. Pages: anyone else gets the same 404 as for a page that does not exist, and
// an audit event. Server actions and route handlers can be called directly by anyone signed in, so they ask the
// database before reading the input. The data access layer checks again in every statement (viewerIsEqualityUnit).

export function requireEqualityUnit(objectType: string): Promise<SessionUser> {
  return requireRole((user) => user.isEqualityUnit, objectType);
}

export async function requireEqualityUnitForAction(objectType: string): Promise<SessionUser> {
  const viewer = await requireUserForAction();
  if (!viewerIsEqualityUnitNow(viewer)) {
    audit({ actorId: viewer.id, action: "access.denied", objectType, outcome: "denied" });
    notFound();
  }
  return viewer;
}
