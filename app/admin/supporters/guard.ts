import "server-only";

import { notFound } from "next/navigation";

import { requireEqualityUnitForAction as requireEqualityUnitFor } from "@/lib/auth/equality-unit";
import type { SessionUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";

// The roster's server actions can be posted to directly, by anyone signed in: the shared guard asks the database
// whether the poster is in the Equality Unit before the form is read (404 and an audit event for anyone else). The
// data access layer checks again in every statement.
export function requireEqualityUnitForAction(): Promise<SessionUser> {
  return requireEqualityUnitFor("roster");
}

/** A NotFoundError from the data access layer becomes the 404 page; anything else is a real failure. */
export function notFoundOnMissing(error: unknown): never {
  if (error instanceof NotFoundError) notFound();
  throw error;
}
