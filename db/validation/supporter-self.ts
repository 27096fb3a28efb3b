import * as z from "zod";

import { normaliseLines } from "./text";

import type { ActionResult } from "@/lib/action-result";
import { addYears } from "@/lib/clock";
import { CONTACT_METHODS, LANGUAGES } from "@/lib/vocabulary";

// Forms a supporter uses to change their own profile and availability (/inbox). The supporter's id is never a
// field here: the data access layer finds the supporter from the signed-in person.

export const INTRODUCTION_MAX = 1000;
export const SITE_MAX = 80;
export const WORKING_PATTERN_MAX = 200;
export const PAUSE_REASON_MAX = 200;
export const CAPACITY_MIN = 1;
export const CAPACITY_MAX = 20;

// What the person typed, as text, so that a form with errors can be shown again exactly as it was sent.
export type ProfileValues = {
  introduction: string;
  languages: string[];
  contactMethods: string[];
  site: string;
  workingPattern: string;
};

export type AvailabilityIntent = "pause" | "resume" | "capacity";

export type AvailabilityValues = {
  intent: string;
  pausedUntilDay: string;
  pausedUntilMonth: string;
  pausedUntilYear: string;
  pauseReason: string;
  capacity: string;
};

/** A failed submission carries what was typed back to the form; a successful one redirects. */
export type FormState<V> = (ActionResult & { values?: V }) | undefined;

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function texts(form: FormData, name: string): string[] {
  return form.getAll(name).filter((value): value is string => typeof value === "string");
}

// Browsers send line breaks in a textarea as CRLF; counting them as one character matches what people see.

export function profileValues(form: FormData): ProfileValues {
  return {
    introduction: normaliseLines(text(form, "introduction")),
    languages: texts(form, "languages"),
    contactMethods: texts(form, "contactMethods"),
    site: text(form, "site"),
    workingPattern: text(form, "workingPattern"),
  };
}

export function availabilityValues(form: FormData): AvailabilityValues {
  return {
    intent: text(form, "intent"),
    pausedUntilDay: text(form, "pausedUntilDay"),
    pausedUntilMonth: text(form, "pausedUntilMonth"),
    pausedUntilYear: text(form, "pausedUntilYear"),
    pauseReason: normaliseLines(text(form, "pauseReason")),
    capacity: text(form, "capacity"),
  };
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];

export const ProfileInput = z.object({
  introduction: z
    .string()
    .trim()
    .min(1, "Enter an introduction")
    .max(INTRODUCTION_MAX, `Introduction must be ${INTRODUCTION_MAX.toLocaleString("en-GB")} characters or fewer`),
  languages: z
    .array(z.enum(LANGUAGES, { error: "Select languages from the list" }))
    .min(1, "Select at least one language")
    .transform(unique),
  contactMethods: z
    .array(z.enum(CONTACT_METHODS, { error: "Select ways to contact you from the list" }))
    .min(1, "Select at least one way people can contact you")
    .transform(unique),
  site: z.string().trim().min(1, "Enter your site").max(SITE_MAX, `Site must be ${SITE_MAX} characters or fewer`),
  workingPattern: z
    .string()
    .trim()
    .max(WORKING_PATTERN_MAX, `Working pattern must be ${WORKING_PATTERN_MAX} characters or fewer`),
});
export type ProfileData = z.output<typeof ProfileInput>;

export const CapacityInput = z.object({
  capacity: z
    .string()
    .trim()
    .min(1, "Enter how many open requests you can take at a time")
    .regex(/^\d+$/, "Capacity must be a whole number, like 3")
    .transform(Number)
    .pipe(
      // Whole numbers only, by the pattern above; no .int() here, whose own message would win for huge numbers.
      z
        .number()
        .min(CAPACITY_MIN, `Capacity must be between ${CAPACITY_MIN} and ${CAPACITY_MAX}`)
        .max(CAPACITY_MAX, `Capacity must be between ${CAPACITY_MIN} and ${CAPACITY_MAX}`),
    ),
});
export type CapacityData = z.output<typeof CapacityInput>;

const DATE_PARTS = [
  { key: "day", label: "day" },
  { key: "month", label: "month" },
  { key: "year", label: "year" },
] as const;

// A real calendar date as YYYY-MM-DD, or null for 31/2, 0/1, 2027/13 and the like.
export function isoDateFrom(day: string, month: string, year: string): string | null {
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return null;
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

// The pause ends at the start of this date: "not taking requests until 3 March" means back on 3 March. It must
// be after today (a pause that has already ended is no pause) and at most a year ahead, so that nobody drops off
// the roster for good by accident; longer absences are for the Equality Unit to record.
function PausedUntil(today: string) {
  const latest = addYears(today, 1);
  return z
    .object({ day: z.string().trim(), month: z.string().trim(), year: z.string().trim() })
    .transform((value, ctx) => {
      const missing = DATE_PARTS.filter((part) => value[part.key] === "");
      if (missing.length === DATE_PARTS.length) {
        ctx.addIssue({ code: "custom", message: "Enter the date you will start taking requests again" });
        return z.NEVER;
      }
      if (missing.length > 0) {
        ctx.addIssue({ code: "custom", message: `The date must include a ${missing.map((part) => part.label).join(" and ")}` });
        return z.NEVER;
      }
      const until = isoDateFrom(value.day, value.month, value.year);
      if (!until) {
        ctx.addIssue({ code: "custom", message: "The date must be a real date" });
        return z.NEVER;
      }
      if (until <= today) {
        ctx.addIssue({ code: "custom", message: "The date must be in the future" });
        return z.NEVER;
      }
      if (until > latest) {
        ctx.addIssue({ code: "custom", message: "The date must be within a year of today" });
        return z.NEVER;
      }
      return until;
    });
}

// The date is one field of its own, so that a bad date and a bad reason are both reported at once.
export function PauseInput(today: string) {
  return z.object({
    pausedUntil: PausedUntil(today),
    pauseReason: z
      .string()
      .trim()
      .max(PAUSE_REASON_MAX, `Reason must be ${PAUSE_REASON_MAX} characters or fewer`)
      .transform((reason) => reason || null),
  });
}

export function pauseInputFrom(values: AvailabilityValues) {
  return {
    pausedUntil: { day: values.pausedUntilDay, month: values.pausedUntilMonth, year: values.pausedUntilYear },
    pauseReason: values.pauseReason,
  };
}

export type PauseData = z.output<ReturnType<typeof PauseInput>>;
