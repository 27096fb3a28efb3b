// A horizontal bar chart drawn on the server as SVG: no chart library and no JavaScript. The data table beside it
// is the accessible equivalent, so the SVG is one image with a title and a description. Every bar is labelled with
// its figure in text, and series are named in words, so nothing depends on colour. A suppressed figure has no bar
// at all (a bar would show its true height): the words "fewer than 5" or "not shown" stand in its place.

import { escapeMarkup } from "@/components/markup";

export type ChartValue = {
  /** The series, for charts with more than one bar per row ("Listed", "Available"). */
  series?: string;
  /** Null when the figure is not published. */
  value: number | null;
  text: string;
};

export type ChartRow = { key: string; label: string; values: readonly ChartValue[] };

export type BarChartProps = {
  id: string;
  title: string;
  description: string;
  rows: readonly ChartRow[];
};

const WIDTH = 640;
const LABEL_HEIGHT = 24;
const BAR_HEIGHT = 22;
const GAP = 14;
const TEXT_ROOM = 190;
const FILLS = ["#1d70b8", "#505a5f", "#00703c"];

type Layout = { rowHeight: number; height: number; scale: number };

function layout(rows: readonly ChartRow[]): Layout {
  const max = Math.max(1, ...rows.flatMap((row) => row.values.map((v) => v.value ?? 0)));
  const barsPerRow = Math.max(1, ...rows.map((row) => row.values.length));
  const rowHeight = LABEL_HEIGHT + barsPerRow * (BAR_HEIGHT + 4) + GAP;
  return { rowHeight, height: Math.max(rowHeight, rows.length * rowHeight), scale: (WIDTH - TEXT_ROOM) / max };
}

/**
 * The chart's inside as one string (./markup says why), drawn with as few elements as possible: the page carries it
 * twice (HTML and the RSC payload, where every < and > costs six bytes), and a five-year report has hundreds of bars.
 * So one path per series draws all its bars, and one group makes every row's label bold.
 */
export function chartMarkup({ id, title, description, rows }: BarChartProps, { rowHeight, scale }: Layout = layout(rows)): string {
  const labels: string[] = [];
  const figures: string[] = [];
  const bars: string[][] = [];
  rows.forEach((row, r) => {
    const top = r * rowHeight;
    labels.push(`<text y='${top + 17}'>${escapeMarkup(row.label)}</text>`);
    row.values.forEach((v, i) => {
      const y = top + LABEL_HEIGHT + i * (BAR_HEIGHT + 4);
      const width = v.value === null ? 0 : Math.round(v.value * scale);
      if (width > 0) (bars[i] ??= []).push(`M0 ${y}h${width}v${BAR_HEIGHT}H0z`);
      const words = v.series ? `${v.series}: ${v.text}` : v.text;
      const italic = v.value === null ? ` font-style='italic'` : "";
      figures.push(`<text x='${width + 6}' y='${y + 16}'${italic}>${escapeMarkup(words)}</text>`);
    });
  });
  return (
    `<title id='${id}-title'>${escapeMarkup(title)}</title><desc id='${id}-desc'>${escapeMarkup(description)}</desc>` +
    bars.map((d, i) => `<path fill='${FILLS[i % FILLS.length]}' d='${d.join("")}'></path>`).join("") +
    `<g font-weight='700'>${labels.join("")}</g>${figures.join("")}`
  );
}

export type DrawnChart = { id: string; height: number; markup: string };

/** A chart drawn once, to be shown by BarChart (and kept with its figures: ./markup, drawnOnce). */
export function drawChart(props: BarChartProps): DrawnChart {
  const size = layout(props.rows);
  return { id: props.id, height: size.height, markup: chartMarkup(props, size) };
}

export function BarChart({ chart }: { chart: DrawnChart }) {
  return (
    <svg
      className="app-bar-chart"
      role="img"
      aria-labelledby={`${chart.id}-title ${chart.id}-desc`}
      viewBox={`0 0 ${WIDTH} ${chart.height}`}
      width="100%"
      style={{ maxWidth: `${WIDTH}px`, height: "auto", display: "block" }}
      xmlns="http://www.w3.org/2000/svg"
      // Inherited by every label: set once here rather than on each text. Bars set their own fill.
      fontSize={16}
      fill="#0b0c0c"
      dangerouslySetInnerHTML={{ __html: chart.markup }}
    />
  );
}
