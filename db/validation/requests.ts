import * as z from "zod";

import { MAX_EXCLUDED_PEOPLE, MESSAGE_MAX_LENGTH, SAFE_CONTACT_MAX_LENGTH } from "./requests-limits";
import { normaliseLines } from "./text";

import { CONTACT_METHODS, PROTECTED_CHARACTERISTICS, REQUEST_CATEGORIES, REQUEST_OUTCOMES } from "@/lib/vocabulary";

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const checkbox = z.preprocess((v) => v === "on" || v === "yes" || v === "true" || v === true, z.boolean());
// Free text from a textarea: line breaks normalised, trimmed, limited; `missing` makes it required.
const trimmed = (max: number, tooLong: string, missing?: string) =>
  z.preprocess(
    (value) => (typeof value === "string" ? normaliseLines(value) : value),
    missing ? z.string().trim().min(1, { error: missing }).max(max, { error: tooLong }) : z.string().trim().max(max, { error: tooLong }),
  );

export { EMPTY_REQUEST_FORM, MAX_EXCLUDED_PEOPLE, MESSAGE_MAX_LENGTH, SAFE_CONTACT_MAX_LENGTH } from "./requests-limits";

export const RequestId = z.uuid({ error: "Not a request" });


// A cross-field rule runs only when the fields it reads were valid themselves, but it runs even when other fields
// have errors, so the person sees every problem at once (zod skips refinements after any error by default).
const whenValid =
  (...fields: string[]) =>
  (payload: { issues: readonly { path?: readonly PropertyKey[] }[] }) =>
    // An issue without a path is the whole input (not even an object): then nothing can be compared.
    payload.issues.every((issue) => (issue.path?.length ?? 0) > 0 && !fields.includes(String(issue.path?.[0])));

export const CreateRequestInput = z
  .object({
    supporterId: z.uuid({ error: "Choose a supporter" }),
    category: z.enum(keys(REQUEST_CATEGORIES), { error: "Choose what your request is about" }),
    protectedCharacteristic: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.enum(keys(PROTECTED_CHARACTERISTICS), { error: "Choose a protected characteristic from the list" }).optional(),
    ),
    message: trimmed(MESSAGE_MAX_LENGTH, "Your message must be 5,000 characters or fewer", "Enter your message"),
    contactMethod: z.enum(CONTACT_METHODS, { error: "Choose how you would like to be contacted" }),
    safeContact: trimmed(SAFE_CONTACT_MAX_LENGTH, "Safe contact details must be 500 characters or fewer").default(""),
    anonymous: checkbox,
    preferOutsideDepartment: checkbox,
    excludedUserIds: z.array(z.uuid()).max(MAX_EXCLUDED_PEOPLE, { error: "You can name up to 10 people" }).default([]),
    acknowledgeLimits: z.literal(true, { error: "Confirm that you have read the limits of confidentiality" }),
  })
  .superRefine(
    (input, ctx) => {
      if (input.anonymous && input.contactMethod !== "in_app") {
        ctx.addIssue({
          code: "custom",
          path: ["contactMethod"],
          message: "If you stay anonymous, you can only be contacted by messages in Confide",
        });
      }
    },
    { when: whenValid("anonymous", "contactMethod") },
  )
  .superRefine(
    (input, ctx) => {
      if (input.contactMethod !== "in_app" && !input.anonymous && input.safeContact.length === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["safeContact"],
          message: "Enter how and when it is safe to contact you",
        });
      }
    },
    { when: whenValid("anonymous", "contactMethod", "safeContact") },
  )
  .superRefine(
    (input, ctx) => {
      if (input.protectedCharacteristic && input.category !== "discrimination") {
        ctx.addIssue({ code: "custom", path: ["protectedCharacteristic"], message: "Only choose a protected characteristic for discrimination" });
      }
    },
    { when: whenValid("category", "protectedCharacteristic") },
  );
export type CreateRequest = z.infer<typeof CreateRequestInput>;

// The request form as it was filled in, kept as typed so it can be shown again after an error (with or without
// JavaScript). Checkboxes post "yes".
export function requestFormValues(form: FormData) {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  return {
    supporterId: text("supporterId"),
    category: text("category"),
    protectedCharacteristic: text("protectedCharacteristic"),
    message: text("message"),
    contactMethod: text("contactMethod"),
    safeContact: text("safeContact"),
    anonymous: text("anonymous") === "yes",
    /** The people chosen with the staff picker (JavaScript), by user id. */
    excludedIds: form.getAll("excludedIds").filter((v): v is string => typeof v === "string" && v !== ""),
    /** What is still in the picker's box, and the id it chose if any. */
    excludedSearch: text("excludedSearch"),
    excludedSearchId: text("excludedSearchId"),
    /** Without JavaScript: email addresses, one a line. */
    excludedEmails: text("excludedEmails"),
    preferOutsideDepartment: text("preferOutsideDepartment") === "yes",
    acknowledgeLimits: text("acknowledgeLimits") === "yes",
  };
}
export type RequestFormValues = ReturnType<typeof requestFormValues>;

/**
 * The email addresses in the no-JavaScript box: one a line, though commas and semicolons also separate them, and
 * "Jo Smith <jo.smith@example.org>" (as pasted from an address book) counts as the address in brackets.
 */
export function excludedEmailList(text: string): string[] {
  const addresses = text
    .split(/[\n\r,;]+/)
    .map((part) => {
      const bracketed = /<([^<>]+)>/.exec(part);
      return (bracketed ? bracketed[1]! : part).trim();
    })
    .filter(Boolean);
  const once = new Map<string, string>();
  for (const address of addresses) if (!once.has(address.toLowerCase())) once.set(address.toLowerCase(), address);
  return [...once.values()];
}

export const EMAIL_PATTERN = /^[^\s@<>]+@[^\s@<>]+$/;

export const MessageInput = z.object({
  requestId: RequestId,
  body: trimmed(5000, "Your message must be 5,000 characters or fewer", "Enter a message"),
});

export const CloseInput = z.object({
  requestId: RequestId,
  outcome: z.enum(keys(REQUEST_OUTCOMES), { error: "Choose an outcome" }),
});

export const DeclineInput = z.object({
  requestId: RequestId,
  reason: trimmed(1000, "The reason must be 1,000 characters or fewer", "Enter a reason for the colleague"),
});

export const HandoverInput = z.object({
  requestId: RequestId,
  supporterId: z.uuid({ error: "Choose a supporter to hand over to" }),
});
