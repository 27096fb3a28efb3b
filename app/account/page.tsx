import type { Metadata } from "next";

import { TextSizeForm } from "@/components/account/text-size-form";
import { YourData } from "@/components/account/your-data";
import { YourNetworks } from "@/components/networks/your-networks";
import { listMyNetworks } from "@/db/queries/networks";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requireUser();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Your account</h1>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Name</dt>
            <dd className="govuk-summary-list__value">{user.name}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Email</dt>
            <dd className="govuk-summary-list__value">{user.email}</dd>
          </div>
        </dl>
        <p className="govuk-body">Your name and email come from single sign-on and are changed there.</p>
        <YourNetworks networks={listMyNetworks(user)} />
        <TextSizeForm current={user.textSize} />
        <YourData />
      </div>
    </div>
  );
}
