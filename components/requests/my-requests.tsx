import Link from "next/link";

import { Pagination, paginationItems } from "@/components/govuk/pagination";
import { Table } from "@/components/govuk/table";
import type { RequestPage } from "@/db/queries/requests";
import { REQUEST_CATEGORIES } from "@/lib/vocabulary";
import { formatDay } from "./format";
import { StatusTag } from "./status-tag";

const pageHref = (page: number) => (page === 1 ? "/requests" : `/requests?page=${page}`);

// The requester's own requests, newest first.
export function MyRequests({ list, now }: { list: RequestPage; now: Date }) {
  if (list.total === 0) {
    return (
      <>
        <p className="govuk-body">You have not asked anyone for confidential contact yet.</p>
        <p className="govuk-body">
          <Link className="govuk-link" href="/supporters" prefetch={false}>
            Find an equality supporter
          </Link>{" "}
          to ask for confidential support.
        </p>
      </>
    );
  }
  return (
    <>
      <Table
        caption={`${list.total} ${list.total === 1 ? "request" : "requests"}, newest first`}
        captionSize="s"
        head={[{ text: "Supporter" }, { text: "About" }, { text: "Status" }, { text: "Sent" }]}
        rows={list.items.map((item) => ({
          key: item.id,
          cells: [
            <Link key="link" className="govuk-link" href={`/requests/${item.id}`} prefetch={false}>
              {item.with}
              <span className="govuk-visually-hidden">, request sent {formatDay(item.createdAt, now)}</span>
            </Link>,
            REQUEST_CATEGORIES[item.category],
            <StatusTag key="status" status={item.status} />,
            formatDay(item.createdAt, now),
          ],
        }))}
      />
      <Pagination
        previous={list.page > 1 ? { href: pageHref(list.page - 1) } : undefined}
        next={list.page < list.pageCount ? { href: pageHref(list.page + 1) } : undefined}
        items={paginationItems(list.page, list.pageCount, pageHref)}
        landmarkLabel="Pages of your requests"
      />
    </>
  );
}
