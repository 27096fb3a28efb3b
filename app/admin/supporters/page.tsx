import type { Metadata } from "next";
import Link from "next/link";

import { STATUS_COLOURS, STATUS_LABELS, ROSTER_STATUSES, formatLongDate, plural, refresherNote } from "@/components/admin/roster-format";
import { Button } from "@/components/govuk/button";
import { Pagination, paginationItems } from "@/components/govuk/pagination";
import { Select } from "@/components/govuk/select";
import { Table } from "@/components/govuk/table";
import { Tag } from "@/components/govuk/tag";
import { TextInput } from "@/components/govuk/text-input";
import { listRoster } from "@/db/queries/roster";
import { ROSTER_PAGE_SIZE, RosterQuery } from "@/db/validation/roster";
import { requireRole } from "@/lib/auth/session";
import { today } from "@/lib/clock";

export const metadata: Metadata = { title: "Supporter roster" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// Filters live in the query string (a GET form), so they work without JavaScript and survive paging. Only a status
// and a fragment of a name, typed by the Equality Unit, ever go there.
function hrefFor(query: RosterQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.status) params.set("status", query.status);
  if (query.q) params.set("q", query.q);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return `/admin/supporters${search ? `?${search}` : ""}`;
}

export default async function RosterPage({ searchParams }: Props) {
  const viewer = await requireRole((u) => u.isEqualityUnit, "roster");
  const query = RosterQuery.parse(await searchParams);
  const day = today();
  const roster = listRoster(viewer, query, day);
  const filtered = Boolean(query.status || query.q);
  const first = (roster.page - 1) * ROSTER_PAGE_SIZE + 1;
  const last = first + roster.rows.length - 1;

  return (
    <>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Equality Unit</span>
          <h1 className="govuk-heading-l">Supporter roster</h1>
          <p className="govuk-body">
            Everyone on the equality supporter roster, whatever their status. Lapsed and retired supporters are not shown
            in the directory.
          </p>
          <p className="govuk-body">
            <Link href="/admin/supporters/health" prefetch={false} className="govuk-link">
              Roster health: refreshers due, gaps in cover
            </Link>
          </p>
          <Button href="/admin/supporters/new">Add a supporter</Button>
        </div>
      </div>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-quarter">
          <form method="get" action="/admin/supporters" role="search" aria-label="Filter the roster">
            <h2 className="govuk-heading-m">Filter</h2>
            <TextInput id="q" label="Name" type="search" defaultValue={query.q ?? ""} spellCheck={false} />
            <Select
              id="status"
              label="Status"
              defaultValue={query.status ?? ""}
              items={[{ value: "", text: "All statuses" }, ...ROSTER_STATUSES.map((s) => ({ value: s, text: STATUS_LABELS[s] }))]}
            />
            <Button type="submit" variant="secondary">
              Apply filters
            </Button>
            {filtered && (
              <p className="govuk-body">
                <Link href="/admin/supporters" prefetch={false} className="govuk-link">
                  Clear filters
                </Link>
              </p>
            )}
          </form>
        </div>

        <div className="govuk-grid-column-three-quarters">
          {roster.rows.length === 0 ? (
            <>
              <h2 className="govuk-heading-m">No supporters found</h2>
              <p className="govuk-body">
                {filtered
                  ? "No one on the roster matches these filters. Check the spelling of the name, or choose another status."
                  : roster.total > 0
                    ? "There is no one on this page of the roster."
                    : "No one is on the roster yet."}
              </p>
              {(filtered || roster.total > 0) && (
                <p className="govuk-body">
                  <Link href="/admin/supporters" prefetch={false} className="govuk-link">
                    {filtered ? "Clear filters" : "Go to the first page"}
                  </Link>
                </p>
              )}
            </>
          ) : (
            <>
              <p className="govuk-body">
                Showing {first} to {last} of {plural(roster.total, "supporter", "supporters")}
              </p>
              <Table
                caption="Supporters on the roster"
                captionSize="m"
                head={[{ text: "Name" }, { text: "Site" }, { text: "Status" }, { text: "Refresher due" }, { text: "Availability" }]}
                rows={roster.rows.map((row) => {
                  const note = refresherNote(row.refresherDue, day);
                  return {
                    key: row.id,
                    cells: [
                      <Link key="name" href={`/admin/supporters/${row.id}`} prefetch={false} className="govuk-link">
                        {row.name}
                      </Link>,
                      row.site,
                      <>
                        <Tag colour={STATUS_COLOURS[row.status]}>{STATUS_LABELS[row.status]}</Tag>
                        {row.accountClosed && (
                          <>
                            {" "}
                            <Tag colour="grey">Account closed</Tag>
                          </>
                        )}
                      </>,
                      <>
                        {formatLongDate(row.refresherDue)}
                        {note && (row.status === "active" || row.status === "paused") && (
                          <>
                            <br />
                            <strong className="govuk-!-font-weight-bold">{note}</strong>
                          </>
                        )}
                      </>,
                      row.availability,
                    ],
                  };
                })}
              />
              <Pagination
                previous={roster.page > 1 ? { href: hrefFor(query, roster.page - 1) } : undefined}
                next={roster.page < roster.pageCount ? { href: hrefFor(query, roster.page + 1) } : undefined}
                items={paginationItems(roster.page, roster.pageCount, (page) => hrefFor(query, page))}
                landmarkLabel="Roster pages"
              />
            </>
          )}
        </div>
      </div>
    </>
  );
}
