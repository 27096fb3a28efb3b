"use client";

import { useActionState } from "react";

import { sendFeedbackAction } from "@/app/feedback/actions";
import { Button } from "@/components/govuk/button";
import { Checkboxes } from "@/components/govuk/checkboxes";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems, fieldError } from "@/components/govuk/field";
import { Select } from "@/components/govuk/select";
import { CharacterCount } from "@/components/request-form/character-count";
import { FEEDBACK_MAX, FEEDBACK_TOPICS, type FeedbackValues } from "@/db/validation/feedback-limits";

const EMPTY: FeedbackValues = { topic: "", body: "", anonymous: false, volunteer: false };

// Works without JavaScript: the browser posts the form and the page comes back with the action's state, showing
// what was typed and what needs fixing. With JavaScript the character count is live.
export function FeedbackForm() {
  const [state, action, pending] = useActionState(sendFeedbackAction, undefined);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state?.values ?? EMPTY;
  // The two boxes are one question; an error about them (both ticked) links to the first box.
  const choicesError = fieldError(fieldErrors, "volunteer") ?? fieldError(fieldErrors, "anonymous");
  const errors = [...errorSummaryItems(fieldErrors, ["topic", "body"]), ...(choicesError ? [{ href: "#anonymous", text: choicesError }] : [])];
  // A refusal that is no question's fault (the database could not save) links to the feedback itself.
  if (state && !state.ok && errors.length === 0) errors.push({ href: "#body", text: state.error });
  return (
    <>
      <ErrorSummary errors={errors} />
      <form action={action} noValidate>
        <Select
          id="topic"
          label="What is your feedback about? (optional)"
          labelSize="m"
          error={fieldError(fieldErrors, "topic")}
          defaultValue={values.topic}
          items={[{ value: "", text: "Choose a topic" }, ...FEEDBACK_TOPICS]}
        />
        <CharacterCount
          id="body"
          label="Your feedback"
          labelSize="m"
          hint={"Tell us what works well, what does not, and what would make Confide better for you. Do not include other people\u2019s names."}
          error={fieldError(fieldErrors, "body")}
          defaultValue={values.body}
          maxLength={FEEDBACK_MAX}
        />
        <Checkboxes
          name="anonymous"
          legend="Your name"
          legendSize="m"
          hint="Your name and email address are sent with your feedback unless you send it anonymously."
          error={choicesError}
          defaultValues={[values.anonymous ? "anonymous" : "", values.volunteer ? "volunteer" : ""].filter(Boolean)}
          items={[
            {
              value: "anonymous",
              text: "Send anonymously",
              hint: "Your name is not kept with your feedback, so the Equality Unit cannot reply to you. If you want to stay anonymous, leave out details that would identify you.",
            },
            {
              value: "volunteer",
              name: "volunteer",
              text: "I\u2019d like to take part in focus groups",
              hint: "The Equality Unit will email you about focus groups on how to improve Confide. They need your name to do this, so you cannot volunteer anonymously.",
            },
          ]}
        />
        <Button disabled={pending}>Send feedback</Button>
      </form>
    </>
  );
}
