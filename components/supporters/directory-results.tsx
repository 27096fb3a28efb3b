import Link from "next/link";

import { Pagination, paginationItems } from "@/components/govuk/pagination";
import type { DirectoryPage } from "@/db/queries/directory";
import { directoryQueryString, type DirectoryFilters } from "@/db/validation/directory";
import { escapeMarkup, summaryListMarkup } from "@/components/markup";
import { availabilityTagMarkup } from "./availability-tag";
import { supporterFactRows } from "./supporter-facts";
import { truncate } from "./text";

const INTRODUCTION_LENGTH = 220;

type Props = { result: DirectoryPage; filters: DirectoryFilters; filtered: boolean; today: string };

function countLine({ total, page, pageSize, entries }: DirectoryPage): string {
  const noun = total === 1 ? "supporter" : "supporters";
  if (total <= pageSize) return `Showing ${total} ${noun}`;
  const from = (page - 1) * pageSize + 1;
  return `Showing ${from} to ${from + entries.length - 1} of ${total} ${noun}`;
}

// Each card: the name linking to the profile, the availability badge, the facts and the start of the introduction.
// A plain link, not next/link, which would be a client component per card.
function supporterCardsMarkup(entries: DirectoryPage["entries"], today: string): string {
  return entries
    .map((supporter) => {
      const introduction = supporter.introduction.trim()
        ? `<p class='govuk-body'>${escapeMarkup(truncate(supporter.introduction, INTRODUCTION_LENGTH))}</p>`
        : "";
      return (
        `<li><h2 class='govuk-heading-m govuk-!-margin-bottom-2'><a class='govuk-link' href='/supporters/${encodeURIComponent(supporter.id)}'>${escapeMarkup(supporter.name)}</a></h2>` +
        `<p class='govuk-body govuk-!-margin-bottom-2'>${availabilityTagMarkup(supporter.availability, today)}</p>` +
        summaryListMarkup(supporterFactRows(supporter), { noBorder: true }) +
        `${introduction}<hr class='govuk-section-break govuk-section-break--m govuk-section-break--visible'></li>`
      );
    })
    .join("");
}

export function DirectoryResults({ result, filters, filtered, today }: Props) {
  if (result.total === 0) return <EmptyResult filtered={filtered} />;
  const href = (page: number) => `/supporters${directoryQueryString({ ...filters, page })}`;
  return (
    <>
      <p className="govuk-body govuk-!-font-weight-bold" id="result-count">
        {countLine(result)}
      </p>
      {/* The cards are markup (components/markup.ts): as React elements, twenty cards were most of the page's render. */}
      <ul className="govuk-list" aria-labelledby="result-count" dangerouslySetInnerHTML={{ __html: supporterCardsMarkup(result.entries, today) }} />
      {result.pageCount > 1 && (
        <Pagination
          landmarkLabel="Pages of supporters"
          previous={result.page > 1 ? { href: href(result.page - 1) } : undefined}
          next={result.page < result.pageCount ? { href: href(result.page + 1) } : undefined}
          items={paginationItems(result.page, result.pageCount, href)}
        />
      )}
    </>
  );
}

function EmptyResult({ filtered }: { filtered: boolean }) {
  if (!filtered) {
    return (
      <>
        <h2 className="govuk-heading-m">There are no equality supporters listed at the moment</h2>
        <p className="govuk-body">
          Supporters are added by the Equality Unit. You can still get support from a{" "}
          <Link className="govuk-link" href="/networks" prefetch={false}>
            staff support network
          </Link>{" "}
          or read the{" "}
          <Link className="govuk-link" href="/help" prefetch={false}>
            help pages
          </Link>
          .
        </p>
      </>
    );
  }
  return (
    <>
      <h2 className="govuk-heading-m">No supporters match your search and filters</h2>
      <p className="govuk-body">No listed supporter matches everything you selected. You could:</p>
      <ul className="govuk-list govuk-list--bullet">
        <li>remove a filter, for example &lsquo;Available now&rsquo; or a site</li>
        <li>check the spelling of your search</li>
        <li>search for part of a name, a site or a specialism</li>
      </ul>
      <p className="govuk-body">
        <Link className="govuk-link" href="/supporters" prefetch={false}>
          Clear filters
        </Link>
      </p>
    </>
  );
}
