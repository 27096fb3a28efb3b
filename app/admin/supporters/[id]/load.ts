import "server-only";

import { notFound } from "next/navigation";

import { getRosterSupporter, type RosterSupporter } from "@/db/queries/roster";
import { SupporterIdParam } from "@/db/validation/roster";
import { requireRole, type SessionUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";

// Shared by the supporter's admin pages: Equality Unit only (404 and a denied audit event for anyone else), then the
// supporter, or 404 when the id is malformed or unknown.
export async function loadRosterSupporter(
  params: Promise<{ id: string }>,
  today: string,
): Promise<{ viewer: SessionUser; supporter: RosterSupporter }> {
  const viewer = await requireRole((u) => u.isEqualityUnit, "roster");
  const parsed = SupporterIdParam.safeParse((await params).id);
  if (!parsed.success) notFound();
  try {
    return { viewer, supporter: getRosterSupporter(viewer, parsed.data, today) };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}
