import * as z from "zod";

import { MAX_FILE_BYTES, MAX_ROWS } from "./staff-import-limits";

import { CsvParseError, parseCsv } from "@/lib/csv";

// The staff records CSV import (/admin/staff/import): what the file may look like and what each row must hold.

export { MAX_FILE_BYTES, MAX_ROWS } from "./staff-import-limits";
export const FILE_NAME_MAX = 200;

export const EMAIL_MAX = 254;
export const NAME_MAX = 200;
export const JOB_TITLE_MAX = 100;
export const DEPARTMENT_MAX = 150;
export const SITE_MAX = 100;

/** Rejected rows kept for the report; beyond this the report says how many more there were. */
export const REJECTIONS_KEPT = 1_000;
export const IMPORT_PAGE_SIZE = 20;

export const STAFF_COLUMNS = ["email", "name", "jobTitle", "department", "site"] as const;
export type StaffColumn = (typeof STAFF_COLUMNS)[number];

/** How each column is named in messages and on the form. */
export const COLUMN_LABELS: Record<StaffColumn, string> = {
  email: "email",
  name: "name",
  jobTitle: "rank or grade",
  department: "department",
  site: "site",
};

// Header names as spreadsheets and HR exports spell them; compared after trimming, in lower case, with runs of
// spaces, hyphens and underscores read as one space.
const HEADER_NAMES: Record<string, StaffColumn> = {
  email: "email",
  "email address": "email",
  name: "name",
  "rank or grade": "jobTitle",
  rank: "jobTitle",
  grade: "jobTitle",
  "rank/grade": "jobTitle",
  department: "department",
  site: "site",
};

function headerKey(cell: string): string {
  return cell.trim().toLowerCase().replace(/[\s_-]+/g, " ");
}

export type HeaderResult = { ok: true; order: StaffColumn[] } | { ok: false; error: string };

/**
 * Reads the header row. The columns may come in any order, but each of the five must be there once and nothing
 * else may: a column we do not know could be data in the wrong place, so the whole file is refused.
 */
export function readHeader(cells: readonly string[]): HeaderResult {
  const order: StaffColumn[] = [];
  const expected = "The first row must name the columns: email, name, rank or grade, department, site";
  for (const [index, cell] of cells.entries()) {
    const key = headerKey(cell);
    if (key === "") return { ok: false, error: `Column ${index + 1} of the first row has no name. ${expected}` };
    const column = HEADER_NAMES[key];
    if (!column) {
      // The cell is the Equality Unit's own file, but a long or odd value would make a poor message: cap it.
      const shown = cell.trim().slice(0, 40).replace(/[\p{Cc}\p{Cf}]/gu, "");
      return { ok: false, error: `The first row has a column called \u201c${shown}\u201d that is not known. ${expected}` };
    }
    if (order.includes(column)) {
      return { ok: false, error: `The first row has the ${COLUMN_LABELS[column]} column more than once. ${expected}` };
    }
    order.push(column);
  }
  const missing = STAFF_COLUMNS.filter((column) => !order.includes(column));
  if (missing.length > 0) {
    const names = missing.map((column) => COLUMN_LABELS[column]).join(", ");
    return { ok: false, error: `The first row has no ${names} column. ${expected}` };
  }
  return { ok: true, order };
}

// Control characters (including line breaks and tabs) and invisible format characters have no place in a name,
// rank, department or site; they usually mean a field ran on into the next one.
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

function text(label: string, max: number, required: boolean) {
  const base = z
    .string()
    .trim()
    .max(max, { error: `The ${label} must be ${max.toLocaleString("en-GB")} characters or fewer` })
    .refine((value) => !CONTROL.test(value), { error: `The ${label} contains a line break or another control character` });
  return required
    ? base.refine((value) => value !== "", { error: `Enter the ${label}` })
    : base.transform((value) => (value === "" ? null : value));
}

