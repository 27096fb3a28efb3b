"use server";

import { revalidatePath } from "next/cache";
import * as z from "zod";

import { joinNetwork, leaveNetwork, setVisibility } from "@/db/queries/networks";
import { postedForm, savedOrRefused, type Saved } from "@/db/validation/form";
import { JoinInput, LeaveInput, VisibilityInput } from "@/db/validation/networks";
import type { ActionResult } from "@/lib/action-result";
import { requireUserForAction } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";

// Join, switch visibility and leave. Whose membership changes is always the signed-in person: no form carries a
// user id (and the schemas would drop one), and the data access layer puts the viewer's id in every WHERE. The
// network comes from its slug. Results go back through useActionState, never into the URL: a query string such as
// "?joined=1" would sit in the browser history next to the network's address.

export type NetworkActionState = ActionResult | undefined;

// The messages speak only of the person's own membership and never say anything about anyone else's.
const NETWORK_UNAVAILABLE = "This network is not available.";

function revalidateNetworkPages(slug: string): void {
  revalidatePath("/networks");
  revalidatePath(`/networks/${slug}`);
  revalidatePath("/account");
}

export async function joinNetworkAction(_prev: NetworkActionState, posted: unknown): Promise<NetworkActionState> {
  const form = postedForm(posted);
  const viewer = await requireUserForAction();
  const parsed = JoinInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors;
    return { ok: false, error: fieldErrors.slug ? NETWORK_UNAVAILABLE : "Check your answers", fieldErrors };
  }
  let saved: Saved<unknown>;
  try {
    saved = await savedOrRefused(() => joinNetwork(viewer, parsed.data));
  } catch (error) {
    if (error instanceof NotFoundError) return { ok: false, error: NETWORK_UNAVAILABLE };
    throw error;
  }
  if (!saved.ok) return saved;
  revalidateNetworkPages(parsed.data.slug);
  return { ok: true, data: undefined };
}

export async function setVisibilityAction(_prev: NetworkActionState, posted: unknown): Promise<NetworkActionState> {
  const form = postedForm(posted);
  const viewer = await requireUserForAction();
  const parsed = VisibilityInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors;
    return { ok: false, error: fieldErrors.slug ? NETWORK_UNAVAILABLE : "Check your answer", fieldErrors };
  }
  let saved: Saved<unknown>;
  try {
    saved = await savedOrRefused(() => setVisibility(viewer, parsed.data));
  } catch (error) {
    if (error instanceof NotFoundError) return { ok: false, error: "You are not a member of this network." };
    throw error;
  }
  if (!saved.ok) return saved;
  revalidateNetworkPages(parsed.data.slug);
  return { ok: true, data: undefined };
}

export async function leaveNetworkAction(_prev: NetworkActionState, posted: unknown): Promise<NetworkActionState> {
  const form = postedForm(posted);
  const viewer = await requireUserForAction();
  const parsed = LeaveInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, error: NETWORK_UNAVAILABLE };
  let saved: Saved<unknown>;
  try {
    saved = await savedOrRefused(() => leaveNetwork(viewer, parsed.data));
  } catch (error) {
    if (error instanceof NotFoundError) {
      return { ok: false, error: "You are not a member of this network and have not asked to join it." };
    }
    throw error;
  }
  if (!saved.ok) return saved;
  revalidateNetworkPages(parsed.data.slug);
  return { ok: true, data: undefined };
}
