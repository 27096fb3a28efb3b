import Link from "next/link";

import { Tag, type TagColour } from "@/components/govuk/tag";
import type { MembershipStatus, MyNetwork } from "@/db/queries/networks";
import { LeaveForm } from "./leave-form";

const STATUS: Record<MembershipStatus, { text: string; colour: TagColour; leave: string }> = {
  active: { text: "Member", colour: "green", leave: "Leave this network" },
  pending: { text: "Request pending", colour: "blue", leave: "Withdraw request" },
  declined: { text: "Request declined", colour: "grey", leave: "Remove from your networks" },
  removed: { text: "Removed by a coordinator", colour: "grey", leave: "Remove from your networks" },
};

const VISIBILITY: Record<MyNetwork["visibility"], string> = {
  silent: "Silent \u2013 only the coordinators know",
  visible: "Visible to other members",
};

// "Your networks" on /account: the viewer's own rows only (the query is by their id). Each can be left here, which
// deletes it at once, including for a network that has since closed.
export function YourNetworks({ networks }: { networks: readonly MyNetwork[] }) {
  return (
    <section aria-labelledby="your-networks" className="govuk-!-margin-bottom-8">
      <h2 className="govuk-heading-m" id="your-networks">
        Your networks
      </h2>
      {networks.length === 0 ? (
        <p className="govuk-body">
          You have not joined or asked to join any networks.{" "}
          <Link className="govuk-link" href="/networks" prefetch={false}>
            Browse staff support networks
          </Link>
          .
        </p>
      ) : (
        <>
          <p className="govuk-body">Only you can see this list. Leaving a network removes your membership straight away.</p>
          <dl className="govuk-summary-list">
            {networks.map((network) => {
              const status = STATUS[network.status];
              return (
                <div className="govuk-summary-list__row" key={network.slug}>
                  <dt className="govuk-summary-list__key">
                    {network.networkActive ? (
                      <Link className="govuk-link" href={`/networks/${network.slug}`} prefetch={false}>
                        {network.name}
                      </Link>
                    ) : (
                      <>
                        {network.name}
                        <span className="govuk-body-s govuk-!-display-block">This network has closed</span>
                      </>
                    )}
                  </dt>
                  <dd className="govuk-summary-list__value">
                    <Tag colour={status.colour}>{status.text}</Tag>
                    {(network.status === "active" || network.status === "pending") && (
                      <p className="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0">{VISIBILITY[network.visibility]}</p>
                    )}
                  </dd>
                  <dd className="govuk-summary-list__actions">
                    <LeaveForm slug={network.slug} label={status.leave} networkName={network.name} />
                  </dd>
                </div>
              );
            })}
          </dl>
        </>
      )}
    </section>
  );
}
