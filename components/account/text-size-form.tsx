"use client";

import { useActionState } from "react";

import { saveTextSizeAction } from "@/app/account/actions";

type Props = { current: "standard" | "large" };

const OPTIONS = [
  { value: "standard", label: "Standard" },
  { value: "large", label: "Large", hint: "Makes all text on Confide bigger" },
] as const;

export function TextSizeForm({ current }: Props) {
  const [state, action, pending] = useActionState(saveTextSizeAction, undefined);
  const error = state && !state.ok ? (state.fieldErrors?.textSize?.[0] ?? state.error) : undefined;
  return (
    <form action={action} noValidate>
      {error && (
        <div className="govuk-error-summary" data-module="govuk-error-summary" role="alert" tabIndex={-1}>
          <h2 className="govuk-error-summary__title">There is a problem</h2>
          <div className="govuk-error-summary__body">
            <ul className="govuk-list govuk-error-summary__list">
              <li>
                <a href="#textSize">{error}</a>
              </li>
            </ul>
          </div>
        </div>
      )}
      {state?.ok && (
        <div className="govuk-notification-banner govuk-notification-banner--success" role="status">
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">Your text size has been saved</p>
          </div>
        </div>
      )}
      <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
        <fieldset className="govuk-fieldset" aria-describedby={error ? "textSize-error" : undefined}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
            <h2 className="govuk-fieldset__heading">Text size</h2>
          </legend>
          {error && (
            <p id="textSize-error" className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {error}
            </p>
          )}
          <div className="govuk-radios" data-module="govuk-radios">
            {OPTIONS.map((option, index) => (
              <div className="govuk-radios__item" key={option.value}>
                <input
                  className="govuk-radios__input"
                  id={index === 0 ? "textSize" : `textSize-${option.value}`}
                  name="textSize"
                  type="radio"
                  value={option.value}
                  defaultChecked={current === option.value}
                  aria-describedby={"hint" in option ? `textSize-${option.value}-hint` : undefined}
                />
                <label className="govuk-label govuk-radios__label" htmlFor={index === 0 ? "textSize" : `textSize-${option.value}`}>
                  {option.label}
                </label>
                {"hint" in option && (
                  <div id={`textSize-${option.value}-hint`} className="govuk-hint govuk-radios__hint">
                    {option.hint}
                  </div>
                )}
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <button type="submit" className="govuk-button" disabled={pending}>
        Save preferences
      </button>
    </form>
  );
}
