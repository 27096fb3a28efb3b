import type { APIRequestContext, APIResponse } from "@playwright/test";
import fc from "fast-check";

import { BASE_URL, expect, test } from "./fixtures";
import { withDb } from "./helpers";
import { MATRIX } from "./permission-matrix";
import { serverActions, workerMatches, type ActionRef } from "./support/matrix-http";
import { ACTIONS, ROUTES, type Fields } from "./support/matrix-probes";
import { fuzzRuns, fuzzSeed, hostileForm, hostileQuery, hostileSegment, hostileValue, multipartBody, type Part } from "./support/fuzz-inputs";
import { changesOutside, idsOutside, internalsIn, snapshot, type Snapshot } from "./support/fuzz-snapshot";
import {
  asMatrixWorld,
  buildFuzzWorld,
  scopeIds,
  signInFuzzAccounts,
  tearDownFuzzWorld,
  victimIds,
  type FuzzSessions,
  type FuzzWorld,
} from "./support/fuzz-world";

// Issue 9, fuzzing: hostile input to every server action and every route handler, over real HTTP against the run's
// app, signed in for real as the fuzz accounts (e2e/support/fuzz-world.ts). Two properties, each at least 1,000
// runs with its seed printed (FUZZ_SEED=<seed> replays one, FUZZ_RUNS=<n> runs more). Every run must answer without
// a 5xx, show no stack trace or internals and none of other people's confidential text; and after all runs, no row
// outside the callers' scope may have changed (e2e/support/fuzz-snapshot.ts says which tables are left out, and why).
//
// Each run is one plain HTTP request (no browser): the server action is posted directly, as React's client would,
// with a multipart body of raw bytes.
test.describe.configure({ mode: "serial" });

let world: FuzzWorld;
let sessions: FuzzSessions;
let actionRefs: Map<string, ActionRef>;

test.beforeAll(async ({ browser, playwright }) => {
  test.setTimeout(60_000);
  sessions = await signInFuzzAccounts(browser, playwright);
  world = buildFuzzWorld();
  actionRefs = serverActions();
});

test.afterAll(async () => {
  tearDownFuzzWorld(world);
  await sessions?.close();
});

/** What only other people's request holds (its message and reply): no response to the fuzz accounts may carry it. */
const victimSecrets = () =>
  withDb((db) => db.prepare("SELECT count(*) FROM support_requests WHERE id = ?").pluck().get(world.victims.requestId) as number) > 0
    ? ["A request between two other people.", "More detail only they may read."]
    : [];

/** Problems with one response (empty when it holds). */
function judge(what: string, status: number, body: string, secrets: readonly string[]): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`${what}: HTTP ${status} ${body.replace(/\s+/g, " ").slice(0, 300)}`);
  for (const found of internalsIn(body)) problems.push(`${what}: shows ${found}`);
  for (const secret of secrets) if (body.includes(secret)) problems.push(`${what}: shows other people's request (${secret})`);
  return problems;
}

