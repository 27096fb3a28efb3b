"use client";

import { useEffect, useRef, useState } from "react";

import { ErrorMessage, FormGroup, Label } from "@/components/govuk/field";
import { Textarea } from "@/components/govuk/textarea";
import { StaffPicker, type StaffOption } from "@/components/staff-picker";
import { useHasJavaScript } from "./use-has-javascript";

// "People who must not be involved". Without JavaScript: a box for email addresses, one a line, which the server
// looks up. With JavaScript: the shared staff picker adds people one at a time to a list (each posted as a hidden
// `excludedIds`), and a full email address left in the picker's box is looked up like the box's lines.
// Either way the field's id is "excluded", so the error summary links to whichever is on the page.

export const EXCLUDED_FIELD_ID = "excluded";

type Props = {
  max: number;
  error?: string;
  /** People already named (after a refused send). */
  defaultPeople: readonly StaffOption[];
  defaultSearch: string;
  defaultEmails: string;
};

const LABEL = "People who must not be involved (optional)";
const NOT_TOLD = "For example, the person your request is about. They will not be told.";

function detail(person: StaffOption): string {
  return [person.department, person.site].filter(Boolean).join(", ");
}

export function ExcludedPeople({ max, error, defaultPeople, defaultSearch, defaultEmails }: Props) {
  const enhanced = useHasJavaScript();
  if (!enhanced) {
    return (
      <Textarea
        id={EXCLUDED_FIELD_ID}
        name="excludedEmails"
        label={LABEL}
        labelSize="m"
        hint={`${NOT_TOLD} Enter the full email address of each person, one on each line. You can name up to ${max} people.`}
        error={error}
        defaultValue={defaultEmails}
        rows={3}
        spellCheck={false}
        autoComplete="off"
      />
    );
  }
  return <ExcludedPeoplePicker max={max} error={error} defaultPeople={defaultPeople} defaultSearch={defaultSearch} />;
}

function ExcludedPeoplePicker({ max, error, defaultPeople, defaultSearch }: Omit<Props, "defaultEmails">) {
  const [people, setPeople] = useState<StaffOption[]>(() => [...defaultPeople]);
  // A new picker (empty box) after each choice; the list above keeps the person.
  const [pickerKey, setPickerKey] = useState(0);
  const [announcement, setAnnouncement] = useState("");
  const moveFocus = useRef(false);

  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    document.getElementById(EXCLUDED_FIELD_ID)?.focus();
  }, [pickerKey, people]);

  function add(option: StaffOption | null) {
    if (!option) return;
    moveFocus.current = true;
    setPickerKey((k) => k + 1);
    if (people.some((person) => person.id === option.id)) {
      setAnnouncement(`${option.name} is already on your list.`);
      return;
    }
    const next = [...people, option];
    setPeople(next);
    setAnnouncement(`${option.name} added. You have named ${next.length} of up to ${max} people.`);
  }

  function remove(person: StaffOption) {
    const next = people.filter((p) => p.id !== person.id);
    moveFocus.current = true;
    setPeople(next);
    setAnnouncement(`${person.name} removed. You have named ${next.length} of up to ${max} people.`);
  }

  const full = people.length >= max;
  return (
    <div>
      {full ? (
        // The picker is gone, so the list is the field the error summary and the label point to.
        <FormGroup error={Boolean(error)}>
          <Label htmlFor={EXCLUDED_FIELD_ID} size="m">
            {LABEL}
          </Label>
          {error && <ErrorMessage id={`${EXCLUDED_FIELD_ID}-error`}>{error}</ErrorMessage>}
          <p className="govuk-body" id={EXCLUDED_FIELD_ID} tabIndex={-1}>
            You have named {max} people, the most you can. Remove someone to name another person.
          </p>
        </FormGroup>
      ) : (
        <StaffPicker
          key={pickerKey}
          id={EXCLUDED_FIELD_ID}
          name="excludedSearch"
          staffIdName="excludedSearchId"
          label={LABEL}
          labelSize="m"
          hint={`${NOT_TOLD} Type at least 2 letters of their name and choose them from the list, or enter their full email address. You can name up to ${max} people.`}
          error={error}
          defaultValue={pickerKey === 0 ? defaultSearch : ""}
          onChoose={add}
        />
      )}
      {people.length > 0 && (
        <div className="govuk-form-group">
          <h3 className="govuk-heading-s">
            People you have named
          </h3>
          <dl className="govuk-summary-list">
            {people.map((person) => (
              <div className="govuk-summary-list__row" key={person.id}>
                <dt className="govuk-summary-list__key">{person.name}</dt>
                <dd className="govuk-summary-list__value">
                  {detail(person) || "No department recorded"}
                  <input type="hidden" name="excludedIds" value={person.id} />
                </dd>
                <dd className="govuk-summary-list__actions">
                  <button
                    type="button"
                    className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                    onClick={() => remove(person)}
                  >
                    Remove<span className="govuk-visually-hidden"> {person.name}</span>
                  </button>
                </dd>
              </div>
            ))}
          </dl>
        </div>
      )}
      <div role="status" className="govuk-visually-hidden">
        {announcement}
      </div>
    </div>
  );
}
