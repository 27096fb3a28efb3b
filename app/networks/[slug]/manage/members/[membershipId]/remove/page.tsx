import type { Metadata } from "next";

import { BackLink } from "@/components/govuk/back-link";
import { SummaryList } from "@/components/govuk/summary-list";
import { formatDay, SILENT_LABEL, VISIBLE_LABEL } from "@/components/network-console/format";
import { ReasonForm } from "@/components/network-console/reason-form";
import { getActiveMember } from "@/db/queries/network-console";
import { requireUser } from "@/lib/auth/session";
import { membershipIdOrNotFound, orNotFound, slugOrNotFound } from "../../../console-guard";

export const metadata: Metadata = { title: "Remove a member – Manage network" };

type Props = { params: Promise<{ slug: string; membershipId: string }> };

export default async function RemoveMemberPage({ params }: Props) {
  const viewer = await requireUser();
  const raw = await params;
  const slug = slugOrNotFound(viewer, raw.slug);
  const membershipId = membershipIdOrNotFound(viewer, raw.membershipId);
  const member = orNotFound(viewer, () => getActiveMember(viewer, slug, membershipId));
  const back = `/networks/${member.network.slug}/manage`;

  return (
    <>
      <BackLink href={back}>Back to managing the network</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ReasonForm kind="remove" networkId={member.network.id} membershipId={member.membershipId} cancelHref={back}>
            <h1 className="govuk-heading-l">
              <span className="govuk-caption-l">{member.network.name}</span>
              Remove a member
            </h1>
            <SummaryList
              rows={[
                { key: "Name", value: member.name },
                { key: "Visibility", value: member.visibility === "silent" ? SILENT_LABEL : VISIBLE_LABEL },
                { key: "Joined", value: formatDay(member.joinedAt) },
              ]}
            />
            <p className="govuk-body">
              They stop being a member at once and stop getting the network&rsquo;s announcements. They can ask to join
              again.
            </p>
          </ReasonForm>
        </div>
      </div>
    </>
  );
}
