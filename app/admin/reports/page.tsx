import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { formatLongDate } from "@/components/admin/roster-format";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { InsetText } from "@/components/govuk/inset-text";
import { Table } from "@/components/govuk/table";
import { BarChart, drawChart } from "@/components/reports/bar-chart";
import { DateRangeForm } from "@/components/reports/date-range-form";
import { drawnOnce } from "@/components/reports/markup";
import { chartValue } from "@/components/reports/published";
import { ColumnsChart, ColumnsTable, ListChart, ListTable, ReportSection } from "@/components/reports/report-section";
import { formatDuration, getEqualityUnitReports, type EqualityUnitReports, type Timing } from "@/db/queries/reports";
import { parseRange, rangeQueryString, type AdminReportName } from "@/db/validation/reports";
import { requireEqualityUnit } from "@/lib/auth/equality-unit";
import { today } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";

export const metadata: Metadata = { title: "Reports" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const TOO_FEW = "fewer than 5 requests";

function timingText(ms: number | null): string {
  return ms === null ? TOO_FEW : formatDuration(ms);
}

function timingChart(timings: Timing[]) {
  const chart = drawnOnce(timings, "chart", () =>
    drawChart({
      id: "response-times-chart",
      title: "Median and 90th percentile response times",
      description: "Bar chart. The table beside it gives the same figures.",
      rows: timings.map((t) => ({
        key: t.key,
        label: t.label,
        values: [
          { series: "Median", value: t.median, text: timingText(t.median) },
          { series: "90th percentile", value: t.p90, text: timingText(t.p90) },
        ],
      })),
    }),
  );
  return <BarChart chart={chart} />;
}

// Both tables of roster health in one chart: drawn from the status rows (the refreshers come from the same figures).
function rosterChart(reports: EqualityUnitReports) {
  const chart = drawnOnce(reports.byStatus.rows, "roster chart", () =>
    drawChart({
      id: "roster-health-chart",
      title: "Supporters by status, and refreshers due",
      description: "Bar chart. The tables beside it give the same figures.",
      rows: [...reports.byStatus.rows, ...reports.refreshers.rows].map((row) => ({ key: row.key, label: row.label, values: [chartValue(row.value)] })),
    }),
  );
  return <BarChart chart={chart} />;
}

// The Equality Unit's reports for the board. Every figure arrives here already suppressed (db/queries/reports):
// counts from 1 to 4 say "fewer than 5", and totals never give one away.
export default async function ReportsPage({ searchParams }: Props) {
  const viewer = await requireEqualityUnit("report");
  const day = today();
  const parsed = parseRange(await searchParams, day);

  const intro = (
    <>
      <span className="govuk-caption-l">Equality Unit</span>
      <h1 className="govuk-heading-l">Reports</h1>
      <p className="govuk-body">
        Figures from 1 to 4 are shown as &ldquo;fewer than 5&rdquo;, so that no one can be picked out from them. Reports
        count requests by their topic, outcome and dates only: never who asked or what they said.
      </p>
    </>
  );

  if (!parsed.ok) {
    const errors = [
      ...(parsed.errors.from ? [{ href: "#from", text: parsed.errors.from }] : []),
      ...(parsed.errors.to ? [{ href: "#to", text: parsed.errors.to }] : []),
    ];
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-full">
          <ErrorSummary errors={errors} />
          {intro}
          <DateRangeForm action="/admin/reports" fields={parsed.fields} errors={parsed.errors} />
        </div>
      </div>
    );
  }

  const { range } = parsed;
  let reports: EqualityUnitReports;
  try {
    reports = getEqualityUnitReports(viewer, range, day);
  } catch (error) {
    // The role was revoked since the request began: the same 404 as for anyone else.
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const qs = rangeQueryString(range);
  const csv = (name: AdminReportName) => `/admin/reports/${name}?${qs}`;
  const period = `${formatLongDate(range.from)} to ${formatLongDate(range.to)}`;

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        {intro}
        <DateRangeForm action="/admin/reports" fields={parsed.fields} />
        <InsetText>
          Requests sent from {period}. Supporter coverage, roster health and network sizes are as at {formatLongDate(day)}.
        </InsetText>

        <ReportSection
          id="requests-by-month"
          title="Requests by month"
          csvHref={csv("requests-by-month")}
          chart={<ListChart id="requests-by-month" title={`Requests by month, ${period}`} report={reports.byMonth} />}
          table={<ListTable caption="Requests sent each month" heading="Month" countHeading="Requests" report={reports.byMonth} />}
        >
          <p className="govuk-body">The first and last months count only the days inside the range.</p>
        </ReportSection>

        <ReportSection
          id="requests-by-topic"
          title="Requests by topic"
          csvHref={csv("requests-by-topic")}
          chart={<ListChart id="requests-by-topic" title={`Requests by topic, ${period}`} report={reports.byTopic} />}
          table={<ListTable caption="Requests by what they were about" heading="Topic" countHeading="Requests" report={reports.byTopic} />}
        />

        <ReportSection
          id="requests-by-outcome"
          title="Requests by outcome"
          csvHref={csv("requests-by-outcome")}
          chart={<ListChart id="requests-by-outcome" title={`Requests by outcome, ${period}`} report={reports.byOutcome} />}
          table={<ListTable caption="Requests by how they ended, or whether still open" heading="Outcome" countHeading="Requests" report={reports.byOutcome} />}
        />

        <ReportSection
          id="response-times"
          title="Response times"
          csvHref={csv("response-times")}
          chart={timingChart(reports.timings)}
          table={
            <Table
              caption="Time from sending a request"
              captionSize="s"
              firstCellIsHeader
              head={[{ text: "Measure" }, { text: "Median", numeric: true }, { text: "90th percentile", numeric: true }]}
              rows={reports.timings.map((t) => ({ key: t.key, cells: [t.label, timingText(t.median), timingText(t.p90)] }))}
            />
          }
        >
          <p className="govuk-body">
            Half of requests were acknowledged (or closed) within the median; 9 in 10 within the 90th percentile. Times
            are not shown when fewer than 5 requests had one.
          </p>
        </ReportSection>

        <ReportSection
          id="requests-by-site"
          title="Requests by site"
          csvHref={csv("requests-by-site")}
          chart={<ListChart id="requests-by-site" title={`Requests by the supporter's site, ${period}`} report={reports.bySite} />}
          table={<ListTable caption="Requests by the site of the supporter they were sent to" heading="Site" countHeading="Requests" report={reports.bySite} />}
        />

        <ReportSection
          id="coverage-by-site"
          title="Supporter coverage by site"
          csvHref={csv("coverage-by-site")}
          chart={<ColumnsChart id="coverage-by-site" title="Staff and supporters by site" report={reports.coverageBySite} />}
          table={<ColumnsTable caption="Staff, listed and available supporters by site" heading="Site" report={reports.coverageBySite} />}
        >
          <p className="govuk-body">
            Listed supporters appear in the directory; available ones can take a new request today.
          </p>
        </ReportSection>

        <ReportSection
          id="coverage-by-specialism"
          title="Supporter coverage by specialism"
          csvHref={csv("coverage-by-specialism")}
          chart={<ColumnsChart id="coverage-by-specialism" title="Supporters by specialism" report={reports.coverageBySpecialism} />}
          table={<ColumnsTable caption="Listed and available supporters by specialism" heading="Specialism" report={reports.coverageBySpecialism} />}
        >
          <p className="govuk-body">A supporter with several specialisms is counted under each, so there is no total.</p>
        </ReportSection>

        <ReportSection
          id="roster-health"
          title="Roster health"
          csvHref={csv("roster-health")}
          chart={rosterChart(reports)}
          table={
            <>
              <ListTable caption="Supporters by status" heading="Status" countHeading="Supporters" totalLabel="On the roster" report={reports.byStatus} />
              <ListTable caption="Refresher training" heading="Refreshers" countHeading="Supporters" report={reports.refreshers} />
            </>
          }
        />

        <ReportSection
          id="network-sizes"
          title="Network sizes"
          csvHref={csv("network-sizes")}
          chart={
            <ListChart
              id="network-sizes"
              title="Active members of each network"
              report={{ rows: reports.networkSizes.rows, total: null, hasNotShown: false }}
            />
          }
          table={
            <ListTable
              caption="Active members of each active network"
              heading="Network"
              countHeading="Active members"
              report={{ rows: reports.networkSizes.rows, total: null, hasNotShown: false }}
            />
          }
        >
          <p className="govuk-body">People can belong to several networks, so there is no total.</p>
        </ReportSection>
      </div>
    </div>
  );
}
