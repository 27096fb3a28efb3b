import type { Metadata } from "next";

import { AddSupporterForm } from "@/components/admin/add-supporter-form";
import { BackLink } from "@/components/govuk/back-link";
import { requireRole } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Add a supporter" };

export default async function AddSupporterPage() {
  await requireRole((u) => u.isEqualityUnit, "roster");
  return (
    <>
      <BackLink href="/admin/supporters">Supporter roster</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Equality Unit</span>
          <h1 className="govuk-heading-l">Add a supporter</h1>
          <p className="govuk-body">
            Add a member of staff who has completed equality supporter training. They appear in the directory as soon as
            they are added, and can be asked for support straight away.
          </p>
          <AddSupporterForm />
        </div>
      </div>
    </>
  );
}
