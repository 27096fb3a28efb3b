"use client";

import Link from "next/link";

import { describeFailure, SERVICE_UNAVAILABLE_MESSAGE } from "@/lib/errors";

// Shown when a page or a server action fails. Only the digest crosses from the server: Next.js logs it there, and
// instrumentation's onRequestError pairs it with the detail. The error's message and stack are never shown, as they
// could hold someone's details. When the database refused to save, the person is told that plainly: nothing was
// saved, and trying again later may work.

export default function ErrorPage({ error }: { error: unknown; retry: () => void }) {
  const { unavailable, reference } = describeFailure(error);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Sorry, there is a problem with the service</h1>
        <p className="govuk-body">{unavailable ? SERVICE_UNAVAILABLE_MESSAGE : "Try again later."}</p>
        {reference && (
          <p className="govuk-body">
            If you contact the service desk, give them this reference.
            <br />
            Reference: <strong>{reference}</strong>
          </p>
        )}
        <p className="govuk-body">
          <Link className="govuk-link" href="/" prefetch={false}>
            Go to the Confide home page
          </Link>
        </p>
      </div>
    </div>
  );
}
