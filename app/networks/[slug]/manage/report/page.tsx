import type { Metadata } from "next";

import { formatLongDate } from "@/components/admin/roster-format";
import { BackLink } from "@/components/govuk/back-link";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { InsetText } from "@/components/govuk/inset-text";
import { Table } from "@/components/govuk/table";
import { BarChart, drawChart } from "@/components/reports/bar-chart";
import { DateRangeForm } from "@/components/reports/date-range-form";
import { chartValue, publishedText } from "@/components/reports/published";
import { ListChart, ListTable, ReportSection } from "@/components/reports/report-section";
import { getConsoleNetwork } from "@/db/queries/network-console";
import { getNetworkReport } from "@/db/queries/reports";
import { parseRange, rangeQueryString, type NetworkReportName } from "@/db/validation/reports";
import { requireUser } from "@/lib/auth/session";
import { today } from "@/lib/clock";
import { orNotFound, slugOrNotFound } from "../console-guard";

// The title names neither the network nor anyone in it: titles show in browser history and tab lists.
export const metadata: Metadata = { title: "Network report" };

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// A coordinator's report on their own network: counts only, suppressed like the Equality Unit's reports. Anyone
// else, the Equality Unit included, gets the console's 404.
export default async function NetworkReportPage({ params, searchParams }: Props) {
  const viewer = await requireUser();
  const slug = slugOrNotFound(viewer, (await params).slug);
  const day = today();
  const parsed = parseRange(await searchParams, day);
  // The permission is checked before anything else is said, even a date error.
  const network = orNotFound(viewer, () => getConsoleNetwork(viewer, slug));
  const report = parsed.ok ? orNotFound(viewer, () => getNetworkReport(viewer, slug, parsed.range)) : null;
  const base = `/networks/${network.slug}/manage`;
  const action = `${base}/report`;

  const heading = (
    <>
      <BackLink href={base}>Manage network</BackLink>
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">Network report</span>
        {network.name}
      </h1>
      <p className="govuk-body">
        Counts only. Figures from 1 to 4 are shown as &ldquo;fewer than 5&rdquo;, as in every Confide report.
      </p>
    </>
  );

  if (!parsed.ok || !report) {
    const errors = parsed.ok
      ? []
      : [
          ...(parsed.errors.from ? [{ href: "#from", text: parsed.errors.from }] : []),
          ...(parsed.errors.to ? [{ href: "#to", text: parsed.errors.to }] : []),
        ];
    return (
      <>
        <ErrorSummary errors={errors} />
        {heading}
        <DateRangeForm action={action} fields={parsed.fields} errors={parsed.ok ? undefined : parsed.errors} />
      </>
    );
  }

  const { range } = parsed;
  const qs = rangeQueryString(range);
  const csv = (name: NetworkReportName) => `${action}/${name}?${qs}`;
  const period = `${formatLongDate(range.from)} to ${formatLongDate(range.to)}`;

  return (
    <>
      {heading}
      <DateRangeForm action={action} fields={parsed.fields} />
      <InsetText>People who joined from {period}. Membership figures are as at {formatLongDate(day)}.</InsetText>

      <ReportSection
        id="joins-by-month"
        title="Joins by month"
        csvHref={csv("joins-by-month")}
        chart={<ListChart id="joins-by-month" title={`People who joined each month, ${period}`} report={report.joinsByMonth} />}
        table={
          <ListTable caption="Current members by the month they joined" heading="Month" countHeading="People who joined" report={report.joinsByMonth} />
        }
      >
        <p className="govuk-body">Counts current members by the month they joined; people who have since left are not counted.</p>
      </ReportSection>

      <ReportSection
        id="membership"
        title="Membership"
        csvHref={csv("membership")}
        chart={
          <BarChart
            // Drawn afresh: a network's report is counted for each view.
            chart={drawChart({
              id: "membership-chart",
              title: "Members by visibility, and requests waiting",
              description: "Bar chart. The tables beside it give the same figures.",
              rows: [
                ...report.membership.rows.map((row) => ({ key: row.key, label: row.label, values: [chartValue(row.value)] })),
                { key: "pending", label: "Waiting for a decision", values: [chartValue(report.pending)] },
              ],
            })}
          />
        }
        table={
          <>
            <ListTable caption="Active members" heading="Members" countHeading="People" totalLabel="Active members" report={report.membership} />
            <Table
              caption="Requests to join"
              captionSize="s"
              firstCellIsHeader
              head={[{ text: "Requests" }, { text: "People", numeric: true }]}
              rows={[{ key: "pending", cells: ["Waiting for a decision", publishedText(report.pending)] }]}
            />
          </>
        }
      />
    </>
  );
}
