import type { ReactNode } from "react";

import { cx, type LabelSize } from "./field";

export type TableColumn = {
  text: ReactNode;
  /** Right-aligns the column's header and cells, for numbers. */
  numeric?: boolean;
};

export type TableRow = {
  /** Stable React key, for example the row's opaque id. */
  key: string;
  cells: readonly ReactNode[];
};

export type TableProps = {
  caption?: ReactNode;
  captionSize?: LabelSize;
  head: readonly TableColumn[];
  rows: readonly TableRow[];
  /** Makes each row's first cell a row header. */
  firstCellIsHeader?: boolean;
};

export function Table({ caption, captionSize, head, rows, firstCellIsHeader = false }: TableProps) {
  return (
    <table className="govuk-table">
      {caption && (
        <caption className={cx("govuk-table__caption", captionSize && `govuk-table__caption--${captionSize}`)}>
          {caption}
        </caption>
      )}
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {head.map((column, index) => (
            <th
              scope="col"
              className={cx("govuk-table__header", column.numeric && "govuk-table__header--numeric")}
              // Columns are positional.
              key={index}
            >
              {column.text}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {rows.map((row) => (
          <tr className="govuk-table__row" key={row.key}>
            {row.cells.map((cell, index) =>
              index === 0 && firstCellIsHeader ? (
                <th scope="row" className="govuk-table__header" key={index}>
                  {cell}
                </th>
              ) : (
                <td
                  className={cx("govuk-table__cell", head[index]?.numeric && "govuk-table__cell--numeric")}
                  key={index}
                >
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
