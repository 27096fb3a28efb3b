import * as z from "zod";

import { CONTACT_METHODS, LANGUAGES, SPECIALISMS, type ContactMethod, type Language, type Specialism } from "@/lib/vocabulary";

// The supporter directory's URL query and route parameters. The query comes from a GET form, bookmarks and pasted
// links, so anything in it may be stale or tampered with: a value we do not recognise is dropped (and the page says
// so), never a crash.

export const DIRECTORY_PAGE_SIZE = 20;
export const SEARCH_MAX_LENGTH = 100;
// Far beyond any real roster (1,000 supporters is 50 pages), and it keeps OFFSET small.
const MAX_PAGE = 10_000;

export type DirectoryFilters = {
  /** Free text over name, site and specialism. */
  q?: string;
  specialism?: Specialism;
  site?: string;
  contactMethod?: ContactMethod;
  language?: Language;
  availableNow: boolean;
  notMyDepartment: boolean;
  page: number;
};

/** The names of the query parameters, shared by the form, the links and the parser. */
export const DIRECTORY_PARAMS = {
  q: "q",
  specialism: "specialism",
  site: "site",
  contactMethod: "contact",
  language: "language",
  availableNow: "available",
  notMyDepartment: "otherDepartments",
  page: "page",
} as const satisfies Record<keyof DirectoryFilters, string>;

export const CHECKBOX_ON = "yes";

export type SearchParams = Record<string, string | string[] | undefined>;

// A repeated parameter (?site=a&site=b) takes its first value; blanks (the "Any" option, an empty search box)
// mean "no filter".
function firstValue(value: unknown): unknown {
  const single = Array.isArray(value) ? value[0] : value;
  if (typeof single !== "string") return undefined;
  const trimmed = single.trim();
  return trimmed === "" ? undefined : trimmed;
}

const input = <T extends z.ZodType>(schema: T) => z.preprocess(firstValue, schema.optional());

export const DirectorySearch = z
  .string()
  .max(SEARCH_MAX_LENGTH, { error: `Search terms must be ${SEARCH_MAX_LENGTH} characters or fewer` });

const FIELDS = {
  q: input(DirectorySearch),
  specialism: input(z.enum(SPECIALISMS)),
  site: input(z.string().max(SEARCH_MAX_LENGTH)),
  contactMethod: input(z.enum(CONTACT_METHODS)),
  language: input(z.enum(LANGUAGES)),
  availableNow: input(z.literal(CHECKBOX_ON)),
  notMyDepartment: input(z.literal(CHECKBOX_ON)),
  page: input(z.coerce.number().int().min(1).max(MAX_PAGE)),
};

export type DirectoryQuery = {
  filters: DirectoryFilters;
  /** Shown on the field and in the error summary. */
  fieldErrors: { q?: string };
  /** Filters in the link that were not recognised and have been left out, by their labels. */
  ignored: string[];
};

const IGNORED_LABELS: Record<"specialism" | "site" | "contactMethod" | "language" | "availableNow" | "notMyDepartment", string> = {
  specialism: "specialism",
  site: "site",
  contactMethod: "contact method",
  language: "language",
  availableNow: "available now",
  notMyDepartment: "not in my department",
};

/**
 * Reads the directory's filters from the URL query. `sites` are the sites where supporters are listed: a site
 * filter must be one of them (the form offers only those), so a mistyped or stale site is dropped rather than
 * silently matching nobody behind a select that shows "Any site".
 */
export function parseDirectoryQuery(params: SearchParams, sites: readonly string[]): DirectoryQuery {
  const fieldErrors: DirectoryQuery["fieldErrors"] = {};
  const ignored: string[] = [];
  // A value that does not parse is left out and named; an absent one is simply no filter.
  function read<T>(key: keyof typeof IGNORED_LABELS, schema: z.ZodType<T>): T | undefined {
    const result = schema.safeParse(params[DIRECTORY_PARAMS[key]]);
    if (result.success) return result.data;
    ignored.push(IGNORED_LABELS[key]);
    return undefined;
  }

  const q = FIELDS.q.safeParse(params[DIRECTORY_PARAMS.q]);
  if (!q.success) fieldErrors.q = q.error.issues[0]?.message ?? "Enter fewer search terms";
  const specialism = read("specialism", FIELDS.specialism);
  let site = read("site", FIELDS.site);
  if (site !== undefined && !sites.includes(site)) {
    ignored.push(IGNORED_LABELS.site);
    site = undefined;
  }
  const contactMethod = read("contactMethod", FIELDS.contactMethod);
  const language = read("language", FIELDS.language);
  const availableNow = read("availableNow", FIELDS.availableNow) === CHECKBOX_ON;
  const notMyDepartment = read("notMyDepartment", FIELDS.notMyDepartment) === CHECKBOX_ON;
  // A page number that makes no sense is simply the first page.
  const page = FIELDS.page.safeParse(params[DIRECTORY_PARAMS.page]);

  const filters: DirectoryFilters = {
    ...(q.success && q.data !== undefined ? { q: q.data } : {}),
    ...(specialism !== undefined ? { specialism } : {}),
    ...(site !== undefined ? { site } : {}),
    ...(contactMethod !== undefined ? { contactMethod } : {}),
    ...(language !== undefined ? { language } : {}),
    availableNow,
    notMyDepartment,
    page: (page.success ? page.data : undefined) ?? 1,
  };
  return { filters, fieldErrors, ignored };
}

/** The query string for a set of filters, leaving out the ones not in use (for links and pagination). */
export function directoryQueryString(filters: Omit<DirectoryFilters, "page"> & { page?: number }): string {
  const search = new URLSearchParams();
  if (filters.q) search.set(DIRECTORY_PARAMS.q, filters.q);
  if (filters.specialism) search.set(DIRECTORY_PARAMS.specialism, filters.specialism);
  if (filters.site) search.set(DIRECTORY_PARAMS.site, filters.site);
  if (filters.contactMethod) search.set(DIRECTORY_PARAMS.contactMethod, filters.contactMethod);
  if (filters.language) search.set(DIRECTORY_PARAMS.language, filters.language);
  if (filters.availableNow) search.set(DIRECTORY_PARAMS.availableNow, CHECKBOX_ON);
  if (filters.notMyDepartment) search.set(DIRECTORY_PARAMS.notMyDepartment, CHECKBOX_ON);
  if (filters.page && filters.page > 1) search.set(DIRECTORY_PARAMS.page, String(filters.page));
  const query = search.toString();
  return query ? `?${query}` : "";
}

// Supporter ids are random UUIDs; anything else cannot be a supporter, and is the same 404 as an unknown one.
export const SupporterIdParam = z.guid();
