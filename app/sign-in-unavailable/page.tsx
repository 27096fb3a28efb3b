import type { Metadata } from "next";

import { InsetText } from "@/components/govuk/inset-text";

export const metadata: Metadata = { title: "Sign-in is unavailable" };

// Public: /signin sends people here when the force's single sign-on does not answer (app/signin/route.ts). It
// names no person and no cause beyond that, as anyone may see it.
export default function SignInUnavailablePage() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Sign-in is unavailable</h1>
        <p className="govuk-body">
          You cannot sign in to Confide at the moment because the force&apos;s single sign-on service is not
          responding.
        </p>
        <p className="govuk-body">
          Your information in Confide is safe. Nothing you have saved has been lost, and nobody else can see it.
        </p>
        <p className="govuk-body">Try again later.</p>
        <InsetText>
          If you need to talk to someone now, contact the Equality Unit or your line manager by phone or email. If
          you still cannot sign in later, contact the IT service desk.
        </InsetText>
        <a className="govuk-button" href="/signin">
          Try signing in again
        </a>
      </div>
    </div>
  );
}
