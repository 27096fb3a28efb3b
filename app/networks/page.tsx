import type { Metadata } from "next";

import { Pagination, paginationItems } from "@/components/govuk/pagination";
import { NetworkList } from "@/components/networks/network-list";
import { listActiveNetworks } from "@/db/queries/networks";
import { pageFrom } from "@/db/validation/networks";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Staff support networks" };

const pageHref = (page: number) => (page === 1 ? "/networks" : `/networks?page=${page}`);

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// Active networks only, the same list for everyone: no member names, no counts under 5, and nothing about the
// viewer's own memberships (those are on the network's page and on /account, for the viewer alone).
export default async function NetworksPage({ searchParams }: Props) {
  const viewer = await requireUser();
  const list = listActiveNetworks(viewer, pageFrom((await searchParams).page));

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Staff support networks</h1>
        <p className="govuk-body-l">
          Networks run by colleagues who give their own time to support each other and to help the force get things
          right.
        </p>
        <p className="govuk-body">
          Joining is private. Nobody outside a network is told that you joined. Inside it, you choose: silent (only the
          network&rsquo;s coordinators know) or visible to other members. You can change this or leave at any time.
        </p>
        {list.total === 0 ? (
          <p className="govuk-body">There are no networks at the moment.</p>
        ) : (
          <NetworkList networks={list.entries} />
        )}
        <Pagination
          previous={list.page > 1 ? { href: pageHref(list.page - 1) } : undefined}
          next={list.page < list.pageCount ? { href: pageHref(list.page + 1) } : undefined}
          items={paginationItems(list.page, list.pageCount, pageHref)}
          landmarkLabel="Network pages"
        />
      </div>
    </div>
  );
}
