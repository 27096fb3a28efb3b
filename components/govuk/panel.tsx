import type { ReactNode } from "react";

export type PanelProps = {
  title: ReactNode;
  children?: ReactNode;
  /** 1 on a confirmation page, where the panel title is the page's heading. */
  headingLevel?: 1 | 2 | 3;
};

export function Panel({ title, children, headingLevel = 1 }: PanelProps) {
  const Heading = `h${headingLevel}` as const;
  return (
    <div className="govuk-panel govuk-panel--confirmation">
      <Heading className="govuk-panel__title">{title}</Heading>
      {children && <div className="govuk-panel__body">{children}</div>}
    </div>
  );
}
