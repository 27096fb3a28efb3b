"use client";

import Link from "next/link";

// Shown when a page fails. Only the digest is shown: Next.js logs it on the server, and instrumentation's
// onRequestError pairs it with the detail. The error's message and stack are never shown, as they could hold
// someone's details.

function referenceOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("digest" in error)) return undefined;
  const { digest } = error;
  return typeof digest === "string" && digest ? digest : undefined;
}

export default function ErrorPage({ error }: { error: unknown; retry: () => void }) {
  const reference = referenceOf(error);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Sorry, there is a problem with the service</h1>
        <p className="govuk-body">Try again later.</p>
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
