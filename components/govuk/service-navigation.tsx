"use client";

import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

import { cx } from "./field";

export type NavigationItem = { href: string; text: string };

export type ServiceNavigationProps = {
  serviceName: string;
  serviceHref: string;
  items: readonly NavigationItem[];
  /** Extra list items (<li className="govuk-service-navigation__item">) after the links, for example sign-out. */
  navigationEnd?: ReactNode;
  navigationLabel?: string;
};

// The item for the current section is the one whose href is the longest prefix of the path, so that
// /networks/x/manage marks "Manage …" rather than "Networks".
function currentHref(pathname: string, items: readonly NavigationItem[]): string | undefined {
  let best: string | undefined;
  for (const { href } of items) {
    const matches = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
    if (matches && (!best || href.length > best.length)) best = href;
  }
  return best;
}

// A client component only to read the path, because the root layout is not re-rendered on navigation. The menu is
// always shown (GOV.UK's collapsing "Menu" button needs its JavaScript, which Confide does not load).
export function ServiceNavigation({
  serviceName,
  serviceHref,
  items,
  navigationEnd,
  navigationLabel = "Menu",
}: ServiceNavigationProps) {
  const pathname = usePathname() ?? "";
  const current = currentHref(pathname, items);
  return (
    <section aria-label="Service information" className="govuk-service-navigation">
      <div className="govuk-width-container">
        <div className="govuk-service-navigation__container">
          <span className="govuk-service-navigation__service-name">
            <a href={serviceHref} className="govuk-service-navigation__link">
              {serviceName}
            </a>
          </span>
          {(items.length > 0 || navigationEnd) && (
            <nav aria-label={navigationLabel} className="govuk-service-navigation__wrapper">
              <ul className="govuk-service-navigation__list" id="navigation">
                {items.map((item) => {
                  const isCurrent = item.href === current;
                  const exact = pathname === item.href;
                  return (
                    <li
                      key={item.href}
                      className={cx("govuk-service-navigation__item", isCurrent && "govuk-service-navigation__item--active")}
                    >
                      <a
                        className="govuk-service-navigation__link"
                        href={item.href}
                        aria-current={isCurrent ? (exact ? "page" : "true") : undefined}
                      >
                        {/* Bold text keeps the current item recognisable when colours are overridden. */}
                        {isCurrent ? <strong className="govuk-service-navigation__active-fallback">{item.text}</strong> : item.text}
                      </a>
                    </li>
                  );
                })}
                {navigationEnd}
              </ul>
            </nav>
          )}
        </div>
      </div>
    </section>
  );
}
