import type { Metadata } from "next";
import Link from "next/link";

import { Pagination, paginationItems } from "@/components/govuk/pagination";
import { Table } from "@/components/govuk/table";
import { Tag } from "@/components/govuk/tag";
import { countLabel, JOIN_POLICY_LABELS, STATUS_LABELS } from "@/components/admin-networks/counts";
import { listNetworksForAdmin } from "@/db/queries/network-admin";
import { AdminListQuery } from "@/db/validation/network-admin";
import { requireNetworkAdmin } from "./guard";

export const metadata: Metadata = { title: "Networks \u2013 admin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const pageHref = (page: number) => (page === 1 ? "/admin/networks" : `/admin/networks?page=${page}`);

export default async function AdminNetworksPage({ searchParams }: Props) {
  const viewer = await requireNetworkAdmin();
  const query = AdminListQuery.parse(await searchParams);
  const list = listNetworksForAdmin(viewer, query.page);

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <span className="govuk-caption-l">Admin</span>
        <h1 className="govuk-heading-l">Networks</h1>
        <p className="govuk-body">
          Member counts are shown only from 5 upwards. You see how many people are in a network, never who they are.
        </p>
        <Link className="govuk-button" href="/admin/networks/new" prefetch={false}>
          Create a network
        </Link>
        {list.total === 0 ? (
          <p className="govuk-body">There are no networks yet.</p>
        ) : (
          <>
            <Table
              caption={list.pageCount > 1 ? `Networks, page ${list.page} of ${list.pageCount}` : "Networks"}
              captionSize="m"
              firstCellIsHeader
              head={[
                { text: "Network" },
                { text: "Status" },
                { text: "Joining" },
                { text: "Members", numeric: true },
                { text: "Requests waiting", numeric: true },
                { text: "Coordinators" },
              ]}
              rows={list.items.map((network) => ({
                key: network.id,
                cells: [
                  <a className="govuk-link" href={`/admin/networks/${network.id}`} key="name">
                    {network.name}
                  </a>,
                  <Tag colour={network.status === "active" ? "green" : "grey"} key="status">
                    {STATUS_LABELS[network.status]}
                  </Tag>,
                  JOIN_POLICY_LABELS[network.joinPolicy],
                  countLabel(network.members),
                  countLabel(network.pending),
                  network.coordinators.length === 0 ? (
                    <span className="govuk-hint govuk-!-margin-0" key="none">None assigned</span>
                  ) : (
                    <ul className="govuk-list govuk-!-margin-0" key="coordinators">
                      {network.coordinators.map((coordinator) => (
                        <li key={coordinator.userId}>{coordinator.name}</li>
                      ))}
                    </ul>
                  ),
                ],
              }))}
            />
            <Pagination
              previous={list.page > 1 ? { href: pageHref(list.page - 1) } : undefined}
              next={list.page < list.pageCount ? { href: pageHref(list.page + 1) } : undefined}
              items={paginationItems(list.page, list.pageCount, pageHref)}
              landmarkLabel="Pages of networks"
            />
          </>
        )}
      </div>
    </div>
  );
}
