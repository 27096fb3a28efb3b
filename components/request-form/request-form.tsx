"use client";

import { useActionState, type ReactNode } from "react";

import { sendRequestAction, type RequestFormState } from "@/app/supporters/[id]/contact/actions";
import { Button } from "@/components/govuk/button";
import { Checkboxes } from "@/components/govuk/checkboxes";
import { ErrorMessage, cx, errorSummaryItems } from "@/components/govuk/field";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { Radios } from "@/components/govuk/radios";
import { Select } from "@/components/govuk/select";
import { Textarea } from "@/components/govuk/textarea";
import { EMPTY_REQUEST_FORM, MAX_EXCLUDED_PEOPLE, MESSAGE_MAX_LENGTH } from "@/db/validation/requests-limits";
import type { ContactMethod, ProtectedCharacteristic, RequestCategory } from "@/lib/vocabulary";
import { CharacterCount } from "./character-count";
import { EXCLUDED_FIELD_ID, ExcludedPeople } from "./excluded-people";

/** What the form shows about the supporter: nothing the requester could not see on their profile. */
export type RequestFormSupporter = {
  id: string;
  name: string;
  roleTitle: string;
  site: string;
  contactMethods: ContactMethod[];
  inViewersDepartment: boolean;
};

/** The labels of the form's choices. Passed in by the page: importing lib/vocabulary here would send every list in it
 * (specialisms, languages, outcomes) to the browser. */
export type RequestFormLabels = {
  categories: Record<RequestCategory, string>;
  characteristics: Record<ProtectedCharacteristic, string>;
  contactMethods: Record<ContactMethod, string>;
};

/** `limits` is <LimitsOfConfidentiality>, drawn by the page on the server: static text needs no JavaScript. */
type Props = { title: string; supporter: RequestFormSupporter; labels: RequestFormLabels; limits: ReactNode };

// The ids the error summary links to, in the order the questions appear. "supporterId" is the paragraph naming
// the supporter (a refusal is about them); "form" is the send button (the hourly limit).
const SUMMARY_FIELDS = [
  "supporterId",
  "category",
  "protectedCharacteristic",
  "message",
  "contactMethod",
  "safeContact",
  "anonymous",
  EXCLUDED_FIELD_ID,
  "preferOutsideDepartment",
  "acknowledgeLimits",
  { name: "form", id: "send-request" },
] as const;

const SEND_BUTTON_ID = "send-request";

