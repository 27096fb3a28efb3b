"use server";

import { notFound } from "next/navigation";

import type { VerifyState } from "@/components/audit/verify-form";
import { verifyAuditLog } from "@/db/queries/audit-log";
import { savedOrRefused } from "@/db/validation/form";
import { requireEqualityUnitForAction } from "@/lib/auth/equality-unit";
import { clock } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";

// "Verify the log": checks the whole hash chain and records that it was checked ("audit.verified"). Anyone outside
// the Equality Unit gets a 404 before anything is read, and nothing is recorded but the refusal.
export async function verifyAuditLogAction(_prev: VerifyState, _form: FormData): Promise<VerifyState> {
  const viewer = await requireEqualityUnitForAction("audit_log");
  try {
    const saved = await savedOrRefused(() => verifyAuditLog(viewer));
    if (!saved.ok) return saved;
    return { ok: true, data: { ...saved.data, checkedAt: clock.now().toISOString() } };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}
