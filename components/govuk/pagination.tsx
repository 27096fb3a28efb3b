import { cx } from "./field";

export type PaginationItem = { number: number; href: string; current?: boolean } | { ellipsis: true };

export type PaginationProps = {
  previous?: { href: string };
  next?: { href: string };
  /** Numbered pages; leave out for previous/next links only (the "block" style). */
  items?: readonly PaginationItem[];
  landmarkLabel?: string;
};

/**
 * Page links the GOV.UK way: the first and last pages, the current page and its neighbours, with ellipses for gaps.
 * `href` builds the link for a page number (keep query strings free of personal details).
 */
export function paginationItems(current: number, total: number, href: (page: number) => string): PaginationItem[] {
  const items: PaginationItem[] = [];
  let previous = 0;
  for (let page = 1; page <= total; page += 1) {
    if (page !== 1 && page !== total && Math.abs(page - current) > 1) continue;
    if (page - previous > 1) items.push({ ellipsis: true });
    items.push({ number: page, href: href(page), current: page === current });
    previous = page;
  }
  return items;
}

function PreviousIcon() {
  return (
    <svg
      className="govuk-pagination__icon govuk-pagination__icon--prev"
      xmlns="http://www.w3.org/2000/svg"
      height="13"
      width="15"
      aria-hidden="true"
      focusable="false"
      viewBox="0 0 15 13"
    >
      <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z" />
    </svg>
  );
}

function NextIcon() {
  return (
    <svg
      className="govuk-pagination__icon govuk-pagination__icon--next"
      xmlns="http://www.w3.org/2000/svg"
      height="13"
      width="15"
      aria-hidden="true"
      focusable="false"
      viewBox="0 0 15 13"
    >
      <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z" />
    </svg>
  );
}

export function Pagination({ previous, next, items, landmarkLabel = "Pagination" }: PaginationProps) {
  if (!previous && !next && (!items || items.length <= 1)) return null;
  const blockLevel = !items && Boolean(previous || next);
  return (
    <nav className={cx("govuk-pagination", blockLevel && "govuk-pagination--block")} aria-label={landmarkLabel}>
      {previous && (
        <div className="govuk-pagination__prev">
          <a className="govuk-link govuk-pagination__link" href={previous.href} rel="prev">
            <PreviousIcon />
            <span className={cx("govuk-pagination__link-title", blockLevel && "govuk-pagination__link-title--decorated")}>
              Previous<span className="govuk-visually-hidden"> page</span>
            </span>
          </a>
        </div>
      )}
      {items && (
        <ul className="govuk-pagination__list">
          {items.map((item, index) =>
            "ellipsis" in item ? (
              <li className="govuk-pagination__item govuk-pagination__item--ellipsis" key={`ellipsis-${index}`}>
                {"\u22ef"}
              </li>
            ) : (
              <li
                className={cx("govuk-pagination__item", item.current && "govuk-pagination__item--current")}
                key={item.number}
              >
                <a
                  className="govuk-link govuk-pagination__link"
                  href={item.href}
                  aria-label={`Page ${item.number}`}
                  aria-current={item.current ? "page" : undefined}
                >
                  {item.number}
                </a>
              </li>
            ),
          )}
        </ul>
      )}
      {next && (
        <div className="govuk-pagination__next">
          <a className="govuk-link govuk-pagination__link" href={next.href} rel="next">
            {blockLevel && <NextIcon />}
            <span className={cx("govuk-pagination__link-title", blockLevel && "govuk-pagination__link-title--decorated")}>
              Next<span className="govuk-visually-hidden"> page</span>
            </span>
            {!blockLevel && <NextIcon />}
          </a>
        </div>
      )}
    </nav>
  );
}
