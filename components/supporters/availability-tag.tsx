import { Tag, type TagColour } from "@/components/govuk/tag";
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
