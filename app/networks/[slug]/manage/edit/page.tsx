import type { Metadata } from "next";

import { BackLink } from "@/components/govuk/back-link";
import { NetworkPageForm } from "@/components/network-console/network-page-form";
import { getNetworkPageText } from "@/db/queries/network-console";
import { requireUser } from "@/lib/auth/session";
import { orNotFound, slugOrNotFound } from "../console-guard";

export const metadata: Metadata = { title: "Edit the network\u2019s page \u2013 Manage network" };

type Props = { params: Promise<{ slug: string }> };

// The Equality Unit edits every network at /admin/networks; here only the network's own coordinators may.
export default async function EditNetworkPagePage({ params }: Props) {
  const viewer = await requireUser();
  const slug = slugOrNotFound(viewer, (await params).slug);
  const network = orNotFound(viewer, () => getNetworkPageText(viewer, slug));
  const back = `/networks/${network.slug}/manage`;

  return (
    <>
      <BackLink href={back}>Back to managing the network</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <NetworkPageForm networkId={network.id} networkName={network.name} current={network.text} cancelHref={back} />
        </div>
      </div>
    </>
  );
}
