import assert from "node:assert/strict";
import { test } from "node:test";

import { chartMarkup, type ChartValue } from "@/components/reports/bar-chart";
import { drawnOnce, figureRowsMarkup } from "@/components/reports/markup";

// Report charts and table bodies are written as strings (components/reports/markup.ts), so escaping is ours to get right:
// labels include names people typed, such as networks and sites.
const HOSTILE = `<script>alert("x")</script> & <img src=x onerror=alert(1)> 'quoted'`;

function markup(label: string, value: ChartValue): string {
  return chartMarkup({ id: "c", title: `Title ${label}`, description: "Description", rows: [{ key: "a", label, values: [value] }] });
}

test("typed text in a chart is escaped: no element or attribute comes from a label, title or figure text", () => {
  const html = markup(HOSTILE, { series: "Listed", value: 3, text: HOSTILE });
  assert.doesNotMatch(html, /<script|<img/i);
  assert.match(html, /&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62; &#38; &#60;img src=x onerror=alert\(1\)&#62; &#39;quoted&#39;/);
  // Exactly the elements the chart draws: its title and description, the series' bars, the labels' group and two texts.
  const tags = [...html.matchAll(/<([a-z]+)/g)].map((m) => m[1]);
  assert.deepEqual(tags, ["title", "desc", "path", "g", "text", "text"]);
});

test("a figure that is not published has no bar, and says so in italic words", () => {
  const html = markup("Derby", { series: "Listed", value: null, text: "fewer than 5" });
  assert.doesNotMatch(html, /<path/);
  assert.match(html, /<text x='6' y='40' font-style='italic'>Listed: fewer than 5<\/text>/);
});

test("bars are drawn to scale: the largest fills the room beside the labels", () => {
  const html = chartMarkup({
    id: "c",
    title: "T",
    description: "D",
    rows: [
      { key: "a", label: "A", values: [{ value: 10, text: "10" }] },
      { key: "b", label: "B", values: [{ value: 5, text: "5" }] },
    ],
  });
  const widths = [...html.matchAll(/M0 \d+h(\d+)v22H0z/g)].map((m) => Number(m[1]));
  assert.deepEqual(widths, [450, 225]);
});

test("each series is one path of its own colour, holding its bars only; a series with no bars draws none", () => {
  const html = chartMarkup({
    id: "c",
    title: "T",
    description: "D",
    rows: [
      { key: "a", label: "A", values: [{ series: "Listed", value: null, text: "fewer than 5" }, { series: "Available", value: 8, text: "8" }] },
      { key: "b", label: "B", values: [{ series: "Listed", value: null, text: "not shown" }, { series: "Available", value: 6, text: "6" }] },
    ],
  });
  // Rows are 24 (label) + 2 × 26 (bars) + 14 (gap) = 90 high; the second bar of a row is 26 below the first.
  assert.deepEqual(
    [...html.matchAll(/<path fill='([^']+)' d='([^']*)'>/g)].map((m) => [m[1], m[2]]),
    [["#505a5f", "M0 50h450v22H0zM0 140h338v22H0z"]],
  );
  assert.match(html, /<g font-weight='700'><text y='17'>A<\/text><text y='107'>B<\/text><\/g>/);
});

test("a table body of figures escapes its row headers and figures, and draws only rows, headers and cells", () => {
  const html = figureRowsMarkup([
    { key: "a", cells: [HOSTILE, "12", HOSTILE] },
    { key: "b", cells: ["Derby", "fewer than 5", "not shown"] },
  ]);
  assert.doesNotMatch(html, /<script|<img/i);
  const tags = [...html.matchAll(/<([a-z]+)/g)].map((m) => m[1]);
  assert.deepEqual(tags, ["tr", "th", "td", "td", "tr", "th", "td", "td"]);
  assert.match(html, /<th scope='row'>Derby<\/th><td>fewer than 5<\/td>/);
});

test("markup is drawn once per figures and key, and drawn again for new figures (the cache's new result after a change)", () => {
  let draws = 0;
  const draw = (figures: { n: number }, key: string) => drawnOnce(figures, key, () => `${key}: ${figures.n} (${(draws += 1)})`);
  const cached = { n: 7 };
  assert.equal(draw(cached, "chart"), "chart: 7 (1)");
  assert.equal(draw(cached, "chart"), "chart: 7 (1)", "the same figures: not drawn again");
  assert.equal(draw(cached, "table"), "table: 7 (2)", "another drawing of the same figures");
  assert.equal(draw({ n: 7 }, "chart"), "chart: 7 (3)", "equal but new figures are drawn anew");
  assert.equal(draw({ n: 8 }, "chart"), "chart: 8 (4)");
  assert.equal(draws, 4);
});
