import { expect, test } from "./fixtures";
import { withDb } from "./helpers";
import { expectations, MATRIX, POVS, type MatrixRow, type Outcome, type Pov } from "./permission-matrix";
import { classify, inPool, postAction, request, serverActions, workerMatches, type ActionRef, type Observed } from "./support/matrix-http";
import { ACTIONS, PAGES, ROUTES, type ActionProbe } from "./support/matrix-probes";
import { buildWorld, feedbackIdOf, signInEveryone, tearDownWorld, type Sessions, type World } from "./support/matrix-world";

// Every cell of the permission matrix (e2e/permission-matrix.ts) over plain HTTP, with real session cookies from
// real sign-ins through the dev IdP: GET for pages and route handlers, direct server-action POSTs (the action's id
// from the build's manifest, our own Origin) for actions. A cell that may not act must be refused and leave the
// rows it aims at exactly as they were. Each test runs all of its cells and then lists every cell that differs.
//
// The world (e2e/support/matrix-world.ts) is set up once; the cells that change it run in an order that keeps
// the later ones meaningful (the request moves through its life; the members leave, and everyone signs out, last).
test.describe.configure({ mode: "serial" });

let world: World;
let sessions: Sessions;
let closeSessions: (() => Promise<void>) | undefined;
let actionRefs: Map<string, ActionRef>;

// Names that only some may see: the request's marker (its two parties), the visible member's name on the network
// pages (the network's members and coordinators: nobody outside a network learns who is in it) and the silent
// member's name there (the network's coordinators, and the member herself).
const MAY_SEE_REQUEST: readonly Pov[] = ["req", "asup"];
const VISIBLE_NAME = "Quinn Matrix";
const MAY_SEE_VISIBLE: readonly Pov[] = ["mem", "silent", "coord"];
const SILENT_NAME = "Rae Matrix";
const MAY_SEE_SILENT: readonly Pov[] = ["silent", "coord"];

test.beforeAll(async ({ browser, playwright }) => {
  test.setTimeout(90_000);
  ({ sessions, close: closeSessions } = await signInEveryone(browser, playwright));
  world = buildWorld();
  actionRefs = serverActions();
  // The Equality Unit's feedback actions need an item: Nina sends one through the app (its text is encrypted).
  const send = actionRefs.get("app/feedback/actions.ts#sendFeedbackAction");
  if (!send) throw new Error("sendFeedbackAction is not in the build's manifest");
  const sent = await postAction(sessions.req, send, "/feedback", "state", { topic: "", body: `Feedback from the matrix ${world.tag}` });
  expect(sent.code, sent.body.slice(0, 300)).toBe(">/feedback/sent");
  world.feedbackId = feedbackIdOf(world.userIds.req);
});

test.afterAll(async () => {
  tearDownWorld(world);
  await closeSessions?.();
});

const rowsOf = (kind: MatrixRow["kind"]) => MATRIX.filter((r) => r.kind === kind);

function describeCell(row: MatrixRow, pov: Pov, expected: Outcome, observed: Observed, why = ""): string {
  const snippet = observed.body.replace(/\s+/g, " ").slice(0, 160);
  return `${row.target} as ${pov}: expected ${expected}, got ${observed.code} (HTTP ${observed.status}${observed.location ? ` → ${observed.location}` : ""})${why ? `: ${why}` : ""} ${snippet}`;
}

/** What a GET (or a route's POST) must and must not show, beyond its outcome code. */
function leaks(pov: Pov, pathname: string, observed: Observed): string[] {
  const found: string[] = [];
  if (!MAY_SEE_REQUEST.includes(pov) && observed.body.includes(world.marker)) found.push("the request's content");
  if (pathname.startsWith("/networks") && !MAY_SEE_VISIBLE.includes(pov) && observed.body.includes(VISIBLE_NAME)) {
    found.push("the visible member's name");
  }
  if (pathname.startsWith("/networks") && !MAY_SEE_SILENT.includes(pov) && observed.body.includes(SILENT_NAME)) {
    found.push("the silent member's name");
  }
  return found;
}

// And what they must see, so that an "ok" is the page with its content and not an empty shell.
const MUST_SHOW: { target: string; who: readonly Pov[]; text: () => string }[] = [
  { target: "app/requests/[id]/page.tsx", who: MAY_SEE_REQUEST, text: () => world.marker },
  { target: "app/networks/[slug]/page.tsx", who: ["mem", "silent"], text: () => VISIBLE_NAME },
  { target: "app/networks/[slug]/manage/page.tsx", who: ["coord"], text: () => SILENT_NAME },
];

/** Checks one GET-style cell and returns what differs (empty when it holds). */
function judgeRequestCell(row: MatrixRow, pov: Pov, expected: Outcome, pathname: string, observed: Observed): string[] {
  const problems: string[] = [];
  if (observed.code !== expected) problems.push(describeCell(row, pov, expected, observed));
  if (expected === "signIn" && observed.code === "signIn" && row.kind === "page") {
    const callback = new URL(observed.location, "http://x").searchParams.get("callbackUrl");
    if (callback !== new URL(pathname, "http://x").pathname) problems.push(describeCell(row, pov, expected, observed, `callbackUrl ${callback}`));
  }
  for (const leak of leaks(pov, pathname, observed)) problems.push(describeCell(row, pov, expected, observed, `shows ${leak}`));
  for (const must of MUST_SHOW.filter((m) => m.target === row.target && m.who.includes(pov))) {
    if (!observed.body.includes(must.text())) problems.push(describeCell(row, pov, expected, observed, `does not show ${must.text()}`));
  }
  return problems;
}

