import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";

import { BackLink } from "@/components/govuk/back-link";
import { AnnouncementList } from "@/components/networks/announcement-list";
import { ContactPoints } from "@/components/networks/contact-points";
import { memberCountText } from "@/components/networks/member-count";
import { MemberList } from "@/components/networks/member-list";
import { MembershipPanel } from "@/components/networks/membership-panel";
import { Paragraphs } from "@/components/networks/paragraphs";
import { getNetworkPage, listAnnouncements, listVisibleMembers, type NetworkPage } from "@/db/queries/networks";
import { pageFrom, parseSlug } from "@/db/validation/networks";
import { requireUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// The title and the page share one read per request. An unknown or archived network is a 404 either way.
const loadNetwork = cache(async (slug: string): Promise<NetworkPage | null> => {
  const viewer = await requireUser();
  const valid = parseSlug(slug);
  if (!valid) return null;
  try {
    return getNetworkPage(viewer, valid);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
});

// The network's name is public; the viewer's membership is not, so it is never in the title (which shows in tabs
// and history).
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const page = await loadNetwork((await params).slug);
  return { title: page ? page.network.name : "Network" };
}

export default async function NetworkDetailPage({ params, searchParams }: Props) {
  const viewer = await requireUser();
  const loaded = await loadNetwork((await params).slug);
  if (!loaded) notFound();
  const { network, membership } = loaded;
  const query = await searchParams;

  // Member-only content is read only for an active member; the queries check membership again themselves.
  const isMember = membership?.status === "active";
  const announcementsPage = pageFrom(query.page);
  const membersPage = pageFrom(query.members);
  const base = `/networks/${network.slug}`;
  const members = isMember ? listVisibleMembers(viewer, network.slug, membersPage) : null;
  const announcements = isMember ? listAnnouncements(viewer, network.slug, announcementsPage) : null;
  const size = memberCountText(network.memberCount);

  return (
    <>
      <BackLink href="/networks">All networks</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{network.name}</h1>
          <p className="govuk-body-l">{network.summary}</p>
          <Paragraphs text={network.description} />

          {network.offers && (
            <>
              <h2 className="govuk-heading-m">What the network offers</h2>
              <Paragraphs text={network.offers} />
            </>
          )}

          <h2 className="govuk-heading-m">Who it is for</h2>
          <Paragraphs text={network.whoFor} />

          <h2 className="govuk-heading-m">How to join</h2>
          <Paragraphs text={network.howToJoin} />

          <h2 className="govuk-heading-m">Contact the coordinators</h2>
          <p className="govuk-body">
            The coordinators can answer questions about the network before you join. What you tell them stays with
            them.
          </p>
          <ContactPoints coordinators={network.coordinators} contactMailbox={network.contactMailbox} />
          {size && <p className="govuk-body">This network has {size}.</p>}

          <MembershipPanel network={network} membership={membership} />

          {members && (
            <MemberList
              list={members}
              viewerIsSilent={membership?.visibility === "silent"}
              href={(page) => (page === 1 ? base : `${base}?members=${page}`)}
            />
          )}
          {announcements && (
            <AnnouncementList list={announcements} href={(page) => (page === 1 ? base : `${base}?page=${page}`)} />
          )}
        </div>
      </div>
    </>
  );
}
