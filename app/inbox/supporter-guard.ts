import "server-only";

import { notFound } from "next/navigation";

import { audit } from "@/lib/audit";
import { requireRole, requireUserForAction, type SessionUser } from "@/lib/auth/session";

// /inbox is for people on the roster as active or paused. Everyone else, lapsed and retired supporters included,
// gets the same 404 as for a page that does not exist. The data access layer checks again in every statement;
// these early checks only keep an action's validation messages from answering someone who may not use it.

const isSupporter = (user: SessionUser) => user.supporterId !== null;

export function requireSupporter(): Promise<SessionUser> {
  return requireRole(isSupporter, "supporter");
}

export async function requireSupporterForAction(): Promise<SessionUser> {
  const viewer = await requireUserForAction();
  if (!isSupporter(viewer)) {
    audit({ actorId: viewer.id, action: "access.denied", objectType: "supporter", outcome: "denied" });
    notFound();
  }
  return viewer;
}
