// What someone wrote, as they laid it out: blank lines start a new paragraph, single line breaks are kept.
export function MessageText({ text }: { text: string }) {
  const parts = text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean);
  return (
    <>
      {parts.map((part, index) => (
        <p className="govuk-body confide-message-text" key={index}>
          {part.split("\n").map((line, lineIndex) => (
            <span key={lineIndex}>
              {lineIndex > 0 && <br />}
              {line}
            </span>
          ))}
        </p>
      ))}
    </>
  );
}
