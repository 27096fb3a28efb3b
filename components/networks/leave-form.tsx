"use client";

import { useActionState } from "react";

import { leaveNetworkAction } from "@/app/networks/[slug]/actions";
import { Button } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";

type Props = {
  slug: string;
  /** "Leave this network", "Withdraw request" or "Remove from your networks". */
  label: string;
  /** Completes the button's name for screen readers when several are on one page (on /account). */
  networkName?: string;
};

// Leaving deletes the membership at once, so the button is a warning button with plain words on it; there is
// nothing to undo, and joining again is always possible.
export function LeaveForm({ slug, label, networkName }: Props) {
  const [state, action, pending] = useActionState(leaveNetworkAction, undefined);
  const buttonId = `leave-${slug}`;
  const errors = state && !state.ok ? [{ href: `#${buttonId}`, text: state.error }] : [];
  return (
    <form action={action} noValidate>
      <ErrorSummary errors={errors} />
      <input type="hidden" name="slug" value={slug} />
      <Button type="submit" variant="warning" id={buttonId} disabled={pending}>
        {label}
        {networkName && <span className="govuk-visually-hidden">{` \u2013 ${networkName}`}</span>}
      </Button>
    </form>
  );
}
