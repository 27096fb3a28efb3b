"use server";

import { randomUUID } from "node:crypto";

import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import * as z from "zod";

import {
  createRequest,
  findPeopleToExclude,
  getContactOptions,
  RequestRefusedError,
  type ContactOptions,
  type ExcludedPerson,
} from "@/db/queries/requests";
import { SupporterIdParam } from "@/db/validation/directory";
import { postedForm, savedOrRefused, type Saved } from "@/db/validation/form";
import {
  CreateRequestInput,
  EMAIL_PATTERN,
  excludedEmailList,
  MAX_EXCLUDED_PEOPLE,
  RequestId,
  requestFormValues,
  type RequestFormValues,
} from "@/db/validation/requests";
import { requireUserForAction } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { deliverPendingMailSoon } from "@/lib/mail";

/**
 * The form's state after a refused send: the messages, and what was typed so that the form comes back as it was.
 * `excluded` is everyone the requester named who was found, for the picker's list (with JavaScript).
 */
export type RequestFormState =
  | {
      ok: false;
      error: string;
      fieldErrors: Record<string, string[] | undefined>;
      values: RequestFormValues;
      excluded: ExcludedPerson[];
      /** Changes with every submission, so the form is drawn again from `values` rather than reset by React. */
      submission: string;
    }
  | undefined;

type Errors = Record<string, string[]>;

function addError(errors: Errors, field: string, message: string) {
  (errors[field] ??= []).push(message);
}

const isId = (value: string) => RequestId.safeParse(value).success;

function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

// The people who must not be involved: chosen with the picker (ids), left typed in the picker's box, or typed one
// a line without JavaScript. Every one must be a current member of staff.
function peopleToExclude(
  viewer: Parameters<typeof findPeopleToExclude>[0],
  values: RequestFormValues,
  errors: Errors,
): { people: ExcludedPerson[]; searchFound: boolean } {
  const ids = values.excludedIds.filter(isId);
  const tamperedIds = ids.length !== values.excludedIds.length;
  const emails = excludedEmailList(values.excludedEmails);
  const search = values.excludedSearch.trim();
  let searchFor: { id: string } | { email: string } | null = null;
  if (isId(values.excludedSearchId)) {
    ids.push(values.excludedSearchId);
    searchFor = { id: values.excludedSearchId };
  } else if (search) {
    if (EMAIL_PATTERN.test(search)) {
      emails.push(search);
      searchFor = { email: search };
    } else addError(errors, "excluded", `Choose ${search} from the list, or enter their full email address`);
  }
  const malformed = emails.filter((email) => !EMAIL_PATTERN.test(email));
  if (malformed.length > 0) {
    addError(errors, "excluded", `Enter each person\u2019s full email address, like name@example.org. Check ${listOf(malformed)}`);
  }
  const lookup = findPeopleToExclude(viewer, ids, emails.filter((email) => EMAIL_PATTERN.test(email)));
  if (tamperedIds || lookup.unknownIds.length > 0) {
    addError(errors, "excluded", "Someone you chose could not be found. Search for them again and choose them from the list");
  }
  if (lookup.unknownEmails.length > 0) {
    const plural = lookup.unknownEmails.length > 1 ? "es" : "";
    addError(errors, "excluded", `No member of staff with the email address${plural} ${listOf(lookup.unknownEmails)}`);
  }
  if (lookup.people.length > MAX_EXCLUDED_PEOPLE) {
    addError(errors, "excluded", `You can name up to ${MAX_EXCLUDED_PEOPLE} people. You have named ${lookup.people.length}`);
  }
  // Found people join the picker's list when the form comes back, so the box is then emptied.
  const searchFound =
    searchFor !== null &&
    ("id" in searchFor ? !lookup.unknownIds.includes(searchFor.id) : !lookup.unknownEmails.some((e) => e.toLowerCase() === searchFor.email.toLowerCase()));
  return { people: lookup.people, searchFound };
}

// Why the DAL refused a supporter, when the form itself says: the reason goes on the field that caused it.
function explainRefusal(options: ContactOptions, values: RequestFormValues, excluded: ExcludedPerson[], errors: Errors) {
  if (excluded.some((person) => person.id === options.supporterUserId)) {
    addError(errors, "excluded", `${options.name} is on your list of people who must not be involved`);
  }
  if (values.preferOutsideDepartment && options.inViewersDepartment) {
    addError(errors, "preferOutsideDepartment", `${options.name} works in your department`);
  }
}

export async function sendRequestAction(_prev: RequestFormState, posted: unknown): Promise<RequestFormState> {
  const form = postedForm(posted);
  const viewer = await requireUserForAction();
  const values = requestFormValues(form);
  const supporterId = SupporterIdParam.safeParse(values.supporterId);
  if (!supporterId.success) notFound();
  let options: ContactOptions;
  try {
    options = getContactOptions(viewer, supporterId.data);
  } catch (error) {
    // Unlisted since the form was opened: the same 404 as the page.
    if (error instanceof NotFoundError) notFound();
    throw error;
  }

  const errors: Errors = {};
  const { people: excluded, searchFound } = peopleToExclude(viewer, values, errors);
  const parsed = CreateRequestInput.safeParse({
    supporterId: options.supporterId,
    category: values.category || undefined,
    // Without JavaScript the characteristic is posted even when its question is hidden: it only counts for
    // discrimination.
    protectedCharacteristic: values.category === "discrimination" ? values.protectedCharacteristic : undefined,
    message: values.message,
    contactMethod: values.contactMethod || undefined,
    safeContact: values.safeContact,
    anonymous: values.anonymous,
    preferOutsideDepartment: values.preferOutsideDepartment,
    excludedUserIds: excluded.map((person) => person.id),
    acknowledgeLimits: values.acknowledgeLimits,
  });
  if (!parsed.success) {
    for (const [field, messages] of Object.entries(z.flattenError(parsed.error).fieldErrors)) {
      // The count of people is checked above, with the number named.
      if (field === "excludedUserIds") continue;
      for (const message of messages ?? []) addError(errors, field, message);
    }
  }
  const shown = searchFound ? { ...values, excludedSearch: "", excludedSearchId: "" } : { ...values, excludedSearchId: "" };
  const failed = (error: string): RequestFormState => ({ ok: false, error, fieldErrors: errors, values: shown, excluded, submission: randomUUID() });
  if (!parsed.success || Object.keys(errors).length > 0) return failed("Check your request");

  let saved: Saved<{ id: string }>;
  try {
    saved = await savedOrRefused(() => createRequest(viewer, parsed.data));
  } catch (error) {
    if (!(error instanceof RequestRefusedError)) throw error;
    addError(errors, error.field, error.message);
    if (error.field === "supporterId") explainRefusal(options, values, excluded, errors);
    return failed(error.message);
  }
  if (!saved.ok) {
    // No answer's fault, so shown by the send button, as the hourly limit is.
    addError(errors, "form", saved.error);
    return failed(saved.error);
  }
  // The supporter's content-free email goes now rather than at the next maintenance run.
  deliverPendingMailSoon();
  revalidatePath("/requests");
  revalidatePath("/inbox");
  revalidatePath("/supporters", "layout");
  // The request's id is in the path; nothing the person wrote is ever in a URL.
  redirect(`/supporters/${options.supporterId}/contact/sent/${saved.data.id}`);
}
