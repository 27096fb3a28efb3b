import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import fc from "fast-check";
import type * as z from "zod";

import { setTestEnv } from "./helpers";

// Issue 9, fuzzing, in process: every zod parser in db/validation that a form, a query string or a route parameter
// goes through, given arbitrary input (wrong types and shapes, missing and extra fields, oversized text, unicode edge
// cases, markup and SQL). Each property runs at least 1,000 times with the seed printed (FUZZ_SEED=<seed> replays).
//
// For every input: the parser never throws; a refusal comes as issues with plain-text messages that never contain
// markup and never repeat what was typed (messages reach the page as React text, escaped, but a message that echoed
// input could still carry someone's words into the error summary and the logs); and data that passes is within the
// documented limits (lengths after trimming, enums, whole numbers in range, real dates).

type Validation = {
  account: typeof import("@/db/validation/account");
  auditLog: typeof import("@/db/validation/audit-log");
  directory: typeof import("@/db/validation/directory");
  feedback: typeof import("@/db/validation/feedback");
  myData: typeof import("@/db/validation/my-data");
  networkAdmin: typeof import("@/db/validation/network-admin");
  networkConsole: typeof import("@/db/validation/network-console");
  networks: typeof import("@/db/validation/networks");
  reports: typeof import("@/db/validation/reports");
  requests: typeof import("@/db/validation/requests");
  roster: typeof import("@/db/validation/roster");
  staffAdmin: typeof import("@/db/validation/staff-admin");
  staffImport: typeof import("@/db/validation/staff-import");
  supporterSelf: typeof import("@/db/validation/supporter-self");
  vocabulary: typeof import("@/lib/vocabulary");
  schema: typeof import("@/db/schema");
};

let v: Validation;

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const NUM_RUNS = Math.max(1000, Number(process.env.FUZZ_RUNS ?? 0) || 0);
const TODAY = "2026-11-25";

before(async () => {
  setTestEnv();
  console.log(`fuzz-validation: seed ${SEED}, ${NUM_RUNS} runs per property (replay: FUZZ_SEED=${SEED})`);
  v = {
    account: await import("@/db/validation/account"),
    auditLog: await import("@/db/validation/audit-log"),
    directory: await import("@/db/validation/directory"),
    feedback: await import("@/db/validation/feedback"),
    myData: await import("@/db/validation/my-data"),
    networkAdmin: await import("@/db/validation/network-admin"),
    networkConsole: await import("@/db/validation/network-console"),
    networks: await import("@/db/validation/networks"),
    reports: await import("@/db/validation/reports"),
    requests: await import("@/db/validation/requests"),
    roster: await import("@/db/validation/roster"),
    staffAdmin: await import("@/db/validation/staff-admin"),
    staffImport: await import("@/db/validation/staff-import"),
    supporterSelf: await import("@/db/validation/supporter-self"),
    vocabulary: await import("@/lib/vocabulary"),
    schema: await import("@/db/schema"),
  };
});

// ---------------------------------------------------------------------------------------------------- inputs

const MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</textarea><b>", "&lt;i&gt;", "<!--x-->"];
const SQL = ["' OR '1'='1", "'; DROP TABLE users; --", "1 UNION SELECT 1", '" OR ""="'];
const UNICODE = ["\uD800", "\uDFFF", "a\uDBFF", "\u202Eevil", "\u200B\u200D\u2060", "\u0000", "e\u0301\u0302\u0303", "👩‍👩‍👧‍👦", "\uFEFF", "\r\n", "\u2028", "İ", "ß"];
const NUMERIC = ["0", "-1", "1", "3", "20", "21", "1e3", "NaN", "Infinity", " 7 ", "0x10", "3.5", "99999999999999999999", "٣"];
const UUIDS = ["3ce5021f-309a-401b-b3d9-868c370692e8", "00000000-0000-0000-0000-000000000000", "3CE5021F-309A-401B-B3D9-868C370692E8", "3ce5021f309a401bb3d9868c370692e8"];

/** Any string a hostile form may carry, with `plausible` values of the field mixed in so that some inputs pass. */
function hostileText(plausible: readonly string[] = []): fc.Arbitrary<string> {
  const pieces = fc.oneof(
    fc.constantFrom(...MARKUP, ...SQL, ...UNICODE, ...NUMERIC, ...UUIDS),
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.string({ unit: "grapheme", maxLength: 30 }),
    ...(plausible.length ? [fc.constantFrom(...plausible)] : []),
  );
  return fc.oneof(
    { weight: 5, arbitrary: pieces },
    { weight: 3, arbitrary: fc.array(pieces, { minLength: 2, maxLength: 5 }).map((parts) => parts.join("")) },
    // Around and well beyond every limit (the largest is 5,000 characters; the end-to-end fuzzing sends ~100 KB).
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom("a", " ", "é", "👍", "<b>", "\r\n", "\uD800"), fc.integer({ min: 90, max: 20_000 }))
        .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n)),
    },
    ...(plausible.length ? [{ weight: 3, arbitrary: fc.constantFrom(...plausible) }] : []),
  );
}

