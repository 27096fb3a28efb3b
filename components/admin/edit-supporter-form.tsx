"use client";

import Link from "next/link";
import { useActionState } from "react";

import { updateSupporterAction } from "@/app/admin/supporters/[id]/actions";
import type { ProfileFormState } from "@/app/admin/supporters/new/actions";
import { Button, ButtonGroup } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems } from "@/components/govuk/field";
import type { ProfileFormValues } from "@/db/validation/roster";
import { PROFILE_FIELDS, SupporterProfileFields } from "./supporter-profile-fields";

type Props = { supporterId: string; initial: ProfileFormValues };

export function EditSupporterForm({ supporterId, initial }: Props) {
  const [state, action, pending] = useActionState<ProfileFormState, FormData>(updateSupporterAction, undefined);
  const values = state?.values ?? initial;
  const fieldErrors = state?.fieldErrors;
  const errors = errorSummaryItems(fieldErrors, PROFILE_FIELDS);
  // A refusal that is no question's fault (the database could not save) links to the first question.
  if (state && errors.length === 0) errors.push({ href: `#${PROFILE_FIELDS[0]}`, text: state.error });
  return (
    <form action={action} noValidate key={state?.submission ?? "edit"}>
      <ErrorSummary errors={errors} />
      <input type="hidden" name="supporterId" value={supporterId} />
      <SupporterProfileFields values={values} fieldErrors={fieldErrors} mode="edit" />
      <ButtonGroup>
        <Button type="submit" disabled={pending}>
          Save changes
        </Button>
        <Link className="govuk-link" href={`/admin/supporters/${supporterId}`} prefetch={false}>
          Cancel
        </Link>
      </ButtonGroup>
    </form>
  );
}
