import { formatDate } from "./clock";

// Whether a listed supporter can take a new request today. Shared by the directory, the profile, the supporter's
// own settings, roster health and (later) the request form, so the badge and the rule can never disagree.

export type Availability = { kind: "available" } | { kind: "paused"; until: string | null } | { kind: "at_capacity" };

export type AvailabilityInput = {
  status: "active" | "paused" | "lapsed" | "retired";
  pausedUntil: string | null;
  capacity: number;
  openRequests: number;
};

// A pause ends at the start of its end date ("not taking requests until 3 March" means back on 3 March), even
// before the hourly maintenance has set the status back to active.
export function availabilityOf(s: AvailabilityInput, today: string): Availability {
  if (s.status === "paused" && (s.pausedUntil === null || s.pausedUntil > today)) {
    return { kind: "paused", until: s.pausedUntil };
  }
  if (s.openRequests >= s.capacity) return { kind: "at_capacity" };
  return { kind: "available" };
}

export function availabilityLabel(a: Availability, today: string): string {
  switch (a.kind) {
    case "available":
      return "Available";
    case "at_capacity":
      return "At capacity";
    case "paused":
      return a.until ? `Not taking requests until ${formatDate(a.until, today)}` : "Not taking requests at the moment";
  }
}
