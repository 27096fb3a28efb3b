"use client";

import Link from "next/link";
import { useActionState } from "react";

import { availabilityAction } from "@/app/inbox/availability/actions";
import { Button, ButtonGroup } from "@/components/govuk/button";
import { ErrorSummary, type ErrorSummaryItem } from "@/components/govuk/error-summary";
import { fieldError } from "@/components/govuk/field";
import { Textarea } from "@/components/govuk/textarea";
import { TextInput } from "@/components/govuk/text-input";
import type { AvailabilityValues } from "@/db/validation/supporter-self";
import type { Availability } from "@/lib/availability";
import { AvailabilityTag } from "@/components/supporters/availability-tag";
import { DateInput, datePartId, type DatePart } from "./date-input";

type Props = {
  availability: Availability;
  today: string;
  status: "active" | "paused";
  pausedUntil: string | null;
  pauseReason: string | null;
  pausedUntilText: string | null;
  capacity: number;
  /** A date a few weeks ahead, for the date field's hint. */
  exampleDate: { day: number; month: number; year: number };
  /** The validation's limits, for the hints. Passed in by the page: importing them here would bring the validation
   * module, and zod with it (about 30 KB), into the browser's JavaScript. */
  limits: { capacityMin: number; capacityMax: number; pauseReasonMax: number };
};

const DATE_ID = "pausedUntil";

function dateParts(iso: string | null) {
  if (!iso) return { day: "", month: "", year: "" };
  const [year = "", month = "", day = ""] = iso.split("-");
  return { day: String(Number(day)), month: String(Number(month)), year };
}

// The parts of the date the person left empty, when they filled in some; otherwise the whole date is wrong.
function emptyParts(values: AvailabilityValues | undefined): DatePart[] {
  if (!values) return [];
  const parts: [DatePart, string][] = [
    ["day", values.pausedUntilDay],
    ["month", values.pausedUntilMonth],
    ["year", values.pausedUntilYear],
  ];
  const empty = parts.filter(([, value]) => value.trim() === "").map(([part]) => part);
  return empty.length < parts.length ? empty : [];
}

// Pause, resume and capacity are three forms with one action and one state (see the action), so the error
// summary at the top always describes the form that was just sent.
export function AvailabilityForms(props: Props) {
  const { availability, today, status, pausedUntil, pauseReason, pausedUntilText, capacity, exampleDate, limits } = props;
  const [state, action, pending] = useActionState(availabilityAction, undefined);
  const failed = state && !state.ok ? state : undefined;
  const fieldErrors = failed?.fieldErrors;
  const sent = failed?.values;

  const dateError = fieldError(fieldErrors, DATE_ID);
  const wrongParts = dateError ? emptyParts(sent) : [];
  const errors: ErrorSummaryItem[] = [];
  if (dateError) errors.push({ href: `#${datePartId(DATE_ID, wrongParts[0] ?? "day")}`, text: dateError });
  for (const name of ["pauseReason", "capacity"] as const) {
    const text = fieldError(fieldErrors, name);
    if (text) errors.push({ href: `#${name}`, text });
  }
  if (failed && errors.length === 0) errors.push({ href: "#current-availability", text: failed.error });

  // After a refused change the form that was sent shows what the person typed, not what is stored.
  const pauseValues =
    sent?.intent === "pause"
      ? { day: sent.pausedUntilDay, month: sent.pausedUntilMonth, year: sent.pausedUntilYear, reason: sent.pauseReason }
      : { ...dateParts(status === "paused" ? pausedUntil : null), reason: status === "paused" ? (pauseReason ?? "") : "" };
  const capacityValue = sent?.intent === "capacity" ? sent.capacity : String(capacity);
  const paused = availability.kind === "paused";

  return (
    <>
      <ErrorSummary errors={errors} />
      <h1 className="govuk-heading-l">Change your availability</h1>
      <p className="govuk-body" id="current-availability">
        In the directory you show as <AvailabilityTag availability={availability} today={today} />
      </p>

      {status === "paused" && (
        <section aria-labelledby="resume-heading">
          <h2 className="govuk-heading-m" id="resume-heading">
            Start taking requests again
          </h2>
          <p className="govuk-body">
            {pausedUntilText
              ? `You are not taking new requests until ${pausedUntilText}. You can start again now.`
              : "You are not taking new requests. You can start again now."}
          </p>
          <form action={action}>
            <input type="hidden" name="intent" value="resume" />
            <Button disabled={pending}>Resume taking requests</Button>
          </form>
        </section>
      )}

      <section aria-labelledby="pause-heading">
        <h2 className="govuk-heading-m" id="pause-heading">
          {status === "paused" ? "Change your pause" : "Pause new requests"}
        </h2>
        <p className="govuk-body">
          While you are paused, you are not shown as available and nobody can send you a new request. Requests you
          already have carry on as normal.
        </p>
        <form action={action} noValidate>
          <input type="hidden" name="intent" value="pause" />
          <DateInput
            id={DATE_ID}
            legend="When will you start taking requests again?"
            legendSize="s"
            hint={`You will be available again from this date. It must be within a year. For example, ${exampleDate.day} ${exampleDate.month} ${exampleDate.year}`}
            error={dateError}
            errorParts={wrongParts}
            defaultValues={pauseValues}
          />
          <Textarea
            id="pauseReason"
            label="Reason (optional)"
            labelSize="s"
            hint={`Only you and the Equality Unit can see this. It is never shown in the directory. Up to ${limits.pauseReasonMax} characters.`}
            error={fieldError(fieldErrors, "pauseReason")}
            defaultValue={pauseValues.reason}
            rows={3}
          />
          <Button disabled={pending} variant={paused ? "secondary" : "primary"}>
            {status === "paused" ? "Save pause" : "Pause new requests"}
          </Button>
        </form>
      </section>

      <section aria-labelledby="capacity-heading">
        <h2 className="govuk-heading-m" id="capacity-heading">
          Capacity
        </h2>
        <form action={action} noValidate>
          <input type="hidden" name="intent" value="capacity" />
          <TextInput
            id="capacity"
            label="How many open requests can you take at a time?"
            labelSize="s"
            hint={`A whole number from ${limits.capacityMin} to ${limits.capacityMax}. When you have this many open requests, you show as at capacity and nobody can send you a new one.`}
            error={fieldError(fieldErrors, "capacity")}
            defaultValue={capacityValue}
            inputMode="numeric"
            width="2"
            autoComplete="off"
          />
          <ButtonGroup>
            <Button disabled={pending} variant="secondary">
              Save capacity
            </Button>
            <Link className="govuk-link" href="/inbox" prefetch={false}>
              Back to your inbox
            </Link>
          </ButtonGroup>
        </form>
      </section>
    </>
  );
}
