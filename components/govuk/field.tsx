import type { ReactNode } from "react";

// Building blocks shared by the form field components, following the markup of GOV.UK Frontend's macros.

export type LabelSize = "s" | "m" | "l" | "xl";

/** Field errors as server actions return them (`z.flattenError(...).fieldErrors`). */
export type FieldErrors = Record<string, readonly string[] | undefined>;

/** The first message for a field, for the `error` prop of a field component. */
export function fieldError(fieldErrors: FieldErrors | undefined, name: string): string | undefined {
  return fieldErrors?.[name]?.[0];
}

/**
 * Error summary items for the fields that have errors, in the order the fields appear on the page.
 * `fields` maps each field name to the id of the input to link to (usually the same).
 */
export function errorSummaryItems(
  fieldErrors: FieldErrors | undefined,
  fields: readonly (string | { name: string; id: string })[],
): { href: string; text: string }[] {
  const items: { href: string; text: string }[] = [];
  for (const field of fields) {
    const { name, id } = typeof field === "string" ? { name: field, id: field } : field;
    const text = fieldError(fieldErrors, name);
    if (text) items.push({ href: `#${id}`, text });
  }
  return items;
}

/** Joins ids for aria-describedby, leaving out the missing ones. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const joined = ids.filter(Boolean).join(" ");
  return joined || undefined;
}

export function cx(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(" ");
}

type LabelProps = {
  htmlFor: string;
  children: ReactNode;
  size?: LabelSize;
  /** Wraps the label in the page's h1, for a question page with one field. */
  isPageHeading?: boolean;
  className?: string;
};

export function Label({ htmlFor, children, size, isPageHeading = false, className }: LabelProps) {
  const label = (
    <label className={cx("govuk-label", size && `govuk-label--${size}`, className)} htmlFor={htmlFor}>
      {children}
    </label>
  );
  return isPageHeading ? <h1 className="govuk-label-wrapper">{label}</h1> : label;
}

type HintProps = { id: string; children: ReactNode; className?: string };

export function Hint({ id, children, className }: HintProps) {
  return (
    <div id={id} className={cx("govuk-hint", className)}>
      {children}
    </div>
  );
}

type ErrorMessageProps = { id: string; children: ReactNode };

export function ErrorMessage({ id, children }: ErrorMessageProps) {
  return (
    <p id={id} className="govuk-error-message">
      <span className="govuk-visually-hidden">Error:</span> {children}
    </p>
  );
}

type FormGroupProps = { error?: boolean; children: ReactNode; className?: string };

export function FormGroup({ error = false, children, className }: FormGroupProps) {
  return <div className={cx("govuk-form-group", error && "govuk-form-group--error", className)}>{children}</div>;
}

export type FieldsetProps = {
  legend: ReactNode;
  legendSize?: LabelSize;
  /** Puts the legend's text in the page's h1, for a question page with one group of fields. */
  isPageHeading?: boolean;
  describedBy?: string;
  children: ReactNode;
  className?: string;
};

export function Fieldset({ legend, legendSize, isPageHeading = false, describedBy, children, className }: FieldsetProps) {
  return (
    <fieldset className={cx("govuk-fieldset", className)} aria-describedby={describedBy}>
      <legend className={cx("govuk-fieldset__legend", legendSize && `govuk-fieldset__legend--${legendSize}`)}>
        {isPageHeading ? <h1 className="govuk-fieldset__heading">{legend}</h1> : legend}
      </legend>
      {children}
    </fieldset>
  );
}

/** Props every single-control field shares. */
export type FieldProps = {
  /** The control's id; the error summary links to `#id`. */
  id: string;
  /** Defaults to the id. */
  name?: string;
  label: ReactNode;
  labelSize?: LabelSize;
  isPageHeading?: boolean;
  hint?: ReactNode;
  error?: string;
  disabled?: boolean;
};

/** Ids and aria-describedby for a field's hint and error message. */
export function fieldIds(id: string, hint: ReactNode, error: string | undefined) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return { hintId, errorId, describedBy: describedBy(hintId, errorId) };
}

/** Label, hint and error message above a control, inside a form group. */
export function FieldFrame({
  id,
  label,
  labelSize,
  isPageHeading,
  hint,
  error,
  hintId,
  errorId,
  children,
}: Pick<FieldProps, "id" | "label" | "labelSize" | "isPageHeading" | "hint" | "error"> & {
  hintId: string | undefined;
  errorId: string | undefined;
  children: ReactNode;
}) {
  return (
    <FormGroup error={Boolean(error)}>
      <Label htmlFor={id} size={labelSize} isPageHeading={isPageHeading}>
        {label}
      </Label>
      {hint && hintId && <Hint id={hintId}>{hint}</Hint>}
      {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
      {children}
    </FormGroup>
  );
}
