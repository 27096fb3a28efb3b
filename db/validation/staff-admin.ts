import * as z from "zod";

// Query strings and forms of the Equality Unit's staff records (/admin/staff). Only a fragment of a name or an email
// address typed by the Equality Unit, a filter and a page number ever go in the query string.

export const STAFF_PAGE_SIZE = 20;
export const STAFF_QUERY_MAX = 100;

export const STAFF_FILTERS = ["current", "leavers", "equality-unit", "all"] as const;
export type StaffFilter = (typeof STAFF_FILTERS)[number];

// A repeated parameter (?q=a&q=b) counts as its first value.
const firstValue = (value: unknown) => (Array.isArray(value) ? value[0] : value);

export const StaffListQuery = z.object({
  q: z.preprocess(firstValue, z.string().trim().max(STAFF_QUERY_MAX).optional().catch(undefined)),
  show: z.preprocess(firstValue, z.enum(STAFF_FILTERS).catch("current").default("current")),
  page: z.preprocess(firstValue, z.coerce.number().int().min(1).max(100_000).catch(1).default(1)),
});
export type StaffListQuery = z.infer<typeof StaffListQuery>;

// Staff ids are opaque UUIDs; anything else is simply not found.
export const StaffIdParam = z.string().regex(/^[0-9a-f-]{36}$/i);

export const STAFF_OUTCOMES = ["left", "reinstated", "granted", "revoked"] as const;
export type StaffOutcome = (typeof STAFF_OUTCOMES)[number];

// After marking a leaver, how many requesters were asked to choose another supporter: a count the Equality Unit
// already sees on the roster ("open now"), never anything about the leaver's own requests or networks.
export const StaffRecordQuery = z.object({
  done: z.preprocess(firstValue, z.enum(STAFF_OUTCOMES).optional().catch(undefined)),
  released: z.preprocess(firstValue, z.coerce.number().int().min(0).max(10_000).optional().catch(undefined)),
});
export type StaffRecordQuery = z.infer<typeof StaffRecordQuery>;

export const StaffActionInput = z.object({ userId: StaffIdParam });
