import * as z from "zod";

import { FEEDBACK_MAX, FEEDBACK_TOPICS, type FeedbackTopic, type FeedbackValues } from "./feedback-limits";
import { normaliseLines } from "./text";

// Feedback to the Equality Unit (/feedback) and the Equality Unit's feedback list (/admin/feedback).

export { FEEDBACK_MAX, FEEDBACK_TOPICS, type FeedbackTopic, type FeedbackValues } from "./feedback-limits";
export const FEEDBACK_PAGE_SIZE = 20;

const TOPIC_VALUES = FEEDBACK_TOPICS.map((topic) => topic.value) as [FeedbackTopic, ...FeedbackTopic[]];

export function topicLabel(topic: FeedbackTopic | null): string {
  return FEEDBACK_TOPICS.find((item) => item.value === topic)?.text ?? "No topic given";
}

export const VOLUNTEER_NEEDS_NAME =
  "To take part in focus groups, send your feedback with your name: we need it to invite you. Untick \u2018Send anonymously\u2019 or \u2018I\u2019d like to take part in focus groups\u2019";

// A ticked checkbox sends its value; an unticked one sends nothing at all. Anything else is refused rather than
// read as "not ticked": a garbled "Send anonymously" must never turn into feedback with a name.
const checkbox = (value: string, error: string) =>
  z
    .literal(value, { error })
    .optional()
    .transform((sent) => sent === value);

export const FeedbackInput = z
  .object({
    // Optional: the first option of the list, "Choose a topic", sends an empty value.
    topic: z
      .string()
      .optional()
      .transform((value) => value ?? "")
      .pipe(z.enum(["", ...TOPIC_VALUES], { error: "Choose what your feedback is about from the list" }))
      .transform((value): FeedbackTopic | null => (value === "" ? null : value)),
    body: z
      .string({ error: "Enter your feedback" })
      .transform(normaliseLines)
      .pipe(
        z
          .string()
          .trim()
          .min(1, { error: "Enter your feedback" })
          .max(FEEDBACK_MAX, { error: `Your feedback must be ${FEEDBACK_MAX.toLocaleString("en-GB")} characters or fewer` }),
      ),
    anonymous: checkbox("anonymous", "Choose whether to send your feedback anonymously"),
    volunteer: checkbox("volunteer", "Choose whether you would like to take part in focus groups"),
  })
  // Volunteering needs a name to reply to, and anonymous feedback keeps none: both at once cannot be honoured.
  .superRefine((value, ctx) => {
    if (value.anonymous && value.volunteer) ctx.addIssue({ code: "custom", path: ["volunteer"], message: VOLUNTEER_NEEDS_NAME });
  });
export type FeedbackData = z.infer<typeof FeedbackInput>;

export const FEEDBACK_FIELDS = ["topic", "body", "anonymous", "volunteer"] as const;

export function feedbackValues(form: FormData): FeedbackValues {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  return { topic: text("topic"), body: text("body"), anonymous: text("anonymous") === "anonymous", volunteer: text("volunteer") === "volunteer" };
}

/** What a form posts: strings only, for safeParse (missing checkboxes stay missing). */
export function feedbackFormInput(form: FormData): Record<string, string> {
  const input: Record<string, string> = {};
  for (const field of FEEDBACK_FIELDS) {
    const value = form.get(field);
    if (typeof value === "string") input[field] = value;
  }
  return input;
}

export const FEEDBACK_STATUSES = ["new", "archived"] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

export const FeedbackListQuery = z.object({
  status: z.enum(FEEDBACK_STATUSES).catch("new"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  outcome: z.enum(["archived", "restored"]).optional().catch(undefined),
});

export const FeedbackArchiveInput = z.object({
  feedbackId: z.uuid(),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

/** A refused submission carries what was typed back to the form; a successful one redirects. */
export type FeedbackFormState =
  | { ok: false; error: string; fieldErrors?: Record<string, string[] | undefined>; values: FeedbackValues }
  | undefined;
