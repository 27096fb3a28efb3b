// Fixed vocabularies: the directory filters offer exactly these, so free text cannot split one specialism in two.

export const SPECIALISMS = [
  "Bullying and harassment",
  "Race and ethnicity",
  "Religion and belief",
  "Disability and neurodiversity",
  "Sexual orientation",
  "Gender identity",
  "Sex and gender",
  "Pregnancy and maternity",
  "Age",
  "Menopause",
  "Mental health and wellbeing",
  "Carers",
] as const;
export type Specialism = (typeof SPECIALISMS)[number];

export const LANGUAGES = [
  "English",
  "Urdu",
  "Punjabi",
  "Gujarati",
  "Hindi",
  "Bengali",
  "Polish",
  "Arabic",
  "Somali",
  "Romanian",
  "British Sign Language",
] as const;
export type Language = (typeof LANGUAGES)[number];

// The same values as support_requests.contact_method, so a request can only ask for a method a supporter offers.
export const CONTACT_METHODS = ["in_app", "phone", "video", "in_person"] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export const CONTACT_METHOD_LABELS: Record<ContactMethod, string> = {
  in_app: "Messages in Confide",
  phone: "Phone call",
  video: "Video call",
  in_person: "In person",
};


