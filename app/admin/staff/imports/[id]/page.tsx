import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { formatDateTime } from "@/components/admin/roster-format";
import { ImportProgress } from "@/components/admin-staff/import-progress";
import { count, ImportStatusTag } from "@/components/admin-staff/import-status";
import { BackLink } from "@/components/govuk/back-link";
import { NotificationBanner } from "@/components/govuk/notification-banner";
import { Pagination, paginationItems } from "@/components/govuk/pagination";
import { SummaryList } from "@/components/govuk/summary-list";
import { Table } from "@/components/govuk/table";
import { getStaffImport, type ImportReport } from "@/db/queries/staff-import";
import { ImportIdParam, ImportListQuery, REJECTIONS_KEPT } from "@/db/validation/staff-import";
import { audit } from "@/lib/audit";
import { requireEqualityUnit } from "@/lib/auth/equality-unit";
import { NotFoundError } from "@/lib/errors";

// The title never names the file: file names can say anything.
export const metadata: Metadata = { title: "Staff import \u2013 Staff records \u2013 admin" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

function Counts({ report }: { report: ImportReport }) {
  return (
    <SummaryList
      rows={[
        { key: "File", value: report.fileName },
        { key: "Started", value: `${formatDateTime(report.createdAt)} by ${report.actorName ?? "an account since removed"}` },
        ...(report.finishedAt ? [{ key: report.status === "failed" ? "Stopped" : "Finished", value: formatDateTime(report.finishedAt) }] : []),
        { key: "Rows in the file", value: count(report.totalRows) },
        { key: "Rows checked", value: count(report.processedRows) },
        { key: "New records created", value: count(report.createdRows) },
        { key: "Records updated", value: count(report.updatedRows) },
        { key: "Records already up to date", value: count(report.unchangedRows) },
        { key: "Rows rejected", value: count(report.rejectedRows) },
      ]}
    />
  );
}

function Rejections({ report }: { report: ImportReport }) {
  if (report.rejectedRows === 0) {
    return report.status === "running" ? null : <p className="govuk-body">No rows were rejected.</p>;
  }
  const base = `/admin/staff/imports/${report.id}`;
  const pageHref = (page: number) => (page === 1 ? `${base}#rejected-rows` : `${base}?page=${page}#rejected-rows`);
  return (
    <>
      <h2 className="govuk-heading-m" id="rejected-rows">
        Rejected rows
      </h2>
      <p className="govuk-body">
        Row numbers are those your spreadsheet shows: the first row, with the column names, is row 1. Nothing in a rejected
        row was imported. Correct the rows and import the file again; rows already imported will show as up to date.
      </p>
      {report.rejectedRows > report.rejectionsKept && (
        <p className="govuk-body">
          {count(report.rejectedRows)} rows were rejected. Only the first {count(REJECTIONS_KEPT)} are listed here.
        </p>
      )}
      <Table
        caption={
          report.rejectionsPageCount > 1
            ? `Rejected rows, page ${report.rejectionsPage} of ${report.rejectionsPageCount}`
            : "Rejected rows"
        }
        captionSize="s"
        firstCellIsHeader
        head={[{ text: "Row" }, { text: "Reason" }]}
        rows={report.rejections.map((rejection) => ({ key: String(rejection.row), cells: [String(rejection.row), rejection.reason] }))}
      />
      <Pagination
        previous={report.rejectionsPage > 1 ? { href: pageHref(report.rejectionsPage - 1) } : undefined}
        next={report.rejectionsPage < report.rejectionsPageCount ? { href: pageHref(report.rejectionsPage + 1) } : undefined}
        items={paginationItems(report.rejectionsPage, report.rejectionsPageCount, pageHref)}
        landmarkLabel="Pages of rejected rows"
      />
    </>
  );
}

export default async function StaffImportReportPage({ params, searchParams }: Props) {
  const viewer = await requireEqualityUnit("staff_import");
  const id = ImportIdParam.safeParse((await params).id);
  const query = ImportListQuery.parse(await searchParams);
  let report: ImportReport;
  try {
    if (!id.success) throw new NotFoundError("staff_import");
    report = getStaffImport(viewer, id.data, query.page);
  } catch (error) {
    if (error instanceof NotFoundError) {
      audit({ actorId: viewer.id, action: "access.denied", objectType: "staff_import", outcome: "denied" });
      notFound();
    }
    throw error;
  }

  return (
    <>
      <BackLink href="/admin/staff/import">Import staff records</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Staff records</span>
          <h1 className="govuk-heading-l">
            {report.status === "running" ? "Importing staff records" : report.status === "done" ? "Import finished" : "Import stopped"}
          </h1>
          <p className="govuk-body">
            <ImportStatusTag status={report.status} />
          </p>
          {report.status === "running" && (
            <ImportProgress processed={report.processedRows} total={report.totalRows} refreshHref={`/admin/staff/imports/${report.id}`} />
          )}
          {report.status === "failed" && report.error && (
            <NotificationBanner title="Important" heading="The import did not finish">
              <p className="govuk-body">{report.error}</p>
            </NotificationBanner>
          )}
          <Counts report={report} />
          <Rejections report={report} />
          <p className="govuk-body">
            <Link className="govuk-link" href="/admin/staff/import" prefetch={false}>
              Import another file
            </Link>
          </p>
          <p className="govuk-body">
            <Link className="govuk-link" href="/admin/staff" prefetch={false}>
              Back to staff records
            </Link>
          </p>
        </div>
      </div>
    </>
  );
}
