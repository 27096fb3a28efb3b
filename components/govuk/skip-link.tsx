export type SkipLinkProps = { href?: string; children?: string };

export function SkipLink({ href = "#main-content", children = "Skip to main content" }: SkipLinkProps) {
  return (
    <a href={href} className="govuk-skip-link">
      {children}
    </a>
  );
}
