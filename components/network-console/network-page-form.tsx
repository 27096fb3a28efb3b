"use client";

import { useActionState } from "react";

import { updateNetworkPageAction } from "@/app/networks/[slug]/manage/actions";
import { NETWORK_TEXT_FIELDS, NetworkTextFields } from "@/components/admin-networks/network-form";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems } from "@/components/govuk/field";
import { InsetText } from "@/components/govuk/inset-text";
import type { NetworkPageValues } from "@/db/validation/network-console";
import { SendOrCancel } from "./send-or-cancel";

type Props = { networkId: string; networkName: string; current: NetworkPageValues; cancelHref: string };

// The network's page, as its coordinators may change it: the same questions as the Equality Unit's form, without
// the network's name, web address, contact mailbox and how people join. Works without JavaScript: the browser
// posts the form and the page comes back with the action's state, showing what was sent and what needs fixing.
export function NetworkPageForm({ networkId, networkName, current, cancelHref }: Props) {
  const [state, action, pending] = useActionState(updateNetworkPageAction, undefined);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const errors = errorSummaryItems(fieldErrors, NETWORK_TEXT_FIELDS);
  // A refusal that is no question's fault (the database could not save) links to the first question.
  if (state && !state.ok && errors.length === 0) errors.push({ href: "#summary", text: state.error });
  return (
    <>
      <ErrorSummary errors={errors} />
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">{networkName}</span>
        Edit the network&rsquo;s page
      </h1>
      <p className="govuk-body">Everyone in the force can read the network&rsquo;s page. Changes show as soon as you save them.</p>
      <InsetText>
        The name and web address stay as they are: staff know the network by its name, and links to its page use the
        address. To change the name, the web address, the contact mailbox or how people join, contact the Equality
        Unit.
      </InsetText>
      <form action={action} noValidate>
        <input type="hidden" name="networkId" value={networkId} />
        <NetworkTextFields values={state?.values ?? current} fieldErrors={fieldErrors} />
        <SendOrCancel label="Save changes" pending={pending} cancelHref={cancelHref} />
      </form>
    </>
  );
}
