import type { ReactNode } from "react";

import type { ColumnsReport, ListReport } from "@/db/queries/reports";
import { BarChart } from "./bar-chart";
import { FigureTable } from "./figure-table";
import { chartValue, publishedText } from "./published";
import { SuppressionNote } from "./suppression-note";

type SectionProps = {
  id: string;
  title: string;
  children?: ReactNode;
  /** The CSV download for this report, with the same date range. */
  csvHref: string;
  chart: ReactNode;
  table: ReactNode;
};

// One report: heading, a sentence or two, the chart and the table beside it (one under the other on small
// screens) and the CSV download.
export function ReportSection({ id, title, children, csvHref, chart, table }: SectionProps) {
  return (
    <section aria-labelledby={id} className="govuk-!-margin-bottom-9">
      <h2 className="govuk-heading-m" id={id}>
        {title}
      </h2>
      {children}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">{chart}</div>
        <div className="govuk-grid-column-one-half">{table}</div>
      </div>
      <p className="govuk-body">
        <a className="govuk-link" href={csvHref} download>
          Download {title.toLowerCase()} as CSV
        </a>
      </p>
    </section>
  );
}

const CHART_DESCRIPTION = "Bar chart. The table beside it gives the same figures.";

export function ListChart({ id, title, report }: { id: string; title: string; report: ListReport }) {
  return (
    <BarChart
      id={`${id}-chart`}
      title={title}
      description={CHART_DESCRIPTION}
      rows={report.rows.map((row) => ({ key: row.key, label: row.label, values: [chartValue(row.value)] }))}
    />
  );
}

export function ListTable({
  caption,
  heading,
  countHeading,
  totalLabel = "Total",
  report,
}: {
  caption: string;
  heading: string;
  countHeading: string;
  totalLabel?: string;
  report: ListReport;
}) {
  return (
    <>
      <FigureTable
        caption={caption}
        head={[heading, countHeading]}
        rows={[
          ...report.rows.map((row) => ({ key: row.key, cells: [row.label, publishedText(row.value)] })),
          ...(report.total ? [{ key: "total", cells: [totalLabel, publishedText(report.total)] }] : []),
        ]}
      />
      <SuppressionNote hasNotShown={report.hasNotShown} />
    </>
  );
}

export function ColumnsChart({ id, title, report }: { id: string; title: string; report: ColumnsReport }) {
  return (
    <BarChart
      id={`${id}-chart`}
      title={title}
      description={CHART_DESCRIPTION}
      rows={report.rows.map((row) => ({
        key: row.key,
        label: row.label,
        values: row.values.map((v, i) => chartValue(v, report.columns[i])),
      }))}
    />
  );
}

export function ColumnsTable({ caption, heading, report }: { caption: string; heading: string; report: ColumnsReport }) {
  return (
    <>
      <FigureTable
        caption={caption}
        head={[heading, ...report.columns]}
        rows={[
          ...report.rows.map((row) => ({ key: row.key, cells: [row.label, ...row.values.map((v) => publishedText(v))] })),
          ...(report.totals ? [{ key: "total", cells: ["Total", ...report.totals.map((v) => publishedText(v))] }] : []),
        ]}
      />
      <SuppressionNote hasNotShown={report.hasNotShown} />
    </>
  );
}
