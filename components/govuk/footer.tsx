import type { ReactNode } from "react";

export type FooterLink = { href: string; text: string };

export type FooterProps = {
  links: readonly FooterLink[];
  /** Shown at the end, for example "© Midshire Police". No Open Government Licence text and no crest. */
  copyright: ReactNode;
};

export function Footer({ links, copyright }: FooterProps) {
  return (
    <div className="govuk-footer">
      <div className="govuk-width-container">
        <div className="govuk-footer__meta">
          <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
            <h2 className="govuk-visually-hidden">Support links</h2>
            <ul className="govuk-footer__inline-list">
              {links.map((link) => (
                <li className="govuk-footer__inline-list-item" key={link.href}>
                  <a className="govuk-footer__link" href={link.href}>
                    {link.text}
                  </a>
                </li>
              ))}
            </ul>
          </div>
          <div className="govuk-footer__meta-item">{copyright}</div>
        </div>
      </div>
    </div>
  );
}
