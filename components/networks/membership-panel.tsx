import { InsetText } from "@/components/govuk/inset-text";
import type { NetworkDetail, OwnMembership } from "@/db/queries/networks";
import { VISIBILITY_LABELS } from "@/db/validation/networks";
import { JoinForm } from "./join-form";
import { LeaveForm } from "./leave-form";
import { Paragraphs } from "./paragraphs";
import { VisibilityForm } from "./visibility-form";

type Props = { network: Pick<NetworkDetail, "slug" | "name" | "joinPolicy">; membership: OwnMembership | null };

const longDate = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" });

function Reason({ reason }: { reason: string | null }) {
  if (!reason) return <p className="govuk-body">The coordinator did not give a reason.</p>;
  return (
    <InsetText>
      <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">The coordinator&rsquo;s reason</p>
      <Paragraphs text={reason} />
    </InsetText>
  );
}

// The signed-in person's own membership of this network, in whichever state it is. Rendered on the server for that
// person only; the client forms inside receive the slug, the join policy and the person's own visibility.
export function MembershipPanel({ network, membership }: Props) {
  const { slug, joinPolicy } = network;
  const approval = joinPolicy === "approval";

  if (!membership) {
    return (
      <section aria-labelledby="your-membership">
        <h2 className="govuk-heading-m" id="your-membership">
          {approval ? "Ask to join this network" : "Join this network"}
        </h2>
        <p className="govuk-body">
          {approval
            ? "A coordinator will confirm your request. Nobody outside the network is told that you asked."
            : "You become a member straight away. Nobody outside the network is told that you joined."}
        </p>
        <JoinForm slug={slug} joinPolicy={joinPolicy} />
      </section>
    );
  }

  switch (membership.status) {
    case "pending":
      return (
        <section aria-labelledby="your-membership">
          <h2 className="govuk-heading-m" id="your-membership">
            Request pending
          </h2>
          <p className="govuk-body">
            You asked to join on {longDate.format(membership.requestedAt)}. A coordinator will confirm your request,
            usually within a few working days. Until then you cannot see the network&rsquo;s members or announcements.
          </p>
          <p className="govuk-body">When your request is accepted: {VISIBILITY_LABELS[membership.visibility]}.</p>
          {membership.requestNote && (
            <InsetText>
              <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">Your note to the coordinators</p>
              <Paragraphs text={membership.requestNote} />
            </InsetText>
          )}
          <LeaveForm slug={slug} label="Withdraw request" />
        </section>
      );
    case "declined":
      return (
        <section aria-labelledby="your-membership">
          <h2 className="govuk-heading-m" id="your-membership">
            Your request to join was declined
          </h2>
          <Reason reason={membership.decisionReason} />
          <p className="govuk-body">You can ask again, for example if your circumstances have changed.</p>
          <JoinForm slug={slug} joinPolicy={joinPolicy} again />
        </section>
      );
    case "removed":
      return (
        <section aria-labelledby="your-membership">
          <h2 className="govuk-heading-m" id="your-membership">
            You were removed from this network
          </h2>
          <Reason reason={membership.decisionReason} />
          {approval ? (
            <p className="govuk-body">If you think this is a mistake, contact the network&rsquo;s coordinators.</p>
          ) : (
            <JoinForm slug={slug} joinPolicy={joinPolicy} again />
          )}
        </section>
      );
    case "active":
      return (
        <section aria-labelledby="your-membership">
          <h2 className="govuk-heading-m" id="your-membership">
            You are a member of this network
          </h2>
          <p className="govuk-body">
            <span className="govuk-!-font-weight-bold">Who can see you: </span>
            {VISIBILITY_LABELS[membership.visibility]}.
          </p>
          <VisibilityForm slug={slug} current={membership.visibility} />
          <h3 className="govuk-heading-s">Leave this network</h3>
          <p className="govuk-body">
            Leaving removes your membership straight away.{" "}
            {approval ? "To join again you would need to ask again." : "You can join again at any time."}
          </p>
          <LeaveForm slug={slug} label="Leave this network" />
        </section>
      );
  }
}