/** Anything at all in place of a field: a string mostly, else a wrong type or shape. */
function hostileField(plausible: readonly string[] = []): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: hostileText(plausible) },
    { weight: 2, arbitrary: fc.array(hostileText(plausible), { maxLength: 3 }) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.bigInt(),
        fc.date({ noInvalidDate: false }),
        fc.object({ maxDepth: 1 }),
      ),
    },
  );
}

/** A form of the given fields (each may be missing), plus unknown ones; or, sometimes, not an object at all. */
function hostileInput(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const known = fc.record(fields, { requiredKeys: [] });
  const extra = fc.dictionary(fc.constantFrom("__proto__", "constructor", "toString", "userId", "role", "id", "x"), hostileField(), { maxKeys: 2 });
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(known, extra).map(([k, e]) => ({ ...e, ...k })) },
    { weight: 1, arbitrary: fc.anything() },
  );
}

const dateParts = (plausible: { day: string[]; month: string[]; year: string[] }) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ day: hostileText(plausible.day), month: hostileText(plausible.month), year: hostileText(plausible.year) }) },
    { weight: 1, arbitrary: hostileField() },
  );
const DAYS = ["1", "15", "28", "29", "30", "31", "0", "32", ""];
const MONTHS = ["1", "2", "6", "12", "13", "0", ""];
const YEARS = ["2020", "2025", "2026", "2027", "2028", "1899", "0999", ""];
const DATE_PLAUSIBLE = { day: DAYS, month: MONTHS, year: YEARS };

// ------------------------------------------------------------------------------------------------ the checks

/** Every string inside an input (field values, array items, nested objects), for the echo check. */
function stringsIn(value: unknown, depth = 0): string[] {
  if (typeof value === "string") return [value];
  if (depth > 3 || value === null || typeof value !== "object") return [];
  return Object.values(value).flatMap((item) => stringsIn(item, depth + 1));
}

