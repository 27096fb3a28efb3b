import type { TagColour } from "@/components/govuk/tag";
import type { SupporterStatus } from "@/db/queries/roster";

// Words and dates shared by the roster pages. Every status and due date is said in words; colour only repeats it.

// The same order as the schema's SUPPORTER_STATUSES, without importing the schema into client code.
export const ROSTER_STATUSES: readonly SupporterStatus[] = ["active", "paused", "lapsed", "retired"];

export const STATUS_LABELS: Record<SupporterStatus, string> = {
  active: "Active",
  paused: "Paused",
  lapsed: "Lapsed",
  retired: "Retired",
};

export const STATUS_COLOURS: Record<SupporterStatus, TagColour> = {
  active: "green",
  paused: "yellow",
  lapsed: "red",
  retired: "grey",
};

export const STATUS_HINTS: Record<SupporterStatus, string> = {
  active: "Listed in the directory and can be asked for support",
  paused: "Listed in the directory, but not taking new requests",
  lapsed: "Refresher training overdue: hidden from the directory, and cannot be sent new requests. Existing requests continue",
  retired: "No longer a supporter: hidden from the directory, and cannot be sent new requests. Existing requests continue",
};

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to`, both ISO dates. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** "12 January 2027": the roster always shows the year, since refreshers are years apart. */
export function formatLongDate(isoDate: string): string {
  return new Date(`${isoDate}T00:00:00Z`).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

export function formatDateTime(at: Date): string {
  return at.toLocaleString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    hour12: true,
    timeZone: "Europe/London",
  });
}

/** "Overdue", "Due today", "Due in 12 days" within the 60-day reminder window, otherwise nothing. */
export function refresherNote(refresherDue: string, today: string, windowDays = 60): string | null {
  const days = daysBetween(today, refresherDue);
  if (days < 0) return "Overdue";
  if (days === 0) return "Due today";
  if (days <= windowDays) return `Due in ${days} ${days === 1 ? "day" : "days"}`;
  return null;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
