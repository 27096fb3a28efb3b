"use server";

import { randomUUID } from "node:crypto";

import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import * as z from "zod";

import { changeSupporterStatus, updateSupporterProfile } from "@/db/queries/roster";
import { postedForm, savedOrRefused, type Saved } from "@/db/validation/form";
import {
  changeStatusSchema,
  editSupporterSchema,
  profileFormValues,
  statusFormValues,
  SupporterIdParam,
  type StatusFormValues,
} from "@/db/validation/roster";
import type { ActionResult } from "@/lib/action-result";
import { today } from "@/lib/clock";
import type { ProfileFormState } from "../new/actions";
import { notFoundOnMissing, requireEqualityUnitForAction } from "../guard";

export type StatusFormState =
  | (Extract<ActionResult, { ok: false }> & { values: StatusFormValues; submission: string })
  | undefined;

function supporterIdOf(form: FormData): string {
  const parsed = SupporterIdParam.safeParse(form.get("supporterId"));
  if (!parsed.success) notFound();
  return parsed.data;
}

function done(supporterId: string, what: "updated" | "status"): never {
  revalidatePath("/admin/supporters", "layout");
  revalidatePath("/supporters", "layout");
  redirect(`/admin/supporters/${supporterId}?done=${what}`);
}

export async function updateSupporterAction(_prev: ProfileFormState, posted: unknown): Promise<ProfileFormState> {
  const form = postedForm(posted);
  const viewer = await requireEqualityUnitForAction();
  const supporterId = supporterIdOf(form);
  const values = profileFormValues(form);
  const parsed = editSupporterSchema(today()).safeParse(values);
  if (!parsed.success) {
    return { ok: false, error: "Check the supporter's details", fieldErrors: z.flattenError(parsed.error).fieldErrors, values, submission: randomUUID() };
  }
  let saved: Saved<void>;
  try {
    saved = await savedOrRefused(() => updateSupporterProfile(viewer, supporterId, parsed.data));
  } catch (error) {
    notFoundOnMissing(error);
  }
  if (!saved.ok) return { ...saved, values, submission: randomUUID() };
  done(supporterId, "updated");
}

export async function changeStatusAction(_prev: StatusFormState, posted: unknown): Promise<StatusFormState> {
  const form = postedForm(posted);
  const viewer = await requireEqualityUnitForAction();
  const supporterId = supporterIdOf(form);
  const values = statusFormValues(form);
  const day = today();
  const parsed = changeStatusSchema(day).safeParse(values);
  if (!parsed.success) {
    return { ok: false, error: "Check the status change", fieldErrors: z.flattenError(parsed.error).fieldErrors, values, submission: randomUUID() };
  }
  let saved: Saved<ReturnType<typeof changeSupporterStatus>>;
  try {
    saved = await savedOrRefused(() => changeSupporterStatus(viewer, supporterId, parsed.data, day));
  } catch (error) {
    notFoundOnMissing(error);
  }
  if (!saved.ok) return { ...saved, values, submission: randomUUID() };
  const result = saved.data;
  if (!result.ok) {
    return { ok: false, error: result.error, fieldErrors: { [result.field]: [result.error] }, values, submission: randomUUID() };
  }
  done(supporterId, "status");
}
