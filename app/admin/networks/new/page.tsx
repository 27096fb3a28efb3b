import type { Metadata } from "next";

import { NetworkForm } from "@/components/admin-networks/network-form";
import { BackLink } from "@/components/govuk/back-link";
import { requireNetworkAdmin } from "../guard";

export const metadata: Metadata = { title: "Create a network \u2013 Networks \u2013 admin" };

const EMPTY = {
  name: "",
  slug: "",
  summary: "",
  description: "",
  whoFor: "",
  howToJoin: "",
  offers: "",
  contactMailbox: "",
  // Not chosen in advance (GOV.UK: a pre-selected radio is easily missed); the form asks.
  joinPolicy: "",
};

export default async function NewNetworkPage() {
  await requireNetworkAdmin();
  return (
    <>
      <BackLink href="/admin/networks">Back to networks</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <NetworkForm mode="create" current={EMPTY} cancelHref="/admin/networks" />
        </div>
      </div>
    </>
  );
}
