"use client";

import { useActionState } from "react";

import { assignCoordinatorAction } from "@/app/admin/networks/actions";
import { Button } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems, fieldError } from "@/components/govuk/field";
import { StaffPicker } from "@/components/staff-picker";

// The picker posts the chosen person's opaque id (with JavaScript) or the full email address typed (without).
export function AssignCoordinatorForm({ networkId }: { networkId: string }) {
  const [state, action, pending] = useActionState(assignCoordinatorAction, undefined);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const errors = errorSummaryItems(fieldErrors, ["staff"]);
  // A refusal that is not the person's fault (the database could not save) links to the question all the same.
  if (state && !state.ok && errors.length === 0) errors.push({ href: "#staff", text: state.error });
  return (
    <>
      <ErrorSummary errors={errors} />
      <form action={action} noValidate>
        <input type="hidden" name="networkId" value={networkId} />
        <StaffPicker
          id="staff"
          staffIdName="staffId"
          label="Assign a coordinator"
          labelSize="s"
          error={fieldError(fieldErrors, "staff")}
          defaultValue={state?.values?.staff ?? ""}
          defaultStaffId={state?.values?.staffId ?? ""}
        />
        <Button variant="secondary" disabled={pending}>
          Assign coordinator
        </Button>
      </form>
    </>
  );
}
