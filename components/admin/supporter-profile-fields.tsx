import { Checkboxes } from "@/components/govuk/checkboxes";
import { fieldError, type FieldErrors } from "@/components/govuk/field";
import { TextInput } from "@/components/govuk/text-input";
import { Textarea } from "@/components/govuk/textarea";
import type { ProfileFormValues } from "@/db/validation/roster";
import { CONTACT_METHOD_LABELS, CONTACT_METHODS, LANGUAGES, SPECIALISMS } from "@/lib/vocabulary";
import { DateInput } from "./date-input";

// The profile questions shared by "Add a supporter" and "Edit profile", in the order the error summary lists them.

export const PROFILE_FIELDS = [
  "roleTitle",
  "site",
  "specialisms",
  "languages",
  "contactMethods",
  "introduction",
  "workingPattern",
  "capacity",
  "trainedOn",
  "refresherDue",
] as const;

type Props = {
  values: Omit<ProfileFormValues, "staff" | "staffId">;
  fieldErrors: FieldErrors | undefined;
  /** Adding: role and site may be left blank to take them from the staff record. */
  mode: "add" | "edit";
};

export function SupporterProfileFields({ values, fieldErrors, mode }: Props) {
  const error = (name: string) => fieldError(fieldErrors, name);
  return (
    <>
      <TextInput
        id="roleTitle"
        label="Role or rank"
        hint={mode === "add" ? "Leave blank to use the job title on their staff record" : "For example, Police Sergeant or Police Staff – HR Adviser"}
        error={error("roleTitle")}
        defaultValue={values.roleTitle}
        width="two-thirds"
      />
      <TextInput
        id="site"
        label="Site"
        hint={mode === "add" ? "Where they usually work. Leave blank to use the site on their staff record" : "Where they usually work"}
        error={error("site")}
        defaultValue={values.site}
        width="one-half"
      />
      <Checkboxes
        name="specialisms"
        legend="Specialisms"
        legendSize="m"
        hint="What they are trained and willing to support people with. Choose at least one"
        error={error("specialisms")}
        small
        items={SPECIALISMS.map((value) => ({ value, text: value }))}
        defaultValues={values.specialisms}
      />
      <Checkboxes
        name="languages"
        legend="Languages"
        legendSize="m"
        hint="Languages they can offer support in"
        error={error("languages")}
        small
        items={LANGUAGES.map((value) => ({ value, text: value }))}
        defaultValues={values.languages}
      />
      <Checkboxes
        name="contactMethods"
        idPrefix="contactMethods"
        legend="Ways they can be contacted"
        legendSize="m"
        error={error("contactMethods")}
        small
        items={CONTACT_METHODS.map((value) => ({ value, text: CONTACT_METHOD_LABELS[value] }))}
        defaultValues={values.contactMethods}
      />
      <Textarea
        id="introduction"
        label="Introduction"
        labelSize="m"
        hint="A few sentences in their own words, shown on their directory profile. 1,000 characters at most"
        error={error("introduction")}
        defaultValue={values.introduction}
        rows={5}
      />
      <TextInput
        id="workingPattern"
        label="Working pattern (optional)"
        hint="For example, Monday to Friday, 8am to 4pm"
        error={error("workingPattern")}
        defaultValue={values.workingPattern}
      />
      <TextInput
        id="capacity"
        label="Capacity"
        hint="The most open requests they can support at once, from 1 to 20"
        error={error("capacity")}
        defaultValue={values.capacity}
        width="2"
        inputMode="numeric"
      />
      <DateInput
        id="trainedOn"
        legend="Training date"
        legendSize="m"
        hint="The day they completed equality supporter training. For example, 27 3 2026"
        error={error("trainedOn")}
        defaultValue={values.trainedOn}
      />
      <DateInput
        id="refresherDue"
        legend={mode === "add" ? "Refresher due date (optional)" : "Refresher due date"}
        legendSize="m"
        hint={
          mode === "add"
            ? "Leave blank for 2 years after the training date. It must be after the training date"
            : "When their refresher training is due. Leave blank for 2 years after the training date"
        }
        error={error("refresherDue")}
        defaultValue={values.refresherDue}
      />
    </>
  );
}
