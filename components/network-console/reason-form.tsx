"use client";

import { useActionState, type ReactNode } from "react";

import { declineAction, removeAction } from "@/app/networks/[slug]/manage/actions";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems, fieldError } from "@/components/govuk/field";
import { Textarea } from "@/components/govuk/textarea";
import { REASON_MAX } from "@/db/validation/network-console-limits";
import { SendOrCancel } from "./send-or-cancel";

type Props = {
  kind: "decline" | "remove";
  networkId: string;
  membershipId: string;
  cancelHref: string;
  /** The page's h1 and what is being decided, shown below the error summary. */
  children: ReactNode;
};

const TEXT = {
  decline: { label: "Why are you declining this request?", button: "Decline request" },
  remove: { label: "Why are you removing this member?", button: "Remove from network" },
} as const;

// Declining and removing both need a reason, which the person can read in Confide. Works without JavaScript: the
// browser posts the form and the page comes back with the action's state.
export function ReasonForm({ kind, networkId, membershipId, cancelHref, children }: Props) {
  const [state, action, pending] = useActionState(kind === "decline" ? declineAction : removeAction, undefined);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const errors = errorSummaryItems(fieldErrors, ["reason"]);
  // A refusal that is not the reason's fault (the database could not save) links to the reason all the same.
  if (state && !state.ok && errors.length === 0) errors.push({ href: "#reason", text: state.error });
  const text = TEXT[kind];
  return (
    <>
      <ErrorSummary errors={errors} />
      {children}
      <form action={action} noValidate>
        <input type="hidden" name="networkId" value={networkId} />
        <input type="hidden" name="membershipId" value={membershipId} />
        <Textarea
          id="reason"
          label={text.label}
          labelSize="m"
          hint={`They will be able to read this in Confide. Up to ${REASON_MAX} characters.`}
          error={fieldError(fieldErrors, "reason")}
          defaultValue={state?.values?.reason ?? ""}
          rows={4}
          spellCheck
        />
        <SendOrCancel label={text.button} variant="warning" pending={pending} cancelHref={cancelHref} />
      </form>
    </>
  );
}
