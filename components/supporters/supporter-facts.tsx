import { SummaryList, type SummaryListRow } from "@/components/govuk/summary-list";
import type { SupporterSummary } from "@/db/queries/directory";
import { CONTACT_METHOD_LABELS } from "@/lib/vocabulary";
import { listOrNone } from "./text";

type Props = {
  supporter: SupporterSummary;
  /** Extra rows after the shared ones, for example the working pattern on the profile. */
  extraRows?: readonly SummaryListRow[];
  noBorder?: boolean;
};

// The same facts, in the same words and order, in the directory and on the profile.
export function SupporterFacts({ supporter, extraRows = [], noBorder = false }: Props) {
  return (
    <SummaryList
      noBorder={noBorder}
      rows={[
        { key: "Role or rank", value: supporter.roleTitle },
        { key: "Site", value: supporter.site },
        { key: "Specialisms", value: listOrNone(supporter.specialisms) },
        { key: "Languages", value: listOrNone(supporter.languages) },
        {
          key: "Contact methods",
          value: listOrNone(supporter.contactMethods.map((method) => CONTACT_METHOD_LABELS[method])),
        },
        ...extraRows,
      ]}
    />
  );
}
