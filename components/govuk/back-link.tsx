import type { ReactNode } from "react";

export type BackLinkProps = { href: string; children?: ReactNode };

// A real link to the previous page in the journey (never `history.back()`), so it works without JavaScript and
// never leads out of Confide.
export function BackLink({ href, children = "Back" }: BackLinkProps) {
  return (
    <a href={href} className="govuk-back-link">
      {children}
    </a>
  );
}
