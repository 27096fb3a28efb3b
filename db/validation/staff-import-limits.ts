// The staff import form's limits.
// Kept apart from the zod schemas so that client components can import them without bringing zod (31 KB gzipped)
// into the browser.

/** The biggest file accepted: a whole force's staff list is a few megabytes. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_ROWS = 100_000;
