import "server-only";

import { notFound } from "next/navigation";

import { getStaffRecord, type StaffRecord } from "@/db/queries/staff-admin";
import { StaffIdParam } from "@/db/validation/staff-admin";
import { requireEqualityUnit } from "@/lib/auth/equality-unit";
import type { SessionUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";

// Shared by a staff record's pages: Equality Unit only (404 and a denied audit event for anyone else), then the
// record, or 404 when the id is malformed or unknown.
export async function loadStaffRecord(params: Promise<{ id: string }>): Promise<{ viewer: SessionUser; record: StaffRecord }> {
  const viewer = await requireEqualityUnit("staff_record");
  const parsed = StaffIdParam.safeParse((await params).id);
  if (!parsed.success) notFound();
  try {
    return { viewer, record: getStaffRecord(viewer, parsed.data) };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}
