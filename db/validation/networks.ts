import * as z from "zod";

import { REQUEST_NOTE_MAX, VISIBILITIES } from "./networks-limits";

// Forms and route parameters of the staff-facing network pages (/networks, /networks/[slug], "Your networks" on
// /account). No schema here has a user id: whose membership changes is always the signed-in person, taken from
// the session, so a user id added to a form is dropped by the parser and never reaches the data access layer.

export const NETWORKS_PAGE_SIZE = 20;
export const MEMBERS_PAGE_SIZE = 50;
export const ANNOUNCEMENTS_PAGE_SIZE = 10;
// Far beyond any real list, and it keeps OFFSET small.
const MAX_PAGE = 10_000;

export { REQUEST_NOTE_MAX, VISIBILITIES, VISIBILITY_LABELS, type Visibility } from "./networks-limits";

// Lower-case words joined by hyphens, as the Equality Unit creates them; anything else cannot be a network.
export const NetworkSlug = z
  .string()
  .max(100)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);

export function parseSlug(value: unknown): string | null {
  const parsed = NetworkSlug.safeParse(value);
  return parsed.success ? parsed.data : null;
}

// A stale or tampered page number shows the first page rather than an error.
export const PageParam = z.coerce.number().int().min(1).max(MAX_PAGE).catch(1);

export function pageFrom(value: string | string[] | undefined): number {
  return PageParam.parse(Array.isArray(value) ? value[0] : value);
}

const VisibilityField = z.enum(VISIBILITIES, { error: "Choose whether other members can see you" });

export const JoinInput = z.object({
  slug: NetworkSlug,
  visibility: VisibilityField,
  // Only approval networks pass the note on; an open network ignores it.
  note: z
    .string()
    .trim()
    .max(REQUEST_NOTE_MAX, { error: `Your note must be ${REQUEST_NOTE_MAX} characters or fewer` })
    .optional()
    .transform((note) => (note ? note : null)),
});
export type JoinInput = z.output<typeof JoinInput>;

export const VisibilityInput = z.object({ slug: NetworkSlug, visibility: VisibilityField });
export type VisibilityInput = z.output<typeof VisibilityInput>;

export const LeaveInput = z.object({ slug: NetworkSlug });
export type LeaveInput = z.output<typeof LeaveInput>;
