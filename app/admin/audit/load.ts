import "server-only";

import { notFound } from "next/navigation";

import { resolveActor, type ResolvedFilter } from "@/db/queries/audit-log";
import type { AuditLogQuery } from "@/db/validation/audit-log";
import type { SessionUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";

/** A NotFoundError from the data access layer (a role revoked a moment ago) becomes the 404 page. */
export function orNotFound<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

/**
 * The page's and the download's filter, with the person named in it resolved to their id. Any problem (a bad date,
 * an unknown person) is a message for the form, and then there is no filter to run.
 */
export function resolveFilter(viewer: SessionUser, query: AuditLogQuery): { filter: ResolvedFilter | null; errors: AuditLogQuery["errors"] } {
  const errors = { ...query.errors };
  const { actor, ...rest } = query.filter;
  let actorId: string | undefined;
  if (actor !== undefined && !errors.actor) {
    const match = orNotFound(() => resolveActor(viewer, actor));
    if (match.ok) actorId = match.userId;
    else errors.actor = match.error;
  }
  if (Object.keys(errors).length > 0) return { filter: null, errors };
  return { filter: actorId === undefined ? rest : { ...rest, actorId }, errors };
}