const short = (bytes: Buffer) => {
  const text = bytes.toString("utf8");
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…(${bytes.length} bytes)` : text);
};
const describeParts = (parts: readonly Part[]) => parts.map((p) => `${p.name}${p.file ? "[file]" : ""}=${short(p.value)}`).join(" ");

/** Before and after a property: the rows outside the callers' scope. Only this spec's victims' rows are judged. */
function outOfScopeChanges(before: Snapshot): { ours: string[]; alongside: number } {
  const after = withDb(snapshot);
  const changes = changesOutside(before, after, scopeIds(world));
  const victims = victimIds(world);
  const mentionsVictim = (text: string) => victims.some((id) => text.includes(id));
  // Journeys running alongside (two workers) change seeded people's rows and their own: those are not the fuzz
  // accounts' writes. Every row that mentions this spec's victims is nobody else's to change.
  const ours = changes.filter((c) => mentionsVictim(`${c.key} ${c.before ?? ""} ${c.after ?? ""}`));
  return { ours: ours.map((c) => `${c.key}: ${c.before ?? "(none)"} → ${c.after ?? "(none)"}`), alongside: changes.length - ours.length };
}

/**
 * The audit trail's view of scope: no successful event by a fuzz account may concern a row that was someone else's
 * before the property began (rows the fuzzing itself made and removed again, such as a membership joined and left,
 * were never anyone else's). This covers the seeded people's rows too, which the snapshot cannot judge while other
 * journeys change them.
 */
function auditedOutsideScope(since: number, before: Snapshot): string[] {
  const others = idsOutside(before, scopeIds(world));
  const rows = withDb(
    (db) =>
      db
        .prepare("SELECT seq, action, object_type, object_id FROM audit_events WHERE seq > ? AND actor_id IN (?, ?) AND outcome = 'success'")
        .all(since, world.fuzzOne, world.fuzzTwo) as { seq: number; action: string; object_type: string | null; object_id: string | null }[],
  );
  return rows
    .filter((r) => r.object_id !== null && r.object_id.split("/").some((part) => others.has(part)))
    .map((r) => `audit #${r.seq} ${r.action} on ${r.object_type} ${r.object_id}`);
}

const lastAuditSeq = () => withDb((db) => (db.prepare("SELECT coalesce(max(seq), 0) FROM audit_events").pluck().get() as number) ?? 0);

// ---------------------------------------------------------------------------------------------------- server actions

type ActionCase = { target: string; ref: ActionRef; args: "state" | "form" | "none"; pageOwn: string; pageVictims: string; base: Record<string, string> };

const textFields = (fields: Fields): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, typeof value === "string" ? value : value.buffer.toString("utf8")]));

function actionCases(): ActionCase[] {
  const own = asMatrixWorld(world, false);
  const victims = asMatrixWorld(world, true);
  return MATRIX.filter((row) => row.kind === "action").map((row) => {
    const probe = ACTIONS[row.target];
    const ref = actionRefs.get(row.target);
    if (!probe || !ref) throw new Error(`${row.target}: no probe in e2e/support/matrix-probes.ts or not in the build's manifest`);
    const pageOwn = probe.page(own);
    expect(ref.workers.some((w) => workerMatches(w, new URL(pageOwn, BASE_URL).pathname)), `${row.target} is served on ${pageOwn}`).toBe(true);
    // Both the form that succeeds and the one that is turned down: the union of their fields.
    const base = { ...textFields(probe.form?.(own, { pov: "req", may: false }) ?? {}), ...textFields(probe.form?.(own, { pov: "req", may: true }) ?? {}) };
    return { target: row.target, ref, args: probe.args, pageOwn, pageVictims: probe.page(victims), base };
  });
}

const ARGS_PART: Record<ActionCase["args"], string> = { state: '["$undefined","$K1"]', form: '["$K1"]', none: "[]" };
// Arguments no form sends: anyone may post an action with arguments of their choosing.
const ODD_ARGS = ['["$K1","$K1"]', '["hello"]', "[1,2]", "[null,null]", '[{},{"get":1}]', '["$undefined","hello"]', '[["$K1"]]'];

async function postHostileAction(api: APIRequestContext, c: ActionCase, page: string, args: string, parts: readonly Part[]): Promise<APIResponse> {
  const form = parts.map((p) => ({ ...p, name: `_1_${p.name}` }));
  // Last, as React sends it: the arguments, which refer to the form's fields.
  const { body, contentType } = multipartBody([...form, { name: "0", value: Buffer.from(args) }]);
  return api.post(new URL(page, BASE_URL).toString(), {
    headers: { "next-action": c.ref.id, origin: BASE_URL, accept: "text/x-component", "content-type": contentType },
    data: body,
    maxRedirects: 0,
    timeout: 15_000,
  });
}

