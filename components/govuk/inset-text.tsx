import type { ReactNode } from "react";

export type InsetTextProps = { children: ReactNode; id?: string };

export function InsetText({ children, id }: InsetTextProps) {
  return (
    <div className="govuk-inset-text" id={id}>
      {children}
    </div>
  );
}
