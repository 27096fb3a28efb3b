"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import * as z from "zod";

import { FEEDBACK_LIMIT, sendFeedback } from "@/db/queries/feedback";
import { feedbackFormInput, feedbackValues, FeedbackInput, type FeedbackFormState } from "@/db/validation/feedback";
import { postedForm, savedOrRefused } from "@/db/validation/form";
import { requireUserForAction } from "@/lib/auth/session";

// Anyone signed in may send feedback. The confirmation is a page of its own (post, redirect, get), so reloading it
// cannot send the feedback twice, and its address says nothing about what was sent or whether it was anonymous.
export async function sendFeedbackAction(_prev: FeedbackFormState, posted: unknown): Promise<FeedbackFormState> {
  const form = postedForm(posted);
  const viewer = await requireUserForAction();
  const values = feedbackValues(form);
  const parsed = FeedbackInput.safeParse(feedbackFormInput(form));
  if (!parsed.success) {
    return { ok: false, error: "Check your feedback", fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  }
  const saved = await savedOrRefused(() => sendFeedback(viewer, parsed.data));
  if (!saved.ok) return { ...saved, values };
  const result = saved.data;
  if (!result.ok) {
    const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
    const error = `You can send feedback up to ${FEEDBACK_LIMIT.limit} times an hour. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
    return { ok: false, error, fieldErrors: { body: [error] }, values };
  }
  revalidatePath("/admin/feedback");
  redirect("/feedback/sent");
}
