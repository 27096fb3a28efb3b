import Link from "next/link";
import { Fragment } from "react";

import { Pagination, paginationItems } from "@/components/govuk/pagination";
import { Table } from "@/components/govuk/table";
import type { RequestPage } from "@/db/queries/requests";
import { REQUEST_CATEGORIES } from "@/lib/vocabulary";
import { formatAge, formatDay, formatDeadline, isOverdue } from "./format";
import { OverdueTag, StatusTag } from "./status-tag";

type Props = {
  list: RequestPage;
  /** Showing every request, ended ones too, rather than open ones only. */
  all: boolean;
  /** How many requests the supporter has ever had, for the empty state. */
  everAssigned: number;
  now: Date;
};

// Only which list and which page go in the address: nothing about any request.
const pageHref = (all: boolean) => (page: number) => {
  const query = new URLSearchParams();
  if (all) query.set("requests", "all");
  if (page > 1) query.set("page", String(page));
  const text = query.toString();
  return text ? `/inbox?${text}#requests-heading` : "/inbox#requests-heading";
};

function AcknowledgeBy({ item, now }: { item: RequestPage["items"][number]; now: Date }) {
  if (item.acknowledgedAt) return <>Acknowledged {formatDay(item.acknowledgedAt, now)}</>;
  if (item.status !== "new") return <>Not needed</>;
  return (
    <>
      {formatDeadline(item.acknowledgeBy, now)}
      {isOverdue(item.status, item.acknowledgeBy, now) && (
        <>
          {" "}
          <OverdueTag />
        </>
      )}
    </>
  );
}

// The supporter's assigned requests on /inbox: open ones unless asked for all, newest first.
export function InboxRequests({ list, all, everAssigned, now }: Props) {
  const href = pageHref(all);
  const switchLink = all ? (
    <Link className="govuk-link" href="/inbox#requests-heading" prefetch={false}>
      Show open requests only
    </Link>
  ) : (
    <Link className="govuk-link" href="/inbox?requests=all#requests-heading" prefetch={false}>
      Show all requests, including ended ones
    </Link>
  );

  if (everAssigned === 0) {
    return (
      <>
        <p className="govuk-body">You have no requests yet.</p>
        <p className="govuk-body">When a colleague asks you for confidential contact, their request will appear here.</p>
      </>
    );
  }
  if (list.total === 0) {
    return (
      <>
        <p className="govuk-body">You have no open requests.</p>
        <p className="govuk-body">{switchLink}</p>
      </>
    );
  }
  return (
    <>
      <Table
        caption={
          all
            ? `${list.total} ${list.total === 1 ? "request" : "requests"}, newest first`
            : `${list.total} open ${list.total === 1 ? "request" : "requests"}, newest first`
        }
        captionSize="s"
        head={[{ text: "From" }, { text: "About" }, { text: "Status" }, { text: "Received" }, { text: "Acknowledge by" }]}
        rows={list.items.map((item) => ({
          key: item.id,
          cells: [
            <Fragment key="from">
              <Link className="govuk-link" href={`/requests/${item.id}`} prefetch={false}>
                {item.with}
                <span className="govuk-visually-hidden">, request received {formatDay(item.createdAt, now)}</span>
              </Link>
              {/* What the Equality Unit quotes if a request is not acknowledged in time. */}
              <span className="govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">Reference {item.reference}</span>
            </Fragment>,
            REQUEST_CATEGORIES[item.category],
            <StatusTag key="status" status={item.status} />,
            <time key="age" dateTime={item.createdAt.toISOString()}>
              {formatAge(item.createdAt, now)}
            </time>,
            <AcknowledgeBy key="ack" item={item} now={now} />,
          ],
        }))}
      />
      <Pagination
        previous={list.page > 1 ? { href: href(list.page - 1) } : undefined}
        next={list.page < list.pageCount ? { href: href(list.page + 1) } : undefined}
        items={paginationItems(list.page, list.pageCount, href)}
        landmarkLabel="Pages of requests"
      />
      <p className="govuk-body">{switchLink}</p>
    </>
  );
}
