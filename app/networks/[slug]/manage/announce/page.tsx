import type { Metadata } from "next";

import { BackLink } from "@/components/govuk/back-link";
import { AnnouncementForm } from "@/components/network-console/announcement-form";
import { formatDay } from "@/components/network-console/format";
import { countAnnouncementRecipients, getConsoleNetwork, listRecentAnnouncements } from "@/db/queries/network-console";
import { requireUser } from "@/lib/auth/session";
import { orNotFound, slugOrNotFound } from "../console-guard";

export const metadata: Metadata = { title: "Send an announcement – Manage network" };

type Props = { params: Promise<{ slug: string }> };

export default async function AnnouncePage({ params }: Props) {
  const viewer = await requireUser();
  const slug = slugOrNotFound(viewer, (await params).slug);
  const { network, recipients, recent } = orNotFound(viewer, () => {
    const found = getConsoleNetwork(viewer, slug);
    return {
      network: found,
      recipients: countAnnouncementRecipients(viewer, found.id),
      recent: listRecentAnnouncements(viewer, found.id),
    };
  });

  return (
    <>
      <BackLink href={`/networks/${network.slug}/manage`}>Back to managing the network</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <AnnouncementForm networkId={network.id} networkName={network.name} recipients={recipients} />
          {recent.length > 0 && (
            <>
              <h2 className="govuk-heading-m govuk-!-margin-top-6">Recent announcements</h2>
              <ul className="govuk-list">
                {recent.map((announcement) => (
                  <li key={announcement.id}>
                    {announcement.title}{" "}
                    <span className="govuk-hint govuk-!-display-inline">({formatDay(announcement.createdAt)})</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      </div>
    </>
  );
}
