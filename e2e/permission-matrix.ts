// The permission matrix as data (issue 9): every page, every route handler method and every exported server action
// against every point of view, with the outcome ../shared/DESIGN.md asks for (its permission matrix and its
// confidentiality rules), not what the app happens to do. e2e/permission-matrix.spec.ts drives every cell over
// HTTP; tests/permission-matrix-complete.test.ts fails when something in app/, components/ or lib/ is missing here,
// when a row names something that no longer exists, or when a row lacks a point of view.
//
// This file is plain data with no imports, so that the unit test can read it without Playwright.
//
// Points of view, in column order (the world is set up by the spec):
//   out     signed out
//   staff   a member of staff with no part in anything below
//   req     the requester of the request
//   asup    the supporter the request is assigned to
//   osup    another supporter
//   mem     a visible member of the network
//   silent  a silent member of the network (DESIGN: a membership whose visibility is "silent" — only the network's
//           coordinators know; db/schema.ts network_memberships.visibility)
//   coord   a coordinator of the network
//   coord2  a coordinator of another network
//   eu      the Equality Unit
//
// Outcome codes:
//   ok      pages and route handlers: 200; server actions: got past the permission check (the action's result,
//           a form message from its own validation or the request's state, or its success redirect)
//   404     the same "Page not found" as for something that does not exist; an action changes nothing
//   signIn  sent to /signin (pages: with callbackUrl = the page's path); an action changes nothing
//   refused an action the caller may use, but not this way, answers with a form message (e.g. "You are not a member
//           of this network.") and changes nothing: it concerns only the caller, so there is nothing to hide
//   400     a bad request, turned down whoever asks
//   401     a JSON 401 (an API call is never redirected to sign-in)
//   idp     a redirect to the identity provider
//   >/path  a redirect to that path

export const POVS = ["out", "staff", "req", "asup", "osup", "mem", "silent", "coord", "coord2", "eu"] as const;
export type Pov = (typeof POVS)[number];

export const OUTCOME_CODES = ["ok", "404", "signIn", "refused", "400", "401", "idp"] as const;
export type Outcome = (typeof OUTCOME_CODES)[number] | `>/${string}`;

export type RowKind = "page" | "route" | "action";

export type MatrixRow = {
  kind: RowKind;
  /** page: "app/…/page.tsx"; route: "GET app/…/route.ts"; action: "app/…/actions.ts#exportedName". */
  target: string;
  /** The outcome codes as written, one per point of view. */
  cells: string[];
  /** Why a cell is what it is, where that is not obvious. */
  note?: string;
};

const row =
  (kind: RowKind) =>
  (target: string, cells: string, note?: string): MatrixRow => ({ kind, target, cells: cells.trim().split(/\s+/), note });
const page = row("page");
const route = row("route");
const action = row("action");

