import { escapeMarkup } from "@/components/markup";

// What someone wrote, as they laid it out: blank lines start a new paragraph, single line breaks are kept.
function paragraphs(text: string): string[][] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => part.split("\n"));
}

export function MessageText({ text }: { text: string }) {
  return (
    <>
      {paragraphs(text).map((lines, index) => (
        <p className="govuk-body confide-message-text" key={index}>
          {lines.map((line, lineIndex) => (
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

/** The same as markup (components/markup.ts), for a conversation's page of messages. */
export function messageTextMarkup(text: string): string {
  return paragraphs(text)
    .map((lines) => `<p class='govuk-body confide-message-text'>${lines.map(escapeMarkup).join("<br>")}</p>`)
    .join("");
}
