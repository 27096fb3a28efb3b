"use client";

import { useActionState } from "react";

import { saveTextSizeAction } from "@/app/account/actions";
import { Button } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems, fieldError } from "@/components/govuk/field";
import { NotificationBanner } from "@/components/govuk/notification-banner";
import { Radios } from "@/components/govuk/radios";
import type { TextSize } from "@/db/schema";

type Props = { current: TextSize };

// The worked example of a form: a server action through useActionState, which also works without JavaScript
// (the browser posts the form and the page comes back with the action's state).
export function TextSizeForm({ current }: Props) {
  const [state, action, pending] = useActionState(saveTextSizeAction, undefined);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const errors = errorSummaryItems(fieldErrors, ["textSize"]);
  // A refusal that is not the choice's fault (the database could not save) links to the question all the same.
  if (state && !state.ok && errors.length === 0) errors.push({ href: "#textSize", text: state.error });
  return (
    <form action={action} noValidate>
      <ErrorSummary errors={errors} />
      {state?.ok && <NotificationBanner type="success" heading="Your text size has been saved" />}
      <Radios
        name="textSize"
        legend={<h2 className="govuk-fieldset__heading">Text size</h2>}
        legendSize="m"
        hint="Your choice is saved to your account, so it applies wherever you sign in."
        error={fieldError(fieldErrors, "textSize")}
        defaultValue={current}
        items={[
          { value: "standard", text: "Standard" },
          { value: "large", text: "Large", hint: "Makes all text on Confide a quarter bigger" },
          { value: "larger", text: "Larger", hint: "Makes all text on Confide half as big again" },
        ]}
      />
      <Button type="submit" disabled={pending}>
        Save preferences
      </Button>
    </form>
  );
}
