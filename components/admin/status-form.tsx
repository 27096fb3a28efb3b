"use client";

import Link from "next/link";
import { useActionState } from "react";

import { changeStatusAction, type StatusFormState } from "@/app/admin/supporters/[id]/actions";
import { Button, ButtonGroup } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems, fieldError } from "@/components/govuk/field";
import { Radios } from "@/components/govuk/radios";
import { Textarea } from "@/components/govuk/textarea";
import type { SupporterStatus } from "@/db/queries/roster";
import { DateInput } from "./date-input";
import { ROSTER_STATUSES, STATUS_HINTS, STATUS_LABELS } from "./roster-format";

type Props = {
  supporterId: string;
  currentStatus: SupporterStatus;
  /** Why a new refresher date may be needed, when it may; null hides the question. */
  refresherHint: string | null;
};

export function StatusForm({ supporterId, currentStatus, refresherHint }: Props) {
  const [state, action, pending] = useActionState<StatusFormState, FormData>(changeStatusAction, undefined);
  const values = state?.values;
  const fieldErrors = state?.fieldErrors;
  const errors = errorSummaryItems(fieldErrors, [{ name: "status", id: "status" }, "reason", "refresherDue"]);
  // A refusal that is no question's fault (the database could not save) links to the first question.
  if (state && errors.length === 0) errors.push({ href: "#status", text: state.error });
  const choices = ROSTER_STATUSES.filter((s) => s !== currentStatus);
  return (
    <form action={action} noValidate key={state?.submission ?? "status"}>
      <ErrorSummary errors={errors} />
      <input type="hidden" name="supporterId" value={supporterId} />
      <Radios
        name="status"
        legend="New status"
        legendSize="m"
        error={fieldError(fieldErrors, "status")}
        defaultValue={values?.status}
        items={choices.map((s) => ({ value: s, text: STATUS_LABELS[s], hint: STATUS_HINTS[s] }))}
      />
      <Textarea
        id="reason"
        label="Reason for the change"
        labelSize="m"
        hint="Kept in the roster history, which only the Equality Unit can see. 500 characters at most"
        error={fieldError(fieldErrors, "reason")}
        defaultValue={values?.reason}
        rows={4}
      />
      {(refresherHint || fieldError(fieldErrors, "refresherDue")) && (
        <DateInput
          id="refresherDue"
          legend="New refresher due date"
          legendSize="m"
          hint={refresherHint ?? "When their next refresher training is due. For example, 27 3 2028"}
          error={fieldError(fieldErrors, "refresherDue")}
          defaultValue={values?.refresherDue}
        />
      )}
      <ButtonGroup>
        <Button type="submit" disabled={pending}>
          Change status
        </Button>
        <Link className="govuk-link" href={`/admin/supporters/${supporterId}`} prefetch={false}>
          Cancel
        </Link>
      </ButtonGroup>
    </form>
  );
}
