import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { BackLink } from "@/components/govuk/back-link";
import { LimitsOfConfidentiality } from "@/components/request-form/limits-of-confidentiality";
import { RequestForm } from "@/components/request-form/request-form";
import { AvailabilityTag } from "@/components/supporters/availability-tag";
import { getContactOptions, type ContactOptions } from "@/db/queries/requests";
import { directoryQueryString, SupporterIdParam } from "@/db/validation/directory";
import { requireUser } from "@/lib/auth/session";
import { formatDate, today } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { CONTACT_METHOD_LABELS, PROTECTED_CHARACTERISTICS, REQUEST_CATEGORIES } from "@/lib/vocabulary";

// Never the supporter's name: titles end up in browser history and tab lists.
const TITLE = "Ask for confidential contact";

export const metadata: Metadata = { title: TITLE };

type Props = { params: Promise<{ id: string }> };

// The same rule as the profile: a malformed id, an unknown one and an unlisted supporter are the same 404.
function contactOptionsOr404(viewer: Awaited<ReturnType<typeof requireUser>>, id: string): ContactOptions {
  const parsed = SupporterIdParam.safeParse(id);
  if (!parsed.success) notFound();
  try {
    return getContactOptions(viewer, parsed.data);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export default async function ContactSupporterPage({ params }: Props) {
  const viewer = await requireUser();
  const supporter = contactOptionsOr404(viewer, (await params).id);
  const on = today();
  const availableHref = `/supporters${directoryQueryString({ availableNow: true, notMyDepartment: false })}`;
  const { availability, name } = supporter;

  // Only what the form needs goes to the browser: not the supporter's user id.
  const form = (
    <RequestForm
      title={TITLE}
      supporter={{
        id: supporter.supporterId,
        name,
        roleTitle: supporter.roleTitle,
        site: supporter.site,
        contactMethods: supporter.contactMethods,
        inViewersDepartment: supporter.inViewersDepartment,
      }}
      labels={{ categories: REQUEST_CATEGORIES, characteristics: PROTECTED_CHARACTERISTICS, contactMethods: CONTACT_METHOD_LABELS }}
      limits={<LimitsOfConfidentiality name={name} />}
    />
  );

  return (
    <>
      <BackLink href={`/supporters/${supporter.supporterId}`}>Back to the supporter&apos;s profile</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {supporter.isViewer ? (
            <>
              <h1 className="govuk-heading-l">{TITLE}</h1>
              <p className="govuk-body">This is your own profile, so you cannot ask yourself for contact.</p>
              <p className="govuk-body">
                <Link className="govuk-link" href="/supporters" prefetch={false}>
                  Find another supporter
                </Link>
              </p>
            </>
          ) : availability.kind !== "available" ? (
            <>
              <h1 className="govuk-heading-l">{TITLE}</h1>
              <p className="govuk-body">
                <AvailabilityTag availability={availability} today={on} />
              </p>
              <p className="govuk-body">{name} cannot take a new request at the moment.</p>
              <p className="govuk-body">
                {availability.kind === "paused"
                  ? availability.until
                    ? `They are not taking new requests until ${formatDate(availability.until, on)}.`
                    : "They are not taking new requests for now."
                  : "They are already supporting as many colleagues as they can."}
              </p>
              <p className="govuk-body">
                <Link className="govuk-link" href={availableHref} prefetch={false}>
                  Choose a supporter who is available now
                </Link>
              </p>
            </>
          ) : supporter.contactMethods.length === 0 ? (
            <>
              <h1 className="govuk-heading-l">{TITLE}</h1>
              <p className="govuk-body">
                {name} has not said how they can be contacted, so they cannot take a request at the moment.
              </p>
              <p className="govuk-body">
                <Link className="govuk-link" href={availableHref} prefetch={false}>
                  Choose a supporter who is available now
                </Link>
              </p>
            </>
          ) : (
            form
          )}
        </div>
      </div>
    </>
  );
}
