import type { ReactNode } from "react";

import { ErrorMessage, Fieldset, FormGroup, Hint, cx, describedBy, type LabelSize } from "@/components/govuk/field";

export type DateInputValue = { day: string; month: string; year: string };

export type DateInputProps = {
  /** The day field's id (the error summary links to it); the month and year fields add "-month" and "-year". */
  id: string;
  /** The fields are posted as "<name>-day", "<name>-month" and "<name>-year". Defaults to the id. */
  name?: string;
  legend: ReactNode;
  legendSize?: LabelSize;
  hint?: ReactNode;
  error?: string;
  defaultValue?: DateInputValue;
};

// GOV.UK Frontend's date input: three separate fields in a fieldset, numeric keyboards on phones, and no JavaScript
// date picker (they are hard to use with a keyboard or a screen reader).
export function DateInput({ id, name = id, legend, legendSize, hint, error, defaultValue }: DateInputProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const parts = [
    { key: "day", label: "Day", width: 2, inputId: id },
    { key: "month", label: "Month", width: 2, inputId: `${id}-month` },
    { key: "year", label: "Year", width: 4, inputId: `${id}-year` },
  ] as const;
  return (
    <FormGroup error={Boolean(error)}>
      <Fieldset legend={legend} legendSize={legendSize} describedBy={describedBy(hintId, errorId)}>
        {hint && hintId && <Hint id={hintId}>{hint}</Hint>}
        {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
        <div className="govuk-date-input" id={`${id}-group`}>
          {parts.map((part) => (
            <div className="govuk-date-input__item" key={part.key}>
              <div className="govuk-form-group">
                <label className="govuk-label govuk-date-input__label" htmlFor={part.inputId}>
                  {part.label}
                </label>
                <input
                  className={cx(
                    "govuk-input govuk-date-input__input",
                    `govuk-input--width-${part.width}`,
                    error && "govuk-input--error",
                  )}
                  id={part.inputId}
                  name={`${name}-${part.key}`}
                  type="text"
                  inputMode="numeric"
                  defaultValue={defaultValue?.[part.key] ?? ""}
                />
              </div>
            </div>
          ))}
        </div>
      </Fieldset>
    </FormGroup>
  );
}
