import "server-only";

import { notFound } from "next/navigation";

import { assertNetworkAdmin } from "@/db/queries/network-admin";
import { NetworkIdParam } from "@/db/validation/network-admin";
import { audit } from "@/lib/audit";
import { requireRole, requireUserForAction, type SessionUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";

// Network administration is for the Equality Unit alone. Pages use requireRole (404 and an audit event for anyone
// else); actions can be posted to directly by anyone signed in, so they ask the database before reading the form.
// The data access layer checks again in every statement.

export function requireNetworkAdmin(): Promise<SessionUser> {
  return requireRole((user) => user.isEqualityUnit, "network_admin");
}

function denied(viewer: SessionUser): never {
  audit({ actorId: viewer.id, action: "access.denied", objectType: "network_admin", outcome: "denied" });
  notFound();
}

export async function requireNetworkAdminForAction(): Promise<SessionUser> {
  const viewer = await requireUserForAction();
  try {
    assertNetworkAdmin(viewer);
  } catch (error) {
    if (error instanceof NotFoundError) denied(viewer);
    throw error;
  }
  return viewer;
}

/** A NotFoundError from the data access layer becomes the 404 page; anything else is a real failure. */
export function adminOrNotFound<T>(viewer: SessionUser, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof NotFoundError) denied(viewer);
    throw error;
  }
}

export function networkIdOrNotFound(viewer: SessionUser, raw: string): string {
  const parsed = NetworkIdParam.safeParse(raw);
  if (!parsed.success) denied(viewer);
  return parsed.data;
}
