import { Button, ButtonGroup } from "@/components/govuk/button";

type Props = { label: string; pending: boolean; cancelHref: string; variant?: "warning" };

/** A console form's button, and the way back to the console without sending it. */
export function SendOrCancel({ label, pending, cancelHref, variant }: Props) {
  return (
    <ButtonGroup>
      <Button variant={variant} disabled={pending}>
        {label}
      </Button>
      <a className="govuk-link" href={cancelHref}>
        Cancel
      </a>
    </ButtonGroup>
  );
}
