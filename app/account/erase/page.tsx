import type { Metadata } from "next";

import { EraseForm } from "@/components/account/erase-form";
import { BackLink } from "@/components/govuk/back-link";
import { WarningText } from "@/components/govuk/warning-text";
import { erasePreview } from "@/db/queries/my-data";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Erase your data" };

const some = (n: number, one: string, many: string) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

// The confirmation step: exactly what erasing does and what stays, with the person's own numbers, before one
// box and a red button. Nothing is erased by visiting this page.
export default async function EraseDataPage() {
  const viewer = await requireUser();
  const preview = erasePreview(viewer);
  return (
    <>
      <BackLink href="/account">Back to your account</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">Erase your data</h1>
          <p className="govuk-body-l">
            This erases what Confide holds about you and signs you out. It cannot be undone.
          </p>
          <p className="govuk-body">
            You may want to <a className="govuk-link" href="/account#your-data">download your data</a> first.
          </p>
          {preview.lastEqualityUnitMember && (
            <WarningText>
              You are the only member of the Equality Unit. Give another member of staff the Equality Unit role before you
              erase your data.
            </WarningText>
          )}

          <h2 className="govuk-heading-m">What will happen</h2>
          <ul className="govuk-list govuk-list--bullet">
            {preview.requestsMade > 0 ? (
              <li>
                The {some(preview.requestsMade, "request", "requests")} you made will be erased: your messages, the whole
                conversation, your safe-contact details and any reasons given.
                {preview.openRequestsMade > 0 &&
                  ` ${preview.openRequestsMade === 1 ? "The one still open" : `The ${preview.openRequestsMade} still open`} will be withdrawn first, and the supporter told it was withdrawn, with no details.`}
              </li>
            ) : (
              <li>You have not made any requests for support, so there are none to erase.</li>
            )}
            {preview.isSupporter && (
              <li>
                You will be removed from the list of equality supporters and your supporter profile erased.
                {preview.openRequestsSupported > 0
                  ? ` The ${some(preview.openRequestsSupported, "request", "requests")} you are supporting now will be handed back: each colleague who asked you will be told you are no longer available and can choose another supporter. Nothing they wrote goes to anyone else.`
                  : " You are not supporting anyone at the moment."}
              </li>
            )}
            {preview.networks > 0 && <li>You will leave {some(preview.networks, "network", "networks")}, including any request to join.</li>}
            {preview.coordinatorOf > 0 && (
              <li>You will stop coordinating {some(preview.coordinatorOf, "network", "networks")}.</li>
            )}
            <li>
              Your profile (name, email address, rank or grade, department, site and text size), your notifications, the
              feedback you sent with your name, any roles you hold and your link to single sign-on will be deleted.
            </li>
            <li>You will be signed out of Confide on every device.</li>
          </ul>

          <h2 className="govuk-heading-m">What stays</h2>
          <ul className="govuk-list govuk-list--bullet">
            <li>
              Anonymous figures for the Equality Unit&rsquo;s reports: the topic, dates and outcome of requests, with no name
              and none of the words.
            </li>
            <li>
              The audit log, which records that things happened (for example, that your data was erased) with opaque
              reference numbers. It never holds what anyone wrote.
            </li>
            <li>
              If you have supported colleagues, those conversations stay with the colleagues who asked you, because they
              are theirs. Your name is taken off them.
            </li>
            <li>
              Anonymous feedback you sent. It was never linked to you, so it cannot be found to be erased.
            </li>
          </ul>

          <h2 className="govuk-heading-m">If you sign in again</h2>
          <p className="govuk-body">Signing in again starts a new, empty account. Nothing erased can be brought back.</p>

          <EraseForm />
        </div>
      </div>
    </>
  );
}
