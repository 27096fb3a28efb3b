"use server";

import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import * as z from "zod";

import { pauseOwn, resumeOwn, setOwnCapacity } from "@/db/queries/supporter-self";
import { postedForm, savedOrRefused } from "@/db/validation/form";
import {
  availabilityValues,
  CapacityInput,
  PauseInput,
  pauseInputFrom,
  type AvailabilityValues,
  type FormState,
} from "@/db/validation/supporter-self";
import { today } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { requireSupporterForAction } from "../supporter-guard";

type State = FormState<AvailabilityValues>;

function notFoundIfNotOnRoster(work: () => void): void {
  try {
    work();
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

// The page's three forms (pause, resume, capacity) share one action and one state, so the page has a single
// error summary for whichever form was sent last. The hidden "intent" field says which form it was.
export async function availabilityAction(_prev: State, posted: unknown): Promise<State> {
  const form = postedForm(posted);
  const viewer = await requireSupporterForAction();
  const values = availabilityValues(form);
  let change: () => void;
  let updated: string;
  switch (values.intent) {
    case "pause": {
      const parsed = PauseInput(today()).safeParse(pauseInputFrom(values));
      if (!parsed.success) {
        return { ok: false, error: "Check the pause details", fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
      }
      change = () => pauseOwn(viewer, { until: parsed.data.pausedUntil, reason: parsed.data.pauseReason });
      updated = "paused";
      break;
    }
    case "resume":
      change = () => void resumeOwn(viewer);
      updated = "resumed";
      break;
    case "capacity": {
      const parsed = CapacityInput.safeParse(values);
      if (!parsed.success) {
        return { ok: false, error: "Check your capacity", fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
      }
      change = () => setOwnCapacity(viewer, parsed.data.capacity);
      updated = "capacity";
      break;
    }
    default:
      return { ok: false, error: "Choose what to change", values };
  }
  const saved = await savedOrRefused(() => notFoundIfNotOnRoster(change));
  if (!saved.ok) return { ...saved, values };
  revalidatePath("/inbox", "layout");
  revalidatePath("/supporters", "layout");
  redirect(`/inbox?updated=${updated}`);
}
