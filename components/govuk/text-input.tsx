import type { HTMLAttributes } from "react";

import { FieldFrame, cx, fieldIds, type FieldProps } from "./field";

type Width = "2" | "3" | "4" | "5" | "10" | "20" | "30" | "full" | "three-quarters" | "two-thirds" | "one-half" | "one-third" | "one-quarter";

export type TextInputProps = FieldProps & {
  type?: "text" | "email" | "tel" | "url" | "search" | "password" | "number";
  defaultValue?: string;
  autoComplete?: string;
  spellCheck?: boolean;
  inputMode?: HTMLAttributes<HTMLInputElement>["inputMode"];
  /** Fixed widths (characters) or fluid widths, as in GOV.UK Frontend. */
  width?: Width;
};

function widthClass(width: Width | undefined): string | undefined {
  if (!width) return undefined;
  return /^\d+$/.test(width) ? `govuk-input--width-${width}` : `govuk-!-width-${width}`;
}

export function TextInput({
  id,
  name,
  label,
  labelSize,
  isPageHeading,
  hint,
  error,
  disabled,
  type = "text",
  defaultValue,
  autoComplete,
  spellCheck,
  inputMode,
  width,
}: TextInputProps) {
  const ids = fieldIds(id, hint, error);
  return (
    <FieldFrame {...{ id, label, labelSize, isPageHeading, hint, error }} hintId={ids.hintId} errorId={ids.errorId}>
      <input
        className={cx("govuk-input", widthClass(width), error && "govuk-input--error")}
        id={id}
        name={name ?? id}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        spellCheck={spellCheck}
        inputMode={inputMode}
        disabled={disabled}
        aria-describedby={ids.describedBy}
      />
    </FieldFrame>
  );
}
