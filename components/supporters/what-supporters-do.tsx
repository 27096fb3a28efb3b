import Link from "next/link";

// A short version of /help, on the pages where someone decides whether to ask for contact.
export function WhatSupportersDo() {
  return (
    <>
      <h2 className="govuk-heading-m">What a supporter can and cannot do</h2>
      <p className="govuk-body">An equality supporter can listen in confidence, explain your options and the force&apos;s
        policies, tell you about other help, and go with you to meetings where that is appropriate. You decide what
        happens next.</p>
      <p className="govuk-body">
        A supporter cannot investigate what happened, take sides, act as your legal representative or make decisions
        for you. They cannot keep something secret if there is a risk of serious harm to you or someone else.
      </p>
      <p className="govuk-body">
        <Link className="govuk-link" href="/help" prefetch={false}>
          Read more about what supporters do and the limits of confidentiality
        </Link>
      </p>
    </>
  );
}