async function driveGetRows(rows: readonly MatrixRow[], probes: Record<string, { path: (w: World) => string }>): Promise<{ cells: number; problems: string[] }> {
  const problems: string[] = [];
  const cells = rows.flatMap((row) => {
    const probe = probes[row.target];
    if (!probe) throw new Error(`no probe for ${row.target} in e2e/support/matrix-probes.ts`);
    const expected = expectations(row);
    return POVS.map((pov) => ({ row, pov, expected: expected[pov], pathname: probe.path(world) }));
  });
  await inPool(cells, 4, async ({ row, pov, expected, pathname }) => {
    const method = row.kind === "route" && row.target.startsWith("POST ") ? "POST" : "GET";
    const observed = await request(sessions[pov], method, pathname);
    problems.push(...judgeRequestCell(row, pov, expected, pathname, observed));
  });
  return { cells: cells.length, problems };
}

test("pages: every point of view gets the outcome the design asks for", async () => {
  test.setTimeout(120_000);
  const { cells, problems } = await driveGetRows(rowsOf("page"), PAGES);
  console.log(`permission matrix: ${cells} page cells, ${problems.length} differ`);
  expect(problems).toEqual([]);
});

test("route handlers: every method, every point of view (sign-out last, below)", async () => {
  test.setTimeout(60_000);
  const rows = rowsOf("route").filter((r) => r.target !== "POST app/signout/route.ts");
  const { cells, problems } = await driveGetRows(rows, ROUTES);
  console.log(`permission matrix: ${cells} route handler cells, ${problems.length} differ`);
  expect(problems).toEqual([]);
});

/** The footprint of an action's rows, as text, for comparing before and after. */
const footprintOf = (probe: ActionProbe): string => withDb((db) => JSON.stringify(probe.footprint(db, world)));

async function driveAction(row: MatrixRow, probe: ActionProbe, action: ActionRef, pov: Pov, expected: Outcome): Promise<string[]> {
  const pagePath = probe.page(world);
  const may = expected === "ok";
  const before = may ? "" : footprintOf(probe);
  const observed = await postAction(sessions[pov], action, pagePath, probe.args, probe.form?.(world, { pov, may }) ?? {});
  // An action's success is a redirect to where its result shows (never to sign-in): it got past the check.
  if (observed.code.startsWith(">/")) observed.code = "ok";
  // A refused change and a form message look alike: the probe's message tells them apart.
  if (observed.code === "ok" && probe.refused?.test(observed.body)) observed.code = "refused";
  const problems: string[] = [];
  if (observed.code !== expected) problems.push(describeCell(row, pov, expected, observed));
  else if (may && probe.ok && !probe.ok.test(`${observed.location}\n${observed.body}`)) {
    problems.push(describeCell(row, pov, expected, observed, `no sign of getting past the permission check (${probe.ok})`));
  }
  if (!may) {
    const after = footprintOf(probe);
    if (after !== before) problems.push(describeCell(row, pov, expected, observed, `changed the database: ${before} → ${after}`));
  }
  if (!MAY_SEE_REQUEST.includes(pov) && observed.body.includes(world.marker)) problems.push(describeCell(row, pov, expected, observed, "shows the request's content"));
  return problems;
}

test("server actions: posted directly by every point of view; refusals change nothing", async () => {
  test.setTimeout(120_000);
  // Leaving the network ends the members' part, so it goes last.
  const rows = [...rowsOf("action")].sort(
    (a, b) => Number(a.target.endsWith("#leaveNetworkAction")) - Number(b.target.endsWith("#leaveNetworkAction")),
  );
  const problems: string[] = [];
  let cells = 0;
  for (const row of rows) {
    const probe = ACTIONS[row.target];
    if (!probe) throw new Error(`no probe for ${row.target} in e2e/support/matrix-probes.ts`);
    const action = actionRefs.get(row.target);
    if (!action) throw new Error(`${row.target} is not in the build's server reference manifest`);
    const pagePath = probe.page(world);
    expect(action.workers.some((w) => workerMatches(w, new URL(pagePath, "http://x").pathname)), `${row.target} is served on ${pagePath}`).toBe(true);
    const expected = expectations(row);
    // Those who may not act go first, against the rows as the world made them; then those who may.
    const order = [...POVS].sort((a, b) => Number(expected[a] === "ok") - Number(expected[b] === "ok"));
    for (const pov of order) {
      problems.push(...(await driveAction(row, probe, action, pov, expected[pov])));
      cells += 1;
    }
  }
  console.log(`permission matrix: ${cells} server action cells, ${problems.length} differ`);
  expect(problems).toEqual([]);
});

test("sign-out: everyone, last of all", async () => {
  const row = MATRIX.find((r) => r.target === "POST app/signout/route.ts");
  if (!row) throw new Error("the matrix has no sign-out row");
  const { cells, problems } = await driveGetRows([row], ROUTES);
  console.log(`permission matrix: ${cells} sign-out cells, ${problems.length} differ`);
  expect(problems).toEqual([]);
  // And the sessions really ended: a page now sends everyone to sign in.
  for (const pov of POVS) {
    const response = await sessions[pov].get("/requests", { maxRedirects: 0 });
    expect(classify(response, await response.text()).code, `${pov} after signing out`).toBe("signIn");
  }
});
