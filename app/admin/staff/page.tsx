import type { Metadata } from "next";
import Link from "next/link";

import { plural } from "@/components/admin/roster-format";
import { StaffTags } from "@/components/admin-staff/staff-tags";
import { Button } from "@/components/govuk/button";
import { Pagination, paginationItems } from "@/components/govuk/pagination";
import { Radios } from "@/components/govuk/radios";
import { Table } from "@/components/govuk/table";
import { TextInput } from "@/components/govuk/text-input";
import { searchStaffRecords } from "@/db/queries/staff-admin";
import { STAFF_PAGE_SIZE, StaffListQuery, type StaffFilter } from "@/db/validation/staff-admin";
import { requireEqualityUnit } from "@/lib/auth/equality-unit";

export const metadata: Metadata = { title: "Staff records \u2013 admin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const FILTERS: { value: StaffFilter; text: string }[] = [
  { value: "current", text: "Current staff" },
  { value: "leavers", text: "Leavers" },
  { value: "equality-unit", text: "Equality Unit members" },
  { value: "all", text: "Everyone" },
];

const NONE_FOUND: Record<StaffFilter, string> = {
  current: "No current member of staff matches.",
  leavers: "No leaver matches.",
  "equality-unit": "No Equality Unit member matches.",
  all: "No one matches.",
};

// The search lives in the query string (a GET form), so it works without JavaScript and survives paging. Only what
// the Equality Unit typed, the filter and a page number go there.
function hrefFor(query: StaffListQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.show !== "current") params.set("show", query.show);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return `/admin/staff${search ? `?${search}` : ""}`;
}

export default async function StaffRecordsPage({ searchParams }: Props) {
  const viewer = await requireEqualityUnit("staff_record");
  const query = StaffListQuery.parse(await searchParams);
  const list = searchStaffRecords(viewer, query);
  const first = (list.page - 1) * STAFF_PAGE_SIZE + 1;
  const last = first + list.rows.length - 1;
  const searched = Boolean(query.q) || query.show !== "current";

  return (
    <>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Equality Unit</span>
          <h1 className="govuk-heading-l">Staff records</h1>
          <p className="govuk-body">
            Everyone who can sign in to Confide, and leavers. Open a record to mark a leaver, reinstate them, or give or
            remove the Equality Unit role.
          </p>
          <Button href="/admin/staff/import">Import staff from a CSV file</Button>
        </div>
      </div>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-third">
          <form method="get" action="/admin/staff" role="search" aria-label="Search staff records">
            <h2 className="govuk-heading-m">Search</h2>
            <TextInput id="q" label="Name or email address" type="search" defaultValue={query.q ?? ""} spellCheck={false} />
            <Radios name="show" legend="Show" legendSize="s" small items={FILTERS} defaultValue={query.show} />
            <Button type="submit" variant="secondary">
              Search
            </Button>
            {searched && (
              <p className="govuk-body">
                <Link href="/admin/staff" prefetch={false} className="govuk-link">
                  Clear search
                </Link>
              </p>
            )}
          </form>
        </div>

        <div className="govuk-grid-column-two-thirds">
          {list.rows.length === 0 ? (
            <>
              <h2 className="govuk-heading-m">No staff records found</h2>
              <p className="govuk-body">
                {NONE_FOUND[query.show]} {query.q && "Check the spelling, or search for the start of their email address."}
              </p>
            </>
          ) : (
            <>
              <p className="govuk-body" id="result-count">
                Showing {first} to {last} of {plural(list.total, "staff record", "staff records")}
              </p>
              <Table
                caption={list.pageCount > 1 ? `Staff records, page ${list.page} of ${list.pageCount}` : "Staff records"}
                captionSize="m"
                head={[{ text: "Name" }, { text: "Rank or grade" }, { text: "Department and site" }, { text: "Status" }]}
                rows={list.rows.map((row) => ({
                  key: row.id,
                  cells: [
                    <>
                      <Link href={`/admin/staff/${row.id}`} prefetch={false} className="govuk-link">
                        {row.name}
                      </Link>
                      <br />
                      <span className="govuk-hint govuk-!-font-size-16 govuk-!-margin-0">{row.email}</span>
                    </>,
                    row.jobTitle ?? "Not recorded",
                    [row.department, row.site].filter(Boolean).join(", ") || "Not recorded",
                    <StaffTags key="status" leaver={row.leaver} equalityUnit={row.equalityUnit} />,
                  ],
                }))}
              />
              <Pagination
                previous={list.page > 1 ? { href: hrefFor(query, list.page - 1) } : undefined}
                next={list.page < list.pageCount ? { href: hrefFor(query, list.page + 1) } : undefined}
                items={paginationItems(list.page, list.pageCount, (page) => hrefFor(query, page))}
                landmarkLabel="Pages of staff records"
              />
            </>
          )}
        </div>
      </div>
    </>
  );
}
