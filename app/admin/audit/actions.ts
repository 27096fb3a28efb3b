"use server";

import { notFound } from "next/navigation";

import type { VerifyState } from "@/components/audit/verify-form";
import { verifyAuditLog } from "@/db/queries/audit-log";
import { requireEqualityUnitForAction } from "@/lib/auth/equality-unit";
import { clock } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";

// "Verify the log": checks the whole hash chain and records that it was checked ("audit.verified"). Anyone outside
// the Equality Unit gets a 404 before anything is read, and nothing is recorded but the refusal.
export async function verifyAuditLogAction(_prev: VerifyState, _form: FormData): Promise<VerifyState> {
  const viewer = await requireEqualityUnitForAction("audit_log");
  try {
    const result = await verifyAuditLog(viewer);
    return { ok: true, data: { ...result, checkedAt: clock.now().toISOString() } };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}
