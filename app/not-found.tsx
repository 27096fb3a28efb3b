import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";

import { logEvent, newErrorReference } from "@/lib/log";

export const metadata: Metadata = { title: "Page not found" };

// One reference per request: Next.js can render this component more than once while answering a request.
// Caveat: Next.js renders the root not-found UI into every page's payload (ready in case the page calls notFound()),
// so this line is also written for pages that were found. The reference is still in the log when someone reads it
// out to the service desk.
const requestReference = cache((): string => {
  const reference = newErrorReference();
  // The reference only: never the path or query, which can hold ids or search terms.
  logEvent("info", "not_found", { reference });
  return reference;
});

// The same page for "does not exist" and "you may not see it", so it must say nothing about what was asked for.
export default function NotFound() {
  const reference = requestReference();

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Page not found</h1>
        <p className="govuk-body">If you typed the web address, check it is correct.</p>
        <p className="govuk-body">If you pasted the web address, check you copied the entire address.</p>
        <p className="govuk-body">
          If the web address is correct or you selected a link or button, contact the service desk and give them this
          reference: <strong>{reference}</strong>
        </p>
        <p className="govuk-body">
          <Link className="govuk-link" href="/" prefetch={false}>
            Go to the Confide home page
          </Link>
        </p>
      </div>
    </div>
  );
}