/** Messages are plain text and never repeat what was typed (anything of 3+ characters that could be markup). */
function checkMessages(messages: readonly string[], input: unknown): void {
  const typed = stringsIn(input)
    .map((s) => s.trim())
    .filter((s) => s.length >= 3 && /[<>&"'`]/.test(s));
  for (const message of messages) {
    assert.equal(typeof message, "string");
    assert.ok(message.length > 0, "an empty message");
    assert.doesNotMatch(message, /<[a-z!/?]|&[a-z#]+;|javascript:/i, `a message with markup: ${message}`);
    for (const text of typed) assert.ok(!message.includes(text), `the message ${JSON.stringify(message)} repeats the input ${JSON.stringify(text)}`);
  }
}

const NO_CR = (s: string) => !s.includes("\r");
// Lengths as zod counts them (node_modules/zod: code points, not UTF-16 units), which is what "characters" means.
const codePoints = (s: string) => [...s].length;
const trimmedWithin = (s: string, min: number, max: number) => s === s.trim() && codePoints(s) >= min && codePoints(s) <= max;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const isIn = (list: readonly unknown[], value: unknown) => list.includes(value);
const pageWithin = (page: unknown, max: number) => Number.isInteger(page) && (page as number) >= 1 && (page as number) <= max;

/** A property over one zod schema: never throws, plain messages, data within `limits`. */
function zodProperty<S extends z.ZodType>(schema: () => S, input: () => fc.Arbitrary<unknown>, limits: (data: z.output<S>) => void): () => void {
  return () => {
    const parser = schema();
    fc.assert(
      fc.property(input(), (value) => {
        const result = parser.safeParse(value);
        if (result.success) limits(result.data);
        else {
          assert.ok(result.error.issues.length > 0);
          checkMessages(
            result.error.issues.map((issue) => issue.message),
            value,
          );
        }
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  };
}

/** A property over a parsing function: never throws, its messages are plain, its result within `limits`. */
function fnProperty<I, R>(input: () => fc.Arbitrary<I>, parse: (value: I) => R, messages: (result: R) => string[], limits: (result: R) => void): () => void {
  return () => {
    fc.assert(
      fc.property(input(), (value) => {
        const result = parse(value);
        checkMessages(messages(result), value);
        limits(result);
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  };
}

const idField = () => hostileField(UUIDS);
const queryParams = (names: readonly string[], plausible: readonly string[] = []) =>
  fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 6 })), fc.oneof(hostileText(plausible), fc.array(hostileText(plausible), { maxLength: 3 })), { maxKeys: 8 }) as fc.Arbitrary<Record<string, string | string[]>>;

// ---------------------------------------------------------------------------------------------- the properties

describe("fuzzing the validation (db/validation/*.ts)", () => {
  test("account: TextSizeInput", () =>
    zodProperty(
      () => v.account.TextSizeInput,
      () => hostileInput({ textSize: hostileField(["standard", "large", "larger", "Large", "huge"]) }),
      (d) => assert.ok(isIn(v.schema.TEXT_SIZES, d.textSize)),
    )());

  test("my data: EraseInput", () =>
    zodProperty(
      () => v.myData.EraseInput,
      () => hostileInput({ confirm: hostileField(["yes", "Yes", "on", "true"]) }),
      (d) => assert.equal(d.confirm, "yes"),
    )());

  test("feedback: FeedbackInput", () =>
    zodProperty(
      () => v.feedback.FeedbackInput,
      () =>
        hostileInput({
          topic: hostileField(["", ...v.feedback.FEEDBACK_TOPICS.map((t) => t.value)]),
          body: hostileField(["Good service.", "  spaced  "]),
          anonymous: hostileField(["anonymous", "on"]),
          volunteer: hostileField(["volunteer", "on"]),
        }),
      (d) => {
        assert.ok(d.topic === null || isIn(v.feedback.FEEDBACK_TOPICS.map((t) => t.value), d.topic));
        assert.ok(trimmedWithin(d.body, 1, v.feedback.FEEDBACK_MAX) && NO_CR(d.body), "feedback body within its limit");
        assert.ok(!(d.anonymous && d.volunteer), "anonymous and volunteering at once");
      },
    )());

  test("feedback: list query and archive input", () => {
    zodProperty(
      () => v.feedback.FeedbackListQuery,
      () => hostileInput({ status: hostileField(["new", "archived"]), page: hostileField(NUMERIC), outcome: hostileField(["archived", "restored"]) }),
      (d) => {
        assert.ok(isIn(v.feedback.FEEDBACK_STATUSES, d.status));
        assert.ok(pageWithin(d.page, 100_000));
        assert.ok(d.outcome === undefined || isIn(["archived", "restored"], d.outcome));
      },
    )();
    zodProperty(
      () => v.feedback.FeedbackArchiveInput,
      () => hostileInput({ feedbackId: idField(), page: hostileField(NUMERIC) }),
      (d) => assert.ok(UUID.test(d.feedbackId) && pageWithin(d.page, 100_000)),
    )();
  });

  test("requests: CreateRequestInput", () => {
    const categories = Object.keys(v.vocabulary.REQUEST_CATEGORIES);
    const characteristics = Object.keys(v.vocabulary.PROTECTED_CHARACTERISTICS);
    zodProperty(
      () => v.requests.CreateRequestInput,
      () =>
        hostileInput({
          supporterId: idField(),
          category: hostileField(categories),
          protectedCharacteristic: hostileField(["", ...characteristics]),
          message: hostileField(["I need to talk to someone."]),
          contactMethod: hostileField([...v.vocabulary.CONTACT_METHODS]),
          safeContact: hostileField(["", "Evenings on my own phone"]),
          anonymous: hostileField(["yes", "on", "true"]),
          preferOutsideDepartment: hostileField(["yes"]),
          excludedUserIds: fc.oneof(fc.array(hostileText(UUIDS), { maxLength: 12 }), hostileField(UUIDS)),
          acknowledgeLimits: fc.oneof(fc.constant(true), hostileField(["yes"])),
        }),
      (d) => {
        assert.ok(UUID.test(d.supporterId));
        assert.ok(isIn(categories, d.category));
        assert.ok(d.protectedCharacteristic === undefined || (isIn(characteristics, d.protectedCharacteristic) && d.category === "discrimination"));
        assert.ok(trimmedWithin(d.message, 1, v.requests.MESSAGE_MAX_LENGTH) && NO_CR(d.message), "message within its limit");
        assert.ok(isIn(v.vocabulary.CONTACT_METHODS, d.contactMethod));
        assert.ok(trimmedWithin(d.safeContact, 0, v.requests.SAFE_CONTACT_MAX_LENGTH) && NO_CR(d.safeContact));
        assert.ok(d.excludedUserIds.length <= v.requests.MAX_EXCLUDED_PEOPLE && d.excludedUserIds.every((id) => UUID.test(id)));
        assert.equal(d.acknowledgeLimits, true);
        assert.ok(!d.anonymous || d.contactMethod === "in_app", "anonymous only in the app");
        assert.ok(d.contactMethod === "in_app" || d.anonymous || d.safeContact.length > 0, "a safe contact for a call or a meeting");
      },
    )();
  });

  test("requests: message, close, decline and handover", () => {
    const outcomes = Object.keys(v.vocabulary.REQUEST_OUTCOMES);
    zodProperty(
      () => v.requests.MessageInput,
      () => hostileInput({ requestId: idField(), body: hostileField(["Thank you."]) }),
      (d) => assert.ok(UUID.test(d.requestId) && trimmedWithin(d.body, 1, 5000) && NO_CR(d.body)),
    )();
    zodProperty(
      () => v.requests.CloseInput,
      () => hostileInput({ requestId: idField(), outcome: hostileField(outcomes) }),
      (d) => assert.ok(UUID.test(d.requestId) && isIn(outcomes, d.outcome)),
    )();
    zodProperty(
      () => v.requests.DeclineInput,
      () => hostileInput({ requestId: idField(), reason: hostileField(["I am away."]) }),
      (d) => assert.ok(UUID.test(d.requestId) && trimmedWithin(d.reason, 1, 1000) && NO_CR(d.reason)),
    )();
    zodProperty(
      () => v.requests.HandoverInput,
      () => hostileInput({ requestId: idField(), supporterId: idField() }),
      (d) => assert.ok(UUID.test(d.requestId) && UUID.test(d.supporterId)),
    )();
  });

  test("network administration: NetworkInput and its ids and queries", () => {
    const a = () => v.networkAdmin;
    zodProperty(
      () => a().NetworkInput,
      () =>
        hostileInput({
          name: hostileField(["Women's Network"]),
          slug: hostileField(["womens-network", "Womens-Network", "a--b", "-a", "a"]),
          summary: hostileField(["A summary."]),
          description: hostileField(["A description."]),
          whoFor: hostileField(["Everyone."]),
          howToJoin: hostileField(["Ask."]),
          offers: hostileField(["", "Events."]),
          contactMailbox: hostileField(["", "network@example.org", "NETWORK@EXAMPLE.ORG", "a@b", "x@<y>.org"]),
          joinPolicy: hostileField(["open", "approval"]),
        }),
      (d) => {
        assert.ok(trimmedWithin(d.name, 1, a().NAME_MAX));
        assert.ok(SLUG.test(d.slug) && d.slug.length <= a().SLUG_MAX);
        assert.ok(trimmedWithin(d.summary, 1, a().SUMMARY_MAX) && NO_CR(d.summary));
        assert.ok(trimmedWithin(d.description, 1, a().DESCRIPTION_MAX) && NO_CR(d.description));
        assert.ok(trimmedWithin(d.whoFor, 1, a().WHO_FOR_MAX) && NO_CR(d.whoFor));
        assert.ok(trimmedWithin(d.howToJoin, 1, a().HOW_TO_JOIN_MAX) && NO_CR(d.howToJoin));
        assert.ok(trimmedWithin(d.offers, 0, a().OFFERS_MAX) && NO_CR(d.offers));
        assert.ok(d.contactMailbox === null || (codePoints(d.contactMailbox) <= a().MAILBOX_MAX && d.contactMailbox === d.contactMailbox.toLowerCase() && /^[^\s@<>]+@[^\s@<>]+$/.test(d.contactMailbox)));
        assert.ok(isIn(["open", "approval"], d.joinPolicy));
      },
    )();
    zodProperty(() => a().NetworkIdInput, () => hostileInput({ networkId: idField() }), (d) => assert.ok(UUID.test(d.networkId)))();
    zodProperty(
      () => a().CoordinatorRemoveInput,
      () => hostileInput({ networkId: idField(), userId: idField() }),
      (d) => assert.ok(UUID.test(d.networkId) && UUID.test(d.userId)),
    )();
    zodProperty(
      () => a().AdminListQuery,
      () => hostileInput({ page: hostileField(NUMERIC), outcome: hostileField(["created"]) }),
      (d) => assert.ok(pageWithin(d.page, 100_000) && (d.outcome === undefined || d.outcome === "created")),
    )();
  });

  test("coordinator console: approve, decline, remove, announce, the network's page, slugs and queries", () => {
    const c = () => v.networkConsole;
    zodProperty(() => c().ApproveInput, () => hostileInput({ networkId: idField(), membershipId: idField() }), (d) => assert.ok(UUID.test(d.networkId) && UUID.test(d.membershipId)))();
    for (const schema of [() => c().DeclineInput, () => c().RemoveInput]) {
      zodProperty(
        schema,
        () => hostileInput({ networkId: idField(), membershipId: idField(), reason: hostileField(["Not a member of staff."]) }),
        (d) => assert.ok(UUID.test(d.networkId) && UUID.test(d.membershipId) && trimmedWithin(d.reason, 1, c().REASON_MAX) && NO_CR(d.reason)),
      )();
    }
    zodProperty(
      () => c().AnnouncementInput,
      () => hostileInput({ networkId: idField(), title: hostileField(["Meeting"]), body: hostileField(["On Friday."]) }),
      (d) => {
        assert.ok(UUID.test(d.networkId));
        assert.ok(trimmedWithin(d.title, 1, c().ANNOUNCEMENT_TITLE_MAX));
        assert.ok(trimmedWithin(d.body, 1, c().ANNOUNCEMENT_BODY_MAX) && NO_CR(d.body));
      },
    )();
    zodProperty(() => c().NetworkSlugParam, () => hostileField(["womens-network", "a-b-c"]), (d) => assert.ok(SLUG.test(d) && codePoints(d) <= 60))();
    zodProperty(
      () => c().ConsoleQuery,
      () => hostileInput({ page: hostileField(NUMERIC), requests: hostileField(NUMERIC), outcome: hostileField(["approved", "declined", "removed", "updated"]) }),
      (d) => assert.ok(pageWithin(d.page, 100_000) && pageWithin(d.requests, 100_000) && (d.outcome === undefined || isIn(["approved", "declined", "removed", "updated"], d.outcome))),
    )();
    // The coordinator's edit of the network's page: the Equality Unit's rules for the text, and nothing else kept,
    // however much else is posted (the name, address, mailbox and join policy are the Equality Unit's).
    const a = () => v.networkAdmin;
    zodProperty(
      () => c().NetworkPageInput,
      () =>
        hostileInput({
          networkId: idField(),
          summary: hostileField(["A summary."]),
          description: hostileField(["A description."]),
          whoFor: hostileField(["Everyone."]),
          howToJoin: hostileField(["Ask."]),
          offers: hostileField(["", "Events."]),
          name: hostileField(["Renamed"]),
          slug: hostileField(["renamed"]),
          contactMailbox: hostileField(["x@example.org"]),
          joinPolicy: hostileField(["open"]),
        }),
      (d) => {
        assert.deepEqual(Object.keys(d).sort(), ["description", "howToJoin", "networkId", "offers", "summary", "whoFor"]);
        assert.ok(UUID.test(d.networkId));
        assert.ok(trimmedWithin(d.summary, 1, a().SUMMARY_MAX) && NO_CR(d.summary));
        assert.ok(trimmedWithin(d.description, 1, a().DESCRIPTION_MAX) && NO_CR(d.description));
        assert.ok(trimmedWithin(d.whoFor, 1, a().WHO_FOR_MAX) && NO_CR(d.whoFor));
        assert.ok(trimmedWithin(d.howToJoin, 1, a().HOW_TO_JOIN_MAX) && NO_CR(d.howToJoin));
        assert.ok(trimmedWithin(d.offers, 0, a().OFFERS_MAX) && NO_CR(d.offers));
      },
    )();
  });

  test("networks: join, visibility, leave and page numbers", () => {
    const n = () => v.networks;
    zodProperty(
      () => n().JoinInput,
      () => hostileInput({ slug: hostileField(["lgbt-plus-network"]), visibility: hostileField(["silent", "visible"]), note: hostileField(["", "Hello"]) }),
      (d) => {
        assert.ok(SLUG.test(d.slug) && d.slug.length <= 100);
        assert.ok(isIn(n().VISIBILITIES, d.visibility));
        assert.ok(d.note === null || trimmedWithin(d.note, 1, n().REQUEST_NOTE_MAX));
      },
    )();
    zodProperty(
      () => n().VisibilityInput,
      () => hostileInput({ slug: hostileField(["lgbt-plus-network"]), visibility: hostileField(["silent", "visible"]) }),
      (d) => assert.ok(SLUG.test(d.slug) && isIn(n().VISIBILITIES, d.visibility)),
    )();
    zodProperty(() => n().LeaveInput, () => hostileInput({ slug: hostileField(["lgbt-plus-network"]) }), (d) => assert.ok(SLUG.test(d.slug) && d.slug.length <= 100))();
    fnProperty(
      () => fc.oneof(hostileText(NUMERIC), fc.array(hostileText(NUMERIC), { maxLength: 3 }), fc.constant(undefined)),
      (value) => n().pageFrom(value),
      () => [],
      (page) => assert.ok(pageWithin(page, 10_000)),
    )();
  });

  test("supporter self-service: profile, capacity and pause", () => {
    const s = () => v.supporterSelf;
    zodProperty(
      () => s().ProfileInput,
      () =>
        hostileInput({
          introduction: hostileField(["Hello, I am Sam."]),
          languages: fc.oneof(fc.array(hostileText([...v.vocabulary.LANGUAGES]), { maxLength: 4 }), hostileField()),
          contactMethods: fc.oneof(fc.array(hostileText([...v.vocabulary.CONTACT_METHODS]), { maxLength: 4 }), hostileField()),
          site: hostileField(["Force HQ"]),
          workingPattern: hostileField(["", "Weekdays"]),
        }),
      (d) => {
        assert.ok(trimmedWithin(d.introduction, 1, s().INTRODUCTION_MAX));
        assert.ok(d.languages.length >= 1 && d.languages.every((l) => isIn(v.vocabulary.LANGUAGES, l)) && new Set(d.languages).size === d.languages.length);
        assert.ok(d.contactMethods.length >= 1 && d.contactMethods.every((m) => isIn(v.vocabulary.CONTACT_METHODS, m)));
        assert.ok(trimmedWithin(d.site, 1, s().SITE_MAX));
        assert.ok(trimmedWithin(d.workingPattern, 0, s().WORKING_PATTERN_MAX));
      },
    )();
    zodProperty(
      () => s().CapacityInput,
      () => hostileInput({ capacity: hostileField(NUMERIC) }),
      (d) => assert.ok(Number.isInteger(d.capacity) && d.capacity >= s().CAPACITY_MIN && d.capacity <= s().CAPACITY_MAX),
    )();
    zodProperty(
      () => s().PauseInput(TODAY),
      () => hostileInput({ pausedUntil: dateParts(DATE_PLAUSIBLE), pauseReason: hostileField(["", "Leave"]) }),
      (d) => {
        assert.ok(ISO_DATE.test(d.pausedUntil) && d.pausedUntil > TODAY && d.pausedUntil <= "2027-11-25", `pause until ${d.pausedUntil}`);
        assert.ok(d.pauseReason === null || trimmedWithin(d.pauseReason, 1, s().PAUSE_REASON_MAX));
      },
    )();
  });

  test("roster: add, edit, change status and the list's query", () => {
    const r = () => v.roster;
    const profile = {
      introduction: hostileField(["", "Hello"]),
      workingPattern: hostileField(["", "Weekdays"]),
      capacity: hostileField(["", ...NUMERIC]),
      specialisms: fc.oneof(fc.array(hostileText([...v.vocabulary.SPECIALISMS]), { maxLength: 3 }), hostileField()),
      languages: fc.oneof(fc.array(hostileText([...v.vocabulary.LANGUAGES]), { maxLength: 3 }), hostileField()),
      contactMethods: fc.oneof(fc.array(hostileText([...v.vocabulary.CONTACT_METHODS]), { maxLength: 3 }), hostileField()),
      trainedOn: dateParts(DATE_PLAUSIBLE),
      refresherDue: fc.oneof(dateParts(DATE_PLAUSIBLE), fc.constant({ day: "", month: "", year: "" })),
    };
    type ProfileData = { introduction: string; workingPattern: string; capacity: number; specialisms: string[]; languages: string[]; contactMethods: string[]; trainedOn: string; refresherDue: string; roleTitle: string; site: string };
    const profileLimits = (d: ProfileData) => {
      assert.ok(trimmedWithin(d.introduction, 0, 1000) && trimmedWithin(d.workingPattern, 0, 200));
      assert.ok(Number.isInteger(d.capacity) && d.capacity >= r().CAPACITY_MIN && d.capacity <= r().CAPACITY_MAX);
      assert.ok(d.specialisms.length >= 1 && d.specialisms.every((x) => isIn(v.vocabulary.SPECIALISMS, x)));
      assert.ok(d.languages.length >= 1 && d.languages.every((x) => isIn(v.vocabulary.LANGUAGES, x)));
      assert.ok(d.contactMethods.length >= 1 && d.contactMethods.every((x) => isIn(v.vocabulary.CONTACT_METHODS, x)));
      assert.ok(ISO_DATE.test(d.trainedOn) && d.trainedOn <= TODAY && d.trainedOn >= "1900-01-01");
      assert.ok(ISO_DATE.test(d.refresherDue) && d.refresherDue > d.trainedOn);
      assert.ok(trimmedWithin(d.roleTitle, 0, 120) && trimmedWithin(d.site, 0, 100));
    };
    zodProperty(
      () => r().addSupporterSchema(TODAY),
      () => hostileInput({ ...profile, staffId: hostileField(["", ...UUIDS]), staff: hostileField(["", "sam@example.org", "sam"]), roleTitle: hostileField(["", "PC"]), site: hostileField(["", "HQ"]) }),
      (d) => {
        profileLimits(d);
        assert.ok(d.refresherDue >= TODAY, "not overdue when added");
        assert.ok(codePoints(d.staffId) <= 64 && codePoints(d.staff) <= 254);
        assert.ok(d.staffId !== "" || /^[^\s@]+@[^\s@]+$/.test(d.staff), "someone chosen, or a full email address");
      },
    )();
    zodProperty(
      () => r().editSupporterSchema(TODAY),
      () => hostileInput({ ...profile, roleTitle: hostileField(["", "PC"]), site: hostileField(["", "HQ"]) }),
      (d) => {
        profileLimits(d);
        assert.ok(d.roleTitle.length >= 1 && d.site.length >= 1);
      },
    )();
    zodProperty(
      () => r().changeStatusSchema(TODAY),
      () => hostileInput({ status: hostileField([...v.schema.SUPPORTER_STATUSES]), reason: hostileField(["Leaving."]), refresherDue: dateParts(DATE_PLAUSIBLE) }),
      (d) => {
        assert.ok(isIn(v.schema.SUPPORTER_STATUSES, d.status));
        assert.ok(trimmedWithin(d.reason, 1, r().REASON_MAX_LENGTH));
        assert.ok(d.refresherDue === null || (ISO_DATE.test(d.refresherDue) && d.refresherDue > TODAY));
      },
    )();
    zodProperty(
      () => r().RosterQuery,
      () => hostileInput({ status: hostileField([...v.schema.SUPPORTER_STATUSES]), q: hostileField(["sam"]), page: hostileField(NUMERIC) }),
      (d) => {
        assert.ok(d.status === undefined || isIn(v.schema.SUPPORTER_STATUSES, d.status));
        assert.ok(d.q === undefined || trimmedWithin(d.q, 0, 100));
        assert.ok(pageWithin(d.page, 100_000));
      },
    )();
  });

  test("staff administration: list, record and action inputs", () => {
    const s = () => v.staffAdmin;
    zodProperty(
      () => s().StaffListQuery,
      () => hostileInput({ q: hostileField(["alex"]), show: hostileField([...v.staffAdmin.STAFF_FILTERS]), page: hostileField(NUMERIC) }),
      (d) => assert.ok((d.q === undefined || trimmedWithin(d.q, 0, s().STAFF_QUERY_MAX)) && isIn(s().STAFF_FILTERS, d.show) && pageWithin(d.page, 100_000)),
    )();
    zodProperty(
      () => s().StaffRecordQuery,
      () => hostileInput({ done: hostileField([...v.staffAdmin.STAFF_OUTCOMES]), released: hostileField(NUMERIC) }),
      (d) => assert.ok((d.done === undefined || isIn(s().STAFF_OUTCOMES, d.done)) && (d.released === undefined || (Number.isInteger(d.released) && d.released >= 0 && d.released <= 10_000))),
    )();
    zodProperty(() => s().StaffActionInput, () => hostileInput({ userId: idField() }), (d) => assert.match(d.userId, /^[0-9a-f-]{36}$/i))();
  });

  test("staff import: a row, the list's query and the uploaded file", () => {
    const i = () => v.staffImport;
    zodProperty(
      () => i().StaffRow,
      () =>
        hostileInput({
          email: hostileField(["jo@example.org", "JO@EXAMPLE.ORG", "jo@", "a@b.c"]),
          name: hostileField(["Jo Bennett"]),
          jobTitle: hostileField(["", "PC"]),
          department: hostileField(["", "Response"]),
          site: hostileField(["", "HQ"]),
        }),
      (d) => {
        assert.ok(codePoints(d.email) <= i().EMAIL_MAX && d.email === d.email.toLowerCase() && d.email.includes("@"));
        assert.ok(d.name !== null && trimmedWithin(d.name, 1, i().NAME_MAX));
        for (const [value, max] of [[d.jobTitle, i().JOB_TITLE_MAX], [d.department, i().DEPARTMENT_MAX], [d.site, i().SITE_MAX]] as const) {
          assert.ok(value === null || trimmedWithin(value, 1, max));
        }
        for (const value of [d.name, d.jobTitle, d.department, d.site]) assert.doesNotMatch(value ?? "", /[\p{Cc}\p{Cf}\u2028\u2029]/u);
      },
    )();
    zodProperty(() => i().ImportListQuery, () => hostileInput({ page: hostileField(NUMERIC) }), (d) => assert.ok(pageWithin(d.page, 100_000)))();
    const csvLine = fc.array(hostileText(["email", "name", "rank or grade", "department", "site", "jo@example.org", '"quoted, cell"', '"open']), { maxLength: 6 }).map((cells) => cells.join(","));
    fnProperty(
      () =>
        fc.record({
          name: hostileText(["staff.csv", "STAFF.CSV", "../../etc/passwd.csv", "a\u202Egpj.csv", ""]),
          text: fc.oneof(
            fc.tuple(fc.array(csvLine, { maxLength: 6 }), fc.constantFrom("\n", "\r\n")).map(([lines, end]) => lines.join(end)),
            fc.constant("email,name,rank or grade,department,site\njo@example.org,Jo,PC,Response,HQ\n"),
          ),
          raw: fc.option(fc.uint8Array({ maxLength: 200 }), { nil: undefined }),
        }),
      ({ name, text, raw }) => {
        const bytes = raw ?? new TextEncoder().encode(text);
        return v.staffImport.readStaffFile({ name, size: bytes.byteLength, bytes });
      },
      // The header's unknown column is named back to the Equality Unit (their own file, shown as React text),
      // cut to 40 characters with control and format characters removed: the echo check leaves that one out.
      (result) => (result.ok ? [] : [result.error.replace(/called \u201c.*\u201d that is not known/su, "called \u201c\u2026\u201d that is not known")]),
      (result) => {
        if (!result.ok) {
          const shown = /called \u201c(.*)\u201d that is not known/su.exec(result.error)?.[1];
          if (shown !== undefined) assert.ok(shown.length <= 40 && !/[\p{Cc}\p{Cf}]/u.test(shown), `the column name shown: ${JSON.stringify(shown)}`);
          return;
        }
        assert.ok(result.data.fileName.length >= 1 && result.data.fileName.length <= i().FILE_NAME_MAX && !/[\\/]/.test(result.data.fileName));
        assert.ok(result.data.rows.length >= 1 && result.data.rows.length <= i().MAX_ROWS);
        assert.equal(new Set(result.data.order).size, i().STAFF_COLUMNS.length);
      },
    )();
  });

  test("directory: the query string and the search box", () => {
    const d = () => v.directory;
    const sites = ["Force HQ", "North"];
    fnProperty(
      () => queryParams(Object.values(v.directory.DIRECTORY_PARAMS), ["yes", "Force HQ", ...v.vocabulary.CONTACT_METHODS, ...NUMERIC]),
      (params) => d().parseDirectoryQuery(params, sites),
      (result) => Object.values(result.fieldErrors).filter((m): m is string => m !== undefined),
      (result) => {
        const f = result.filters;
        assert.ok(f.q === undefined || (codePoints(f.q) <= d().SEARCH_MAX_LENGTH && f.q === f.q.trim()));
        assert.ok(f.site === undefined || sites.includes(f.site));
        assert.ok(f.contactMethod === undefined || isIn(v.vocabulary.CONTACT_METHODS, f.contactMethod));
        assert.ok(f.specialism === undefined || isIn(v.vocabulary.SPECIALISMS, f.specialism));
        assert.ok(f.language === undefined || isIn(v.vocabulary.LANGUAGES, f.language));
        assert.ok(pageWithin(f.page, Number.MAX_SAFE_INTEGER));
      },
    )();
    zodProperty(() => d().DirectorySearch, () => hostileField(["sam"]), (q) => assert.ok(codePoints(q) <= d().SEARCH_MAX_LENGTH))();
    zodProperty(() => d().SupporterIdParam, () => idField(), (id) => assert.ok(UUID.test(id)))();
  });

  test("audit log: the filter's query string", () => {
    const a = () => v.auditLog;
    const names = ["from-day", "from-month", "from-year", "to-day", "to-month", "to-year", "actor", "action", "objectType", "objectId", "before", "after"];
    fnProperty(
      () => queryParams(names, [...DAYS, ...MONTHS, ...YEARS, "request.", "request.sent", "user", "alex@example.org", ...UUIDS]),
      (params) => a().parseAuditLogQuery(params),
      (result) => Object.values(result.errors).filter((m): m is string => m !== undefined),
      (result) => {
        const f = result.filter;
        assert.ok(f.actor === undefined || f.actor.length <= a().ACTOR_MAX);
        assert.ok(f.objectId === undefined || (f.objectId.length <= 100 && /^[A-Za-z0-9_.:/-]+$/.test(f.objectId)));
        assert.ok(f.objectType === undefined || /^[a-z0-9_]{1,50}$/.test(f.objectType));
        assert.ok(f.fromMs === undefined || Number.isFinite(f.fromMs));
        assert.ok(f.toExclusiveMs === undefined || Number.isFinite(f.toExclusiveMs));
        assert.ok(f.fromMs === undefined || f.toExclusiveMs === undefined || f.fromMs < f.toExclusiveMs);
        for (const n of [result.cursor.before, result.cursor.after]) assert.ok(n === undefined || (Number.isInteger(n) && n >= 0));
      },
    )();
  });

  test("reports: the date range and the report names", () => {
    const r = () => v.reports;
    fnProperty(
      () => queryParams(["from-day", "from-month", "from-year", "to-day", "to-month", "to-year"], [...DAYS, ...MONTHS, ...YEARS]),
      (params) => r().parseRange(params, TODAY),
      (result) => (result.ok ? [] : Object.values(result.errors).filter((m): m is string => m !== undefined)),
      (result) => {
        if (!result.ok) return;
        assert.ok(ISO_DATE.test(result.range.from) && ISO_DATE.test(result.range.to) && result.range.from <= result.range.to);
        assert.ok(Number(result.range.to.slice(0, 4)) - Number(result.range.from.slice(0, 4)) <= r().MAX_RANGE_YEARS);
      },
    )();
    zodProperty(() => r().AdminReportParam, () => hostileField([...v.reports.ADMIN_REPORTS]), (name) => assert.ok(isIn(r().ADMIN_REPORTS, name)))();
    zodProperty(() => r().NetworkReportParam, () => hostileField([...v.reports.NETWORK_REPORTS]), (name) => assert.ok(isIn(r().NETWORK_REPORTS, name)))();
  });
});
