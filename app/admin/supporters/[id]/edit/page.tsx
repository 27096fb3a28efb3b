import type { Metadata } from "next";

import { EditSupporterForm } from "@/components/admin/edit-supporter-form";
import { BackLink } from "@/components/govuk/back-link";
import { datePartsFromIso } from "@/db/validation/roster";
import { today } from "@/lib/clock";
import { loadRosterSupporter } from "../load";

export const metadata: Metadata = { title: "Edit a supporter's profile" };

type Props = { params: Promise<{ id: string }> };

export default async function EditSupporterPage({ params }: Props) {
  const { supporter: s } = await loadRosterSupporter(params, today());
  return (
    <>
      <BackLink href={`/admin/supporters/${s.id}`}>Back to their roster page</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">{s.name}</span>
          <h1 className="govuk-heading-l">Edit profile</h1>
          <EditSupporterForm
            supporterId={s.id}
            initial={{
              staffId: "",
              staff: "",
              roleTitle: s.roleTitle,
              site: s.site,
              introduction: s.introduction,
              workingPattern: s.workingPattern,
              capacity: String(s.capacity),
              specialisms: s.specialisms,
              languages: s.languages,
              contactMethods: s.contactMethods,
              trainedOn: datePartsFromIso(s.trainedOn),
              refresherDue: datePartsFromIso(s.refresherDue),
            }}
          />
        </div>
      </div>
    </>
  );
}