export const StaffRow = z.object({
  email: z
    .string()
    .trim()
    .min(1, { error: "Enter the email address" })
    .max(EMAIL_MAX, { error: `The email address must be ${EMAIL_MAX} characters or fewer` })
    .pipe(z.email({ error: "The email address is not in the correct format, like name@example.org" }))
    .transform((value) => value.toLowerCase()),
  name: text("name", NAME_MAX, true),
  // Optional: an empty cell leaves what the record already holds (an HR export often lacks a value for some people).
  jobTitle: text("rank or grade", JOB_TITLE_MAX, false),
  department: text("department", DEPARTMENT_MAX, false),
  site: text("site", SITE_MAX, false),
});
export type StaffRowData = z.infer<typeof StaffRow>;

/** The first problem with a row, in words for the report (never the row's content). */
export function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? "The row could not be read";
}

export const ImportListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export const ImportIdParam = z.uuid();

// ---------------------------------------------------------------------------------------------------------------
// The uploaded file, before anything is written
// ---------------------------------------------------------------------------------------------------------------

export type UploadedFile = { name: string; size: number; bytes: Uint8Array };
/** A data row of the file: `row` is its number as a spreadsheet shows it (the header is row 1). */
export type StaffFileRow = { row: number; cells: string[] };
export type StaffFile = { fileName: string; order: StaffColumn[]; rows: StaffFileRow[] };
export type StaffFileResult = { ok: true; data: StaffFile } | { ok: false; error: string };

const MB = (MAX_FILE_BYTES / 1024 / 1024).toLocaleString("en-GB");

/** The name to show for the file: no folders, no control characters, not too long. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base.replace(/[\p{Cc}\p{Cf}]/gu, "").trim().slice(0, FILE_NAME_MAX);
  return cleaned === "" ? "staff.csv" : cleaned;
}

const isBlank = (cells: readonly string[]) => cells.every((cell) => cell.trim() === "");

/**
 * Checks the file as a whole: a CSV file, not empty, within the limits, UTF-8, well-formed, with a header row that
 * names the five columns. Any problem here refuses the whole file, so nothing is written. Rows are checked one by
 * one later, when they are applied. Blank lines are skipped but keep their row numbers.
 */
export function readStaffFile(file: UploadedFile): StaffFileResult {
  if (file.size === 0 && file.name === "") return { ok: false, error: "Select a CSV file" };
  if (!/\.csv$/i.test(file.name)) return { ok: false, error: "The selected file must be a CSV file" };
  if (file.size > MAX_FILE_BYTES || file.bytes.byteLength > MAX_FILE_BYTES) {
    return { ok: false, error: `The selected file must be smaller than ${MB} MB` };
  }
  if (file.bytes.byteLength === 0) return { ok: false, error: "The selected file is empty" };
  // A NUL byte never appears in text: this is a spreadsheet workbook or another binary file renamed to .csv.
  if (file.bytes.includes(0)) return { ok: false, error: "The selected file must be a CSV file" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(file.bytes);
  } catch {
    return {
      ok: false,
      error: "The selected file must be saved as UTF-8. In a spreadsheet, save it as \u201cCSV UTF-8 (comma delimited)\u201d",
    };
  }
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvParseError) {
      return { ok: false, error: `The selected file could not be read as CSV: ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}` };
    }
    throw error;
  }
  const [header, ...data] = records;
  if (!header || (isBlank(header) && data.every(isBlank))) return { ok: false, error: "The selected file is empty" };
  const read = readHeader(header);
  if (!read.ok) return { ok: false, error: read.error };
  const rows: StaffFileRow[] = [];
  for (const [index, cells] of data.entries()) {
    if (!isBlank(cells)) rows.push({ row: index + 2, cells });
  }
  if (rows.length === 0) return { ok: false, error: "The selected file has no staff records below the first row" };
  if (rows.length > MAX_ROWS) {
    return { ok: false, error: `The selected file must have ${MAX_ROWS.toLocaleString("en-GB")} staff records or fewer` };
  }
  return { ok: true, data: { fileName: cleanFileName(file.name), order: read.order, rows } };
}
