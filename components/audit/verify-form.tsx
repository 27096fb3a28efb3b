"use client";

import { useActionState } from "react";

import { Button } from "@/components/govuk/button";
import type { ActionResult } from "@/lib/action-result";
import { VerifyResult, type VerifyOutcome } from "./verify-result";

export type VerifyState = ActionResult<VerifyOutcome> | undefined;

type Props = { action: (state: VerifyState, form: FormData) => Promise<VerifyState> };

// A form of its own, posted to the server action: without JavaScript the browser posts it and the page comes back
// with the result; with it, the button says that the check is running (it reads every event, which takes a while
// on a long log).
export function VerifyForm({ action }: Props) {
  const [state, formAction, pending] = useActionState(action, undefined);
  return (
    <>
      {state?.ok && <VerifyResult result={state.data} />}
      {state && !state.ok && (
        <div className="govuk-error-summary" role="alert" aria-labelledby="verify-problem-title">
          <h2 className="govuk-error-summary__title" id="verify-problem-title">
            The log could not be checked
          </h2>
          <div className="govuk-error-summary__body">
            <p className="govuk-body">{state.error}</p>
          </div>
        </div>
      )}
      <form action={formAction}>
        <Button variant="secondary" disabled={pending}>
          Verify the log
        </Button>
        <p className="govuk-body" role="status">
          {pending ? "Checking every event in the log. On a long log this can take a minute." : ""}
        </p>
      </form>
    </>
  );
}
