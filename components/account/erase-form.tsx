"use client";

import { useActionState } from "react";

import { eraseMyDataAction } from "@/app/account/data-actions";
import { Button, ButtonGroup } from "@/components/govuk/button";
import { Checkboxes } from "@/components/govuk/checkboxes";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems, fieldError } from "@/components/govuk/field";

// The last step of erasing: one box to tick and a red button. Works without JavaScript (the browser posts the form
// and the page comes back with the action's state). The form holds no id: the action erases its sender's data.
export function EraseForm() {
  const [state, action, pending] = useActionState(eraseMyDataAction, undefined);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const errors = errorSummaryItems(fieldErrors, ["confirm"]);
  // A refusal that is no question's fault (the database could not save) links to the box.
  if (state && !state.ok && errors.length === 0) errors.push({ href: "#confirm", text: state.error });
  return (
    <>
      <ErrorSummary errors={errors} />
      <form action={action} noValidate>
        <Checkboxes
          name="confirm"
          error={fieldError(fieldErrors, "confirm")}
          items={[{ value: "yes", text: "I understand this cannot be undone" }]}
        />
        <ButtonGroup>
          <Button variant="warning" disabled={pending}>
            Erase my data
          </Button>
          <a className="govuk-link" href="/account">
            Cancel and go back to your account
          </a>
        </ButtonGroup>
      </form>
    </>
  );
}
