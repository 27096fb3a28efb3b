import "server-only";

import { notFound } from "next/navigation";

import { viewerIsEqualityUnitNow } from "@/db/queries/roster";
import { audit } from "@/lib/audit";
import { requireUserForAction, type SessionUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";

// The roster's server actions can be posted to directly, by anyone signed in, whatever page they came from. Before
// reading the form, ask the database whether the poster is in the Equality Unit; anyone else gets the same 404 as a
// page that does not exist. The data access layer checks again in every statement.
export async function requireEqualityUnitForAction(): Promise<SessionUser> {
  const viewer = await requireUserForAction();
  if (!viewerIsEqualityUnitNow(viewer)) {
    audit({ actorId: viewer.id, action: "access.denied", objectType: "roster", outcome: "denied" });
    notFound();
  }
  return viewer;
}

/** A NotFoundError from the data access layer becomes the 404 page; anything else is a real failure. */
export function notFoundOnMissing(error: unknown): never {
  if (error instanceof NotFoundError) notFound();
  throw error;
}
