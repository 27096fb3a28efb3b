// Some blocks are large, fixed markup: a report's hundreds of figures, the directory's twenty supporter cards. As
// React elements each would be rendered twice (the RSC payload and the HTML) and described element by element in
// the payload, so they are written as strings. Every piece of text goes through escapeMarkup, and every attribute
// is a constant, a number or an id computed here, so nothing typed (names, sites, introductions) becomes markup.
// Attributes are single-quoted: the payload is JSON, where a double quote costs an escape and a single one does not.

export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type MarkupRow = { key: string; value: string };

/** A GOV.UK summary list without actions, as markup. */
export function summaryListMarkup(rows: readonly MarkupRow[], { noBorder = false } = {}): string {
  const items = rows
    .map(
      ({ key, value }) =>
        `<div class='govuk-summary-list__row'><dt class='govuk-summary-list__key'>${escapeMarkup(key)}</dt><dd class='govuk-summary-list__value'>${escapeMarkup(value)}</dd></div>`,
    )
    .join("");
  return `<dl class='govuk-summary-list${noBorder ? " govuk-summary-list--no-border" : ""}'>${items}</dl>`;
}
