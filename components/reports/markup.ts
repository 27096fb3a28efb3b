// Report tables as markup: see components/markup.ts for why, and how text is kept from becoming markup.
import { escapeMarkup } from "@/components/markup";

export type FigureRow = { key: string; cells: readonly string[] };

/** A table body: the first cell of each row is its header, the rest are figures (right-aligned). */
export function figureRowsMarkup(rows: readonly FigureRow[]): string {
  return rows
    .map(
      ({ cells: [header = "", ...figures] }) =>
        `<tr class='govuk-table__row'><th scope='row' class='govuk-table__header'>${escapeMarkup(header)}</th>${figures
          .map((figure) => `<td class='govuk-table__cell govuk-table__cell--numeric'>${escapeMarkup(figure)}</td>`)
          .join("")}</tr>`,
    )
    .join("");
}
