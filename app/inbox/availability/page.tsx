import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { BackLink } from "@/components/govuk/back-link";
import { AvailabilityForms } from "@/components/inbox/availability-forms";
import { getOwnSupporter } from "@/db/queries/supporter-self";
import { CAPACITY_MAX, CAPACITY_MIN, PAUSE_REASON_MAX } from "@/db/validation/supporter-self";
import { availabilityOf } from "@/lib/availability";
import { addDays, formatDate, today as todayInLondon } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { requireSupporter } from "../supporter-guard";

export const metadata: Metadata = { title: "Change your availability" };

export default async function AvailabilityPage() {
  const viewer = await requireSupporter();
  let own;
  try {
    own = getOwnSupporter(viewer);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const today = todayInLondon();
  const availability = availabilityOf(own, today);
  const [year, month, day] = addDays(today, 28).split("-").map(Number);
  return (
    <>
      <BackLink href="/inbox">Back to your inbox</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <AvailabilityForms
            availability={availability}
            today={today}
            status={own.status}
            pausedUntil={own.pausedUntil}
            pauseReason={own.pauseReason}
            pausedUntilText={availability.kind === "paused" && own.pausedUntil ? formatDate(own.pausedUntil, today) : null}
            capacity={own.capacity}
            exampleDate={{ day: day ?? 1, month: month ?? 1, year: year ?? 2027 }}
            limits={{ capacityMin: CAPACITY_MIN, capacityMax: CAPACITY_MAX, pauseReasonMax: PAUSE_REASON_MAX }}
          />
        </div>
      </div>
    </>
  );
}
