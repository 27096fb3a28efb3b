// The feedback form's limit, topics and values.
// Kept apart from the zod schemas so that client components can import them without bringing zod (31 KB gzipped)
// into the browser.

export const FEEDBACK_MAX = 2000;

export const FEEDBACK_TOPICS = [
  { value: "finding-support", text: "Finding support" },
  { value: "asking-for-support", text: "Asking for support" },
  { value: "networks", text: "Networks" },
  { value: "accessibility", text: "Accessibility" },
  { value: "something-else", text: "Something else" },
] as const;
export type FeedbackTopic = (typeof FEEDBACK_TOPICS)[number]["value"];

export type FeedbackValues = { topic: string; body: string; anonymous: boolean; volunteer: boolean };
