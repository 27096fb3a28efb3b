// Report tables as markup: see components/markup.ts for why, and how text is kept from becoming markup.
import { escapeMarkup } from "@/components/markup";

export type FigureRow = { key: string; cells: readonly string[] };

/**
 * A table body's rows: the first cell of each row is its header, the rest are figures (right-aligned). The cells
 * carry no classes: the body's class `app-figure-rows` gives them GOV.UK's table styles (app/globals.scss), which
 * keeps a five-year report a fifth smaller.
 */
export function figureRowsMarkup(rows: readonly FigureRow[]): string {
  return rows
    .map(
      ({ cells: [header = "", ...figures] }) =>
        `<tr><th scope='row'>${escapeMarkup(header)}</th>${figures.map((figure) => `<td>${escapeMarkup(figure)}</td>`).join("")}</tr>`,
    )
    .join("");
}

const drawn = new WeakMap<object, Map<string, unknown>>();

/**
 * Markup drawn from a report's figures, kept for as long as those figures are: the Equality Unit's figures are
 * cached until the database changes (db/queries/reports.ts) and every member of the unit sees the same, so a repeat
 * view draws nothing again. `figures` must be the object the markup is drawn from (never one made for this render),
 * and `key` must name everything else the drawing depends on. Figures made afresh for each view (a network's own
 * report) are simply drawn each time and forgotten with them.
 */
export function drawnOnce<T>(figures: object, key: string, draw: () => T): T {
  let byKey = drawn.get(figures);
  if (!byKey) {
    byKey = new Map();
    drawn.set(figures, byKey);
  }
  if (!byKey.has(key)) byKey.set(key, draw());
  return byKey.get(key) as T;
}
