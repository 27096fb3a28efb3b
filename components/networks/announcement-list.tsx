import { Pagination, paginationItems } from "@/components/govuk/pagination";
import type { AnnouncementPage } from "@/db/queries/networks";
import { Paragraphs } from "./paragraphs";

type Props = { list: AnnouncementPage; href: (page: number) => string };

const dateTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  hour12: true,
});

// For active members only (silent ones included), newest first.
export function AnnouncementList({ list, href }: Props) {
  return (
    <section aria-labelledby="announcements">
      <h2 className="govuk-heading-m" id="announcements">
        Announcements
      </h2>
      {list.announcements.length === 0 ? (
        <p className="govuk-body">There are no announcements yet.</p>
      ) : (
        list.announcements.map((announcement) => (
          <article key={announcement.id} className="govuk-!-margin-bottom-6" aria-labelledby={`announcement-${announcement.id}`}>
            <h3 className="govuk-heading-s govuk-!-margin-bottom-1" id={`announcement-${announcement.id}`}>
              {announcement.title}
            </h3>
            <p className="govuk-body-s govuk-!-margin-bottom-2">
              <time dateTime={announcement.createdAt.toISOString()}>{dateTime.format(announcement.createdAt)}</time>
            </p>
            <Paragraphs text={announcement.body} />
          </article>
        ))
      )}
      <Pagination
        previous={list.page > 1 ? { href: href(list.page - 1) } : undefined}
        next={list.page < list.pageCount ? { href: href(list.page + 1) } : undefined}
        items={paginationItems(list.page, list.pageCount, href)}
        landmarkLabel="Announcement pages"
      />
    </section>
  );
}
