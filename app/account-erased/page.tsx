import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { Panel } from "@/components/govuk/panel";
import { currentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Your data has been erased" };

// Public: the erase action signs the person out and sends them here, when they no longer have a session. Someone
// signed in has not just erased anything, so they go to their account instead.
export default async function AccountErasedPage() {
  if (await currentUser()) redirect("/account");
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Panel title="Your data has been erased" />
        <p className="govuk-body">You have been signed out of Confide on every device.</p>
        <p className="govuk-body">
          If you sign in again, Confide will start a new, empty account for you.
        </p>
        <h2 className="govuk-heading-m">On a shared computer</h2>
        <p className="govuk-body">
          You may still be signed in to the force&rsquo;s single sign-on. Sign out of it too, then close the browser window.
        </p>
        {/* /signout works without a Confide session: it ends the session at the identity provider. */}
        <form method="post" action="/signout">
          <button type="submit" className="govuk-button govuk-button--secondary">
            Sign out of single sign-on
          </button>
        </form>
      </div>
    </div>
  );
}
