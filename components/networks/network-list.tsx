import Link from "next/link";

import { SummaryList } from "@/components/govuk/summary-list";
import type { NetworkSummary } from "@/db/queries/networks";
import { ContactPoints } from "./contact-points";
import { memberCountText } from "./member-count";

// The same for everyone: nothing here depends on who is looking or who belongs to what.
export function NetworkList({ networks }: { networks: readonly NetworkSummary[] }) {
  return (
    <ul className="govuk-list">
      {networks.map((network) => {
        const headingId = `network-${network.slug}`;
        const size = memberCountText(network.memberCount);
        return (
          <li key={network.slug} className="govuk-!-margin-bottom-8">
            <section aria-labelledby={headingId}>
              <h2 className="govuk-heading-m govuk-!-margin-bottom-2" id={headingId}>
                <Link className="govuk-link govuk-link--no-visited-state" href={`/networks/${network.slug}`} prefetch={false}>
                  {network.name}
                </Link>
              </h2>
              <p className="govuk-body">{network.summary}</p>
              <SummaryList
                rows={[
                  { key: "Who it is for", value: network.whoFor },
                  {
                    key: "How to join",
                    value: (
                      <>
                        <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">
                          {network.joinPolicy === "open" ? "Join straight away" : "A coordinator confirms each request"}
                        </p>
                        <p className="govuk-body govuk-!-margin-bottom-0">{network.howToJoin}</p>
                      </>
                    ),
                  },
                  {
                    key: "Contact",
                    value: <ContactPoints coordinators={network.coordinators} contactMailbox={network.contactMailbox} />,
                  },
                  ...(size ? [{ key: "Size", value: size }] : []),
                ]}
              />
            </section>
          </li>
        );
      })}
    </ul>
  );
}
