"use server";

import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";

import { archiveFeedback, restoreFeedback } from "@/db/queries/feedback";
import { FeedbackArchiveInput } from "@/db/validation/feedback";
import { postedForm } from "@/db/validation/form";
import { audit } from "@/lib/audit";
import { requireEqualityUnitForAction } from "@/lib/auth/equality-unit";
import type { SessionUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";

// Thin actions for the Equality Unit's feedback list. The viewer is checked against the database before the form is
// read, and again in every statement; anything not found (or not theirs to change) is the 404 page.

function denied(viewer: SessionUser): never {
  audit({ actorId: viewer.id, action: "access.denied", objectType: "feedback", outcome: "denied" });
  notFound();
}

function parse(viewer: SessionUser, form: FormData) {
  const parsed = FeedbackArchiveInput.safeParse({ feedbackId: form.get("feedbackId"), page: form.get("page") ?? undefined });
  if (!parsed.success) denied(viewer);
  return parsed.data;
}

function orNotFound(viewer: SessionUser, work: () => void): void {
  try {
    work();
  } catch (error) {
    if (error instanceof NotFoundError) denied(viewer);
    throw error;
  }
}

// Back to the list the item was on, at the same page (the pagination clamps it if that page is now empty).
function back(status: "new" | "archived", page: number, outcome: "archived" | "restored"): never {
  revalidatePath("/admin/feedback");
  const query = new URLSearchParams({ ...(status === "archived" ? { status } : {}), ...(page > 1 ? { page: String(page) } : {}), outcome });
  redirect(`/admin/feedback?${query}`);
}

export async function archiveFeedbackAction(posted: unknown): Promise<void> {
  const form = postedForm(posted);
  const viewer = await requireEqualityUnitForAction("feedback");
  const input = parse(viewer, form);
  orNotFound(viewer, () => archiveFeedback(viewer, input.feedbackId));
  back("new", input.page, "archived");
}

export async function restoreFeedbackAction(posted: unknown): Promise<void> {
  const form = postedForm(posted);
  const viewer = await requireEqualityUnitForAction("feedback");
  const input = parse(viewer, form);
  orNotFound(viewer, () => restoreFeedback(viewer, input.feedbackId));
  back("archived", input.page, "restored");
}
