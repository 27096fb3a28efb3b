import { Button } from "@/components/govuk/button";
import { Select } from "@/components/govuk/select";
import { TextInput } from "@/components/govuk/text-input";
import { CHECKBOX_ON, DIRECTORY_PARAMS, type DirectoryFilters } from "@/db/validation/directory";
import { CONTACT_METHOD_LABELS, CONTACT_METHODS, LANGUAGES, SPECIALISMS } from "@/lib/vocabulary";

type Props = {
  filters: DirectoryFilters;
  /** What was typed, even when it was too long to search for, so it can be corrected. */
  searchText: string | undefined;
  searchError: string | undefined;
  sites: readonly string[];
};

const any = (text: string) => ({ value: "", text });

// A plain GET form: the filters live in the URL, so they work without JavaScript, survive a reload and can be
// bookmarked. Changing a filter starts again from the first page (the form has no page field).
export function DirectoryFilterForm({ filters, searchText, searchError, sites }: Props) {
  return (
    <form method="get" action="/supporters" role="search" aria-labelledby="filter-heading" noValidate>
      <h2 className="govuk-heading-m" id="filter-heading">
        Search and filter
      </h2>
      <TextInput
        id="q"
        name={DIRECTORY_PARAMS.q}
        type="search"
        label="Search by name, site or specialism"
        labelSize="s"
        defaultValue={searchText}
        error={searchError}
        spellCheck={false}
        autoComplete="off"
      />
      <Select
        id="specialism"
        name={DIRECTORY_PARAMS.specialism}
        label="Specialism"
        labelSize="s"
        defaultValue={filters.specialism ?? ""}
        items={[any("Any specialism"), ...SPECIALISMS.map((s) => ({ value: s, text: s }))]}
      />
      <Select
        id="language"
        name={DIRECTORY_PARAMS.language}
        label="Language"
        labelSize="s"
        defaultValue={filters.language ?? ""}
        items={[any("Any language"), ...LANGUAGES.map((l) => ({ value: l, text: l }))]}
      />
      <Select
        id="contact"
        name={DIRECTORY_PARAMS.contactMethod}
        label="Contact method"
        labelSize="s"
        defaultValue={filters.contactMethod ?? ""}
        items={[any("Any contact method"), ...CONTACT_METHODS.map((m) => ({ value: m, text: CONTACT_METHOD_LABELS[m] }))]}
      />
      <Select
        id="site"
        name={DIRECTORY_PARAMS.site}
        label="Site"
        labelSize="s"
        defaultValue={filters.site ?? ""}
        items={[any("Any site"), ...sites.map((s) => ({ value: s, text: s }))]}
      />
      <div className="govuk-form-group">
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Show only</legend>
          <div className="govuk-checkboxes govuk-checkboxes--small">
            <FilterCheckbox
              name={DIRECTORY_PARAMS.availableNow}
              label="Available now"
              hint="Taking new requests today"
              checked={filters.availableNow}
            />
            <FilterCheckbox
              name={DIRECTORY_PARAMS.notMyDepartment}
              label="Not in my department"
              hint="Supporters who work in a different department from you"
              checked={filters.notMyDepartment}
            />
          </div>
        </fieldset>
      </div>
      <Button>Apply filters</Button>
    </form>
  );
}

// GOV.UK checkbox markup; each box is its own parameter ("available=yes"), which the shared Checkboxes component,
// built for one name with several values, does not model.
function FilterCheckbox({ name, label, hint, checked }: { name: string; label: string; hint: string; checked: boolean }) {
  const hintId = `${name}-hint`;
  return (
    <div className="govuk-checkboxes__item">
      <input
        className="govuk-checkboxes__input"
        id={name}
        name={name}
        type="checkbox"
        value={CHECKBOX_ON}
        defaultChecked={checked}
        aria-describedby={hintId}
      />
      <label className="govuk-label govuk-checkboxes__label" htmlFor={name}>
        {label}
      </label>
      <div id={hintId} className="govuk-hint govuk-checkboxes__hint">
        {hint}
      </div>
    </div>
  );
}
