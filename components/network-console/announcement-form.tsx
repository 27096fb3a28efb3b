"use client";

import { useActionState } from "react";

import { announceAction } from "@/app/networks/[slug]/manage/actions";
import { Button } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems, fieldError } from "@/components/govuk/field";
import { NotificationBanner } from "@/components/govuk/notification-banner";
import { Textarea } from "@/components/govuk/textarea";
import { TextInput } from "@/components/govuk/text-input";
import { ANNOUNCEMENT_BODY_MAX, ANNOUNCEMENT_TITLE_MAX } from "@/db/validation/network-console-limits";
import { membersLabel } from "./format";

type Props = { networkId: string; networkName: string; recipients: number };

const FIELDS = ["title", "body"] as const;

export function AnnouncementForm({ networkId, networkName, recipients }: Props) {
  const [state, action, pending] = useActionState(announceAction, undefined);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;
  const errors = errorSummaryItems(fieldErrors, FIELDS);
  // A refusal that is no question's fault (the database could not save) links to the first question.
  if (state && !state.ok && errors.length === 0) errors.push({ href: "#title", text: state.error });
  return (
    <>
      <ErrorSummary errors={errors} />
      {state?.ok && <NotificationBanner type="success" heading={`Sent to ${membersLabel(state.data.recipients)}`} />}
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">{networkName}</span>
        Send an announcement
      </h1>
      <p className="govuk-body">
        It goes to {recipients === 0 ? "nobody yet: the network has no members" : `every member, ${membersLabel(recipients)} now`},
        silent members included. Each person gets their own notification in Confide and an email that says only that
        there is an update. Nobody can see who else received it.
      </p>
      {/* React empties the form after a send; after a refusal it refills it from what was sent. */}
      <form action={action} noValidate>
        <input type="hidden" name="networkId" value={networkId} />
        <TextInput
          id="title"
          label="Title"
          labelSize="m"
          hint={`Up to ${ANNOUNCEMENT_TITLE_MAX} characters.`}
          error={fieldError(fieldErrors, "title")}
          defaultValue={values?.title ?? ""}
          autoComplete="off"
          spellCheck
        />
        <Textarea
          id="body"
          label="Announcement"
          labelSize="m"
          hint={`Members read this in Confide, never in an email. Up to ${ANNOUNCEMENT_BODY_MAX.toLocaleString("en-GB")} characters.`}
          error={fieldError(fieldErrors, "body")}
          defaultValue={values?.body ?? ""}
          rows={10}
          spellCheck
        />
        <Button disabled={pending}>Send announcement</Button>
      </form>
    </>
  );
}
