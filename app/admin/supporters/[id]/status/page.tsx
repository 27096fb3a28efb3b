import type { Metadata } from "next";

import { STATUS_LABELS, formatLongDate } from "@/components/admin/roster-format";
import { StatusForm } from "@/components/admin/status-form";
import { BackLink } from "@/components/govuk/back-link";
import { InsetText } from "@/components/govuk/inset-text";
import { today } from "@/lib/clock";
import { loadRosterSupporter } from "../load";

export const metadata: Metadata = { title: "Change a supporter's status" };

type Props = { params: Promise<{ id: string }> };

export default async function ChangeStatusPage({ params }: Props) {
  const day = today();
  const { supporter: s } = await loadRosterSupporter(params, day);
  const overdue = s.refresherDue <= day;
  // Coming back to the roster needs a refresher date in the future: a lapsed supporter always, since lapsing means
  // their refresher training was missed; anyone else only when their refresher date has passed.
  let refresherHint: string | null = null;
  if (s.status === "lapsed") {
    refresherHint =
      "Needed to make them active or paused again. A lapsed supporter returns only after refresher training: enter the date their next refresher is due, in the future.";
  } else if (overdue) {
    refresherHint = `Their refresher was due on ${formatLongDate(s.refresherDue)}. To make them active or paused, enter the date their next refresher is due, in the future.`;
  } else if (s.status === "retired") {
    refresherHint = "Optional. If they have had refresher training, enter the date their next refresher is due.";
  }
  return (
    <>
      <BackLink href={`/admin/supporters/${s.id}`}>Back to their roster page</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">{s.name}</span>
          <h1 className="govuk-heading-l">Change status</h1>
          <InsetText>
            Their status is {STATUS_LABELS[s.status].toLowerCase()}. Their refresher {overdue ? "was" : "is"} due on{" "}
            {formatLongDate(s.refresherDue)}.
          </InsetText>
          <StatusForm supporterId={s.id} currentStatus={s.status} refresherHint={refresherHint} />
        </div>
      </div>
    </>
  );
}
