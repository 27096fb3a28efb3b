import type { ReactNode } from "react";

import { cx } from "./field";

export type SummaryListAction = {
  href: string;
  text: string;
  /** Completes the link text for screen readers, for example "name" in "Change name". */
  visuallyHiddenText?: string;
};

export type SummaryListRow = {
  key: ReactNode;
  value: ReactNode;
  actions?: readonly SummaryListAction[];
};

export type SummaryListProps = {
  rows: readonly SummaryListRow[];
  noBorder?: boolean;
};

function ActionLink({ action }: { action: SummaryListAction }) {
  return (
    <a className="govuk-link" href={action.href}>
      {action.text}
      {action.visuallyHiddenText && <span className="govuk-visually-hidden"> {action.visuallyHiddenText}</span>}
    </a>
  );
}

export function SummaryList({ rows, noBorder = false }: SummaryListProps) {
  const anyRowHasActions = rows.some((row) => row.actions && row.actions.length > 0);
  return (
    <dl className={cx("govuk-summary-list", noBorder && "govuk-summary-list--no-border")}>
      {rows.map((row, index) => {
        const actions = row.actions ?? [];
        return (
          <div
            // Rows are positional and never reordered on the client.
            key={index}
            className={cx("govuk-summary-list__row", anyRowHasActions && actions.length === 0 && "govuk-summary-list__row--no-actions")}
          >
            <dt className="govuk-summary-list__key">{row.key}</dt>
            <dd className="govuk-summary-list__value">{row.value}</dd>
            {actions.length === 1 && actions[0] && (
              <dd className="govuk-summary-list__actions">
                <ActionLink action={actions[0]} />
              </dd>
            )}
            {actions.length > 1 && (
              <dd className="govuk-summary-list__actions">
                <ul className="govuk-summary-list__actions-list">
                  {actions.map((action) => (
                    <li className="govuk-summary-list__actions-list-item" key={action.href}>
                      <ActionLink action={action} />
                    </li>
                  ))}
                </ul>
              </dd>
            )}
          </div>
        );
      })}
    </dl>
  );
}
