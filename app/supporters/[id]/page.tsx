import type { Metadata } from "next";
import Link from "next/link";

import { BackLink } from "@/components/govuk/back-link";
import { Button } from "@/components/govuk/button";
import { InsetText } from "@/components/govuk/inset-text";
import { AvailabilityTag } from "@/components/supporters/availability-tag";
import { SupporterFacts } from "@/components/supporters/supporter-facts";
import { profileOr404 } from "@/components/supporters/supporter-lookup";
import { paragraphs } from "@/components/supporters/text";
import { WhatSupportersDo } from "@/components/supporters/what-supporters-do";
import { directoryQueryString } from "@/db/validation/directory";
import { requireUser } from "@/lib/auth/session";
import { formatDate, today } from "@/lib/clock";

// Never the supporter's name: titles end up in browser history and tab lists.
export const metadata: Metadata = { title: "Equality supporter" };

type Props = { params: Promise<{ id: string }> };

export default async function SupporterProfilePage({ params }: Props) {
  const viewer = await requireUser();
  const supporter = profileOr404(viewer, (await params).id);
  const on = today();
  const { availability } = supporter;
  const introduction = paragraphs(supporter.introduction);

  return (
    <>
      <BackLink href="/supporters">Back to all supporters</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Equality supporter</span>
          <h1 className="govuk-heading-l">{supporter.name}</h1>
          <p className="govuk-body">
            <AvailabilityTag availability={availability} today={on} />
          </p>

          <SupporterFacts
            supporter={supporter}
            extraRows={[{ key: "Working pattern", value: supporter.workingPattern.trim() || "Not given" }]}
          />

          {introduction.length > 0 && (
            <>
              <h2 className="govuk-heading-m">In their own words</h2>
              {introduction.map((p, index) => (
                // Paragraphs are positional and never reordered.
                <p className="govuk-body" key={index}>
                  {p}
                </p>
              ))}
            </>
          )}

          {supporter.isViewer ? (
            <InsetText>
              <p className="govuk-body">This is your own profile, as colleagues see it.</p>
            </InsetText>
          ) : availability.kind === "available" ? (
            <>
              <h2 className="govuk-heading-m">Ask {supporter.name} for support</h2>
              <p className="govuk-body">
                They will only be told that there is a new request in Confide. You can choose to stay anonymous to them.
              </p>
              <Button href={`/supporters/${supporter.id}/contact`} isStartButton>
                Ask for confidential contact
              </Button>
            </>
          ) : (
            <InsetText>
              <p className="govuk-body">
                {availability.kind === "paused"
                  ? availability.until
                    ? `${supporter.name} is not taking new requests until ${formatDate(availability.until, on)}.`
                    : `${supporter.name} is not taking new requests at the moment.`
                  : `${supporter.name} is already supporting as many colleagues as they can, so they are not taking new requests at the moment.`}
              </p>
              <p className="govuk-body">
                <Link className="govuk-link" href={`/supporters${directoryQueryString({ availableNow: true, notMyDepartment: false })}`} prefetch={false}>
                  Choose a supporter who is available now
                </Link>
              </p>
            </InsetText>
          )}

          <WhatSupportersDo />
        </div>
      </div>
    </>
  );
}
