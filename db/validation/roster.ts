import * as z from "zod";

import { SUPPORTER_STATUSES } from "@/db/schema";
import { addYears } from "@/lib/clock";
import { CONTACT_METHODS, LANGUAGES, SPECIALISMS } from "@/lib/vocabulary";

// Forms of the Equality Unit's roster pages. Each takes the force's `today`, because dates are checked against it.

export const ROSTER_PAGE_SIZE = 20;
export const REASON_MAX_LENGTH = 500;
export const CAPACITY_MIN = 1;
export const CAPACITY_MAX = 20;
export const DEFAULT_CAPACITY = 3;
/** Refresher training is due this many years after training (DESIGN.md: roster lifecycle). */
export const REFRESHER_YEARS = 2;

// ---------------------------------------------------------------------------------------------------------------
// The roster list's query string
// ---------------------------------------------------------------------------------------------------------------

const firstValue = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export const RosterQuery = z.object({
  status: z.preprocess(firstValue, z.enum(SUPPORTER_STATUSES).optional().catch(undefined)),
  q: z.preprocess(firstValue, z.string().trim().max(100).optional().catch(undefined)),
  page: z.preprocess(firstValue, z.coerce.number().int().min(1).max(100_000).catch(1).default(1)),
});
export type RosterQuery = z.infer<typeof RosterQuery>;

// Route parameters are opaque ids; anything else is simply not found.
export const SupporterIdParam = z.string().regex(/^[0-9a-f-]{36}$/i);

// ---------------------------------------------------------------------------------------------------------------
// GOV.UK date input: three fields per date, named "<name>-day", "<name>-month" and "<name>-year"
// ---------------------------------------------------------------------------------------------------------------

export type DateParts = { day: string; month: string; year: string };

export function datePartsOf(form: FormData, name: string): DateParts {
  const part = (p: string) => String(form.get(`${name}-${p}`) ?? "").trim();
  return { day: part("day"), month: part("month"), year: part("year") };
}

export function datePartsFromIso(iso: string | null | undefined): DateParts {
  if (!iso) return { day: "", month: "", year: "" };
  const [year = "", month = "", day = ""] = iso.split("-");
  return { day: String(Number(day)), month: String(Number(month)), year };
}

const isBlank = (p: DateParts) => !p.day && !p.month && !p.year;

/** The ISO date the parts make, or the GOV.UK error message for them (`label` starts the message). */
export function parseDateParts(parts: DateParts, label: string): { iso: string } | { error: string } {
  const missing = (["day", "month", "year"] as const).filter((k) => !parts[k]);
  if (missing.length === 3) return { error: `Enter ${label.toLowerCase()}` };
  if (missing.length > 0) return { error: `${label} must include a ${missing.join(" and a ")}` };
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) {
    return { error: `${label} must be a real date` };
  }
  const [day, month, year] = [Number(parts.day), Number(parts.month), Number(parts.year)];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { error: `${label} must be a real date` };
  }
  return { iso: date.toISOString().slice(0, 10) };
}

const DatePartsSchema = z.object({ day: z.string(), month: z.string(), year: z.string() });

// ---------------------------------------------------------------------------------------------------------------
// A supporter's profile (add and edit)
// ---------------------------------------------------------------------------------------------------------------

const listOf = <T extends readonly [string, ...string[]]>(values: T, error: string) =>
  z.array(z.enum(values, { error })).transform((list) => [...new Set(list)]);

// Each date is read in its own field, so its error shows alongside every other field's; how the two dates relate is
// checked by the rules across fields below.
const trainedOnField = (today: string) =>
  DatePartsSchema.transform((parts, ctx) => {
    const trained = parseDateParts(parts, "Training date");
    if ("error" in trained) {
      ctx.addIssue({ code: "custom", message: trained.error });
      return z.NEVER;
    }
    if (trained.iso > today) {
      ctx.addIssue({ code: "custom", message: "Training date must be today or in the past" });
      return z.NEVER;
    }
    return trained.iso;
  });

const optionalDateField = (label: string) =>
  DatePartsSchema.transform((parts, ctx): string | null => {
    if (isBlank(parts)) return null;
    const due = parseDateParts(parts, label);
    if ("error" in due) {
      ctx.addIssue({ code: "custom", message: due.error });
      return z.NEVER;
    }
    return due.iso;
  });

const profileFields = (today: string) => ({
  introduction: z.string().trim().max(1000, { error: "Introduction must be 1,000 characters or fewer" }),
  workingPattern: z.string().trim().max(200, { error: "Working pattern must be 200 characters or fewer" }),
  capacity: z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (!v) return DEFAULT_CAPACITY;
      const n = /^\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < CAPACITY_MIN || n > CAPACITY_MAX) {
        ctx.addIssue({ code: "custom", message: `Capacity must be a whole number from ${CAPACITY_MIN} to ${CAPACITY_MAX}` });
        return z.NEVER;
      }
      return n;
    }),
  specialisms: listOf(SPECIALISMS, "Choose specialisms from the list").refine((l) => l.length > 0, {
    error: "Choose at least one specialism",
  }),
  languages: listOf(LANGUAGES, "Choose languages from the list").refine((l) => l.length > 0, {
    error: "Choose at least one language",
  }),
  contactMethods: listOf(CONTACT_METHODS, "Choose ways to be contacted from the list").refine((l) => l.length > 0, {
    error: "Choose at least one way they can be contacted",
  }),
  trainedOn: trainedOnField(today),
  refresherDue: optionalDateField("Refresher due date"),
});

