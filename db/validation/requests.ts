import * as z from "zod";

import { CONTACT_METHODS, PROTECTED_CHARACTERISTICS, REQUEST_CATEGORIES, REQUEST_OUTCOMES } from "@/lib/vocabulary";

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const checkbox = z.preprocess((v) => v === "on" || v === "yes" || v === "true" || v === true, z.boolean());
const trimmed = (max: number, tooLong: string) => z.string().trim().max(max, { error: tooLong });

export const RequestId = z.uuid({ error: "Not a request" });

export const CreateRequestInput = z
  .object({
    supporterId: z.uuid({ error: "Choose a supporter" }),
    category: z.enum(keys(REQUEST_CATEGORIES), { error: "Choose what your request is about" }),
    protectedCharacteristic: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.enum(keys(PROTECTED_CHARACTERISTICS), { error: "Choose a protected characteristic from the list" }).optional(),
    ),
    message: trimmed(5000, "Your message must be 5,000 characters or fewer").min(1, { error: "Enter your message" }),
    contactMethod: z.enum(CONTACT_METHODS, { error: "Choose how you would like to be contacted" }),
    safeContact: trimmed(500, "Safe contact details must be 500 characters or fewer").default(""),
    anonymous: checkbox,
    preferOutsideDepartment: checkbox,
    excludedUserIds: z.array(z.uuid()).max(10, { error: "You can name up to 10 people" }).default([]),
    acknowledgeLimits: z.literal(true, { error: "Confirm that you have read the limits of confidentiality" }),
  })
  .superRefine((input, ctx) => {
    if (input.anonymous && input.contactMethod !== "in_app") {
      ctx.addIssue({
        code: "custom",
        path: ["contactMethod"],
        message: "If you stay anonymous, you can only be contacted by messages in Confide",
      });
    }
    if (input.contactMethod !== "in_app" && !input.anonymous && input.safeContact.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["safeContact"],
        message: "Enter how and when it is safe to contact you",
      });
    }
    if (input.protectedCharacteristic && input.category !== "discrimination") {
      ctx.addIssue({ code: "custom", path: ["protectedCharacteristic"], message: "Only choose a protected characteristic for discrimination" });
    }
  });
export type CreateRequest = z.infer<typeof CreateRequestInput>;

export const MessageInput = z.object({
  requestId: RequestId,
  body: trimmed(5000, "Your message must be 5,000 characters or fewer").min(1, { error: "Enter a message" }),
});

export const CloseInput = z.object({
  requestId: RequestId,
  outcome: z.enum(keys(REQUEST_OUTCOMES), { error: "Choose an outcome" }),
});

export const DeclineInput = z.object({
  requestId: RequestId,
  reason: trimmed(1000, "The reason must be 1,000 characters or fewer").min(1, { error: "Enter a reason for the colleague" }),
});

export const HandoverInput = z.object({
  requestId: RequestId,
  supporterId: z.uuid({ error: "Choose a supporter to hand over to" }),
});
