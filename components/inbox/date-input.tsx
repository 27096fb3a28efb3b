import type { ReactNode } from "react";

import { cx, describedBy, ErrorMessage, Hint, type LabelSize } from "@/components/govuk/field";

export type DateParts = { day: string; month: string; year: string };
export type DatePart = keyof DateParts;

export type DateInputProps = {
  /** The fields are named and identified `${id}Day`, `${id}Month` and `${id}Year`. */
  id: string;
  legend: ReactNode;
  legendSize?: LabelSize;
  hint?: ReactNode;
  error?: string;
  /** The parts to mark as wrong; all of them when there is an error and this is not given. */
  errorParts?: readonly DatePart[];
  defaultValues?: Partial<DateParts>;
};

const PARTS: readonly { part: DatePart; label: string; width: string }[] = [
  { part: "day", label: "Day", width: "2" },
  { part: "month", label: "Month", width: "2" },
  { part: "year", label: "Year", width: "4" },
];

export const datePartId = (id: string, part: DatePart) => `${id}${part[0]?.toUpperCase()}${part.slice(1)}`;

// GOV.UK Frontend's date input: three text fields (not type="number", which browsers mangle) in a fieldset.
export function DateInput({ id, legend, legendSize, hint, error, errorParts, defaultValues = {} }: DateInputProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const wrong = new Set<DatePart>(error ? (errorParts && errorParts.length > 0 ? errorParts : ["day", "month", "year"]) : []);
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error")}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={describedBy(hintId, errorId)}>
        <legend className={cx("govuk-fieldset__legend", legendSize && `govuk-fieldset__legend--${legendSize}`)}>{legend}</legend>
        {hint && hintId && <Hint id={hintId}>{hint}</Hint>}
        {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
        <div className="govuk-date-input" id={id}>
          {PARTS.map(({ part, label, width }) => {
            const partId = datePartId(id, part);
            return (
              <div className="govuk-date-input__item" key={part}>
                <div className="govuk-form-group">
                  <label className="govuk-label govuk-date-input__label" htmlFor={partId}>
                    {label}
                  </label>
                  <input
                    className={cx(
                      "govuk-input govuk-date-input__input",
                      `govuk-input--width-${width}`,
                      wrong.has(part) && "govuk-input--error",
                    )}
                    id={partId}
                    name={partId}
                    type="text"
                    inputMode="numeric"
                    defaultValue={defaultValues[part] ?? ""}
                  />
                </div>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
