// The network forms' limits and labels.
// Kept apart from the zod schemas so that client components can import them without bringing zod (31 KB gzipped)
// into the browser.

export const REQUEST_NOTE_MAX = 500;

export const VISIBILITIES = ["silent", "visible"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const VISIBILITY_LABELS: Record<Visibility, string> = {
  silent: "Silent \u2013 only the coordinators know you are a member; you still get announcements",
  visible: "Visible \u2013 other members of this network can see you",
};
