import type { TagColour } from "@/components/govuk/tag";
import type { RequestStatus } from "@/db/schema";

// Words and dates for confidential requests, shared by the requester's pages, the conversation and the inbox.
// Dates are the force's local (Europe/London) dates, formatted on the server.

export const STATUS_LABELS: Record<RequestStatus, string> = {
  new: "New",
  acknowledged: "Acknowledged",
  in_progress: "In progress",
  handover_pending: "Handover proposed",
  closed: "Closed",
  withdrawn: "Withdrawn",
  declined: "Declined",
};

// The tag's text always says the status; the colour only helps to scan a list.
export const STATUS_COLOURS: Record<RequestStatus, TagColour> = {
  new: "blue",
  acknowledged: "teal",
  in_progress: "purple",
  handover_pending: "yellow",
  closed: "grey",
  withdrawn: "grey",
  declined: "orange",
};

export const OPEN_STATUSES: readonly RequestStatus[] = ["new", "acknowledged", "in_progress", "handover_pending"];

export const isOpen = (status: RequestStatus): boolean => OPEN_STATUSES.includes(status);

const ZONE = "Europe/London";
const yearOf = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, year: "numeric" });
const dayMonth = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, day: "numeric", month: "long" });
const dayMonthYear = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, day: "numeric", month: "long", year: "numeric" });
const weekdayDayMonth = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, weekday: "long", day: "numeric", month: "long" });
const weekdayDayMonthYear = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, weekday: "long", day: "numeric", month: "long", year: "numeric" });
const time = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "numeric", minute: "2-digit", hour12: true });
const relative = new Intl.RelativeTimeFormat("en-GB", { numeric: "auto" });

const sameYear = (date: Date, now: Date) => yearOf.format(date) === yearOf.format(now);

/** "3 December", or "3 December 2025" when it is not this year. */
export function formatDay(date: Date, now: Date): string {
  return (sameYear(date, now) ? dayMonth : dayMonthYear).format(date);
}

/** "Tuesday 1 December" (with the year when it is not this year), for a deadline. */
export function formatDeadline(date: Date, now: Date): string {
  // en-GB puts a comma after the weekday; GOV.UK style has none.
  return (sameYear(date, now) ? weekdayDayMonth : weekdayDayMonthYear).format(date).replace(",", "");
}

/** "3 December 2026 at 2:15pm". */
export function formatDateTime(date: Date): string {
  return `${dayMonthYear.format(date)} at ${time.format(date).replace(/\s/g, "").toLowerCase()}`;
}

/** "2 days ago", "3 hours ago", "yesterday". */
export function formatAge(date: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000));
  if (seconds < 60) return "Just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return relative.format(-minutes, "minute");
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return relative.format(-hours, "hour");
  const days = Math.floor(hours / 24);
  const text = relative.format(-days, "day");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A request waiting for acknowledgement past its target. */
export const isOverdue = (status: RequestStatus, acknowledgeBy: Date, now: Date): boolean =>
  status === "new" && acknowledgeBy.getTime() < now.getTime();
