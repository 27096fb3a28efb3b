import type { Metadata } from "next";

import { formatDateTime } from "@/components/admin/roster-format";
import { ImportForm } from "@/components/admin-staff/import-form";
import { count, ImportStatusTag } from "@/components/admin-staff/import-status";
import { BackLink } from "@/components/govuk/back-link";
import { Pagination, paginationItems } from "@/components/govuk/pagination";
import { Table } from "@/components/govuk/table";
import { listStaffImports } from "@/db/queries/staff-import";
import { ImportListQuery, REJECTIONS_KEPT } from "@/db/validation/staff-import";
import { requireEqualityUnit } from "@/lib/auth/equality-unit";

export const metadata: Metadata = { title: "Import staff records \u2013 Staff records \u2013 admin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const pageHref = (page: number) => (page === 1 ? "/admin/staff/import#recent-imports" : `/admin/staff/import?page=${page}#recent-imports`);

const COLUMNS = [
  { name: "email", holds: "Their work email address. Each person is matched on it, whatever its capital letters.", required: "Yes" },
  { name: "name", holds: "Their full name.", required: "Yes" },
  { name: "rank or grade", holds: "For example Police Sergeant or Grade 5. The column can also be called rank or grade.", required: "No" },
  { name: "department", holds: "For example Professional Standards.", required: "No" },
  { name: "site", holds: "Where they are based, for example Ripley HQ.", required: "No" },
];

export default async function StaffImportPage({ searchParams }: Props) {
  const viewer = await requireEqualityUnit("staff_import");
  const query = ImportListQuery.parse(await searchParams);
  const list = listStaffImports(viewer, query.page);

  return (
    <>
      <BackLink href="/admin/staff">Staff records</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ImportForm>
          <span className="govuk-caption-l">Staff records</span>
          <h1 className="govuk-heading-l">Import staff records</h1>
          <p className="govuk-body">
            Add new staff and update existing staff records from a CSV file, for example an export from HR. The first row
            must name the columns, in any order:
          </p>
          <Table
            caption="Columns in the file"
            captionSize="s"
            firstCellIsHeader
            head={[{ text: "Column" }, { text: "What it holds" }, { text: "Required" }]}
            rows={COLUMNS.map((column) => ({ key: column.name, cells: [column.name, column.holds, column.required] }))}
          />
          <h2 className="govuk-heading-m">What the import changes</h2>
          <ul className="govuk-list govuk-list--bullet">
            <li>Someone new gets a staff record now, and it becomes theirs when they first sign in.</li>
            <li>
              An existing record changes only where the file has a different value. An empty rank or grade, department or
              site leaves the record&rsquo;s value as it is.
            </li>
            <li>Importing the same file again changes nothing.</li>
            <li>
              Leavers are not reinstated by an import: their rows are rejected. Reinstate them on their staff record first.
            </li>
            <li>
              Rows with a problem, such as a missing name or an email address that appears twice, are rejected one by one and
              the rest are imported. The report lists the first {count(REJECTIONS_KEPT)} rejected rows with the reason.
            </li>
          </ul>
          </ImportForm>
        </div>
      </div>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-full">
          <h2 className="govuk-heading-m" id="recent-imports">
            Recent imports
          </h2>
          {list.total === 0 ? (
            <p className="govuk-body">No files have been imported yet.</p>
          ) : (
            <>
              <Table
                caption={list.pageCount > 1 ? `Imports, newest first, page ${list.page} of ${list.pageCount}` : "Imports, newest first"}
                captionSize="s"
                firstCellIsHeader
                head={[
                  { text: "Started" },
                  { text: "File" },
                  { text: "By" },
                  { text: "Status" },
                  { text: "Rows", numeric: true },
                  { text: "Created", numeric: true },
                  { text: "Updated", numeric: true },
                  { text: "Unchanged", numeric: true },
                  { text: "Rejected", numeric: true },
                ]}
                rows={list.items.map((item) => ({
                  key: item.id,
                  cells: [
                    <a className="govuk-link" href={`/admin/staff/imports/${item.id}`} key="started">
                      {formatDateTime(item.createdAt)}
                      <span className="govuk-visually-hidden"> (view the report)</span>
                    </a>,
                    item.fileName,
                    item.actorName ?? "Account removed",
                    <ImportStatusTag status={item.status} key="status" />,
                    count(item.totalRows),
                    count(item.createdRows),
                    count(item.updatedRows),
                    count(item.unchangedRows),
                    count(item.rejectedRows),
                  ],
                }))}
              />
              <Pagination
                previous={list.page > 1 ? { href: pageHref(list.page - 1) } : undefined}
                next={list.page < list.pageCount ? { href: pageHref(list.page + 1) } : undefined}
                items={paginationItems(list.page, list.pageCount, pageHref)}
                landmarkLabel="Pages of imports"
              />
            </>
          )}
        </div>
      </div>
    </>
  );
}
