"use client";

import { ExitThisPage } from "@/components/exit-this-page";
import { SkipLink } from "@/components/govuk/skip-link";
import { describeFailure, SERVICE_UNAVAILABLE_MESSAGE } from "@/lib/errors";

import "./globals.scss";

// Replaces the root layout when the layout itself fails, so it reads no data: no session, no configuration.
// The quick exit therefore uses the default neutral site rather than QUICK_EXIT_URL.
const FALLBACK_EXIT_URL = "https://www.bbc.co.uk/weather";

export default function GlobalError({ error }: { error: unknown; retry: () => void }) {
  const { unavailable, reference } = describeFailure(error);
  return (
    <html lang="en-GB" className="govuk-template">
      <head>
        <title>Sorry, there is a problem with the service – Confide</title>
        <meta name="robots" content="noindex, nofollow" />
      </head>
      <body className="govuk-template__body">
        <SkipLink />
        <ExitThisPage url={FALLBACK_EXIT_URL} />
        <div className="govuk-width-container">
          <main className="govuk-main-wrapper" id="main-content">
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
                  {/* A full page load: the client router may be what failed. */}
                  {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
                  <a className="govuk-link" href="/">
                    Go to the Confide home page
                  </a>
                </p>
              </div>
            </div>
          </main>
        </div>
      </body>
    </html>
  );
}
