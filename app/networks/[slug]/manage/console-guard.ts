import "server-only";

import { notFound } from "next/navigation";

import { auditConsoleDenied } from "@/db/queries/network-console";
import { MembershipIdParam, NetworkSlugParam } from "@/db/validation/network-console";
import type { SessionUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";

// The console's pages, actions and export answer "not found" the same way whether the network does not exist,
// is archived, or the viewer does not coordinate it.

export function refuse(viewer: SessionUser): never {
  auditConsoleDenied(viewer);
  notFound();
}

export function orNotFound<T>(viewer: SessionUser, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof NotFoundError) refuse(viewer);
    throw error;
  }
}

export function slugOrNotFound(viewer: SessionUser, raw: string): string {
  const parsed = NetworkSlugParam.safeParse(raw);
  if (!parsed.success) refuse(viewer);
  return parsed.data;
}

export function membershipIdOrNotFound(viewer: SessionUser, raw: string): string {
  const parsed = MembershipIdParam.safeParse(raw);
  if (!parsed.success) refuse(viewer);
  return parsed.data;
}
