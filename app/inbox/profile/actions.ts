"use server";

import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import * as z from "zod";

import { updateOwnProfile } from "@/db/queries/supporter-self";
import { postedForm, savedOrRefused, type Saved } from "@/db/validation/form";
import { ProfileInput, profileValues, type FormState, type ProfileValues } from "@/db/validation/supporter-self";
import { NotFoundError } from "@/lib/errors";
import { requireSupporterForAction } from "../supporter-guard";

export async function updateProfileAction(_prev: FormState<ProfileValues>, posted: unknown): Promise<FormState<ProfileValues>> {
  const form = postedForm(posted);
  const viewer = await requireSupporterForAction();
  const values = profileValues(form);
  const parsed = ProfileInput.safeParse(values);
  if (!parsed.success) {
    return { ok: false, error: "Check your profile", fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  }
  let saved: Saved<void>;
  try {
    saved = await savedOrRefused(() => updateOwnProfile(viewer, parsed.data));
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  if (!saved.ok) return { ...saved, values };
  revalidatePath("/inbox", "layout");
  revalidatePath("/supporters", "layout");
  redirect("/inbox?updated=profile");
}
