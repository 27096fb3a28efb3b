import type { ReactNode } from "react";

export type WarningTextProps = { children: ReactNode; iconFallbackText?: string };

export function WarningText({ children, iconFallbackText = "Warning" }: WarningTextProps) {
  return (
    <div className="govuk-warning-text">
      <span className="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong className="govuk-warning-text__text">
        <span className="govuk-visually-hidden">{iconFallbackText}</span> {children}
      </strong>
    </div>
  );
}
