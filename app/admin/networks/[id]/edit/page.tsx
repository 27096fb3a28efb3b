import type { Metadata } from "next";

import { NetworkForm } from "@/components/admin-networks/network-form";
import { BackLink } from "@/components/govuk/back-link";
import { getNetworkForAdmin } from "@/db/queries/network-admin";
import { adminOrNotFound, networkIdOrNotFound, requireNetworkAdmin } from "../../guard";

export const metadata: Metadata = { title: "Edit network \u2013 Networks \u2013 admin" };

type Props = { params: Promise<{ id: string }> };

export default async function EditNetworkPage({ params }: Props) {
  const viewer = await requireNetworkAdmin();
  const networkId = networkIdOrNotFound(viewer, (await params).id);
  const network = adminOrNotFound(viewer, () => getNetworkForAdmin(viewer, networkId));
  const back = `/admin/networks/${network.id}`;
  return (
    <>
      <BackLink href={back}>Back to the network</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <NetworkForm
            mode="edit"
            networkId={network.id}
            cancelHref={back}
            current={{
              name: network.name,
              slug: network.slug,
              summary: network.summary,
              description: network.description,
              whoFor: network.whoFor,
              howToJoin: network.howToJoin,
              offers: network.offers,
              contactMailbox: network.contactMailbox ?? "",
              joinPolicy: network.joinPolicy,
            }}
          />
        </div>
      </div>
    </>
  );
}
