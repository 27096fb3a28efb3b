import { Fragment } from "react";

// Line breaks someone typed, shown as line breaks (the CSP allows no inline styles for white-space).
export function Lines({ text }: { text: string }) {
  const lines = text.split("\n");
  return (
    <>
      {lines.map((line, index) => (
        <Fragment key={index}>
          {index > 0 && <br />}
          {line}
        </Fragment>
      ))}
    </>
  );
}
