import type { Metadata } from "next";
import Link from "next/link";

import { FeedbackForm } from "@/components/feedback/feedback-form";
import { InsetText } from "@/components/govuk/inset-text";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Give feedback" };

export default async function FeedbackPage() {
  await requireUser();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Give feedback on Confide</h1>
        <p className="govuk-body">
          Tell the Equality Unit what you think of Confide. We read all feedback and use it to improve the service.
        </p>
        <InsetText>
          This form is not for asking for support, and nobody will reply to it about your situation. To talk to someone
          in confidence,{" "}
          <Link className="govuk-link" href="/supporters" prefetch={false}>
            find an equality supporter
          </Link>
          .
        </InsetText>
        <FeedbackForm />
      </div>
    </div>
  );
}
