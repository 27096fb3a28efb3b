// Introductions are free text of any length; the directory shows the start of each, cut at a word.
export function truncate(text: string, maxLength: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= maxLength) return clean;
  const cut = clean.slice(0, maxLength + 1);
  const lastSpace = cut.lastIndexOf(" ");
  // A single very long word is cut where it is rather than leaving nothing.
  const head = lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : clean.slice(0, maxLength);
  return `${head.replace(/[\s,;:.\u2013\u2014-]+$/, "")}\u2026`;
}

// Blank lines in an introduction separate paragraphs.
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean);
}

export function listOrNone(values: readonly string[]): string {
  return values.length > 0 ? values.join(", ") : "Not given";
}
