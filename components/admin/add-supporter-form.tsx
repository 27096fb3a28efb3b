"use client";

import Link from "next/link";
import { useActionState } from "react";

import { addSupporterAction, type ProfileFormState } from "@/app/admin/supporters/new/actions";
import { StaffPicker } from "@/components/staff-picker";
import { Button, ButtonGroup } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems, fieldError } from "@/components/govuk/field";
import type { ProfileFormValues } from "@/db/validation/roster";
import { PROFILE_FIELDS, SupporterProfileFields } from "./supporter-profile-fields";

const EMPTY: ProfileFormValues = {
  staffId: "",
  staff: "",
  roleTitle: "",
  site: "",
  introduction: "",
  workingPattern: "",
  capacity: "3",
  specialisms: [],
  languages: ["English"],
  contactMethods: ["in_app"],
  trainedOn: { day: "", month: "", year: "" },
  refresherDue: { day: "", month: "", year: "" },
};

export function AddSupporterForm() {
  const [state, action, pending] = useActionState<ProfileFormState, FormData>(addSupporterAction, undefined);
  const values = state?.values ?? EMPTY;
  const fieldErrors = state?.fieldErrors;
  const errors = errorSummaryItems(fieldErrors, ["staff", ...PROFILE_FIELDS]);
  // A refusal that is no question's fault (the database could not save) links to the first question.
  if (state && errors.length === 0) errors.push({ href: "#staff", text: state.error });
  return (
    // Keyed by submission, so the fields are drawn again with what was posted rather than reset by React.
    <form action={action} noValidate key={state?.submission ?? "new"}>
      <ErrorSummary errors={errors} />
      <StaffPicker
        id="staff"
        label="Member of staff"
        labelSize="m"
        error={fieldError(fieldErrors, "staff")}
        defaultValue={values.staff}
        defaultStaffId={values.staffId}
      />
      <SupporterProfileFields values={values} fieldErrors={fieldErrors} mode="add" />
      <ButtonGroup>
        <Button type="submit" disabled={pending}>
          Add to the roster
        </Button>
        <Link className="govuk-link" href="/admin/supporters" prefetch={false}>
          Cancel
        </Link>
      </ButtonGroup>
    </form>
  );
}
