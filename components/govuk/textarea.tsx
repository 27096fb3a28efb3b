import { FieldFrame, cx, fieldIds, type FieldProps } from "./field";

export type TextareaProps = FieldProps & {
  defaultValue?: string;
  rows?: number;
  autoComplete?: string;
  spellCheck?: boolean;
};

export function Textarea({
  id,
  name,
  label,
  labelSize,
  isPageHeading,
  hint,
  error,
  disabled,
  defaultValue,
  rows = 5,
  autoComplete,
  spellCheck,
}: TextareaProps) {
  const ids = fieldIds(id, hint, error);
  return (
    <FieldFrame {...{ id, label, labelSize, isPageHeading, hint, error }} hintId={ids.hintId} errorId={ids.errorId}>
      <textarea
        className={cx("govuk-textarea", error && "govuk-textarea--error")}
        id={id}
        name={name ?? id}
        rows={rows}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        spellCheck={spellCheck}
        disabled={disabled}
        aria-describedby={ids.describedBy}
      />
    </FieldFrame>
  );
}
