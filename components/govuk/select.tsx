import { FieldFrame, cx, fieldIds, type FieldProps } from "./field";

export type SelectItem = { value: string; text: string; disabled?: boolean };

export type SelectProps = FieldProps & {
  items: readonly SelectItem[];
  defaultValue?: string;
};

export function Select({ id, name, label, labelSize, isPageHeading, hint, error, disabled, items, defaultValue }: SelectProps) {
  const ids = fieldIds(id, hint, error);
  return (
    <FieldFrame {...{ id, label, labelSize, isPageHeading, hint, error }} hintId={ids.hintId} errorId={ids.errorId}>
      <select
        className={cx("govuk-select", error && "govuk-select--error")}
        id={id}
        name={name ?? id}
        defaultValue={defaultValue}
        disabled={disabled}
        aria-describedby={ids.describedBy}
      >
        {items.map((item) => (
          <option key={item.value} value={item.value} disabled={item.disabled}>
            {item.text}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
