import type { ReactNode } from "react";

export type DetailsProps = { summary: ReactNode; children: ReactNode; open?: boolean; id?: string };

export function Details({ summary, children, open = false, id }: DetailsProps) {
  return (
    <details className="govuk-details" open={open} id={id}>
      <summary className="govuk-details__summary">
        <span className="govuk-details__summary-text">{summary}</span>
      </summary>
      <div className="govuk-details__text">{children}</div>
    </details>
  );
}
