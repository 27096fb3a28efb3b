import type { Metadata } from "next";

export const metadata: Metadata = { title: "You could not be signed in" };

type Props = { searchParams: Promise<{ error?: string }> };

// Public: Auth.js sends people here when sign-in fails. The error code is Auth.js' own, never a detail.
export default async function SignInProblemPage({ searchParams }: Props) {
  const { error } = await searchParams;
  const denied = error === "AccessDenied";
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">You could not be signed in</h1>
        {denied ? (
          <p className="govuk-body">
            Your Confide account is not active. If you think this is wrong, contact the Equality Unit.
          </p>
        ) : (
          <p className="govuk-body">Something went wrong while signing you in. Try again.</p>
        )}
        <a className="govuk-button" href="/signin">
          Try signing in again
        </a>
      </div>
    </div>
  );
}
