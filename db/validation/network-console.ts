import * as z from "zod";

import { NetworkInput } from "./network-admin";
import { ANNOUNCEMENT_BODY_MAX, ANNOUNCEMENT_TITLE_MAX, REASON_MAX } from "./network-console-limits";
import { normaliseLines } from "./text";

// Forms and route parameters of the coordinator console (/networks/[slug]/manage). The network and membership ids
// in these forms are only hints: the data access layer checks, in SQL, that the signed-in person coordinates that
// network and that the membership belongs to it.

export { ANNOUNCEMENT_BODY_MAX, ANNOUNCEMENT_TITLE_MAX, REASON_MAX } from "./network-console-limits";
export const CONSOLE_PAGE_SIZE = 25;

// Browsers send line breaks in a textarea as CRLF; counting them as one character matches what people see.

const opaqueId = z.uuid({ error: "This item is not available" });

export const NetworkSlugParam = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(60);
export const MembershipIdParam = z.uuid();
export const NetworkIdInput = z.uuid();

// A page number from the query string; anything odd means the first page.
export const PageParam = z.coerce.number().int().min(1).max(100_000).catch(1);

export const ConsoleQuery = z.object({
  page: PageParam,
  requests: PageParam,
  outcome: z.enum(["approved", "declined", "removed", "updated"]).optional().catch(undefined),
});
export type ConsoleQuery = z.infer<typeof ConsoleQuery>;

export const ApproveInput = z.object({
  networkId: opaqueId,
  membershipId: opaqueId,
});

const reason = (what: "declining this request" | "removing this member") =>
  z
    .string({ error: `Enter a reason for ${what}` })
    .transform(normaliseLines)
    .pipe(
      z
        .string()
        .trim()
        .min(1, { error: `Enter a reason for ${what}` })
        .max(REASON_MAX, { error: `The reason must be ${REASON_MAX} characters or fewer` }),
    );

export const DeclineInput = z.object({
  networkId: opaqueId,
  membershipId: opaqueId,
  reason: reason("declining this request"),
});

export const RemoveInput = z.object({
  networkId: opaqueId,
  membershipId: opaqueId,
  reason: reason("removing this member"),
});

export const AnnouncementInput = z.object({
  networkId: opaqueId,
  title: z
    .string({ error: "Enter a title" })
    .trim()
    .min(1, { error: "Enter a title" })
    .max(ANNOUNCEMENT_TITLE_MAX, { error: `The title must be ${ANNOUNCEMENT_TITLE_MAX} characters or fewer` }),
  body: z
    .string({ error: "Enter the announcement" })
    .transform(normaliseLines)
    .pipe(
      z
        .string()
        .trim()
        .min(1, { error: "Enter the announcement" })
        .max(ANNOUNCEMENT_BODY_MAX, { error: `The announcement must be ${ANNOUNCEMENT_BODY_MAX.toLocaleString("en-GB")} characters or fewer` }),
    ),
});
export type AnnouncementData = z.infer<typeof AnnouncementInput>;

// The network's page as its coordinators may change it: the Equality Unit's rules and messages for its text, one
// schema for both. The name and the web address are left out: staff know the network by its name, and links to
// its page use the address. So are the contact mailbox and how people join, which are not the page's text. All of
// those stay the Equality Unit's (/admin/networks); anything else posted is dropped here.
const NetworkPageText = NetworkInput.pick({ summary: true, description: true, whoFor: true, howToJoin: true, offers: true });
export const NETWORK_PAGE_FIELDS = NetworkPageText.keyof().options;
export const NetworkPageInput = NetworkPageText.extend({ networkId: opaqueId });
export type NetworkPageData = z.infer<typeof NetworkPageInput>;
export type NetworkPageValues = Record<(typeof NETWORK_PAGE_FIELDS)[number], string>;

export function networkPageValues(form: FormData): NetworkPageValues {
  return Object.fromEntries(NETWORK_PAGE_FIELDS.map((field) => [field, formText(form, field)])) as NetworkPageValues;
}

// What the person typed, so that a refused form can be shown again exactly as it was sent.
export type ReasonValues = { reason: string };
export type AnnouncementValues = { title: string; body: string };

/** A refused submission carries what was typed back to the form; a decision redirects when it succeeds. */
export type ConsoleFormState<V, T = undefined> =
  | ({ ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string[] | undefined> }) & {
      values?: V;
    }
  | undefined;

export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
