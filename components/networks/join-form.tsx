"use client";

import { useActionState } from "react";

import { joinNetworkAction } from "@/app/networks/[slug]/actions";
import { Button } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems, fieldError } from "@/components/govuk/field";
import { Radios } from "@/components/govuk/radios";
import { Textarea } from "@/components/govuk/textarea";
import { REQUEST_NOTE_MAX, VISIBILITY_LABELS } from "@/db/validation/networks-limits";

type Props = {
  slug: string;
  joinPolicy: "open" | "approval";
  /** After a decline or a removal the button says "again". */
  again?: boolean;
};

// Only the network's slug and join policy come in: nothing about other members reaches the browser.
export function JoinForm({ slug, joinPolicy, again = false }: Props) {
  const [state, action, pending] = useActionState(joinNetworkAction, undefined);
  const failed = state && !state.ok ? state : undefined;
  const fieldErrors = failed?.fieldErrors;
  const errors = errorSummaryItems(fieldErrors, ["visibility", "note"]);
  if (failed && errors.length === 0) errors.push({ href: "#visibility", text: failed.error });
  const approval = joinPolicy === "approval";
  const label = approval ? (again ? "Ask again" : "Ask to join") : again ? "Join again" : "Join this network";

  return (
    <form action={action} noValidate>
      <ErrorSummary errors={errors} />
      <input type="hidden" name="slug" value={slug} />
      <Radios
        name="visibility"
        legend="Who can see that you are a member?"
        legendSize="s"
        hint="Silent is chosen for you unless you change it. You can change this at any time."
        error={fieldError(fieldErrors, "visibility")}
        defaultValue="silent"
        items={[
          { value: "silent", text: VISIBILITY_LABELS.silent },
          { value: "visible", text: VISIBILITY_LABELS.visible },
        ]}
      />
      {approval && (
        <Textarea
          id="note"
          label="Note to the coordinators (optional)"
          labelSize="s"
          hint={`Only this network\u2019s coordinators read it. You do not need to say why you want to join. Up to ${REQUEST_NOTE_MAX} characters.`}
          error={fieldError(fieldErrors, "note")}
          rows={4}
        />
      )}
      <Button type="submit" disabled={pending}>
        {label}
      </Button>
    </form>
  );
}
