import type { ReactNode } from "react";

import { ErrorMessage, Fieldset, FormGroup, Hint, cx, describedBy, type LabelSize } from "./field";

export type RadioItem =
  | {
      value: string;
      text: ReactNode;
      hint?: ReactNode;
      /** Follow-up content shown while this option is chosen (by CSS, so it works without JavaScript). */
      conditional?: ReactNode;
      disabled?: boolean;
    }
  | { divider: string };

export type RadiosProps = {
  name: string;
  /** Prefix for the inputs' ids; the first input's id is exactly this, for the error summary link. Defaults to name. */
  idPrefix?: string;
  legend: ReactNode;
  legendSize?: LabelSize;
  isPageHeading?: boolean;
  hint?: ReactNode;
  error?: string;
  items: readonly RadioItem[];
  defaultValue?: string;
  inline?: boolean;
  small?: boolean;
};

export function Radios({
  name,
  idPrefix = name,
  legend,
  legendSize,
  isPageHeading,
  hint,
  error,
  items,
  defaultValue,
  inline = false,
  small = false,
}: RadiosProps) {
  const hintId = hint ? `${idPrefix}-hint` : undefined;
  const errorId = error ? `${idPrefix}-error` : undefined;
  return (
    <FormGroup error={Boolean(error)}>
      <Fieldset
        legend={legend}
        legendSize={legendSize}
        isPageHeading={isPageHeading}
        describedBy={describedBy(hintId, errorId)}
      >
        {hint && hintId && <Hint id={hintId}>{hint}</Hint>}
        {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
        <div className={cx("govuk-radios", inline && "govuk-radios--inline", small && "govuk-radios--small")}>
          {items.map((item, index) => {
            if ("divider" in item) {
              return (
                <div className="govuk-radios__divider" key={`divider-${index}`}>
                  {item.divider}
                </div>
              );
            }
            const itemId = index === 0 ? idPrefix : `${idPrefix}-${index + 1}`;
            const itemHintId = item.hint ? `${itemId}-item-hint` : undefined;
            return (
              <RadioItemView
                key={item.value}
                itemId={itemId}
                itemHintId={itemHintId}
                name={name}
                item={item}
                checked={defaultValue === item.value}
              />
            );
          })}
        </div>
      </Fieldset>
    </FormGroup>
  );
}

function RadioItemView({
  itemId,
  itemHintId,
  name,
  item,
  checked,
}: {
  itemId: string;
  itemHintId: string | undefined;
  name: string;
  item: Exclude<RadioItem, { divider: string }>;
  checked: boolean;
}) {
  return (
    <>
      <div className="govuk-radios__item">
        <input
          className="govuk-radios__input"
          id={itemId}
          name={name}
          type="radio"
          value={item.value}
          defaultChecked={checked}
          disabled={item.disabled}
          aria-describedby={itemHintId}
        />
        <label className="govuk-label govuk-radios__label" htmlFor={itemId}>
          {item.text}
        </label>
        {item.hint && itemHintId && (
          <Hint id={itemHintId} className="govuk-radios__hint">
            {item.hint}
          </Hint>
        )}
      </div>
      {item.conditional && (
        <div className="govuk-radios__conditional" id={`conditional-${itemId}`}>
          {item.conditional}
        </div>
      )}
    </>
  );
}
