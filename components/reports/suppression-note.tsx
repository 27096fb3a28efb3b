// Said under a table that hides figures beyond those under 5, so "not shown" is never a mystery.
export function SuppressionNote({ hasNotShown }: { hasNotShown: boolean }) {
  if (!hasNotShown) return null;
  return (
    <p className="govuk-body-s">
      &ldquo;Not shown&rdquo; means the figure is hidden so that a figure under 5 cannot be worked out by subtracting the
      others from the total.
    </p>
  );
}
