import Link from "next/link";

import { directoryQueryString, type DirectoryFilters } from "@/db/validation/directory";
import { CONTACT_METHOD_LABELS } from "@/lib/vocabulary";

type Chosen = { key: string; label: string; without: Omit<DirectoryFilters, "page"> };

function chosenFilters(filters: DirectoryFilters): Chosen[] {
  // Removing a filter changes the list, so it starts again from the first page.
  const current = { ...filters, page: undefined };
  const chosen: Chosen[] = [];
  if (current.q) chosen.push({ key: "q", label: `Search: \u201c${current.q}\u201d`, without: { ...current, q: undefined } });
  if (current.specialism) {
    chosen.push({ key: "specialism", label: `Specialism: ${current.specialism}`, without: { ...current, specialism: undefined } });
  }
  if (current.language) {
    chosen.push({ key: "language", label: `Language: ${current.language}`, without: { ...current, language: undefined } });
  }
  if (current.contactMethod) {
    chosen.push({
      key: "contact",
      label: `Contact method: ${CONTACT_METHOD_LABELS[current.contactMethod]}`,
      without: { ...current, contactMethod: undefined },
    });
  }
  if (current.site) chosen.push({ key: "site", label: `Site: ${current.site}`, without: { ...current, site: undefined } });
  if (current.availableNow) {
    chosen.push({ key: "available", label: "Available now", without: { ...current, availableNow: false } });
  }
  if (current.notMyDepartment) {
    chosen.push({ key: "department", label: "Not in my department", without: { ...current, notMyDepartment: false } });
  }
  return chosen;
}

export function hasActiveFilters(filters: DirectoryFilters): boolean {
  return chosenFilters(filters).length > 0;
}

// What is narrowing the list, each with its own way out, so nobody has to scroll back to the form to see why a
// supporter is missing. An empty result has its own "Clear filters" link, so `offerClear` avoids a second one.
export function ActiveFilters({ filters, offerClear }: { filters: DirectoryFilters; offerClear: boolean }) {
  const chosen = chosenFilters(filters);
  if (chosen.length === 0) return null;
  return (
    <div className="govuk-!-margin-bottom-6">
      <h2 className="govuk-heading-s govuk-!-margin-bottom-2">Selected filters</h2>
      <ul className="govuk-list">
        {chosen.map((c) => (
          <li key={c.key}>
            {c.label}{" "}
            <Link className="govuk-link" href={`/supporters${directoryQueryString(c.without)}`} prefetch={false}>
              Remove<span className="govuk-visually-hidden"> filter {c.label}</span>
            </Link>
          </li>
        ))}
      </ul>
      {offerClear && (
        <p className="govuk-body">
          <Link className="govuk-link" href="/supporters" prefetch={false}>
            Clear filters
          </Link>
        </p>
      )}
    </div>
  );
}
