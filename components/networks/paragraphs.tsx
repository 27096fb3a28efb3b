// Text typed by a person (a note, a reason, an announcement) as paragraphs: one per blank-line-separated block,
// with single line breaks kept. The CSP allows no inline styles, so white-space cannot be set on the element.
export function Paragraphs({ text, className = "govuk-body" }: { text: string; className?: string }) {
  const blocks = text
    .split(/\r?\n\s*\r?\n/)
    .map((block) => block.trim())
    .filter(Boolean);
  return (
    <>
      {blocks.map((block, index) => {
        const lines = block.split(/\r?\n/);
        return (
          <p className={className} key={index}>
            {lines.map((line, lineIndex) => (
              <span key={lineIndex}>
                {lineIndex > 0 && <br />}
                {line}
              </span>
            ))}
          </p>
        );
      })}
    </>
  );
}