// prettier-ignore
export const MATRIX: readonly MatrixRow[] = [
  // ---------------------------------------------------------------------------------------------------- pages
  //                                                            out    staff  req    asup   osup   mem    silent coord  coord2 eu
  page("app/page.tsx",                                         "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok"),
  page("app/accessibility/page.tsx",                           "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok"),
  page("app/help/page.tsx",                                    "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok"),
  page("app/signed-out/page.tsx",                              "ok     ok     ok     ok     ok     ok     ok     ok     ok     ok", "public: where the IdP sends people after sign-out"),
  page("app/sign-in-unavailable/page.tsx",                     "ok     ok     ok     ok     ok     ok     ok     ok     ok     ok", "public: shown when single sign-on does not answer"),
  page("app/sign-in-problem/page.tsx",                         "ok     ok     ok     ok     ok     ok     ok     ok     ok     ok", "public: where Auth.js sends a failed sign-in"),
  page("app/account-erased/page.tsx",                          "ok     >/account >/account >/account >/account >/account >/account >/account >/account >/account", "public confirmation after erasing; someone signed in has an account"),
  page("app/account/page.tsx",                                 "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok"),
  page("app/account/erase/page.tsx",                           "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok"),
  page("app/feedback/page.tsx",                                "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok"),
  page("app/feedback/sent/page.tsx",                           "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok"),
  page("app/notifications/page.tsx",                           "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok", "each person's own, content-free"),
  page("app/requests/page.tsx",                                "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok", "each person's own requests"),
  page("app/requests/[id]/page.tsx",                           "signIn 404    ok     ok     404    404    404    404    404    404", "request content: requester and assigned supporter only"),
  page("app/supporters/page.tsx",                              "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok"),
  page("app/supporters/[id]/page.tsx",                         "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok", "supporter profile: read by everyone"),
  page("app/supporters/[id]/contact/page.tsx",                 "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok", "asup: their own profile, so the page says they cannot ask themself"),
  page("app/supporters/[id]/contact/sent/[requestId]/page.tsx","signIn 404    ok     404    404    404    404    404    404    404", "the requester's confirmation of their own request"),
  page("app/inbox/page.tsx",                                   "signIn 404    404    ok     ok     404    404    404    404    404", "supporters on the roster only"),
  page("app/inbox/availability/page.tsx",                      "signIn 404    404    ok     ok     404    404    404    404    404"),
  page("app/inbox/profile/page.tsx",                           "signIn 404    404    ok     ok     404    404    404    404    404"),
  page("app/networks/page.tsx",                                "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok"),
  page("app/networks/[slug]/page.tsx",                         "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok", "network page: read by everyone (member names only for members)"),
  page("app/networks/[slug]/manage/page.tsx",                  "signIn 404    404    404    404    404    404    ok     404    404", "member list incl. silent: the network's coordinators only; the EU sees counts elsewhere"),
  page("app/networks/[slug]/manage/announce/page.tsx",         "signIn 404    404    404    404    404    404    ok     404    404"),
  page("app/networks/[slug]/manage/edit/page.tsx",             "signIn 404    404    404    404    404    404    ok     404    404", "network page: edited by its coordinators (its text; the name and address are the EU's, at /admin/networks)"),
  page("app/networks/[slug]/manage/report/page.tsx",           "signIn 404    404    404    404    404    404    ok     404    404", "reports: own network's counts"),
  page("app/networks/[slug]/manage/members/[membershipId]/remove/page.tsx",   "signIn 404 404 404 404 404 404 ok 404 404"),
  page("app/networks/[slug]/manage/requests/[membershipId]/decline/page.tsx", "signIn 404 404 404 404 404 404 ok 404 404"),
  page("app/admin/page.tsx",                                   "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/audit/page.tsx",                             "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/feedback/page.tsx",                          "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/networks/page.tsx",                          "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/networks/new/page.tsx",                      "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/networks/[id]/page.tsx",                     "signIn 404    404    404    404    404    404    404    404    ok", "a coordinator's part is the console"),
  page("app/admin/networks/[id]/edit/page.tsx",                "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/reports/page.tsx",                           "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/staff/page.tsx",                             "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/staff/[id]/page.tsx",                        "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/staff/[id]/leave/page.tsx",                  "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/staff/import/page.tsx",                      "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/staff/imports/page.tsx",                     "signIn 404    404    404    404    404    404    404    404    >/admin/staff/import", "the list lives on the import page"),
  page("app/admin/staff/imports/[id]/page.tsx",                "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/supporters/page.tsx",                        "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/supporters/new/page.tsx",                    "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/supporters/health/page.tsx",                 "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/supporters/[id]/page.tsx",                   "signIn 404    404    404    404    404    404    404    404    ok", "asup edits their own profile at /inbox/profile, not here"),
  page("app/admin/supporters/[id]/edit/page.tsx",              "signIn 404    404    404    404    404    404    404    404    ok"),
  page("app/admin/supporters/[id]/status/page.tsx",            "signIn 404    404    404    404    404    404    404    404    ok"),

  // ----------------------------------------------------------------------------------------------- route handlers
  //                                                            out    staff  req    asup   osup   mem    silent coord  coord2 eu
  route("GET app/api/health/route.ts",                         "ok     ok     ok     ok     ok     ok     ok     ok     ok     ok", "for monitoring: says only whether the service works"),
  route("GET app/api/auth/[...nextauth]/route.ts",             "ok     ok     ok     ok     ok     ok     ok     ok     ok     ok", "Auth.js' own endpoints (GET /api/auth/session: the caller's own session or null)"),
  route("POST app/api/auth/[...nextauth]/route.ts",            "400    400    400    400    400    400    400    400    400    400", "POST /api/auth/session without Auth.js' CSRF token: turned down for everyone"),
  route("GET app/api/staff/route.ts",                          "401    ok     ok     ok     ok     ok     ok     ok     ok     ok", "the staff picker's typeahead: all staff"),
  route("GET app/signin/route.ts",                             "idp    >/     >/     >/     >/     >/     >/     >/     >/     >/", "someone signed in is sent on to where they were going"),
  route("POST app/signout/route.ts",                           "idp    idp    idp    idp    idp    idp    idp    idp    idp    idp", "run last: it ends the session"),
  route("GET app/account/data/route.ts",                       "signIn >/account >/account >/account >/account >/account >/account >/account >/account >/account", "the download is a POST from /account"),
  route("POST app/account/data/route.ts",                      "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok", "each person's own data, no parameters"),
  route("GET app/admin/audit/export/route.ts",                 "signIn 404    404    404    404    404    404    404    404    ok"),
  route("GET app/admin/reports/[report]/route.ts",             "signIn 404    404    404    404    404    404    404    404    ok"),
  route("GET app/networks/[slug]/manage/members.csv/route.ts", "signIn 404    404    404    404    404    404    ok     404    404"),
  route("GET app/networks/[slug]/manage/report/[table]/route.ts", "signIn 404 404   404    404    404    404    ok     404    404"),

  // ---------------------------------------------------------------------------------------------- server actions
  //                                                            out    staff  req    asup   osup   mem    silent coord  coord2 eu
  action("app/account/actions.ts#saveTextSizeAction",          "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok"),
  action("app/account/data-actions.ts#eraseMyDataAction",      "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok", "only ever the caller's own data"),
  action("app/feedback/actions.ts#sendFeedbackAction",         "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok"),
  action("app/notifications/actions.ts#markAllReadAction",     "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok", "only ever the caller's own notifications"),
  action("app/supporters/[id]/contact/actions.ts#sendRequestAction", "signIn ok ok refused ok   ok     ok     ok     ok     ok", "asup: a supporter cannot ask themself for support"),
  action("app/requests/[id]/actions.ts#replyAction",           "signIn 404    ok     ok     404    404    404    404    404    404"),
  action("app/requests/[id]/actions.ts#acknowledgeAction",     "signIn 404    404    ok     404    404    404    404    404    404", "status: the assigned supporter only"),
  action("app/requests/[id]/actions.ts#startAction",           "signIn 404    404    ok     404    404    404    404    404    404"),
  action("app/requests/[id]/actions.ts#proposeHandoverAction", "signIn 404    404    ok     404    404    404    404    404    404"),
  action("app/requests/[id]/actions.ts#answerHandoverAction",  "signIn 404    ok     404    404    404    404    404    404    404", "handover consent: the requester only"),
  action("app/requests/[id]/actions.ts#declineAction",         "signIn 404    404    ok     404    404    404    404    404    404"),
  action("app/requests/[id]/actions.ts#closeAction",           "signIn 404    404    ok     404    404    404    404    404    404"),
  action("app/requests/[id]/actions.ts#withdrawAction",        "signIn 404    ok     404    404    404    404    404    404    404"),
  action("app/requests/[id]/actions.ts#eraseAction",           "signIn 404    ok     404    404    404    404    404    404    404"),
  action("app/inbox/availability/actions.ts#availabilityAction", "signIn 404  404    ok     ok     404    404    404    404    404"),
  action("app/inbox/profile/actions.ts#updateProfileAction",   "signIn 404    404    ok     ok     404    404    404    404    404", "a supporter edits their own profile"),
  action("app/networks/[slug]/actions.ts#joinNetworkAction",   "signIn ok     ok     ok     ok     ok     ok     ok     ok     ok", "own membership: anyone may ask to join"),
  action("app/networks/[slug]/actions.ts#setVisibilityAction", "signIn refused refused refused refused ok ok  refused refused refused", "own membership: only a member has one to change"),
  action("app/networks/[slug]/actions.ts#leaveNetworkAction",  "signIn refused refused refused refused ok ok  refused refused refused", "run last among actions: the members leave"),
  action("app/networks/[slug]/manage/actions.ts#approveAction",  "signIn 404  404    404    404    404    404    ok     404    404", "approve/decline/remove: the network's coordinators"),
  action("app/networks/[slug]/manage/actions.ts#declineAction",  "signIn 404  404    404    404    404    404    ok     404    404"),
  action("app/networks/[slug]/manage/actions.ts#removeAction",   "signIn 404  404    404    404    404    404    ok     404    404"),
  action("app/networks/[slug]/manage/actions.ts#announceAction", "signIn 404  404    404    404    404    404    ok     404    404"),
  action("app/networks/[slug]/manage/actions.ts#updateNetworkPageAction", "signIn 404 404 404 404 404 404 ok 404 404", "network page: its coordinators edit its text; the EU edits it at /admin/networks"),
  action("app/admin/networks/actions.ts#createNetworkAction",  "signIn 404    404    404    404    404    404    404    404    ok", "network create/edit/archive: the Equality Unit"),
  action("app/admin/networks/actions.ts#updateNetworkAction",  "signIn 404    404    404    404    404    404    404    404    ok", "the whole network, name and address included: the EU only (coord edits the page's text in the console)"),
  action("app/admin/networks/actions.ts#archiveNetworkAction", "signIn 404    404    404    404    404    404    404    404    ok"),
  action("app/admin/networks/actions.ts#restoreNetworkAction", "signIn 404    404    404    404    404    404    404    404    ok"),
  action("app/admin/networks/actions.ts#assignCoordinatorAction", "signIn 404 404    404    404    404    404    404    404    ok"),
  action("app/admin/networks/actions.ts#removeCoordinatorAction", "signIn 404 404    404    404    404    404    404    404    ok"),
  action("app/admin/supporters/new/actions.ts#addSupporterAction", "signIn 404 404    404    404    404    404    404    404    ok", "supporter lifecycle: the Equality Unit"),
  action("app/admin/supporters/[id]/actions.ts#updateSupporterAction", "signIn 404 404 404   404    404    404    404    404    ok"),
  action("app/admin/supporters/[id]/actions.ts#changeStatusAction", "signIn 404 404  404    404    404    404    404    404    ok"),
  action("app/admin/staff/actions.ts#markLeaverAction",        "signIn 404    404    404    404    404    404    404    404    ok", "staff records, grants: the Equality Unit"),
  action("app/admin/staff/actions.ts#reinstateAction",         "signIn 404    404    404    404    404    404    404    404    ok"),
  action("app/admin/staff/actions.ts#grantEqualityUnitAction", "signIn 404    404    404    404    404    404    404    404    ok"),
  action("app/admin/staff/actions.ts#revokeEqualityUnitAction", "signIn 404   404    404    404    404    404    404    404    ok"),
  action("app/admin/staff/import/actions.ts#startImportAction", "signIn 404   404    404    404    404    404    404    404    ok"),
  action("app/admin/feedback/actions.ts#archiveFeedbackAction", "signIn 404   404    404    404    404    404    404    404    ok"),
  action("app/admin/feedback/actions.ts#restoreFeedbackAction", "signIn 404   404    404    404    404    404    404    404    ok"),
  action("app/admin/audit/actions.ts#verifyAuditLogAction",    "signIn 404    404    404    404    404    404    404    404    ok", "audit log: the Equality Unit"),
];

export function isOutcome(code: string): code is Outcome {
  return (OUTCOME_CODES as readonly string[]).includes(code) || /^>\/\S*$/.test(code);
}

/** The row's outcome for each point of view (throws when a row is malformed; the completeness test says which). */
export function expectations(matrixRow: MatrixRow): Record<Pov, Outcome> {
  if (matrixRow.cells.length !== POVS.length) throw new Error(`${matrixRow.target}: ${matrixRow.cells.length} cells, not ${POVS.length}`);
  const entries = POVS.map((pov, index) => {
    const code = matrixRow.cells[index] ?? "";
    if (!isOutcome(code)) throw new Error(`${matrixRow.target}: "${code}" is not an outcome code`);
    return [pov, code] as const;
  });
  return Object.fromEntries(entries) as Record<Pov, Outcome>;
}
