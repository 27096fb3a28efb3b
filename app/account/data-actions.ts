"use server";

import { redirect } from "next/navigation";
import * as z from "zod";

import { signOut } from "@/auth";
import { eraseMyData } from "@/db/queries/my-data";
import { postedForm, savedOrRefused } from "@/db/validation/form";
import { EraseInput, LAST_EQUALITY_UNIT_MEMBER } from "@/db/validation/my-data";
import type { ActionResult } from "@/lib/action-result";
import { requireUserForAction } from "@/lib/auth/session";

// "Erase your data" (/account/erase). The form carries no id: the action always erases the data of whoever sends
// it, so a replayed post can only ever erase its sender's own data, and without a session it does nothing.
export async function eraseMyDataAction(_prev: ActionResult | undefined, posted: unknown): Promise<ActionResult> {
  const form = postedForm(posted);
  const viewer = await requireUserForAction();
  const parsed = EraseInput.safeParse({ confirm: form.get("confirm") ?? undefined });
  if (!parsed.success) {
    return { ok: false, error: "Confirm that you understand", fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  const saved = await savedOrRefused(() => eraseMyData(viewer));
  if (!saved.ok) return saved;
  const result = saved.data;
  if (!result.ok) return { ok: false, error: LAST_EQUALITY_UNIT_MEMBER, fieldErrors: { confirm: [LAST_EQUALITY_UNIT_MEMBER] } };
  // The session rows went with the data; this clears the browser's cookie too, so the next person at a shared
  // computer starts signed out.
  await signOut({ redirect: false });
  redirect("/account-erased");
}
