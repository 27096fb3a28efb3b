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
