// A horizontal bar chart drawn on the server as SVG: no chart library and no JavaScript. The data table beside it
// is the accessible equivalent, so the SVG is one image with a title and a description. Every bar is labelled with
// its figure in text, and series are named in words, so nothing depends on colour. A suppressed figure has no bar
// at all (a bar would show its true height): the words "fewer than 5" or "not shown" stand in its place.

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

export function BarChart({ id, title, description, rows }: BarChartProps) {
  const max = Math.max(1, ...rows.flatMap((row) => row.values.map((v) => v.value ?? 0)));
  const barsPerRow = Math.max(1, ...rows.map((row) => row.values.length));
  const rowHeight = LABEL_HEIGHT + barsPerRow * (BAR_HEIGHT + 4) + GAP;
  const height = Math.max(rowHeight, rows.length * rowHeight);
  const scale = (WIDTH - TEXT_ROOM) / max;
  return (
    <svg
      className="app-bar-chart"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      style={{ maxWidth: `${WIDTH}px`, height: "auto", display: "block" }}
      xmlns="http://www.w3.org/2000/svg"
      // Inherited by every label: set once here rather than on each of a five-year chart's hundreds of texts,
      // which the HTML and the RSC payload would otherwise both repeat. Bars set their own fill.
      fontSize={16}
      fill="#0b0c0c"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {rows.map((row, r) => {
        const top = r * rowHeight;
        return (
          <g key={row.key}>
            <text x={0} y={top + 17} fontWeight={700}>
              {row.label}
            </text>
            {row.values.map((v, i) => {
              const y = top + LABEL_HEIGHT + i * (BAR_HEIGHT + 4);
              const width = v.value === null ? 0 : Math.round(v.value * scale);
              const words = v.series ? `${v.series}: ${v.text}` : v.text;
              return (
                <g key={v.series ?? i}>
                  {width > 0 && <rect x={0} y={y} width={width} height={BAR_HEIGHT} fill={FILLS[i % FILLS.length]} />}
                  <text x={width + 6} y={y + 16} fontStyle={v.value === null ? "italic" : undefined}>
                    {words}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
