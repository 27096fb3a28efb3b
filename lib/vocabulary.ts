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



export const REQUEST_CATEGORIES = {
  bullying_harassment: "Bullying or harassment",
  discrimination: "Discrimination",
  unfair_treatment: "Unfair treatment",
  wellbeing: "Wellbeing",
  other: "Something else",
} as const;
export type RequestCategory = keyof typeof REQUEST_CATEGORIES;

// The protected characteristics of the Equality Act 2010, offered only with "discrimination" and always optional.
export const PROTECTED_CHARACTERISTICS = {
  age: "Age",
  disability: "Disability",
  gender_reassignment: "Gender reassignment",
  marriage_civil_partnership: "Marriage and civil partnership",
  pregnancy_maternity: "Pregnancy and maternity",
  race: "Race",
  religion_belief: "Religion or belief",
  sex: "Sex",
  sexual_orientation: "Sexual orientation",
} as const;
export type ProtectedCharacteristic = keyof typeof PROTECTED_CHARACTERISTICS;

export const REQUEST_OUTCOMES = {
  resolved: "Resolved informally",
  signposted: "Signposted to other support",
  formal_process: "Moved to a formal process (grievance or complaint)",
  no_further_action: "No further action wanted",
  other: "Other",
} as const;
export type RequestOutcome = keyof typeof REQUEST_OUTCOMES;
