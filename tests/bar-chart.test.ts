import assert from "node:assert/strict";
import { test } from "node:test";

import { chartMarkup, type ChartValue } from "@/components/reports/bar-chart";
import { figureRowsMarkup } from "@/components/reports/markup";

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
  // Exactly the elements the chart draws: its title and description, a group, a bar and two texts.
  const tags = [...html.matchAll(/<([a-z]+)/g)].map((m) => m[1]);
  assert.deepEqual(tags, ["title", "desc", "g", "text", "rect", "text"]);
});

test("a figure that is not published has no bar, and says so in italic words", () => {
  const html = markup("Derby", { series: "Listed", value: null, text: "fewer than 5" });
  assert.doesNotMatch(html, /<rect/);
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
  const widths = [...html.matchAll(/<rect [^>]*width='(\d+)'/g)].map((m) => Number(m[1]));
  assert.deepEqual(widths, [450, 225]);
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
