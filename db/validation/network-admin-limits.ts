// The network administration form's limits and fields.
// Kept apart from the zod schemas so that client components can import them without bringing zod (31 KB gzipped)
// into the browser.

export const NAME_MAX = 100;
export const SLUG_MAX = 60;
export const SUMMARY_MAX = 300;
export const DESCRIPTION_MAX = 5000;
export const WHO_FOR_MAX = 1000;
export const HOW_TO_JOIN_MAX = 1000;
export const OFFERS_MAX = 2000;
export const MAILBOX_MAX = 254;

export const NETWORK_FIELDS = [
  "name",
  "slug",
  "summary",
  "description",
  "whoFor",
  "howToJoin",
  "offers",
  "contactMailbox",
  "joinPolicy",
] as const;
export type NetworkField = (typeof NETWORK_FIELDS)[number];
export type NetworkValues = Record<NetworkField, string>;
