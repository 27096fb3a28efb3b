import type { Metadata } from "next";
import Link from "next/link";

import { Panel } from "@/components/govuk/panel";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Feedback sent" };

// The same page whether the feedback was anonymous or not, and whether its sender volunteered: the address and the
// page stay in the browser's history, so they say nothing about what was sent.
export default async function FeedbackSentPage() {
  await requireUser();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Panel title="Feedback sent">Thank you for your feedback</Panel>
        <h2 className="govuk-heading-m">What happens next</h2>
        <p className="govuk-body">The Equality Unit reads all feedback and uses it to improve Confide.</p>
        <p className="govuk-body">
          If you said you would like to take part in focus groups, the Equality Unit will email you when the next one is
          planned.
        </p>
        <p className="govuk-body">
          <Link className="govuk-link" href="/feedback" prefetch={false}>
            Send more feedback
          </Link>
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
