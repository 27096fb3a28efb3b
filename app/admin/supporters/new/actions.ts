"use server";

import { randomUUID } from "node:crypto";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import * as z from "zod";

import { addSupporter } from "@/db/queries/roster";
import { postedForm, savedOrRefused, type Saved } from "@/db/validation/form";
import { addSupporterSchema, profileFormValues, type ProfileFormValues } from "@/db/validation/roster";
import type { ActionResult } from "@/lib/action-result";
import { today } from "@/lib/clock";
import { notFoundOnMissing, requireEqualityUnitForAction } from "../guard";

/** The action's result, with what was posted so the form can be shown again as it was. */
export type ProfileFormState =
  | (Extract<ActionResult, { ok: false }> & { values: ProfileFormValues; submission: string })
  | undefined;

export async function addSupporterAction(_prev: ProfileFormState, posted: unknown): Promise<ProfileFormState> {
  const form = postedForm(posted);
  const viewer = await requireEqualityUnitForAction();
  const values = profileFormValues(form);
  const parsed = addSupporterSchema(today()).safeParse(values);
  if (!parsed.success) {
    return { ok: false, error: "Check the supporter's details", fieldErrors: z.flattenError(parsed.error).fieldErrors, values, submission: randomUUID() };
  }
  let saved: Saved<ReturnType<typeof addSupporter>>;
  try {
    saved = await savedOrRefused(() => addSupporter(viewer, parsed.data));
  } catch (error) {
    notFoundOnMissing(error);
  }
  if (!saved.ok) return { ...saved, values, submission: randomUUID() };
  const result = saved.data;
  if (!result.ok) {
    return { ok: false, error: result.error, fieldErrors: { [result.field]: [result.error] }, values, submission: randomUUID() };
  }
  revalidatePath("/admin/supporters", "layout");
  revalidatePath("/supporters", "layout");
  redirect(`/admin/supporters/${result.data.id}?done=added`);
}
