import type { Metadata } from "next";
import Link from "next/link";

import { BackLink } from "@/components/govuk/back-link";
import { InsetText } from "@/components/govuk/inset-text";
import { AvailabilityTag } from "@/components/supporters/availability-tag";
import { profileOr404 } from "@/components/supporters/supporter-lookup";
import { directoryQueryString } from "@/db/validation/directory";
import { requireUser } from "@/lib/auth/session";
import { today } from "@/lib/clock";

const TITLE = "Ask for confidential contact";

export const metadata: Metadata = { title: TITLE };

type Props = { params: Promise<{ id: string }> };

// Until the request form arrives, this page says what asking will involve, so nobody is surprised later. It follows
// the same rules as the profile: an unlisted supporter is a 404.
export default async function ContactSupporterPage({ params }: Props) {
  const viewer = await requireUser();
  const supporter = profileOr404(viewer, (await params).id);
  const availableHref = `/supporters${directoryQueryString({ availableNow: true, notMyDepartment: false })}`;

  return (
    <>
      <BackLink href={`/supporters/${supporter.id}`}>Back to the supporter&apos;s profile</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{TITLE}</h1>
          {supporter.isViewer ? (
            <p className="govuk-body">
              This is your own profile, so you cannot ask yourself for contact.{" "}
              <Link className="govuk-link" href="/supporters" prefetch={false}>
                Find another supporter
              </Link>
              .
            </p>
          ) : supporter.availability.kind !== "available" ? (
            <>
              <p className="govuk-body">
                <AvailabilityTag availability={supporter.availability} today={today()} />
              </p>
              <p className="govuk-body">{supporter.name} cannot take a new request at the moment.</p>
              <p className="govuk-body">
                <Link className="govuk-link" href={availableHref} prefetch={false}>
                  Choose a supporter who is available now
                </Link>
              </p>
            </>
          ) : (
            <WhatWillHappen name={supporter.name} />
          )}
        </div>
      </div>
    </>
  );
}

function WhatWillHappen({ name }: { name: string }) {
  return (
    <>
      <p className="govuk-body-l">You are asking {name} for confidential support.</p>
      <InsetText>
        <p className="govuk-body">
          The form to send a request is coming soon. You cannot send a request from this page yet.
        </p>
      </InsetText>

      <h2 className="govuk-heading-m">What will happen</h2>
      <ol className="govuk-list govuk-list--number">
        <li>You say briefly what it is about and how you would like to talk.</li>
        <li>
          {name} is told that there is a new request in Confide. The email and the notification say nothing about you
          or what your request is about.
        </li>
        <li>
          They will acknowledge your request within 2 working days. If they have not, they are reminded, and then the
          Equality Unit is told that a request is waiting, without being told who it is from or what it is about.
        </li>
        <li>You and {name} talk in the way you chose. You can withdraw your request at any time.</li>
      </ol>

      <h2 className="govuk-heading-m">Staying anonymous</h2>
      <p className="govuk-body">
        You can choose to stay anonymous to {name}. They will see &lsquo;Anonymous colleague&rsquo; and you will talk
        only through messages in Confide.
      </p>

      <h2 className="govuk-heading-m">The limits of confidentiality</h2>
      <p className="govuk-body">
        Only you and {name} will be able to read your request and your messages. There are limits to confidentiality:
      </p>
      <ul className="govuk-list govuk-list--bullet">
        <li>
          supporters who are police officers are bound by the Standards of Professional Behaviour, which include a duty
          to report improper conduct by colleagues
        </li>
        <li>if there is a risk of serious harm to you or someone else, a supporter may have to tell someone</li>
        <li>safeguarding concerns, for example about a child or an adult at risk, must be passed on</li>
        <li>a court or another legal order can require information to be shared</li>
      </ul>
      <p className="govuk-body">You will be asked to confirm that you understand these limits before you send a request.</p>
      <p className="govuk-body">
        <Link className="govuk-link" href="/help#confidentiality" prefetch={false}>
          Read more about confidentiality and what supporters can and cannot do
        </Link>
      </p>
    </>
  );
}
