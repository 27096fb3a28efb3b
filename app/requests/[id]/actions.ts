"use server";

import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import * as z from "zod";

import type { RequestDone } from "@/components/requests/done-banner";
import {
  acknowledgeRequest,
  addMessage,
  answerHandover,
  closeRequest,
  declineRequest,
  eraseRequestNow,
  proposeHandover,
  RequestStateError,
  startRequest,
  withdrawRequest,
} from "@/db/queries/requests";
import { postedForm, savedOrRefused } from "@/db/validation/form";
import { CloseInput, DeclineInput, HandoverInput, MessageInput, RequestId } from "@/db/validation/requests";
import { requireUserForAction, type SessionUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { deliverPendingMailSoon } from "@/lib/mail";

// Thin actions for /requests/[id]: who is asking, then zod, then the data access layer, which checks in SQL that
// the person is the requester or the assigned supporter (anyone else gets the same 404 as a missing request, and
// it is audited there). Success sends the person back to the request with a banner; a change that does not fit
// the request's state comes back as a message on the form.

export type RequestForm = "reply" | "acknowledge" | "start" | "close" | "decline" | "handover" | "answer" | "withdraw" | "erase";

export type RequestFormState =
  | {
      ok: false;
      form: RequestForm;
      error: string;
      fieldErrors?: Record<string, string[] | undefined>;
      /** What the person typed, so a refused message or reason is not lost. */
      values?: { body?: string; reason?: string };
      /** When it was refused, so the page shows only the latest problem. */
      at: number;
    }
  | undefined;

// Answers to the two questions these forms ask that have no schema of their own in db/validation/requests.
const HandoverAnswer = z.object({ answer: z.enum(["yes", "no"], { error: "Choose yes or no" }) });
const EraseConfirmation = z.object({
  confirm: z.literal("yes", { error: "Confirm that you understand your request will be permanently deleted" }),
});

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

// A request id that is not even well formed cannot belong to anyone: the same 404 as every other.
function requestIdFrom(form: FormData): string {
  const parsed = RequestId.safeParse(form.get("requestId"));
  if (!parsed.success) notFound();
  return parsed.data;
}

function refused(form: RequestForm, error: string, extra: Partial<NonNullable<RequestFormState>> = {}): RequestFormState {
  return { ok: false, form, error, ...extra, at: Date.now() };
}

function invalid(form: RequestForm, error: z.ZodError, values?: { body?: string; reason?: string }): RequestFormState {
  return refused(form, "Check the form", { fieldErrors: z.flattenError(error).fieldErrors, values });
}

// Runs the change; a state that does not allow it, or the database refusing to save it, becomes the form's message
// (with what was typed). Returns undefined on success.
async function attempt(form: RequestForm, change: () => void, values?: { body?: string; reason?: string }): Promise<RequestFormState> {
  try {
    const saved = await savedOrRefused(change);
    return saved.ok ? undefined : refused(form, saved.error, { values });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    if (error instanceof RequestStateError) return refused(form, error.message, { values });
    throw error;
  }
}

function finish(requestId: string, done: RequestDone): never {
  deliverPendingMailSoon();
  revalidatePath(`/requests/${requestId}`);
  revalidatePath("/requests");
  revalidatePath("/inbox");
  redirect(`/requests/${requestId}?done=${done}`);
}

type Prepared = { viewer: SessionUser; requestId: string };

async function prepare(form: FormData): Promise<Prepared> {
  const viewer = await requireUserForAction();
  return { viewer, requestId: requestIdFrom(form) };
}

export async function replyAction(_prev: RequestFormState, posted: unknown): Promise<RequestFormState> {
  const form = postedForm(posted);
  const { viewer, requestId } = await prepare(form);
  const values = { body: text(form, "body") };
  const parsed = MessageInput.safeParse({ requestId, body: values.body });
  if (!parsed.success) return invalid("reply", parsed.error, values);
  const failed = await attempt("reply", () => addMessage(viewer, requestId, parsed.data.body), values);
  if (failed) return failed;
  finish(requestId, "replied");
}

export async function acknowledgeAction(_prev: RequestFormState, posted: unknown): Promise<RequestFormState> {
  const form = postedForm(posted);
  const { viewer, requestId } = await prepare(form);
  const failed = await attempt("acknowledge", () => acknowledgeRequest(viewer, requestId));
  if (failed) return failed;
  finish(requestId, "acknowledged");
}

export async function startAction(_prev: RequestFormState, posted: unknown): Promise<RequestFormState> {
  const form = postedForm(posted);
  const { viewer, requestId } = await prepare(form);
  const failed = await attempt("start", () => startRequest(viewer, requestId));
  if (failed) return failed;
  finish(requestId, "started");
}

export async function closeAction(_prev: RequestFormState, posted: unknown): Promise<RequestFormState> {
  const form = postedForm(posted);
  const { viewer, requestId } = await prepare(form);
  const parsed = CloseInput.safeParse({ requestId, outcome: form.get("outcome") ?? undefined });
  if (!parsed.success) return invalid("close", parsed.error);
  const failed = await attempt("close", () => closeRequest(viewer, requestId, parsed.data.outcome));
  if (failed) return failed;
  finish(requestId, "closed");
}

export async function declineAction(_prev: RequestFormState, posted: unknown): Promise<RequestFormState> {
  const form = postedForm(posted);
  const { viewer, requestId } = await prepare(form);
  const values = { reason: text(form, "reason") };
  const parsed = DeclineInput.safeParse({ requestId, reason: values.reason });
  if (!parsed.success) return invalid("decline", parsed.error, values);
  const failed = await attempt("decline", () => declineRequest(viewer, requestId, parsed.data.reason), values);
  if (failed) return failed;
  finish(requestId, "declined");
}

export async function proposeHandoverAction(_prev: RequestFormState, posted: unknown): Promise<RequestFormState> {
  const form = postedForm(posted);
  const { viewer, requestId } = await prepare(form);
  const parsed = HandoverInput.safeParse({ requestId, supporterId: form.get("supporterId") ?? undefined });
  if (!parsed.success) return invalid("handover", parsed.error);
  const failed = await attempt("handover", () => proposeHandover(viewer, requestId, parsed.data.supporterId));
  if (failed) return failed;
  finish(requestId, "handover_proposed");
}

export async function answerHandoverAction(_prev: RequestFormState, posted: unknown): Promise<RequestFormState> {
  const form = postedForm(posted);
  const { viewer, requestId } = await prepare(form);
  const parsed = HandoverAnswer.safeParse({ answer: form.get("answer") ?? undefined });
  if (!parsed.success) return invalid("answer", parsed.error);
  const consent = parsed.data.answer === "yes";
  const failed = await attempt("answer", () => answerHandover(viewer, requestId, consent));
  if (failed) return failed;
  finish(requestId, consent ? "handover_accepted" : "handover_refused");
}

export async function withdrawAction(_prev: RequestFormState, posted: unknown): Promise<RequestFormState> {
  const form = postedForm(posted);
  const { viewer, requestId } = await prepare(form);
  const failed = await attempt("withdraw", () => withdrawRequest(viewer, requestId));
  if (failed) return failed;
  finish(requestId, "withdrawn");
}

export async function eraseAction(_prev: RequestFormState, posted: unknown): Promise<RequestFormState> {
  const form = postedForm(posted);
  const { viewer, requestId } = await prepare(form);
  const parsed = EraseConfirmation.safeParse({ confirm: form.get("confirm") ?? undefined });
  if (!parsed.success) return invalid("erase", parsed.error);
  const failed = await attempt("erase", () => eraseRequestNow(viewer, requestId));
  if (failed) return failed;
  finish(requestId, "erased");
}
