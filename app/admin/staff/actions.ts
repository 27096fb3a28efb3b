"use server";

import { randomUUID } from "node:crypto";

import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";

import {
  grantEqualityUnit,
  markLeaver,
  reinstateLeaver,
  revokeEqualityUnit,
  type StaffResult,
} from "@/db/queries/staff-admin";
import { postedForm, savedOrRefused } from "@/db/validation/form";
import { StaffActionInput } from "@/db/validation/staff-admin";
import { requireEqualityUnitForAction } from "@/lib/auth/equality-unit";
import type { SessionUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { deliverPendingMailSoon } from "@/lib/mail";

// Thin actions for staff records. The poster is checked against the database before the form is read (anyone
// outside the Equality Unit gets the 404 page and an audit event), and again inside each write's transaction.

/** A refusal that changed nothing, shown on the form; `submission` moves focus to the summary again each time. */
export type StaffActionState = { ok: false; error: string; submission: string } | undefined;

const OBJECT_TYPE = "staff_record";

function userIdOf(form: FormData): string {
  const parsed = StaffActionInput.safeParse({ userId: form.get("userId") });
  if (!parsed.success) notFound();
  return parsed.data.userId;
}

// Runs the change: a missing record is the 404 page; a refusal, the database's included, is the form's message.
async function change<T>(run: () => StaffResult<T>): Promise<StaffResult<T>> {
  try {
    const saved = await savedOrRefused(run);
    return saved.ok ? saved.data : saved;
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

function refused(result: Extract<StaffResult<unknown>, { ok: false }>): StaffActionState {
  return { ok: false, error: result.error, submission: randomUUID() };
}

// A leaver leaves the directory, networks' contact lists and the roster; the admin lists show the change too.
function refresh(): void {
  revalidatePath("/admin", "layout");
  revalidatePath("/supporters", "layout");
  revalidatePath("/networks", "layout");
}

async function start(form: FormData): Promise<{ viewer: SessionUser; userId: string }> {
  const viewer = await requireEqualityUnitForAction(OBJECT_TYPE);
  return { viewer, userId: userIdOf(form) };
}

export async function markLeaverAction(_prev: StaffActionState, posted: unknown): Promise<StaffActionState> {
  const form = postedForm(posted);
  const { viewer, userId } = await start(form);
  const result = await change(() => markLeaver(viewer, userId));
  if (!result.ok) return refused(result);
  // Requesters and supporters were notified in the transaction; their (content-free) emails go now.
  deliverPendingMailSoon();
  refresh();
  redirect(`/admin/staff/${userId}?done=left&released=${result.data.releasedRequests}`);
}

export async function reinstateAction(_prev: StaffActionState, posted: unknown): Promise<StaffActionState> {
  const form = postedForm(posted);
  const { viewer, userId } = await start(form);
  const result = await change(() => reinstateLeaver(viewer, userId));
  if (!result.ok) return refused(result);
  refresh();
  redirect(`/admin/staff/${userId}?done=reinstated`);
}

export async function grantEqualityUnitAction(_prev: StaffActionState, posted: unknown): Promise<StaffActionState> {
  const form = postedForm(posted);
  const { viewer, userId } = await start(form);
  const result = await change(() => grantEqualityUnit(viewer, userId));
  if (!result.ok) return refused(result);
  refresh();
  redirect(`/admin/staff/${userId}?done=granted`);
}

export async function revokeEqualityUnitAction(_prev: StaffActionState, posted: unknown): Promise<StaffActionState> {
  const form = postedForm(posted);
  const { viewer, userId } = await start(form);
  const result = await change(() => revokeEqualityUnit(viewer, userId));
  if (!result.ok) return refused(result);
  refresh();
  // Someone who has just removed the role from themselves can no longer open the console.
  redirect(userId === viewer.id ? "/" : `/admin/staff/${userId}?done=revoked`);
}
