import type { Metadata } from "next";

import { StaffActionForm } from "@/components/admin-staff/staff-action-form";
import { BackLink } from "@/components/govuk/back-link";
import { WarningText } from "@/components/govuk/warning-text";
import { markLeaverAction } from "../../actions";
import { loadStaffRecord } from "../load";

export const metadata: Metadata = { title: "Mark as a leaver \u2013 Staff record \u2013 admin" };

type Props = { params: Promise<{ id: string }> };

// The confirmation step before marking a leaver: what will happen, said plainly, and one button. It works without
// JavaScript (a plain form post).
export default async function MarkLeaverPage({ params }: Props) {
  const { record } = await loadStaffRecord(params);
  const back = `/admin/staff/${record.id}`;
  const cannot = record.isViewer
    ? "You cannot mark yourself as a leaver. Ask another member of the Equality Unit."
    : record.deactivatedAt
      ? "They are already marked as a leaver."
      : null;

  return (
    <>
      <BackLink href={back}>Back to their staff record</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">{record.name}</span>
          <h1 className="govuk-heading-l">Mark as a leaver</h1>
          {cannot ? (
            <>
              <p className="govuk-body">{cannot}</p>
              <p className="govuk-body">
                <a className="govuk-link" href={back}>
                  Go back to their staff record
                </a>
              </p>
            </>
          ) : (
            <>
              <p className="govuk-body">When you mark {record.name} as a leaver:</p>
              <ul className="govuk-list govuk-list--bullet">
                <li>they are signed out now, and cannot sign in to Confide again</li>
                <li>they are taken out of the supporter directory and retired from the supporter roster</li>
                <li>
                  anyone waiting for them as a supporter is told they are no longer available and asked to choose another
                  supporter; nothing the requesters wrote is passed to anyone else
                </li>
                <li>requests they made themselves that are still open are withdrawn</li>
                <li>they leave every network, stop coordinating any network, and lose any Equality Unit role</li>
              </ul>
              <WarningText>
                You can reinstate them later so that they can sign in again, but their networks, roles and place on the
                roster do not come back.
              </WarningText>
              <StaffActionForm action={markLeaverAction} userId={record.id} id="mark-leaver" label="Mark as a leaver" variant="warning">
                <a className="govuk-link" href={back}>
                  Cancel
                </a>
              </StaffActionForm>
            </>
          )}
        </div>
      </div>
    </>
  );
}
