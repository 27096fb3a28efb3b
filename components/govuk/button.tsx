import type { ReactNode } from "react";

import { cx } from "./field";

type Variant = "primary" | "secondary" | "warning" | "inverse";

type Common = {
  children: ReactNode;
  variant?: Variant;
  /** The "Start now" style with an arrow, for the start of a journey. */
  isStartButton?: boolean;
  className?: string;
  id?: string;
};

export type ButtonProps = Common &
  (
    | {
        href?: undefined;
        type?: "submit" | "button" | "reset";
        name?: string;
        value?: string;
        disabled?: boolean;
        /** A server action for this button only, when one form has several buttons. */
        formAction?: string | ((formData: FormData) => void | Promise<void>);
      }
    | {
        /** Renders a link styled as a button: use it for navigation, never for changing data. */
        href: string;
      }
  );

function StartIcon() {
  return (
    <svg
      className="govuk-button__start-icon"
      xmlns="http://www.w3.org/2000/svg"
      width="17.5"
      height="19"
      viewBox="0 0 33 40"
      aria-hidden="true"
      focusable="false"
    >
      <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
    </svg>
  );
}

export function Button(props: ButtonProps) {
  const { children, variant = "primary", isStartButton = false, className, id } = props;
  const classes = cx(
    "govuk-button",
    variant !== "primary" && `govuk-button--${variant}`,
    isStartButton && "govuk-button--start",
    className,
  );
  const content = (
    <>
      {isStartButton ? <span>{children}</span> : children}
      {isStartButton && <StartIcon />}
    </>
  );
  if (props.href !== undefined) {
    return (
      <a href={props.href} className={classes} id={id} draggable={false}>
        {content}
      </a>
    );
  }
  return (
    <button
      type={props.type ?? "submit"}
      className={classes}
      id={id}
      name={props.name}
      value={props.value}
      disabled={props.disabled}
      aria-disabled={props.disabled || undefined}
      formAction={props.formAction}
    >
      {content}
    </button>
  );
}

/** Lays out a primary button with secondary buttons or links beside it. */
export function ButtonGroup({ children }: { children: ReactNode }) {
  return <div className="govuk-button-group">{children}</div>;
}
