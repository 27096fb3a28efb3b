export type HeaderProps = {
  /** The force's name, for example "Midshire Police". */
  organisationName: string;
  homeHref?: string;
};

// GOV.UK's generic header (the GOV.UK header carries the crown and logotype, which are only for GOV.UK services).
// The <header> landmark wraps this and the service navigation in the layout.
export function Header({ organisationName, homeHref = "/" }: HeaderProps) {
  return (
    <div className="govuk-generic-header confide-header">
      <div className="govuk-generic-header__container govuk-width-container">
        <div className="govuk-generic-header__logo">
          <a href={homeHref} className="govuk-generic-header__homepage-link">
            {organisationName}
          </a>
        </div>
      </div>
    </div>
  );
}
