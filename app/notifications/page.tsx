import type { Metadata } from "next";
import * as z from "zod";

import { Button } from "@/components/govuk/button";
import { Pagination, paginationItems } from "@/components/govuk/pagination";
import { Tag } from "@/components/govuk/tag";
import { listForViewer } from "@/db/queries/notifications";
import { requireUser } from "@/lib/auth/session";
import { markAllReadAction } from "./actions";

export const metadata: Metadata = { title: "Notifications" };

// A stale or tampered page number shows the first page rather than an error.
const PageParam = z.coerce.number().int().min(1).max(10_000).catch(1);

const dateTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  hour12: true,
});

const pageHref = (page: number) => (page === 1 ? "/notifications" : `/notifications?page=${page}`);

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireUser();
  const { page: rawPage } = await searchParams;
  const list = listForViewer(viewer, PageParam.parse(Array.isArray(rawPage) ? rawPage[0] : rawPage));

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Notifications</h1>
        <p className="govuk-body">
          Notifications and emails from Confide never include names or what anyone wrote. Follow a notification to see
          the details.
        </p>

        {list.total === 0 ? (
          <p className="govuk-body">You have no notifications.</p>
        ) : (
          <>
            <p className="govuk-body">
              {list.unread === 0 ? "You have no unread notifications." : `You have ${list.unread} unread ${list.unread === 1 ? "notification" : "notifications"}.`}
            </p>
            {list.unread > 0 && (
              <form action={markAllReadAction}>
                <Button variant="secondary">Mark all as read</Button>
              </form>
            )}
            <ul className="govuk-list">
              {list.items.map((item) => (
                <li key={item.id} className="govuk-!-margin-bottom-4">
                  <p className="govuk-body govuk-!-margin-bottom-1">
                    {item.unread && (
                      <>
                        <Tag className="govuk-!-margin-right-2">Unread</Tag>{" "}
                      </>
                    )}
                    <a className={item.unread ? "govuk-link govuk-!-font-weight-bold" : "govuk-link"} href={item.link}>
                      {item.sentence}
                    </a>
                  </p>
                  {item.reference && (
                    <p className="govuk-body govuk-!-margin-bottom-1">
                      Reference: <strong>{item.reference}</strong>
                    </p>
                  )}
                  <p className="govuk-body-s govuk-!-margin-bottom-0">
                    <time dateTime={item.createdAt.toISOString()}>{dateTime.format(item.createdAt)}</time>
                  </p>
                </li>
              ))}
            </ul>
            <Pagination
              previous={list.page > 1 ? { href: pageHref(list.page - 1) } : undefined}
              next={list.page < list.totalPages ? { href: pageHref(list.page + 1) } : undefined}
              items={paginationItems(list.page, list.totalPages, pageHref)}
              landmarkLabel="Notification pages"
            />
          </>
        )}
      </div>
    </div>
  );
}
