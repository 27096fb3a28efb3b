import { SummaryList, type SummaryListRow } from "@/components/govuk/summary-list";
import type { MarkupRow } from "@/components/markup";
import type { SupporterSummary } from "@/db/queries/directory";
import { CONTACT_METHOD_LABELS } from "@/lib/vocabulary";
import { listOrNone } from "./text";

type Props = {
  supporter: SupporterSummary;
  /** Extra rows after the shared ones, for example the working pattern on the profile. */
  extraRows?: readonly SummaryListRow[];
};

// The same facts, in the same words and order, in the directory's cards (as markup) and on the profile.
export function supporterFactRows(supporter: SupporterSummary): MarkupRow[] {
  return [
    { key: "Role or rank", value: supporter.roleTitle },
    { key: "Site", value: supporter.site },
    { key: "Specialisms", value: listOrNone(supporter.specialisms) },
    { key: "Languages", value: listOrNone(supporter.languages) },
    { key: "Contact methods", value: listOrNone(supporter.contactMethods.map((method) => CONTACT_METHOD_LABELS[method])) },
  ];
}

export function SupporterFacts({ supporter, extraRows = [] }: Props) {
  return <SummaryList rows={[...supporterFactRows(supporter), ...extraRows]} />;
}
