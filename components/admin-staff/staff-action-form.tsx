"use client";

import { useActionState, type ReactNode } from "react";

import type { StaffActionState } from "@/app/admin/staff/actions";
import { Button } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";

type Props = {
  action: (prev: StaffActionState, form: FormData) => Promise<StaffActionState>;
  userId: string;
  /** The button's id, which the error summary links to: these forms have no other field. */
  id: string;
  label: string;
  variant?: "primary" | "secondary" | "warning";
  /** A link beside the button, such as "Cancel". */
  children?: ReactNode;
};

// One button that changes a staff record (mark as a leaver, reinstate, grant or revoke the Equality Unit role). It
// works without JavaScript: the browser posts the form and the page comes back with the error summary if the
// change was refused, or on the record with a success banner if it was made.
export function StaffActionForm({ action, userId, id, label, variant = "primary", children }: Props) {
  const [state, formAction, pending] = useActionState(action, undefined);
  return (
    <>
      <ErrorSummary key={state?.submission} errors={state ? [{ href: `#${id}`, text: state.error }] : []} />
      <form action={formAction}>
        <input type="hidden" name="userId" value={userId} />
        <div className="govuk-button-group">
          <Button id={id} variant={variant} disabled={pending}>
            {label}
          </Button>
          {children}
        </div>
      </form>
    </>
  );
}
