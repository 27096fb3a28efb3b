import * as z from "zod";

import {
  DESCRIPTION_MAX,
  HOW_TO_JOIN_MAX,
  MAILBOX_MAX,
  NAME_MAX,
  NETWORK_FIELDS,
  OFFERS_MAX,
  SLUG_MAX,
  SUMMARY_MAX,
  WHO_FOR_MAX,
  type NetworkValues,
} from "./network-admin-limits";
import { normaliseLines } from "./text";

// Forms of the Equality Unit's network administration (/admin/networks).

export {
  DESCRIPTION_MAX,
  HOW_TO_JOIN_MAX,
  MAILBOX_MAX,
  NAME_MAX,
  NETWORK_FIELDS,
  OFFERS_MAX,
  SLUG_MAX,
  SUMMARY_MAX,
  WHO_FOR_MAX,
  type NetworkField,
  type NetworkValues,
} from "./network-admin-limits";
export const ADMIN_PAGE_SIZE = 20;

// Browsers send line breaks in a textarea as CRLF; counting them as one character matches what people see.

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function required(empty: string, max: number, tooLong: string, multiline = false) {
  const base = z.string({ error: empty });
  const checked = z.string().trim().min(1, { error: empty }).max(max, { error: tooLong });
  return multiline ? base.transform(normaliseLines).pipe(checked) : base.pipe(checked);
}

export const NetworkInput = z.object({
  name: required("Enter the network\u2019s name", NAME_MAX, `The name must be ${NAME_MAX} characters or fewer`),
  slug: z
    .string({ error: "Enter the web address" })
    .trim()
    .min(1, { error: "Enter the web address" })
    .max(SLUG_MAX, { error: `The web address must be ${SLUG_MAX} characters or fewer` })
    .regex(SLUG_PATTERN, {
      error: "The web address can only use lower-case letters, numbers and single hyphens between words, like womens-network",
    }),
  summary: required("Enter a short summary", SUMMARY_MAX, `The summary must be ${SUMMARY_MAX} characters or fewer`, true),
  description: required(
    "Enter a description",
    DESCRIPTION_MAX,
    `The description must be ${DESCRIPTION_MAX.toLocaleString("en-GB")} characters or fewer`,
    true,
  ),
  whoFor: required("Enter who the network is for", WHO_FOR_MAX, `Who it is for must be ${WHO_FOR_MAX.toLocaleString("en-GB")} characters or fewer`, true),
  howToJoin: required("Enter how to join", HOW_TO_JOIN_MAX, `How to join must be ${HOW_TO_JOIN_MAX.toLocaleString("en-GB")} characters or fewer`, true),
  offers: z
    .string()
    .default("")
    .transform(normaliseLines)
    .pipe(z.string().trim().max(OFFERS_MAX, { error: `What it offers must be ${OFFERS_MAX.toLocaleString("en-GB")} characters or fewer` })),
  contactMailbox: z
    .string()
    .default("")
    .pipe(
      z
        .string()
        .trim()
        .max(MAILBOX_MAX, { error: "Enter an email address in the correct format, like name@example.org" })
        .pipe(
          z.union([
            z.literal(""),
            z.email({ error: "Enter an email address in the correct format, like name@example.org" }),
          ]),
        ),
    )
    .transform((value) => (value === "" ? null : value.toLowerCase())),
  joinPolicy: z.enum(["open", "approval"], { error: "Choose how people join" }),
});
export type NetworkData = z.infer<typeof NetworkInput>;

export function networkValues(form: FormData): NetworkValues {
  const values = {} as NetworkValues;
  for (const field of NETWORK_FIELDS) {
    const value = form.get(field);
    values[field] = typeof value === "string" ? value : "";
  }
  return values;
}

export const NetworkIdInput = z.object({ networkId: z.uuid() });
export const NetworkIdParam = z.uuid();

export const CoordinatorRemoveInput = z.object({ networkId: z.uuid(), userId: z.uuid() });

export const AdminListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  outcome: z.enum(["created"]).optional().catch(undefined),
});

export const NetworkPageQuery = z.object({
  outcome: z
    .enum(["created", "updated", "archived", "restored", "coordinator-assigned", "coordinator-removed"])
    .optional()
    .catch(undefined),
});

/** A refused submission carries what was typed back to the form; a successful one redirects. */
export type AdminFormState<V> =
  | { ok: false; error: string; fieldErrors?: Record<string, string[] | undefined>; values?: V }
  | undefined;
