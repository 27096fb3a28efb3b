"use client";

import Link from "next/link";
import { useActionState } from "react";

import { updateProfileAction } from "@/app/inbox/profile/actions";
import { Button, ButtonGroup } from "@/components/govuk/button";
import { Checkboxes } from "@/components/govuk/checkboxes";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems, fieldError } from "@/components/govuk/field";
import { Textarea } from "@/components/govuk/textarea";
import { TextInput } from "@/components/govuk/text-input";
import type { ProfileValues } from "@/db/validation/supporter-self";
import { CONTACT_METHOD_LABELS, CONTACT_METHODS, LANGUAGES } from "@/lib/vocabulary";

type Props = {
  current: ProfileValues;
  specialisms: readonly string[];
  /** The validation's limits, for the hints. Passed in by the page: importing them here would bring the validation
   * module, and zod with it (about 30 KB), into the browser's JavaScript. */
  limits: { introductionMax: number; siteMax: number; workingPatternMax: number };
};

const FIELDS = ["introduction", "languages", "contactMethods", "site", "workingPattern"] as const;

export function ProfileForm({ current, specialisms, limits }: Props) {
  const [state, action, pending] = useActionState(updateProfileAction, undefined);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  // After a refused save the form shows what the person sent, not what is stored.
  const values = state && !state.ok && state.values ? state.values : current;
  const errors = errorSummaryItems(fieldErrors, FIELDS);
  // A refusal that is no question's fault (the database could not save) links to the first question.
  if (state && !state.ok && errors.length === 0) errors.push({ href: "#introduction", text: state.error });

  return (
    <>
      <ErrorSummary errors={errors} />
      <h1 className="govuk-heading-l">Change your profile</h1>
      <p className="govuk-body">Colleagues see this in the directory when they are choosing a supporter.</p>
      <form action={action} noValidate>
        <Textarea
          id="introduction"
          label="Introduction"
          labelSize="m"
          hint={`Tell colleagues about yourself and how you can help. Up to ${limits.introductionMax.toLocaleString("en-GB")} characters.`}
          error={fieldError(fieldErrors, "introduction")}
          defaultValue={values.introduction}
          rows={8}
          spellCheck
        />
        <Checkboxes
          name="languages"
          legend="Languages you can support people in"
          legendSize="m"
          hint="Select all that apply."
          error={fieldError(fieldErrors, "languages")}
          items={LANGUAGES.map((language) => ({ value: language, text: language }))}
          defaultValues={values.languages}
          small
        />
        <Checkboxes
          name="contactMethods"
          legend="How people can contact you"
          legendSize="m"
          hint="Select all that apply."
          error={fieldError(fieldErrors, "contactMethods")}
          items={CONTACT_METHODS.map((method) => ({ value: method, text: CONTACT_METHOD_LABELS[method] }))}
          defaultValues={values.contactMethods}
          small
        />
        <TextInput
          id="site"
          label="Site"
          labelSize="m"
          hint={`Where you usually work, for example Force HQ. Up to ${limits.siteMax} characters.`}
          error={fieldError(fieldErrors, "site")}
          defaultValue={values.site}
          width="two-thirds"
          autoComplete="off"
        />
        <TextInput
          id="workingPattern"
          label="Working pattern (optional)"
          labelSize="m"
          hint={`When people can usually reach you, for example Monday to Friday, 8am to 4pm. Up to ${limits.workingPatternMax} characters.`}
          error={fieldError(fieldErrors, "workingPattern")}
          defaultValue={values.workingPattern}
          autoComplete="off"
        />
        <h2 className="govuk-heading-m">Specialisms</h2>
        {specialisms.length > 0 ? (
          <ul className="govuk-list govuk-list--bullet" id="specialisms">
            {specialisms.map((specialism) => (
              <li key={specialism}>{specialism}</li>
            ))}
          </ul>
        ) : (
          <p className="govuk-body" id="specialisms">
            None recorded.
          </p>
        )}
        <p className="govuk-hint">
          The Equality Unit records your specialisms after your training. Contact them if these need to change.
        </p>
        <ButtonGroup>
          <Button disabled={pending}>Save changes</Button>
          <Link className="govuk-link" href="/inbox" prefetch={false}>
            Cancel
          </Link>
        </ButtonGroup>
      </form>
    </>
  );
}