// Rules across fields. They run even when some field failed (`when`), so that every error on the page shows at once,
// and so they read the values defensively: a field that failed its own check has its error already.
// …but only on an object: anything else (no form at all) already has its one issue, and there are no fields to read.
const onAnObject = (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null;
const isText = (v: unknown): v is string => typeof v === "string";

type DatesValue = { trainedOn?: unknown; refresherDue?: unknown };

type RuleParams = { path: PropertyKey[]; message: string; when: (payload: { value: unknown }) => boolean };

// The refresher falls after the training date, two years after it when left blank.
const refresherAfterTraining = (v: DatesValue) => !(isText(v.trainedOn) && isText(v.refresherDue) && v.refresherDue <= v.trainedOn);
const REFRESHER_AFTER_TRAINING: RuleParams = {
  path: ["refresherDue"],
  message: "Refresher due date must be after the training date",
  when: onAnObject,
};

// A field that failed its own check holds what was sent, which can be any text: only a real ISO date has a due date.
const isIsoDate = (v: unknown): v is string => isText(v) && /^\d{4}-\d{2}-\d{2}$/.test(v);

function dueDate(v: DatesValue): string | null {
  if (!isIsoDate(v.trainedOn)) return null;
  if (isText(v.refresherDue)) return v.refresherDue > v.trainedOn ? v.refresherDue : null;
  return v.refresherDue === null ? addYears(v.trainedOn, REFRESHER_YEARS) : null;
}

// Someone about to be listed must not be overdue already: they would vanish from the directory at once.
const refresherNotPast = (today: string) => (v: DatesValue) => {
  const due = dueDate(v);
  return due === null || due >= today;
};
const REFRESHER_NOT_PAST: RuleParams = {
  path: ["refresherDue"],
  message: "Their refresher training is overdue. Enter a refresher due date that is today or later, or a more recent training date",
  when: onAnObject,
};

const withDefaultRefresher = <T extends { trainedOn: string; refresherDue: string | null }>(value: T) => ({
  ...value,
  refresherDue: value.refresherDue ?? addYears(value.trainedOn, REFRESHER_YEARS),
});

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function addSupporterSchema(today: string) {
  return z
    .object({
      staffId: z.string().trim().max(64),
      staff: z.string().trim().max(254, { error: "Enter their full email address, or choose them from the list" }),
      roleTitle: z.string().trim().max(120, { error: "Role or rank must be 120 characters or fewer" }),
      site: z.string().trim().max(100, { error: "Site must be 100 characters or fewer" }),
      ...profileFields(today),
    })
    // The picker's hidden id, or else a full email address (without JavaScript); whether that person exists and may be
    // added is the data access layer's answer.
    .refine((v) => !(isText(v.staffId) && !v.staffId && v.staff === ""), {
      path: ["staff"],
      message: "Enter their name and choose them from the list, or enter their full email address",
      when: onAnObject,
    })
    .refine((v) => !(isText(v.staffId) && !v.staffId && isText(v.staff) && v.staff !== "" && !EMAIL.test(v.staff)), {
      path: ["staff"],
      message: "Choose a member of staff from the list, or enter their full email address",
      when: onAnObject,
    })
    .refine(refresherAfterTraining, REFRESHER_AFTER_TRAINING)
    .refine(refresherNotPast(today), REFRESHER_NOT_PAST)
    .transform(withDefaultRefresher);
}
export type AddSupporterInput = z.output<ReturnType<typeof addSupporterSchema>>;

export function editSupporterSchema(today: string) {
  return z
    .object({
      roleTitle: z.string().trim().min(1, { error: "Enter their role or rank" }).max(120, { error: "Role or rank must be 120 characters or fewer" }),
      site: z.string().trim().min(1, { error: "Enter the site where they work" }).max(100, { error: "Site must be 100 characters or fewer" }),
      ...profileFields(today),
    })
    .refine(refresherAfterTraining, REFRESHER_AFTER_TRAINING)
    .transform(withDefaultRefresher);
}
export type EditSupporterInput = z.output<ReturnType<typeof editSupporterSchema>>;

/** The fields of the add and edit forms as posted, for the schemas above and to refill the form after an error. */
export function profileFormValues(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? "");
  const list = (name: string) => form.getAll(name).map(String);
  return {
    staffId: text("staffId"),
    staff: text("staff"),
    roleTitle: text("roleTitle"),
    site: text("site"),
    introduction: text("introduction"),
    workingPattern: text("workingPattern"),
    capacity: text("capacity"),
    specialisms: list("specialisms"),
    languages: list("languages"),
    contactMethods: list("contactMethods"),
    trainedOn: datePartsOf(form, "trainedOn"),
    refresherDue: datePartsOf(form, "refresherDue"),
  };
}
export type ProfileFormValues = ReturnType<typeof profileFormValues>;

// ---------------------------------------------------------------------------------------------------------------
// Changing a supporter's status
// ---------------------------------------------------------------------------------------------------------------

export function changeStatusSchema(today: string) {
  return z
    .object({
      status: z.enum(SUPPORTER_STATUSES, { error: "Choose their new status" }),
      reason: z
        .string()
        .trim()
        .min(1, { error: "Enter the reason for the change" })
        .max(REASON_MAX_LENGTH, { error: `Reason must be ${REASON_MAX_LENGTH} characters or fewer` }),
      refresherDue: optionalDateField("New refresher due date"),
    })
    .refine((v) => !(isText(v.refresherDue) && v.refresherDue <= today), {
      path: ["refresherDue"],
      message: "New refresher due date must be in the future",
      when: onAnObject,
    });
}
export type ChangeStatusInput = z.output<ReturnType<typeof changeStatusSchema>>;

export function statusFormValues(form: FormData) {
  return {
    status: String(form.get("status") ?? ""),
    reason: String(form.get("reason") ?? ""),
    refresherDue: datePartsOf(form, "refresherDue"),
  };
}
export type StatusFormValues = ReturnType<typeof statusFormValues>;
