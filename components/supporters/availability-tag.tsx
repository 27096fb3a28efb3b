import { Tag, type TagColour } from "@/components/govuk/tag";
import { escapeMarkup } from "@/components/markup";
import { availabilityLabel, type Availability } from "@/lib/availability";

const COLOURS: Record<Availability["kind"], TagColour> = {
  available: "green",
  paused: "grey",
  at_capacity: "orange",
};

// The badge always says in words what its colour means (WCAG 1.4.1), using the shared label so the directory, the
// profile and the supporter's own settings never disagree.
export function AvailabilityTag({ availability, today }: { availability: Availability; today: string }) {
  return <Tag colour={COLOURS[availability.kind]}>{availabilityLabel(availability, today)}</Tag>;
}

/** The same badge as markup, for the directory's cards (components/markup.ts). None of the colours is the default blue. */
export function availabilityTagMarkup(availability: Availability, today: string): string {
  return `<strong class='govuk-tag govuk-tag--${COLOURS[availability.kind]}'>${escapeMarkup(availabilityLabel(availability, today))}</strong>`;
}
