// CSV for downloads (network members, reports, audit) and the staff import.

/**
 * One CSV cell. A cell that a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
 * return that some programs strip first) gets a leading single quote, so a name like "=HYPERLINK(...)" stays text.
 * Cells with commas, quotes or line breaks are quoted as RFC 4180 says.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(",");
}
