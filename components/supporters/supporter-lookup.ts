import "server-only";

import { notFound } from "next/navigation";

import { getSupporterProfile, type SupporterProfile } from "@/db/queries/directory";
import { SupporterIdParam } from "@/db/validation/directory";
import type { SessionUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";

// Shared by the profile and the contact page: a malformed id, an unknown one and an unlisted supporter (lapsed,
// retired, deactivated, refresher overdue) are the same 404.
export function profileOr404(viewer: SessionUser, id: string): SupporterProfile {
  const parsed = SupporterIdParam.safeParse(id);
  if (!parsed.success) notFound();
  try {
    return getSupporterProfile(viewer, parsed.data);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}
