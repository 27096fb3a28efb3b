import type { ReactNode } from "react";

import type { ColumnsReport, ListReport } from "@/db/queries/reports";
import { BarChart, drawChart } from "./bar-chart";
import { FigureTable } from "./figure-table";
import { drawnOnce, figureRowsMarkup } from "./markup";
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

// Each chart and table body is drawn from its report's rows once (drawnOnce): the rows are the cached figures' own.

export function ListChart({ id, title, report }: { id: string; title: string; report: ListReport }) {
  const chart = drawnOnce(report.rows, `chart ${id} ${title}`, () =>
    drawChart({
      id: `${id}-chart`,
      title,
      description: CHART_DESCRIPTION,
      rows: report.rows.map((row) => ({ key: row.key, label: row.label, values: [chartValue(row.value)] })),
    }),
  );
  return <BarChart chart={chart} />;
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
  const body = drawnOnce(report.rows, `table ${totalLabel}`, () =>
    figureRowsMarkup([
      ...report.rows.map((row) => ({ key: row.key, cells: [row.label, publishedText(row.value)] })),
      ...(report.total ? [{ key: "total", cells: [totalLabel, publishedText(report.total)] }] : []),
    ]),
  );
  return (
    <>
      <FigureTable caption={caption} head={[heading, countHeading]} body={body} />
      <SuppressionNote hasNotShown={report.hasNotShown} />
    </>
  );
}

export function ColumnsChart({ id, title, report }: { id: string; title: string; report: ColumnsReport }) {
  const chart = drawnOnce(report.rows, `chart ${id} ${title}`, () =>
    drawChart({
      id: `${id}-chart`,
      title,
      description: CHART_DESCRIPTION,
      rows: report.rows.map((row) => ({
        key: row.key,
        label: row.label,
        values: row.values.map((v, i) => chartValue(v, report.columns[i])),
      })),
    }),
  );
  return <BarChart chart={chart} />;
}

export function ColumnsTable({ caption, heading, report }: { caption: string; heading: string; report: ColumnsReport }) {
  const body = drawnOnce(report.rows, "table", () =>
    figureRowsMarkup([
      ...report.rows.map((row) => ({ key: row.key, cells: [row.label, ...row.values.map((v) => publishedText(v))] })),
      ...(report.totals ? [{ key: "total", cells: ["Total", ...report.totals.map((v) => publishedText(v))] }] : []),
    ]),
  );
  return (
    <>
      <FigureTable caption={caption} head={[heading, ...report.columns]} body={body} />
      <SuppressionNote hasNotShown={report.hasNotShown} />
    </>
  );
}
