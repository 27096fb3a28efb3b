import type { Metadata } from "next";

import { ButtonGroup } from "@/components/govuk/button";
import { InsetText } from "@/components/govuk/inset-text";
import { Pagination, paginationItems } from "@/components/govuk/pagination";
import { membersLabel } from "@/components/network-console/format";
import { MembersTable } from "@/components/network-console/members-table";
import { OutcomeBanner } from "@/components/network-console/outcome-banner";
import { RequestsList } from "@/components/network-console/requests-list";
import { getConsoleOverview } from "@/db/queries/network-console";
import { ConsoleQuery } from "@/db/validation/network-console";
import { requireUser } from "@/lib/auth/session";
import { orNotFound, slugOrNotFound } from "./console-guard";

// The title names neither the network nor anyone in it: titles show in browser history and tab lists.
export const metadata: Metadata = { title: "Manage network" };

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function ManageNetworkPage({ params, searchParams }: Props) {
  const viewer = await requireUser();
  const slug = slugOrNotFound(viewer, (await params).slug);
  const query = ConsoleQuery.parse(await searchParams);
  const { network, members, requests } = orNotFound(viewer, () => getConsoleOverview(viewer, slug, query));

  const base = `/networks/${network.slug}/manage`;
  // Each list keeps the other's page, so paging through members does not lose your place in the requests.
  const href = (pages: { page: number; requests: number }) => {
    const search = new URLSearchParams();
    if (pages.page > 1) search.set("page", String(pages.page));
    if (pages.requests > 1) search.set("requests", String(pages.requests));
    const qs = search.toString();
    return qs ? `${base}?${qs}` : base;
  };
  const memberHref = (page: number) => href({ page, requests: requests.page });
  const requestHref = (page: number) => href({ page: members.page, requests: page });

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <OutcomeBanner outcome={query.outcome} />
        <h1 className="govuk-heading-l">
          <span className="govuk-caption-l">Manage network</span>
          {network.name}
        </h1>
        <InsetText>
          Only the network&rsquo;s coordinators can see this page. Membership is confidential: do not share who is in
          the network with anyone else.
        </InsetText>
        <ButtonGroup>
          <a className="govuk-button" href={`${base}/announce`}>
            Send an announcement
          </a>
          <a className="govuk-button govuk-button--secondary" href={`${base}/edit`}>
            Edit the network&rsquo;s page
          </a>
          <a className="govuk-button govuk-button--secondary" href={`${base}/members.csv`} download>
            Export members as CSV
          </a>
          <a className="govuk-link" href={`${base}/report`}>Membership report</a>
        </ButtonGroup>

        <h2 className="govuk-heading-m" id="requests">
          Requests to join
        </h2>
        {requests.total === 0 ? (
          <p className="govuk-body">There are no requests waiting.</p>
        ) : (
          <>
            <p className="govuk-body">
              {requests.total === 1 ? "1 person is" : `${requests.total.toLocaleString("en-GB")} people are`} waiting for a
              decision. They are told in Confide when you decide.
            </p>
            <RequestsList
              networkId={network.id}
              slug={network.slug}
              requests={requests.items}
              caption={`Requests to join, page ${requests.page} of ${requests.pageCount}`}
            />
            <Pagination
              previous={requests.page > 1 ? { href: requestHref(requests.page - 1) } : undefined}
              next={requests.page < requests.pageCount ? { href: requestHref(requests.page + 1) } : undefined}
              items={paginationItems(requests.page, requests.pageCount, requestHref)}
              landmarkLabel="Pages of requests"
            />
          </>
        )}

        <h2 className="govuk-heading-m" id="members">
          Members
        </h2>
        {members.total === 0 ? (
          <p className="govuk-body">The network has no members yet.</p>
        ) : (
          <>
            <p className="govuk-body">
              The network has {membersLabel(members.total)}. Silent members are known only to coordinators: other
              members cannot see them.
            </p>
            <MembersTable
              slug={network.slug}
              members={members.items}
              caption={`Members, page ${members.page} of ${members.pageCount}`}
            />
            <Pagination
              previous={members.page > 1 ? { href: memberHref(members.page - 1) } : undefined}
              next={members.page < members.pageCount ? { href: memberHref(members.page + 1) } : undefined}
              items={paginationItems(members.page, members.pageCount, memberHref)}
              landmarkLabel="Pages of members"
            />
          </>
        )}
      </div>
    </div>
  );
}
