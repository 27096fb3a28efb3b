import type { Metadata } from "next";

import { InsetText } from "@/components/govuk/inset-text";
import { SSO_UNREACHABLE } from "@/lib/auth/oidc";

export const metadata: Metadata = { title: "Signed out" };

type Props = { searchParams: Promise<{ sso?: string }> };

// Public: the identity provider sends people here after sign-out, when they no longer have a session; /signout
// sends them here itself, with sso=unreachable, when the identity provider did not answer (app/signout/route.ts).
// Anyone can add that to the address, and all it changes is the advice.
export default async function SignedOutPage({ searchParams }: Props) {
  const { sso } = await searchParams;
  const unreachable = sso === SSO_UNREACHABLE;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">You have signed out</h1>
        {unreachable ? (
          <>
            <p className="govuk-body">Your session in Confide has ended on this device.</p>
            <InsetText>
              The force&apos;s single sign-on service did not respond, so you may still be signed in to it. Anyone
              using this computer after you could then sign in to Confide as you.
            </InsetText>
            <p className="govuk-body">
              If you are on a shared computer, close every browser window when you have finished.
            </p>
          </>
        ) : (
          <>
            <p className="govuk-body">Your session has ended on this device and at single sign-on.</p>
            <p className="govuk-body">If you are on a shared computer, close the browser window when you have finished.</p>
          </>
        )}
        <a className="govuk-button" href="/signin">
          Sign in again
        </a>
      </div>
    </div>
  );
}
