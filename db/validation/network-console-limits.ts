// The coordinator console forms' limits.
// Kept apart from the zod schemas so that client components can import them without bringing zod (31 KB gzipped)
// into the browser.

export const REASON_MAX = 500;
export const ANNOUNCEMENT_TITLE_MAX = 120;
export const ANNOUNCEMENT_BODY_MAX = 5000;
