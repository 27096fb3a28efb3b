import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";

import { newErrorReference } from "@/lib/log";

export const metadata: Metadata = { title: "Page not found" };

// The same page for "does not exist" and "you may not see it", so it must say nothing about what was asked for.
export default async function NotFound() {
  // The request's reference from proxy.ts, also sent as the X-Request-Id response header. Nothing is logged:
  // Next.js renders this page into every response in case it is needed, so a log line here would be noise.
  const reference = (await headers()).get("x-request-id") ?? newErrorReference();

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
