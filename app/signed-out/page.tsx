import type { Metadata } from "next";

export const metadata: Metadata = { title: "Signed out" };

// Public: the identity provider sends people here after sign-out, when they no longer have a session.
export default function SignedOutPage() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">You have signed out</h1>
        <p className="govuk-body">Your session has ended on this device and at single sign-on.</p>
        <p className="govuk-body">If you are on a shared computer, close the browser window when you have finished.</p>
        <a className="govuk-button" href="/signin">
          Sign in again
        </a>
      </div>
    </div>
  );
}
