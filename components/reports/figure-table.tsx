type Props = {
  caption: string;
  /** The rows' heading, then one heading per column of figures. */
  head: readonly [string, ...string[]];
  /** The body's rows as markup (./markup, figureRowsMarkup). */
  body: string;
};

// A GOV.UK table of report figures (components/govuk/table.tsx markup, caption size s, row headers): the body is
// written as a string (./markup), as a five-year report has hundreds of rows.
export function FigureTable({ caption, head: [rowHeading, ...columns], body }: Props) {
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--s">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">
            {rowHeading}
          </th>
          {columns.map((text) => (
            <th scope="col" className="govuk-table__header govuk-table__header--numeric" key={text}>
              {text}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body app-figure-rows" dangerouslySetInnerHTML={{ __html: body }} />
    </table>
  );
}
