"use client";

import { useEffect, useRef, type MouseEvent, type ReactNode } from "react";

export type ErrorSummaryItem = { href: string; text: string };

export type ErrorSummaryProps = {
  errors: readonly ErrorSummaryItem[];
  title?: string;
  description?: ReactNode;
};

// Put the error summary at the top of the main content, before the h1's form. It takes focus when it appears (and
// whenever the errors change) so that screen reader and keyboard users start from the list of problems.
export function ErrorSummary({ errors, title = "There is a problem", description }: ErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  const signature = errors.map((error) => `${error.href} ${error.text}`).join("\n");

  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature]);

  if (errors.length === 0) return null;
  // Without JavaScript the links are ordinary fragment links. With it, behave like GOV.UK Frontend: bring the
  // question (label or legend) into view as well as the field, then focus the field.
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    const id = decodeURIComponent(event.currentTarget.hash.slice(1));
    const field = id ? document.getElementById(id) : null;
    if (!field) return;
    event.preventDefault();
    const legend = field.closest("fieldset")?.querySelector("legend");
    const label = document.querySelector(`label[for="${CSS.escape(id)}"]`);
    (legend ?? label ?? field).scrollIntoView();
    field.focus({ preventScroll: true });
  }
  return (
    <div className="govuk-error-summary" ref={ref} tabIndex={-1}>
      {/* role="alert" sits on a child so that focusing the summary and announcing it do not race. */}
      <div role="alert">
        <h2 className="govuk-error-summary__title">{title}</h2>
        <div className="govuk-error-summary__body">
          {description && <p>{description}</p>}
          <ul className="govuk-list govuk-error-summary__list">
            {errors.map((error) => (
              <li key={`${error.href} ${error.text}`}>
                <a href={error.href} onClick={handleClick}>
                  {error.text}
                </a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