// Asking a supporter for confidential contact. A server action through useActionState, so it works without
// JavaScript too; after a refusal the form is drawn again from what was posted (keyed by the submission), so
// nothing typed is lost. On success the action redirects to the confirmation page.
export function RequestForm({ title, supporter, labels, limits }: Props) {
  const [state, action, pending] = useActionState<RequestFormState, FormData>(sendRequestAction, undefined);
  const values = state?.values ?? EMPTY_REQUEST_FORM;
  // Every message for a field, so that (say) two unknown email addresses are both reported.
  const fieldErrors = Object.fromEntries(
    Object.entries(state?.fieldErrors ?? {}).map(([field, messages]) => [field, messages && messages.length > 0 ? [messages.join(". ")] : undefined]),
  );
  const error = (field: string) => fieldErrors[field]?.[0];
  const { name } = supporter;

  return (
    <form action={action} noValidate key={state?.submission ?? "new"}>
      <ErrorSummary errors={errorSummaryItems(fieldErrors, SUMMARY_FIELDS)} />
      <h1 className="govuk-heading-l">{title}</h1>
      <input type="hidden" name="supporterId" value={supporter.id} />

      <div className={cx("govuk-form-group", error("supporterId") && "govuk-form-group--error")} id="supporterId" tabIndex={-1}>
        <p className="govuk-body-l govuk-!-margin-bottom-2">You are asking {name} for confidential support.</p>
        <p className="govuk-body govuk-hint">
          {supporter.roleTitle}, {supporter.site}
        </p>
        {error("supporterId") && <ErrorMessage id="supporterId-error">{error("supporterId")}</ErrorMessage>}
      </div>

      <h2 className="govuk-heading-m">What will happen</h2>
      <ul className="govuk-list govuk-list--bullet">
        <li>
          {name} is told that there is a new request in Confide. The notification and the email say nothing about you
          or what your request is about.
        </li>
        <li>They will acknowledge your request within 2 working days, and you will get a notification when they do.</li>
        <li>You can choose to stay anonymous to {name}, and you can withdraw your request and erase it at any time.</li>
      </ul>

      <Radios
        name="category"
        legend="What is your request about?"
        legendSize="m"
        error={error("category")}
        defaultValue={values.category}
        items={Object.entries(labels.categories).map(([value, text]) =>
          value === "discrimination"
            ? {
                value,
                text,
                conditional: (
                  <Select
                    id="protectedCharacteristic"
                    label="Which protected characteristic is it about? (optional)"
                    hint="You do not have to say."
                    error={error("protectedCharacteristic")}
                    defaultValue={values.protectedCharacteristic}
                    items={[
                      { value: "", text: "Prefer not to say" },
                      ...Object.entries(labels.characteristics).map(([v, t]) => ({ value: v, text: t })),
                    ]}
                  />
                ),
              }
            : { value, text },
        )}
      />

      <CharacterCount
        id="message"
        label="Your message"
        labelSize="m"
        hint={`Say briefly what is happening and what help you would like. You can tell ${name} more once you are talking.`}
        error={error("message")}
        defaultValue={values.message}
        maxLength={MESSAGE_MAX_LENGTH}
      />

      <Radios
        name="contactMethod"
        legend="How would you like to be contacted?"
        legendSize="m"
        hint={`These are the ways ${name} offers.`}
        error={error("contactMethod")}
        defaultValue={values.contactMethod}
        items={supporter.contactMethods.map((method) => ({ value: method, text: labels.contactMethods[method] }))}
      />

      <Textarea
        id="safeContact"
        label="When and how is it safe to contact you?"
        labelSize="m"
        hint="For example, personal mobile after 6pm, not at work. You do not need to fill this in if you chose messages in Confide."
        error={error("safeContact")}
        defaultValue={values.safeContact}
        rows={3}
      />

      <Checkboxes
        name="anonymous"
        legend="Anonymity"
        legendSize="m"
        error={error("anonymous")}
        defaultValues={values.anonymous ? ["yes"] : []}
        items={[
          {
            value: "yes",
            text: `Stay anonymous to ${name}`,
            hint: "They will see \u201cAnonymous colleague\u201d instead of your name, and you can only talk through messages in Confide.",
          },
        ]}
      />

      <ExcludedPeople
        max={MAX_EXCLUDED_PEOPLE}
        error={error(EXCLUDED_FIELD_ID)}
        defaultPeople={state?.excluded ?? []}
        defaultSearch={values.excludedSearch}
        defaultEmails={values.excludedEmails}
      />

      <Checkboxes
        name="preferOutsideDepartment"
        error={error("preferOutsideDepartment")}
        defaultValues={values.preferOutsideDepartment ? ["yes"] : []}
        items={[
          {
            value: "yes",
            text: "Prefer someone outside my department",
            hint: supporter.inViewersDepartment
              ? `${name} works in your department, so you cannot ask them if you choose this. Your request will not be passed to a supporter in your department, for example if it is handed over.`
              : "Your request will not be passed to a supporter in your department, for example if it is handed over.",
          },
        ]}
      />

      {limits}
      <Checkboxes
        name="acknowledgeLimits"
        error={error("acknowledgeLimits")}
        defaultValues={values.acknowledgeLimits ? ["yes"] : []}
        items={[{ value: "yes", text: "I have read and understand the limits of confidentiality" }]}
      />

      {error("form") && <ErrorMessage id="form-error">{error("form")}</ErrorMessage>}
      <Button type="submit" id={SEND_BUTTON_ID} disabled={pending}>
        Send request
      </Button>
    </form>
  );
}
