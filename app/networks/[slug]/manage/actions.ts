"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import * as z from "zod";

import {
  approveRequest,
  assertCoordinates,
  declineRequest,
  removeMember,
  sendAnnouncement,
  updateNetworkPage,
} from "@/db/queries/network-console";
import { postedForm, savedOrRefused } from "@/db/validation/form";
import {
  AnnouncementInput,
  ApproveInput,
  DeclineInput,
  NetworkIdInput,
  formText,
  NetworkPageInput,
  networkPageValues,
  RemoveInput,
  type AnnouncementValues,
  type ConsoleFormState,
  type ConsoleQuery,
  type NetworkPageValues,
  type ReasonValues,
} from "@/db/validation/network-console";
import { requireUserForAction, type SessionUser } from "@/lib/auth/session";
import { orNotFound, refuse } from "./console-guard";

// Thin actions: parse, then the data access layer, which checks in SQL that the signed-in person coordinates the
// network (a forged or replayed post from anyone else is the same 404 as a missing network). Error messages are
// generic and never name the person or the network.

function ids(form: FormData) {
  return { networkId: formText(form, "networkId"), membershipId: formText(form, "membershipId") };
}

// Someone who does not coordinate the network learns nothing from the form, not even that a reason is missing.
function requireCoordinator(viewer: SessionUser, networkId: unknown): void {
  const parsed = NetworkIdInput.safeParse(networkId);
  if (!parsed.success) refuse(viewer);
  orNotFound(viewer, () => assertCoordinates(viewer, parsed.data));
}

// A form its own rules turn down. Only a coordinator of the network is told what to fix: ids that are not even well
// formed cannot belong to anything the viewer coordinates, and anyone else gets the 404.
function turnedDown<V>(viewer: SessionUser, form: FormData, error: z.ZodError, message: string, values: V) {
  const fieldErrors: Record<string, string[] | undefined> = z.flattenError(error).fieldErrors;
  if (fieldErrors.networkId || fieldErrors.membershipId) refuse(viewer);
  requireCoordinator(viewer, formText(form, "networkId"));
  return { ok: false as const, error: message, fieldErrors, values };
}

function done(slug: string, outcome: NonNullable<ConsoleQuery["outcome"]>): never {
  // The page's text shows in the list of networks too; a decision only on the network's own pages.
  revalidatePath(outcome === "updated" ? "/networks" : `/networks/${slug}`, "layout");
  redirect(`/networks/${slug}/manage?outcome=${outcome}`);
}

export async function approveAction(posted: unknown): Promise<void> {
  const form = postedForm(posted);
  const viewer = await requireUserForAction();
  const parsed = ApproveInput.safeParse(ids(form));
  if (!parsed.success) refuse(viewer);
  const { slug } = orNotFound(viewer, () => approveRequest(viewer, parsed.data.networkId, parsed.data.membershipId));
  done(slug, "approved");
}

export async function declineAction(_prev: ConsoleFormState<ReasonValues>, posted: unknown): Promise<ConsoleFormState<ReasonValues>> {
  const form = postedForm(posted);
  const viewer = await requireUserForAction();
  const values = { reason: formText(form, "reason") };
  const parsed = DeclineInput.safeParse({ ...ids(form), ...values });
  if (!parsed.success) return turnedDown(viewer, form, parsed.error, "Check the reason", values);
  const { networkId, membershipId, reason } = parsed.data;
  const saved = await savedOrRefused(() => orNotFound(viewer, () => declineRequest(viewer, networkId, membershipId, reason)));
  if (!saved.ok) return { ...saved, values };
  done(saved.data.slug, "declined");
}

export async function removeAction(_prev: ConsoleFormState<ReasonValues>, posted: unknown): Promise<ConsoleFormState<ReasonValues>> {
  const form = postedForm(posted);
  const viewer = await requireUserForAction();
  const values = { reason: formText(form, "reason") };
  const parsed = RemoveInput.safeParse({ ...ids(form), ...values });
  if (!parsed.success) return turnedDown(viewer, form, parsed.error, "Check the reason", values);
  const { networkId, membershipId, reason } = parsed.data;
  const saved = await savedOrRefused(() => orNotFound(viewer, () => removeMember(viewer, networkId, membershipId, reason)));
  if (!saved.ok) return { ...saved, values };
  done(saved.data.slug, "removed");
}

export async function announceAction(
  _prev: ConsoleFormState<AnnouncementValues, { recipients: number }>,
  posted: unknown,
): Promise<ConsoleFormState<AnnouncementValues, { recipients: number }>> {
  const form = postedForm(posted);
  const viewer = await requireUserForAction();
  const values = { title: formText(form, "title"), body: formText(form, "body") };
  const parsed = AnnouncementInput.safeParse({ networkId: formText(form, "networkId"), ...values });
  if (!parsed.success) return turnedDown(viewer, form, parsed.error, "Check the announcement", values);
  const saved = await savedOrRefused(() => orNotFound(viewer, () => sendAnnouncement(viewer, parsed.data)));
  if (!saved.ok) return { ...saved, values };
  return { ok: true, data: { recipients: saved.data.recipients } };
}

export async function updateNetworkPageAction(
  _prev: ConsoleFormState<NetworkPageValues>,
  posted: unknown,
): Promise<ConsoleFormState<NetworkPageValues>> {
  const form = postedForm(posted);
  const viewer = await requireUserForAction();
  const values = networkPageValues(form);
  const parsed = NetworkPageInput.safeParse({ networkId: formText(form, "networkId"), ...values });
  if (!parsed.success) return turnedDown(viewer, form, parsed.error, "Check the network\u2019s page", values);
  const saved = await savedOrRefused(() => orNotFound(viewer, () => updateNetworkPage(viewer, parsed.data)));
  if (!saved.ok) return { ...saved, values };
  done(saved.data.slug, "updated");
}
