// Report charts and tables are large blocks of fixed markup: hundreds of labels and figures that, as React elements,
// would each be rendered twice (the RSC payload and the HTML) and described element by element in the payload. So
// they are written as strings. Every piece of text goes through escapeMarkup, and every attribute is a constant or a
// number computed here, so nothing typed (network and site names) becomes markup. Attributes are single-quoted:
// the payload is JSON, where a double quote costs an escape and a single one does not.

export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

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
