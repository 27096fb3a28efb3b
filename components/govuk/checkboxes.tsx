import type { ReactNode } from "react";

import { ErrorMessage, Fieldset, FormGroup, Hint, cx, describedBy, type LabelSize } from "./field";

export type CheckboxItem =
  | {
      value: string;
      text: ReactNode;
      hint?: ReactNode;
      /** Follow-up content shown while this box is ticked (by CSS, so it works without JavaScript). */
      conditional?: ReactNode;
      disabled?: boolean;
      /** Defaults to the group's name. */
      name?: string;
    }
  | { divider: string };

export type CheckboxesProps = {
  name: string;
  /** Prefix for the inputs' ids; the first input's id is exactly this, for the error summary link. Defaults to name. */
  idPrefix?: string;
  /** Without a legend there is no fieldset: use that for a single checkbox whose label says it all. */
  legend?: ReactNode;
  legendSize?: LabelSize;
  isPageHeading?: boolean;
  hint?: ReactNode;
  error?: string;
  items: readonly CheckboxItem[];
  defaultValues?: readonly string[];
  small?: boolean;
};

export function Checkboxes({
  name,
  idPrefix = name,
  legend,
  legendSize,
  isPageHeading,
  hint,
  error,
  items,
  defaultValues = [],
  small = false,
}: CheckboxesProps) {
  const hintId = hint ? `${idPrefix}-hint` : undefined;
  const errorId = error ? `${idPrefix}-error` : undefined;
  const groupDescribedBy = describedBy(hintId, errorId);
  const hasFieldset = legend !== undefined;
  const inner = (
    <>
      {hint && hintId && <Hint id={hintId}>{hint}</Hint>}
      {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
      <div className={cx("govuk-checkboxes", small && "govuk-checkboxes--small")}>
        {items.map((item, index) => {
          if ("divider" in item) {
            return (
              <div className="govuk-checkboxes__divider" key={`divider-${index}`}>
                {item.divider}
              </div>
            );
          }
          const itemId = index === 0 ? idPrefix : `${idPrefix}-${index + 1}`;
          const itemHintId = item.hint ? `${itemId}-item-hint` : undefined;
          return (
            <CheckboxItemView
              key={item.value}
              itemId={itemId}
              itemHintId={itemHintId}
              // Without a fieldset, each box carries the group's hint and error itself.
              describedBy={describedBy(hasFieldset ? undefined : groupDescribedBy, itemHintId)}
              name={item.name ?? name}
              item={item}
              checked={defaultValues.includes(item.value)}
            />
          );
        })}
      </div>
    </>
  );
  return (
    <FormGroup error={Boolean(error)}>
      {hasFieldset ? (
        <Fieldset legend={legend} legendSize={legendSize} isPageHeading={isPageHeading} describedBy={groupDescribedBy}>
          {inner}
        </Fieldset>
      ) : (
        inner
      )}
    </FormGroup>
  );
}

function CheckboxItemView({
  itemId,
  describedBy,
  itemHintId,
  name,
  item,
  checked,
}: {
  itemId: string;
  describedBy: string | undefined;
  itemHintId: string | undefined;
  name: string;
  item: Exclude<CheckboxItem, { divider: string }>;
  checked: boolean;
}) {
  return (
    <>
      <div className="govuk-checkboxes__item">
        <input
          className="govuk-checkboxes__input"
          id={itemId}
          name={name}
          type="checkbox"
          value={item.value}
          defaultChecked={checked}
          disabled={item.disabled}
          aria-describedby={describedBy}
        />
        <label className="govuk-label govuk-checkboxes__label" htmlFor={itemId}>
          {item.text}
        </label>
        {item.hint && itemHintId && (
          <Hint id={itemHintId} className="govuk-checkboxes__hint">
            {item.hint}
          </Hint>
        )}
      </div>
      {item.conditional && (
        <div className="govuk-checkboxes__conditional" id={`conditional-${itemId}`}>
          {item.conditional}
        </div>
      )}
    </>
  );
}
