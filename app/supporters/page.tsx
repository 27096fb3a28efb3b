import type { Metadata } from "next";

import { ErrorSummary } from "@/components/govuk/error-summary";
import { NotificationBanner } from "@/components/govuk/notification-banner";
import { ActiveFilters, hasActiveFilters } from "@/components/supporters/active-filters";
import { DirectoryFilterForm } from "@/components/supporters/directory-filters";
import { DirectoryResults } from "@/components/supporters/directory-results";
import { listDirectory, listDirectorySites } from "@/db/queries/directory";
import { DIRECTORY_PARAMS, directoryQueryString, parseDirectoryQuery, type SearchParams } from "@/db/validation/directory";
import { requireUser } from "@/lib/auth/session";
import { today } from "@/lib/clock";

const TITLE = "Find an equality supporter";

type Props = { searchParams: Promise<SearchParams> };

// GOV.UK puts "Error:" at the start of the title when the page shows an error summary.
export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { fieldErrors } = parseDirectoryQuery(await searchParams, []);
  return { title: fieldErrors.q ? `Error: ${TITLE}` : TITLE };
}

function typedSearch(params: SearchParams): string | undefined {
  const value = params[DIRECTORY_PARAMS.q];
  return Array.isArray(value) ? value[0] : value;
}

export default async function SupportersPage({ searchParams }: Props) {
  const viewer = await requireUser();
  const params = await searchParams;
  const sites = listDirectorySites(viewer);
  const { filters, fieldErrors, ignored } = parseDirectoryQuery(params, sites);
  const result = listDirectory(viewer, filters);
  const on = today();

  return (
    <>
      <ErrorSummary errors={fieldErrors.q ? [{ href: "#q", text: fieldErrors.q }] : []} />
      {ignored.length > 0 && (
        <NotificationBanner titleId="ignored-filters-title">
          <p className="govuk-body">
            Part of the web address was not recognised, so these filters have been left out: {ignored.join(", ")}.
          </p>
        </NotificationBanner>
      )}
      <h1 className="govuk-heading-xl">{TITLE}</h1>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <p className="govuk-body-l">
            Equality supporters are trained colleagues who listen in confidence and help you think through your options
            if you feel you have been treated unfairly, bullied, harassed or discriminated against. Choose someone you
            feel comfortable talking to.
          </p>
        </div>
      </div>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-third">
          <DirectoryFilterForm
            // A new form for each set of filters: after a client-side navigation (a "Remove" link) the fields must
            // show the filters in the URL, not what was ticked before.
            key={directoryQueryString(filters)}
            filters={filters}
            searchText={fieldErrors.q ? typedSearch(params) : filters.q}
            searchError={fieldErrors.q}
            sites={sites}
          />
        </div>
        <div className="govuk-grid-column-two-thirds">
          <ActiveFilters filters={filters} offerClear={result.total > 0} />
          <DirectoryResults result={result} filters={filters} filtered={hasActiveFilters(filters)} today={on} />
        </div>
      </div>
    </>
  );
}
