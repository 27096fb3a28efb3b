import type { RequestFormValues } from "./requests";

// The request form's limits and its empty state.
// Kept apart from the zod schemas so that client components can import them without bringing zod (31 KB gzipped)
// into the browser.

export const MESSAGE_MAX_LENGTH = 5000;
export const SAFE_CONTACT_MAX_LENGTH = 500;
export const MAX_EXCLUDED_PEOPLE = 10;

export const EMPTY_REQUEST_FORM: RequestFormValues = {
  supporterId: "",
  category: "",
  protectedCharacteristic: "",
  message: "",
  contactMethod: "",
  safeContact: "",
  anonymous: false,
  excludedIds: [],
  excludedSearch: "",
  excludedSearchId: "",
  excludedEmails: "",
  preferOutsideDepartment: false,
  acknowledgeLimits: false,
};
