"use server";

import { revalidatePath } from "next/cache";
import * as z from "zod";

import { updateTextSize } from "@/db/queries/users";
import { TextSizeInput } from "@/db/validation/account";
import { postedForm, savedOrRefused } from "@/db/validation/form";
import type { ActionResult } from "@/lib/action-result";
import { requireUserForAction } from "@/lib/auth/session";

export async function saveTextSizeAction(_prev: ActionResult | undefined, posted: unknown): Promise<ActionResult> {
  const form = postedForm(posted);
  const viewer = await requireUserForAction();
  const parsed = TextSizeInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return { ok: false, error: "Choose a text size", fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  const saved = await savedOrRefused(() => updateTextSize(viewer, parsed.data.textSize));
  if (!saved.ok) return saved;
  revalidatePath("/", "layout");
  return { ok: true, data: undefined };
}
