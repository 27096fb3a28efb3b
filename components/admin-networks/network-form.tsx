"use client";

import { useActionState } from "react";

import { createNetworkAction, updateNetworkAction } from "@/app/admin/networks/actions";
import { Button, ButtonGroup } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems, fieldError, type FieldErrors } from "@/components/govuk/field";
import { Radios } from "@/components/govuk/radios";
import { Textarea } from "@/components/govuk/textarea";
import { TextInput } from "@/components/govuk/text-input";
import {
  DESCRIPTION_MAX,
  HOW_TO_JOIN_MAX,
  NAME_MAX,
  NETWORK_FIELDS,
  OFFERS_MAX,
  SLUG_MAX,
  SUMMARY_MAX,
  WHO_FOR_MAX,
  type NetworkValues,
} from "@/db/validation/network-admin-limits";

type Props =
  | { mode: "create"; current: NetworkValues; cancelHref: string }
  | { mode: "edit"; networkId: string; current: NetworkValues; cancelHref: string };

const n = (value: number) => value.toLocaleString("en-GB");

// One form for creating and editing a network. Works without JavaScript: the browser posts the form and the page
// comes back with the action's state, showing what was sent and what needs fixing.
export function NetworkForm(props: Props) {
  const [state, action, pending] = useActionState(props.mode === "create" ? createNetworkAction : updateNetworkAction, undefined);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state?.values ?? props.current;
  const errors = errorSummaryItems(
    fieldErrors,
    NETWORK_FIELDS.map((field) => (field === "joinPolicy" ? { name: field, id: "joinPolicy" } : field)),
  );
  // A refusal that is no question's fault (the database could not save) links to the first question.
  if (state && !state.ok && errors.length === 0) errors.push({ href: "#name", text: state.error });
  return (
    <>
      <ErrorSummary errors={errors} />
      <h1 className="govuk-heading-l">{props.mode === "create" ? "Create a network" : "Edit network"}</h1>
      <form action={action} noValidate>
        {props.mode === "edit" && <input type="hidden" name="networkId" value={props.networkId} />}
        <TextInput
          id="name"
          label="Name"
          labelSize="m"
          hint={`For example, Women\u2019s Network. Up to ${NAME_MAX} characters.`}
          error={fieldError(fieldErrors, "name")}
          defaultValue={values.name}
          autoComplete="off"
        />
        <TextInput
          id="slug"
          label="Web address"
          labelSize="m"
          hint={`The end of the network\u2019s address, /networks/\u2026 Lower-case letters, numbers and hyphens only, for example womens-network. Up to ${SLUG_MAX} characters. Changing it breaks links people have saved.`}
          error={fieldError(fieldErrors, "slug")}
          defaultValue={values.slug}
          autoComplete="off"
          spellCheck={false}
          width="20"
        />
        <NetworkTextFields values={values} fieldErrors={fieldErrors} />
        <TextInput
          id="contactMailbox"
          label="Contact mailbox (optional)"
          labelSize="m"
          hint="A shared email address for the network, shown on its page. Not a person\u2019s own address."
          error={fieldError(fieldErrors, "contactMailbox")}
          defaultValue={values.contactMailbox}
          type="email"
          autoComplete="off"
          spellCheck={false}
        />
        <Radios
          name="joinPolicy"
          legend="How do people join?"
          legendSize="m"
          error={fieldError(fieldErrors, "joinPolicy")}
          defaultValue={values.joinPolicy}
          items={[
            { value: "open", text: "They join at once", hint: "Anyone can join straight away." },
            {
              value: "approval",
              text: "A coordinator approves each request",
              hint: "Choose this when the member list would reveal something sensitive, such as sexuality or health.",
            },
          ]}
        />
        <ButtonGroup>
          <Button disabled={pending}>{props.mode === "create" ? "Create network" : "Save changes"}</Button>
          <a className="govuk-link" href={props.cancelHref}>
            Cancel
          </a>
        </ButtonGroup>
      </form>
    </>
  );
}

// The page's text: the part of a network its coordinators may change too (components/network-console/network-page-form.tsx).
const TEXT_QUESTIONS = [
  { id: "summary", label: "Summary", rows: 3, hint: `One or two sentences for the list of networks. Up to ${SUMMARY_MAX} characters.` },
  { id: "description", label: "Description", rows: 8, hint: `What the network is and what it does. Up to ${n(DESCRIPTION_MAX)} characters.` },
  { id: "whoFor", label: "Who it is for", rows: 4, hint: `Up to ${n(WHO_FOR_MAX)} characters.` },
  { id: "howToJoin", label: "How to join", rows: 4, hint: `Up to ${n(HOW_TO_JOIN_MAX)} characters.` },
  {
    id: "offers",
    label: "What it offers (optional)",
    rows: 4,
    hint: `For example events, mentoring and peer support. Up to ${n(OFFERS_MAX)} characters.`,
  },
] as const;

export const NETWORK_TEXT_FIELDS = TEXT_QUESTIONS.map((question) => question.id);

type TextProps = {
  values: Pick<NetworkValues, (typeof NETWORK_TEXT_FIELDS)[number]>;
  fieldErrors: FieldErrors | undefined;
};

export function NetworkTextFields({ values, fieldErrors }: TextProps) {
  return TEXT_QUESTIONS.map((question) => (
    <Textarea
      key={question.id}
      id={question.id}
      label={question.label}
      labelSize="m"
      hint={question.hint}
      error={fieldError(fieldErrors, question.id)}
      defaultValue={values[question.id]}
      rows={question.rows}
      spellCheck
    />
  ));
}
