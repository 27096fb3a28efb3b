"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import * as z from "zod";

import {
  archiveNetwork,
  assignCoordinator,
  createNetwork,
  removeCoordinator,
  restoreNetwork,
  updateNetwork,
} from "@/db/queries/network-admin";
import { resolveStaffChoice } from "@/db/queries/staff";
import { postedForm, savedOrRefused } from "@/db/validation/form";
import {
  CoordinatorRemoveInput,
  NetworkInput,
  networkValues,
  type AdminFormState,
  type NetworkValues,
} from "@/db/validation/network-admin";
import { adminOrNotFound, networkIdOrNotFound, requireNetworkAdminForAction } from "./guard";

// Thin actions for the Equality Unit's network administration. The viewer is checked against the database before
// the form is read, and again in every statement.

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

// Staff pages list networks, and coordinators' navigation names them, so all of it is refreshed.
function refresh(networkId?: string): void {
  revalidatePath("/networks", "layout");
  revalidatePath("/admin/networks", "layout");
  if (networkId) revalidatePath(`/admin/networks/${networkId}`);
}

export async function createNetworkAction(_prev: AdminFormState<NetworkValues>, posted: unknown): Promise<AdminFormState<NetworkValues>> {
  const form = postedForm(posted);
  const viewer = await requireNetworkAdminForAction();
  const values = networkValues(form);
  const parsed = NetworkInput.safeParse(values);
  if (!parsed.success) {
    return { ok: false, error: "Check the network\u2019s details", fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  }
  const saved = await savedOrRefused(() => adminOrNotFound(viewer, () => createNetwork(viewer, parsed.data)));
  if (!saved.ok) return { ...saved, values };
  const result = saved.data;
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: { [result.field]: [result.error] }, values };
  refresh(result.data.id);
  redirect(`/admin/networks/${result.data.id}?outcome=created`);
}

export async function updateNetworkAction(_prev: AdminFormState<NetworkValues>, posted: unknown): Promise<AdminFormState<NetworkValues>> {
  const form = postedForm(posted);
  const viewer = await requireNetworkAdminForAction();
  const networkId = networkIdOrNotFound(viewer, text(form, "networkId"));
  const values = networkValues(form);
  const parsed = NetworkInput.safeParse(values);
  if (!parsed.success) {
    return { ok: false, error: "Check the network\u2019s details", fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  }
  const saved = await savedOrRefused(() => adminOrNotFound(viewer, () => updateNetwork(viewer, networkId, parsed.data)));
  if (!saved.ok) return { ...saved, values };
  const result = saved.data;
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: { [result.field]: [result.error] }, values };
  refresh(networkId);
  redirect(`/admin/networks/${networkId}?outcome=updated`);
}

export async function archiveNetworkAction(posted: unknown): Promise<void> {
  const form = postedForm(posted);
  const viewer = await requireNetworkAdminForAction();
  const networkId = networkIdOrNotFound(viewer, text(form, "networkId"));
  adminOrNotFound(viewer, () => archiveNetwork(viewer, networkId));
  refresh(networkId);
  redirect(`/admin/networks/${networkId}?outcome=archived`);
}

export async function restoreNetworkAction(posted: unknown): Promise<void> {
  const form = postedForm(posted);
  const viewer = await requireNetworkAdminForAction();
  const networkId = networkIdOrNotFound(viewer, text(form, "networkId"));
  adminOrNotFound(viewer, () => restoreNetwork(viewer, networkId));
  refresh(networkId);
  redirect(`/admin/networks/${networkId}?outcome=restored`);
}

export type AssignValues = { staff: string; staffId: string };

export async function assignCoordinatorAction(_prev: AdminFormState<AssignValues>, posted: unknown): Promise<AdminFormState<AssignValues>> {
  const form = postedForm(posted);
  const viewer = await requireNetworkAdminForAction();
  const networkId = networkIdOrNotFound(viewer, text(form, "networkId"));
  const values = { staff: text(form, "staff"), staffId: text(form, "staffId") };
  const choice = resolveStaffChoice(viewer, { staffId: values.staffId, text: values.staff });
  if (!choice.ok) return { ok: false, error: choice.error, fieldErrors: { staff: [choice.error] }, values };
  const saved = await savedOrRefused(() => adminOrNotFound(viewer, () => assignCoordinator(viewer, networkId, choice.staff.id)));
  if (!saved.ok) return { ...saved, values };
  const result = saved.data;
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: { staff: [result.error] }, values };
  refresh(networkId);
  redirect(`/admin/networks/${networkId}?outcome=coordinator-assigned`);
}

export async function removeCoordinatorAction(posted: unknown): Promise<void> {
  const form = postedForm(posted);
  const viewer = await requireNetworkAdminForAction();
  const parsed = CoordinatorRemoveInput.safeParse({ networkId: text(form, "networkId"), userId: text(form, "userId") });
  const networkId = networkIdOrNotFound(viewer, parsed.success ? parsed.data.networkId : "");
  const userId = parsed.success ? parsed.data.userId : "";
  adminOrNotFound(viewer, () => removeCoordinator(viewer, networkId, userId));
  refresh(networkId);
  redirect(`/admin/networks/${networkId}?outcome=coordinator-removed`);
}
