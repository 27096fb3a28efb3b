import type { ReactNode } from "react";

import { cx } from "./field";

export type NotificationBannerProps = {
  /** "success" after someone has done something; otherwise an "Important" banner. */
  type?: "success";
  /** Defaults to "Success" or "Important". */
  title?: string;
  /** Unique per page when a page has more than one banner. */
  titleId?: string;
  /** A single line of bold content; use children for anything longer. */
  heading?: ReactNode;
  children?: ReactNode;
};

export function NotificationBanner({
  type,
  title,
  titleId = "govuk-notification-banner-title",
  heading,
  children,
}: NotificationBannerProps) {
  const success = type === "success";
  return (
    <div
      className={cx("govuk-notification-banner", success && "govuk-notification-banner--success")}
      // A success message is announced at once; an "Important" banner is a landmark people can navigate to.
      role={success ? "alert" : "region"}
      aria-labelledby={titleId}
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={titleId}>
          {title ?? (success ? "Success" : "Important")}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        {heading && <p className="govuk-notification-banner__heading">{heading}</p>}
        {children}
      </div>
    </div>
  );
}
