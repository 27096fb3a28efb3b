"use client";

import Link from "next/link";
import { useActionState } from "react";

import { eraseAction, withdrawAction, type RequestFormState } from "@/app/requests/[id]/actions";
import { Button, ButtonGroup } from "@/components/govuk/button";
import { Checkboxes } from "@/components/govuk/checkboxes";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { fieldError } from "@/components/govuk/field";
import { WarningText } from "@/components/govuk/warning-text";

type Props = { requestId: string; supporterName: string; open: boolean };

function summary(state: RequestFormState, field: string | undefined, anchor: string) {
  if (!state) return [];
  const text = (field && fieldError(state.fieldErrors, field)) || state.error;
  return [{ href: `#${anchor}`, text }];
}

// The requester's two irreversible choices each get a page of their own, so that neither happens from a single
// click on the request page (and the confirmation works without JavaScript).

export function ConfirmWithdraw({ requestId, supporterName }: Omit<Props, "open">) {
  const [state, action, pending] = useActionState(withdrawAction, undefined);
  return (
    <>
      <ErrorSummary errors={summary(state, undefined, "withdraw")} />
      <h1 className="govuk-heading-l">Are you sure you want to withdraw your request?</h1>
      <p className="govuk-body">
        {supporterName} will be told that you have withdrawn it, and neither of you will be able to send more messages.
        You can still read the conversation here until it is erased.
      </p>
      <p className="govuk-body">You can ask another supporter, or ask again later.</p>
      <form action={action}>
        <input type="hidden" name="requestId" value={requestId} />
        <ButtonGroup>
          <Button id="withdraw" variant="warning" disabled={pending}>
            Withdraw request
          </Button>
          <Link className="govuk-link" href={`/requests/${requestId}`} prefetch={false}>
            No, keep my request
          </Link>
        </ButtonGroup>
      </form>
    </>
  );
}

export function ConfirmErase({ requestId, supporterName, open }: Props) {
  const [state, action, pending] = useActionState(eraseAction, undefined);
  return (
    <>
      <ErrorSummary errors={summary(state, "confirm", "confirm")} />
      <h1 className="govuk-heading-l">Erase your request now</h1>
      <WarningText>This permanently deletes your message and the conversation. It cannot be undone.</WarningText>
      <p className="govuk-body">
        {open
          ? `Your request will also be withdrawn, and ${supporterName} will be told that it has ended. They will not be able to read anything you or they wrote.`
          : `${supporterName} will not be able to read anything you or they wrote.`}
      </p>
      <p className="govuk-body">
        Only the facts used for anonymous reports are kept: what the request was about, its dates and its outcome.
      </p>
      <form action={action} noValidate>
        <input type="hidden" name="requestId" value={requestId} />
        <Checkboxes
          name="confirm"
          error={state ? (fieldError(state.fieldErrors, "confirm") ?? state.error) : undefined}
          items={[{ value: "yes", text: "I understand that my message and the conversation will be permanently deleted" }]}
        />
        <ButtonGroup>
          <Button variant="warning" disabled={pending}>
            Erase now
          </Button>
          <Link className="govuk-link" href={`/requests/${requestId}`} prefetch={false}>
            No, keep my request
          </Link>
        </ButtonGroup>
      </form>
    </>
  );
}