test("server actions: hostile forms never 5xx, never show internals, never write outside the caller's scope", async () => {
  test.setTimeout(120_000);
  const cases = actionCases();
  const knownNames = [...new Set(cases.flatMap((c) => Object.keys(c.base)))];
  // Other people's ids (and the callers' own, so that some runs get as far as the writes). Of the seeded rows only
  // people's ids: a hostile form that happened to be complete must not make the fuzz accounts join a seeded network
  // or ask Sam for support, which other journeys running alongside would see.
  const ids = [...victimIds(world), ...world.seededUsers, ...scopeIds(world)];
  const seed = fuzzSeed();
  const numRuns = fuzzRuns();
  console.log(`fuzz server actions: seed ${seed}, ${numRuns} runs over ${cases.length} actions (replay: FUZZ_SEED=${seed})`);

  const secrets = victimSecrets();
  expect(secrets.length, "the victims' request exists").toBeGreaterThan(0);
  const before = withDb(snapshot);
  const auditFrom = lastAuditSeq();
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  const started = Date.now();

  const runCase = fc
    .constantFrom(...cases)
    .chain((c) =>
      fc.record({
        c: fc.constant(c),
        who: fc.constantFrom("one", "two") as fc.Arbitrary<"one" | "two">,
        onVictimsPage: fc.boolean(),
        // Mostly the arguments the action takes; sometimes another shape (no form, a form where the state goes, …).
        args: fc.oneof(
          { weight: 8, arbitrary: fc.constant(ARGS_PART[c.args]) },
          { weight: 1, arbitrary: fc.constantFrom(...Object.values(ARGS_PART)) },
          { weight: 1, arbitrary: fc.constantFrom(...ODD_ARGS) },
        ),
        parts: hostileForm(c.base, knownNames, ids),
      }),
    );

  await fc.assert(
    fc.asyncProperty(runCase, async ({ c, who, onVictimsPage, args, parts }) => {
      // Erasing one's own data is in scope, but it ends the session, and every later run would only be turned
      // away at sign-in: the one confirmation that erases (exactly "yes") is not sent.
      const sent = c.target.endsWith("#eraseMyDataAction") ? parts.filter((p) => !(p.name === "confirm" && p.value.toString("latin1") === "yes")) : parts;
      const response = await postHostileAction(sessions[who], c, onVictimsPage ? c.pageVictims : c.pageOwn, args, sent);
      const body = await response.text();
      statuses.set(response.status(), (statuses.get(response.status()) ?? 0) + 1);
      const found = judge(`${c.target} as fuzz.${who} (${args}) ${describeParts(sent).slice(0, 400)}`, response.status(), body, secrets);
      if (problems.length < 20) problems.push(...found);
    }),
    { seed, numRuns, endOnFailure: true },
  );

  const { ours, alongside } = outOfScopeChanges(before);
  const audited = auditedOutsideScope(auditFrom, before);
  console.log(
    `fuzz server actions: ${numRuns} runs in ${Date.now() - started} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
      `${alongside} rows outside scope changed by journeys running alongside`,
  );
  expect(problems, `seed ${seed}`).toEqual([]);
  expect(ours, `seed ${seed}: other people's rows changed`).toEqual([]);
  expect(audited, `seed ${seed}: successful events outside the callers' scope`).toEqual([]);
});

// ---------------------------------------------------------------------------------------------------- route handlers

type RouteCase = { target: string; method: string; template: string; params: Record<string, readonly string[]>; query: readonly string[] };

const REPORT_NAMES = ["requests-by-month", "requests-by-topic", "network-sizes", "roster-health"];
const RANGE = ["from-day", "from-month", "from-year", "to-day", "to-month", "to-year"];
const AUDIT_FILTER = ["actor", "action", "objectType", "objectId", "before", "after", ...RANGE];

/** The route handlers of the matrix, with their path templates, known values for each parameter and query names. */
function routeCases(): RouteCase[] {
  return MATRIX.filter((row) => row.kind === "route").map((row) => {
    const [method = "GET", file = ""] = row.target.split(" ");
    if (!ROUTES[row.target]) throw new Error(`${row.target}: no probe in e2e/support/matrix-probes.ts`);
    const template = file.replace(/^app/, "").replace(/\/route\.ts$/, "") || "/";
    const params: Record<string, readonly string[]> = {
      "[report]": REPORT_NAMES,
      "[slug]": [world.own.slug, world.victims.slug, "lgbt-plus-network"],
      "[table]": ["membership", "joins-by-month"],
      "[...nextauth]": ["session", "csrf", "providers", "signin", "signout", "callback/dev-idp", "signin/dev-idp", "error"],
    };
    const query = template.includes("audit") ? AUDIT_FILTER : template.includes("report") ? RANGE : template.includes("staff") ? ["q"] : ["callbackUrl", "error", "code", "state"];
    return { target: row.target, method, template, params, query };
  });
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
const BODY_TYPES = ["application/x-www-form-urlencoded", "application/json", "text/plain", "multipart/form-data; boundary=x"];

test("route handlers: hostile paths, query strings and methods never 5xx or show internals", async () => {
  test.setTimeout(120_000);
  const cases = routeCases();
  const ids = [...victimIds(world), ...world.seeded, ...scopeIds(world)];
  const seed = fuzzSeed();
  const numRuns = fuzzRuns();
  console.log(`fuzz route handlers: seed ${seed}, ${numRuns} runs over ${cases.length} route handler methods (replay: FUZZ_SEED=${seed})`);

  const secrets = victimSecrets();
  const before = withDb(snapshot);
  const auditFrom = lastAuditSeq();
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  const started = Date.now();

  const segmentsOf = (c: RouteCase) =>
    fc.tuple(
      ...c.template
        .split("/")
        .slice(1)
        .map((segment) => {
          const known = c.params[segment];
          return known ? hostileSegment(known, ids) : fc.constant(segment);
        }),
    );
  const runCase = fc.constantFrom(...cases).chain((c) =>
    fc.record({
      segments: segmentsOf(c),
      query: hostileQuery(c.query, ids),
      method: fc.oneof({ weight: 3, arbitrary: fc.constant(c.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      who: fc.constantFrom("one", "two", "out") as fc.Arbitrary<"one" | "two" | "out">,
      origin: fc.constantFrom(BASE_URL, "https://evil.example", "null", ""),
      body: fc.option(fc.tuple(fc.constantFrom(...BODY_TYPES), hostileValue(ids)), { nil: undefined }),
    }),
  );

  await fc.assert(
    fc.asyncProperty(runCase, async ({ segments, query, method, who, origin, body }) => {
      const pathname = `/${segments.join("/")}`;
      // Sign-out and Auth.js' own endpoints would end the fuzz accounts' sessions (a POST with our Origin is a
      // real sign-out): they are fuzzed signed out, which is who they serve.
      const caller = pathname.startsWith("/signout") || pathname.startsWith("/api/auth") ? "out" : who;
      const headers: Record<string, string> = origin ? { origin } : {};
      if (body) headers["content-type"] = body[0];
      const response = await sessions[caller].fetch(`${BASE_URL}${pathname}${query}`, {
        method,
        headers,
        data: body && method !== "GET" && method !== "HEAD" ? body[1] : undefined,
        maxRedirects: 0,
        timeout: 15_000,
      });
      const text = method === "HEAD" ? "" : await response.text();
      statuses.set(response.status(), (statuses.get(response.status()) ?? 0) + 1);
      const found = judge(`${method} ${pathname}${query.slice(0, 300)} as ${caller}`, response.status(), text, secrets);
      if (problems.length < 20) problems.push(...found);
    }),
    { seed, numRuns, endOnFailure: true },
  );

  const { ours, alongside } = outOfScopeChanges(before);
  const audited = auditedOutsideScope(auditFrom, before);
  console.log(
    `fuzz route handlers: ${numRuns} runs in ${Date.now() - started} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
      `${alongside} rows outside scope changed by journeys running alongside`,
  );
  expect(problems, `seed ${seed}`).toEqual([]);
  expect(ours, `seed ${seed}: other people's rows changed`).toEqual([]);
  expect(audited, `seed ${seed}: successful events outside the callers' scope`).toEqual([]);
});
