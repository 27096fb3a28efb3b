"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";

import { markAllRead } from "@/db/queries/notifications";
import { requireUserForAction } from "@/lib/auth/session";

// No input to parse: the viewer is the only thing that decides whose notifications are marked.
export async function markAllReadAction(): Promise<void> {
  const viewer = await requireUserForAction();
  markAllRead(viewer);
  // The unread count is in the header, which the root layout renders.
  revalidatePath("/", "layout");
  // Back to a GET, so refreshing the page does not post the form again.
  redirect("/notifications");
}
