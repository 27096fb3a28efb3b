import type { Metadata } from "next";

import { BackLink } from "@/components/govuk/back-link";
import { SummaryList } from "@/components/govuk/summary-list";
import { formatDay } from "@/components/network-console/format";
import { Lines } from "@/components/network-console/lines";
import { ReasonForm } from "@/components/network-console/reason-form";
import { getPendingRequest } from "@/db/queries/network-console";
import { requireUser } from "@/lib/auth/session";
import { membershipIdOrNotFound, orNotFound, slugOrNotFound } from "../../../console-guard";

export const metadata: Metadata = { title: "Decline a request – Manage network" };

type Props = { params: Promise<{ slug: string; membershipId: string }> };

export default async function DeclineRequestPage({ params }: Props) {
  const viewer = await requireUser();
  const raw = await params;
  const slug = slugOrNotFound(viewer, raw.slug);
  const membershipId = membershipIdOrNotFound(viewer, raw.membershipId);
  const request = orNotFound(viewer, () => getPendingRequest(viewer, slug, membershipId));
  const back = `/networks/${request.network.slug}/manage`;

  return (
    <>
      <BackLink href={back}>Back to managing the network</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ReasonForm kind="decline" networkId={request.network.id} membershipId={request.membershipId} cancelHref={back}>
            <h1 className="govuk-heading-l">
              <span className="govuk-caption-l">{request.network.name}</span>
              Decline a request to join
            </h1>
            <SummaryList
              rows={[
                { key: "Name", value: request.name },
                { key: "Asked to join", value: formatDay(request.requestedAt) },
                { key: "Their note", value: request.note ? <Lines text={request.note} /> : "No note" },
              ]}
            />
          </ReasonForm>
        </div>
      </div>
    </>
  );
}
