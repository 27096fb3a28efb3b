"use client";

import { useActionState } from "react";

import { setVisibilityAction } from "@/app/networks/[slug]/actions";
import { Button } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { errorSummaryItems, fieldError } from "@/components/govuk/field";
import { NotificationBanner } from "@/components/govuk/notification-banner";
import { Radios } from "@/components/govuk/radios";
import { VISIBILITY_LABELS, type Visibility } from "@/db/validation/networks-limits";

type Props = { slug: string; current: Visibility };

export function VisibilityForm({ slug, current }: Props) {
  const [state, action, pending] = useActionState(setVisibilityAction, undefined);
  const failed = state && !state.ok ? state : undefined;
  const errors = errorSummaryItems(failed?.fieldErrors, ["visibility"]);
  if (failed && errors.length === 0) errors.push({ href: "#visibility", text: failed.error });

  return (
    <form action={action} noValidate>
      <ErrorSummary errors={errors} />
      {state?.ok && (
        <NotificationBanner type="success" titleId="visibility-saved-title" heading="Your choice has been saved" />
      )}
      <input type="hidden" name="slug" value={slug} />
      <Radios
        name="visibility"
        legend="Change who can see that you are a member"
        legendSize="s"
        error={fieldError(failed?.fieldErrors, "visibility")}
        // The key makes the radios follow the saved value after a change, rather than keep their first default.
        key={current}
        defaultValue={current}
        items={[
          { value: "silent", text: VISIBILITY_LABELS.silent },
          { value: "visible", text: VISIBILITY_LABELS.visible },
        ]}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        Save who can see me
      </Button>
    </form>
  );
}
