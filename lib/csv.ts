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

/** A file that is not well-formed CSV. `row` counts records from 1 (the header), as a spreadsheet numbers rows. */
export class CsvParseError extends Error {
  constructor(
    message: string,
    readonly row: number,
  ) {
    super(message);
    this.name = "CsvParseError";
  }
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const CR = 13;
const LF = 10;

/**
 * Reads CSV text into records of fields, as RFC 4180 describes: fields separated by commas, records by CRLF, LF or a
 * lone CR; a field in double quotes may hold commas, line breaks and doubled quotes (""). A leading byte order mark
 * is dropped, and a line break at the very end does not start another record. An empty line is a record with one
 * empty field, so the caller decides what blank lines mean and row numbers stay those a spreadsheet shows.
 *
 * Spreadsheets write a stray quote inside an unquoted field (Jo "JJ" Smith) as it is, and read it back that way, so
 * it is kept as text. A quoted field that does not end, or has text after its closing quote, cannot be read
 * reliably (every later row would shift), so it throws CsvParseError for the whole file.
 */
export function parseCsv(input: string): string[][] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: string[][] = [];
  const length = text.length;
  let fields: string[] = [];
  let i = 0;
  if (length === 0) return records;
  for (;;) {
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      const row = records.length + 1;
      let parts = "";
      let start = i + 1;
      for (;;) {
        const close = text.indexOf('"', start);
        if (close === -1) throw new CsvParseError(`Row ${row} has a quotation mark that is never closed`, row);
        if (text.charCodeAt(close + 1) === QUOTE) {
          parts += text.slice(start, close + 1);
          start = close + 2;
          continue;
        }
        parts += text.slice(start, close);
        i = close + 1;
        break;
      }
      const next = text.charCodeAt(i);
      if (i < length && next !== COMMA && next !== CR && next !== LF) {
        throw new CsvParseError(`Row ${row} has text after a closing quotation mark`, row);
      }
      value = parts;
    } else {
      let end = i;
      while (end < length) {
        const c = text.charCodeAt(end);
        if (c === COMMA || c === CR || c === LF) break;
        end += 1;
      }
      value = text.slice(i, end);
      i = end;
    }
    fields.push(value);
    if (i >= length) {
      records.push(fields);
      return records;
    }
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i += 1;
      // A comma at the very end of the text still ends with one more (empty) field.
      if (i >= length) {
        fields.push("");
        records.push(fields);
        return records;
      }
      continue;
    }
    // A line break: CRLF counts as one.
    i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    records.push(fields);
    fields = [];
    if (i >= length) return records;
  }
}
