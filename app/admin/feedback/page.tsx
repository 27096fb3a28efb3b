import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { FeedbackCard } from "@/components/feedback/feedback-card";
import { NotificationBanner } from "@/components/govuk/notification-banner";
import { Pagination, paginationItems } from "@/components/govuk/pagination";
import { listFeedback } from "@/db/queries/feedback";
import { FeedbackListQuery, type FeedbackStatus } from "@/db/validation/feedback";
import { requireEqualityUnit } from "@/lib/auth/equality-unit";
import { NotFoundError } from "@/lib/errors";

export const metadata: Metadata = { title: "Feedback \u2013 admin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const OUTCOMES = {
  archived: "Feedback archived. You can find it under Archived.",
  restored: "Feedback restored. It is back under New.",
} as const;

const LABELS: Record<FeedbackStatus, string> = { new: "New", archived: "Archived" };

function adminOrNotFound<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

function listHref(status: FeedbackStatus, page = 1): string {
  const query = new URLSearchParams({ ...(status === "archived" ? { status } : {}), ...(page > 1 ? { page: String(page) } : {}) });
  const search = query.toString();
  return search ? `/admin/feedback?${search}` : "/admin/feedback";
}

export default async function AdminFeedbackPage({ searchParams }: Props) {
  const viewer = await requireEqualityUnit("feedback");
  const query = FeedbackListQuery.parse(await searchParams);
  // The role is checked again in the query's own WHERE; losing it in between is the same 404.
  const list = adminOrNotFound(() => listFeedback(viewer, query.status, query.page));
  const pageHref = (page: number) => listHref(list.status, page);

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        {query.outcome && <NotificationBanner type="success" heading={OUTCOMES[query.outcome]} />}
        <span className="govuk-caption-l">Admin</span>
        <h1 className="govuk-heading-l">Feedback</h1>
        <p className="govuk-body">
          Feedback from colleagues about Confide, newest first. Anonymous feedback carries no name and is dated by day
          only, so that it cannot be matched to when someone was signed in.
        </p>
        <nav className="confide-sub-navigation" aria-label="Feedback lists">
          <ul className="confide-sub-navigation__list">
            {(["new", "archived"] as const).map((status) => (
              <li className="confide-sub-navigation__item" key={status}>
                <a
                  className="govuk-link govuk-link--no-visited-state confide-sub-navigation__link"
                  href={listHref(status)}
                  aria-current={status === list.status ? "page" : undefined}
                >
                  {LABELS[status]} ({list.counts[status]})
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {list.total === 0 ? (
          <p className="govuk-body">{list.status === "new" ? "There is no new feedback." : "There is no archived feedback."}</p>
        ) : (
          <>
            <p className="govuk-body">
              {list.total === 1 ? "1 item" : `${list.total} items`}
              {list.pageCount > 1 && `, page ${list.page} of ${list.pageCount}`}.
            </p>
            {list.items.map((item) => (
              <FeedbackCard item={item} page={list.page} key={item.id} />
            ))}
            <Pagination
              previous={list.page > 1 ? { href: pageHref(list.page - 1) } : undefined}
              next={list.page < list.pageCount ? { href: pageHref(list.page + 1) } : undefined}
              items={paginationItems(list.page, list.pageCount, pageHref)}
              landmarkLabel={`Pages of ${LABELS[list.status].toLowerCase()} feedback`}
            />
          </>
        )}
      </div>
    </div>
  );
}
