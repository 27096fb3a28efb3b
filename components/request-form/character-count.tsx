"use client";

import { useEffect, useState, type ReactNode } from "react";

import { ErrorMessage, FormGroup, Hint, Label, cx, describedBy, type LabelSize } from "@/components/govuk/field";
import { useHasJavaScript } from "./use-has-javascript";

// GOV.UK Frontend's character count, in React. Without JavaScript the limit is stated under the box and the server
// enforces it. With JavaScript the sentence becomes a live count ("You have 120 characters remaining", or "too
// many" in red), and screen readers hear the count once the person pauses typing rather than at every key.
// The box never stops people typing past the limit: they can paste, then trim.

type Props = {
  id: string;
  name?: string;
  label: ReactNode;
  labelSize?: LabelSize;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  maxLength: number;
  rows?: number;
};

const ANNOUNCE_AFTER_MS = 1000;
const number = new Intl.NumberFormat("en-GB");

function countMessage(remaining: number): string {
  const n = Math.abs(remaining);
  const characters = n === 1 ? "character" : "characters";
  return remaining >= 0 ? `You have ${number.format(n)} ${characters} remaining` : `You have ${number.format(n)} ${characters} too many`;
}

export function CharacterCount({ id, name = id, label, labelSize, hint, error, defaultValue = "", maxLength, rows = 8 }: Props) {
  const enhanced = useHasJavaScript();
  const [length, setLength] = useState(defaultValue.length);
  const [announced, setAnnounced] = useState(() => countMessage(maxLength - defaultValue.length));
  const remaining = maxLength - length;
  const message = countMessage(remaining);

  useEffect(() => {
    const timer = window.setTimeout(() => setAnnounced(message), ANNOUNCE_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [message]);

  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const infoId = `${id}-info`;
  return (
    <FormGroup error={Boolean(error)} className="govuk-character-count">
      <Label htmlFor={id} size={labelSize}>
        {label}
      </Label>
      {hint && hintId && <Hint id={hintId}>{hint}</Hint>}
      {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
      <textarea
        className={cx("govuk-textarea", "govuk-js-character-count", (error || remaining < 0) && "govuk-textarea--error")}
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        spellCheck
        aria-describedby={describedBy(infoId, hintId, errorId)}
        onChange={(event) => setLength(event.target.value.length)}
      />
      {/* The limit, for everyone; with JavaScript it is read out with the field and the live count is shown. */}
      <div id={infoId} className={cx("govuk-hint", "govuk-character-count__message", enhanced && "govuk-visually-hidden")}>
        You can enter up to {number.format(maxLength)} characters
      </div>
      {enhanced && (
        <>
          <div
            className={cx("govuk-character-count__message", "govuk-character-count__status", remaining < 0 ? "govuk-error-message" : "govuk-hint")}
            aria-hidden="true"
          >
            {message}
          </div>
          <div className="govuk-visually-hidden" aria-live="polite">
            {announced}
          </div>
        </>
      )}
    </FormGroup>
  );
}
