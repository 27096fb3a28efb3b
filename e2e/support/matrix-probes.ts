import type Database from "better-sqlite3";

import type { Pov } from "../permission-matrix";
import type { World } from "./matrix-world";

// How each row of e2e/permission-matrix.ts is driven: the address (with the world's ids), and for a server action
// the page its form is on, how its arguments are encoded, the form it posts, what proves that a "may" cell got past
// the permission check, and the rows it could change (its footprint, compared before and after every cell that
// must change nothing).
//
// Bodies: a cell that may not act posts a form that would succeed if the permission check were missing, so a
// refusal means the check held. A cell that may act posts a form that succeeds where the success does not spoil
// later cells (on this spec's own rows), and otherwise one its own validation or the request's state turns down
// after the permission check (seeded people's data is never changed).

export type Fields = Record<string, string | { name: string; mimeType: string; buffer: Buffer }>;
export type Ctx = { pov: Pov; may: boolean };

export type PageProbe = { path: (w: World) => string };
export type RouteProbe = { path: (w: World) => string };
export type ActionProbe = {
  /** The page whose form posts the action (it must list the action in the build's server reference manifest). */
  page: (w: World) => string;
  /** How the action is called: (previous state, form), (form) or (). */
  args: "state" | "form" | "none";
  form?: (w: World, ctx: Ctx) => Fields;
  /** Seen in the response (body or redirect) of every "ok" cell: proof it got past the permission check. */
  ok?: RegExp;
  /** The form message of a "refused" cell. */
  refused?: RegExp;
  /** Rows the action could change; must be identical before and after a cell that may not act. */
  footprint: (db: Database.Database, w: World) => unknown;
};

const REQUEST_PAGE = (w: World) => `/requests/${w.requestId}`;
const CONSOLE = (w: World) => `/networks/${w.network.slug}/manage`;

// ---------------------------------------------------------------------------------------------------- footprints

const all = (db: Database.Database, sql: string, ...params: unknown[]) => db.prepare(sql).all(...params);

const requestFootprint = (db: Database.Database, w: World) => ({
  request: all(
    db,
    `SELECT status, supporter_id, supporter_user_id, handover_supporter_id, message_cipher, safe_contact_cipher,
            decline_reason_cipher, outcome, acknowledged_at, ended_at, erased_at FROM support_requests WHERE id = ?`,
    w.requestId,
  ),
  messages: all(db, "SELECT id FROM request_messages WHERE request_id = ? ORDER BY id", w.requestId),
  events: all(db, "SELECT count(*) AS n FROM request_status_events WHERE request_id = ?", w.requestId),
  // Every request's count, so one sent or changed for anyone else by mistake shows too.
  requestsToOmar: all(db, "SELECT count(*) AS n FROM support_requests WHERE supporter_id = ?", w.supporterId),
});

// Only rows of this spec's own: the seeded people's rows are changed by other journeys running at the same time
// (Sam's profile and pauses, Casey's text size, everyone's notifications), which would read as a change here.
const OWN: readonly Pov[] = ["req", "asup", "mem", "silent", "coord"];
const ownIds = (w: World): string[] => [...OWN.map((pov) => w.userIds[pov as keyof World["userIds"]]), w.bystanderId];
const marks = (ids: readonly string[]) => ids.map(() => "?").join(", ");

const membershipFootprint = (db: Database.Database, w: World) => ({
  memberships: all(
    db,
    "SELECT id, user_id, status, visibility, decision_reason FROM network_memberships WHERE network_id IN (?, ?) ORDER BY id",
    w.network.id,
    w.spare.id,
  ),
  announcements: all(db, "SELECT id FROM network_announcements WHERE network_id = ?", w.network.id),
  // Nobody of ours joins anything else either.
  elsewhere: all(
    db,
    `SELECT network_id, user_id, status, visibility FROM network_memberships WHERE user_id IN (${marks(ownIds(w))})
     AND network_id NOT IN (?, ?) ORDER BY network_id, user_id`,
    ...ownIds(w),
    w.network.id,
    w.spare.id,
  ),
});

const networkFootprint = (db: Database.Database, w: World) => ({
  networks: all(db, "SELECT id, slug, name, summary, status FROM networks WHERE id IN (?, ?) OR slug LIKE ? ORDER BY id", w.network.id, w.spare.id, `%${w.tag}%`),
  coordinators: all(
    db,
    `SELECT network_id, user_id FROM network_coordinators WHERE network_id IN (?, ?) OR user_id IN (${marks(ownIds(w))}) ORDER BY 1, 2`,
    w.network.id,
    w.spare.id,
    ...ownIds(w),
  ),
});

const supporterFootprint = (db: Database.Database, w: World) => ({
  supporters: all(
    db,
    `SELECT id, user_id, status, role_title, site, introduction, working_pattern, paused_until, pause_reason, capacity, updated_at
     FROM supporters WHERE id = ? OR user_id IN (${marks(ownIds(w))}) ORDER BY id`,
    w.supporterId,
    ...ownIds(w),
  ),
  attributes: all(db, "SELECT supporter_id, kind, value FROM supporter_attributes WHERE supporter_id = ? ORDER BY 1, 2, 3", w.supporterId),
  history: all(db, "SELECT count(*) AS n FROM supporter_status_events WHERE supporter_id = ?", w.supporterId),
});

const staffFootprint = (db: Database.Database, w: World) => ({
  people: all(db, `SELECT id, deactivated_at FROM users WHERE id IN (${marks(ownIds(w))}) ORDER BY id`, ...ownIds(w)),
  grants: all(db, `SELECT user_id, role FROM role_grants WHERE user_id IN (${marks(ownIds(w))}) ORDER BY 1, 2`, ...ownIds(w)),
  imports: all(db, "SELECT count(*) AS n FROM staff_imports WHERE file_name LIKE ?", `%${w.tag}%`),
});

const ownAccountFootprint = (db: Database.Database, w: World) => ({
  users: all(db, `SELECT id, text_size, deactivated_at FROM users WHERE id IN (${marks(ownIds(w))}) ORDER BY id`, ...ownIds(w)),
  feedback: all(db, `SELECT count(*) AS n FROM feedback WHERE user_id IN (${marks(ownIds(w))})`, ...ownIds(w)),
  unread: all(
    db,
    `SELECT user_id, count(*) AS n FROM notifications WHERE read_at IS NULL AND user_id IN (${marks(ownIds(w))}) GROUP BY user_id ORDER BY user_id`,
    ...ownIds(w),
  ),
});

const feedbackFootprint = (db: Database.Database, w: World) =>
  all(db, "SELECT id, archived_at, archived_by FROM feedback WHERE id = ?", w.feedbackId);

// Eve verifies the log in other journeys at the same time: anyone else's verification is what must not happen.
const auditVerifications = (db: Database.Database, w: World) =>
  all(db, "SELECT count(*) AS n FROM audit_events WHERE action = 'audit.verified' AND (actor_id IS NULL OR actor_id != ?)", w.userIds.eu);

// ------------------------------------------------------------------------------------------------------ pages

export const PAGES: Record<string, PageProbe> = {
  "app/page.tsx": { path: () => "/" },
  "app/accessibility/page.tsx": { path: () => "/accessibility" },
  "app/help/page.tsx": { path: () => "/help" },
  "app/signed-out/page.tsx": { path: () => "/signed-out" },
  "app/sign-in-unavailable/page.tsx": { path: () => "/sign-in-unavailable" },
  "app/sign-in-problem/page.tsx": { path: () => "/sign-in-problem" },
  "app/account-erased/page.tsx": { path: () => "/account-erased" },
  "app/account/page.tsx": { path: () => "/account" },
  "app/account/erase/page.tsx": { path: () => "/account/erase" },
  "app/feedback/page.tsx": { path: () => "/feedback" },
  "app/feedback/sent/page.tsx": { path: () => "/feedback/sent" },
  "app/notifications/page.tsx": { path: () => "/notifications" },
  "app/requests/page.tsx": { path: () => "/requests" },
  "app/requests/[id]/page.tsx": { path: REQUEST_PAGE },
  "app/supporters/page.tsx": { path: () => "/supporters" },
  "app/supporters/[id]/page.tsx": { path: (w) => `/supporters/${w.supporterId}` },
  "app/supporters/[id]/contact/page.tsx": { path: (w) => `/supporters/${w.supporterId}/contact` },
  "app/supporters/[id]/contact/sent/[requestId]/page.tsx": { path: (w) => `/supporters/${w.supporterId}/contact/sent/${w.requestId}` },
  "app/inbox/page.tsx": { path: () => "/inbox" },
  "app/inbox/availability/page.tsx": { path: () => "/inbox/availability" },
  "app/inbox/profile/page.tsx": { path: () => "/inbox/profile" },
  "app/networks/page.tsx": { path: () => "/networks" },
  "app/networks/[slug]/page.tsx": { path: (w) => `/networks/${w.network.slug}` },
  "app/networks/[slug]/manage/page.tsx": { path: CONSOLE },
  "app/networks/[slug]/manage/announce/page.tsx": { path: (w) => `${CONSOLE(w)}/announce` },
  "app/networks/[slug]/manage/edit/page.tsx": { path: (w) => `${CONSOLE(w)}/edit` },
  "app/networks/[slug]/manage/report/page.tsx": { path: (w) => `${CONSOLE(w)}/report` },
  "app/networks/[slug]/manage/members/[membershipId]/remove/page.tsx": { path: (w) => `${CONSOLE(w)}/members/${w.memberMembershipId}/remove` },
  "app/networks/[slug]/manage/requests/[membershipId]/decline/page.tsx": { path: (w) => `${CONSOLE(w)}/requests/${w.pendingToDecline.membershipId}/decline` },
  "app/admin/page.tsx": { path: () => "/admin" },
  "app/admin/audit/page.tsx": { path: () => "/admin/audit" },
  "app/admin/feedback/page.tsx": { path: () => "/admin/feedback" },
  "app/admin/networks/page.tsx": { path: () => "/admin/networks" },
  "app/admin/networks/new/page.tsx": { path: () => "/admin/networks/new" },
  "app/admin/networks/[id]/page.tsx": { path: (w) => `/admin/networks/${w.network.id}` },
  "app/admin/networks/[id]/edit/page.tsx": { path: (w) => `/admin/networks/${w.network.id}/edit` },
  "app/admin/reports/page.tsx": { path: () => "/admin/reports" },
  "app/admin/staff/page.tsx": { path: () => "/admin/staff" },
  "app/admin/staff/[id]/page.tsx": { path: (w) => `/admin/staff/${w.userIds.req}` },
  "app/admin/staff/[id]/leave/page.tsx": { path: (w) => `/admin/staff/${w.bystanderId}/leave` },
  "app/admin/staff/import/page.tsx": { path: () => "/admin/staff/import" },
  "app/admin/staff/imports/page.tsx": { path: () => "/admin/staff/imports" },
  "app/admin/staff/imports/[id]/page.tsx": { path: (w) => `/admin/staff/imports/${w.importId}` },
  "app/admin/supporters/page.tsx": { path: () => "/admin/supporters" },
  "app/admin/supporters/new/page.tsx": { path: () => "/admin/supporters/new" },
  "app/admin/supporters/health/page.tsx": { path: () => "/admin/supporters/health" },
  "app/admin/supporters/[id]/page.tsx": { path: (w) => `/admin/supporters/${w.supporterId}` },
  "app/admin/supporters/[id]/edit/page.tsx": { path: (w) => `/admin/supporters/${w.supporterId}/edit` },
  "app/admin/supporters/[id]/status/page.tsx": { path: (w) => `/admin/supporters/${w.supporterId}/status` },
};

// --------------------------------------------------------------------------------------------- route handlers

export const ROUTES: Record<string, RouteProbe> = {
  "GET app/api/health/route.ts": { path: () => "/api/health" },
  "GET app/api/auth/[...nextauth]/route.ts": { path: () => "/api/auth/session" },
  "POST app/api/auth/[...nextauth]/route.ts": { path: () => "/api/auth/session" },
  "GET app/api/staff/route.ts": { path: () => "/api/staff?q=matrix" },
  "GET app/signin/route.ts": { path: () => "/signin" },
  "POST app/signout/route.ts": { path: () => "/signout" },
  "GET app/account/data/route.ts": { path: () => "/account/data" },
  "POST app/account/data/route.ts": { path: () => "/account/data" },
  "GET app/admin/audit/export/route.ts": { path: (w) => `/admin/audit/export?objectId=${w.requestId}` },
  "GET app/admin/reports/[report]/route.ts": { path: () => "/admin/reports/requests-by-month" },
  "GET app/networks/[slug]/manage/members.csv/route.ts": { path: (w) => `${CONSOLE(w)}/members.csv` },
  "GET app/networks/[slug]/manage/report/[table]/route.ts": { path: (w) => `${CONSOLE(w)}/report/membership` },
};

// --------------------------------------------------------------------------------------------- server actions

export const ACTIONS: Record<string, ActionProbe> = {
  // Each person's own settings: an unknown text size is turned down after the sign-in check.
  "app/account/actions.ts#saveTextSizeAction": {
    page: () => "/account",
    args: "state",
    form: () => ({ textSize: "enormous" }),
    ok: /Choose a text size/,
    footprint: ownAccountFootprint,
  },
  // Never erase anyone here: without the confirmation it is turned down, after the sign-in check.
  "app/account/data-actions.ts#eraseMyDataAction": {
    page: () => "/account/erase",
    args: "state",
    form: () => ({}),
    ok: /Confirm that you understand/,
    footprint: ownAccountFootprint,
  },
  "app/feedback/actions.ts#sendFeedbackAction": {
    page: () => "/feedback",
    args: "state",
    form: () => ({ topic: "", body: "" }),
    ok: /Check your feedback/,
    footprint: ownAccountFootprint,
  },
  // Marks the caller's own notifications read (the only action with no input at all).
  "app/notifications/actions.ts#markAllReadAction": {
    page: () => "/notifications",
    args: "none",
    ok: /\/notifications/,
    footprint: ownAccountFootprint,
  },
  "app/supporters/[id]/contact/actions.ts#sendRequestAction": {
    page: (w) => `/supporters/${w.supporterId}/contact`,
    args: "state",
    // Those who may ask leave the message out, so nothing is sent; Omar sends a complete request to himself,
    // which the rules turn down.
    form: (w, { pov }) => ({
      supporterId: w.supporterId,
      category: "wellbeing",
      message: pov === "asup" ? "I would like to talk to myself." : "",
      contactMethod: "in_app",
      acknowledgeLimits: "yes",
    }),
    ok: /Check your request/,
    refused: /This supporter cannot take your request/,
    footprint: requestFootprint,
  },

  // The request moves through its life in row order: replied, acknowledged, started, (handover to himself
  // turned down, no handover to answer, decline turned down in progress), closed, (withdraw turned down), erased.
  "app/requests/[id]/actions.ts#replyAction": {
    page: REQUEST_PAGE,
    args: "state",
    form: (w, { pov }) => ({ requestId: w.requestId, body: `A reply from ${pov}` }),
    ok: /done=replied/,
    footprint: requestFootprint,
  },
  "app/requests/[id]/actions.ts#acknowledgeAction": {
    page: REQUEST_PAGE,
    args: "state",
    form: (w) => ({ requestId: w.requestId }),
    ok: /done=acknowledged/,
    footprint: requestFootprint,
  },
  "app/requests/[id]/actions.ts#startAction": {
    page: REQUEST_PAGE,
    args: "state",
    form: (w) => ({ requestId: w.requestId }),
    ok: /done=started/,
    footprint: requestFootprint,
  },
  "app/requests/[id]/actions.ts#proposeHandoverAction": {
    page: REQUEST_PAGE,
    args: "state",
    // Others propose Sam (which would go through if they were allowed); Omar proposes himself, which the rules
    // turn down once he is known to be the assigned supporter, so the request stays in progress.
    form: (w, { may }) => ({ requestId: w.requestId, supporterId: may ? w.supporterId : w.otherSupporterId }),
    ok: /That supporter cannot take this request/,
    footprint: requestFootprint,
  },
  "app/requests/[id]/actions.ts#answerHandoverAction": {
    page: REQUEST_PAGE,
    args: "state",
    form: (w) => ({ requestId: w.requestId, answer: "no" }),
    ok: /There is no handover waiting for your answer/,
    footprint: requestFootprint,
  },
  "app/requests/[id]/actions.ts#declineAction": {
    page: REQUEST_PAGE,
    args: "state",
    form: (w) => ({ requestId: w.requestId, reason: "I cannot take this on." }),
    ok: /Only a new or acknowledged request can be declined/,
    footprint: requestFootprint,
  },
  "app/requests/[id]/actions.ts#closeAction": {
    page: REQUEST_PAGE,
    args: "state",
    form: (w) => ({ requestId: w.requestId, outcome: "resolved" }),
    ok: /done=closed/,
    footprint: requestFootprint,
  },
  "app/requests/[id]/actions.ts#withdrawAction": {
    page: REQUEST_PAGE,
    args: "state",
    form: (w) => ({ requestId: w.requestId }),
    ok: /This request has already ended/,
    footprint: requestFootprint,
  },
  "app/requests/[id]/actions.ts#eraseAction": {
    page: REQUEST_PAGE,
    args: "state",
    form: (w) => ({ requestId: w.requestId, confirm: "yes" }),
    ok: /done=erased/,
    footprint: requestFootprint,
  },

  // A supporter's own settings: a capacity that is not a number, and an empty profile, are turned down.
  "app/inbox/availability/actions.ts#availabilityAction": {
    page: () => "/inbox/availability",
    args: "state",
    form: (_w, { may }) => (may ? { intent: "capacity", capacity: "lots" } : { intent: "capacity", capacity: "1" }),
    ok: /Check your capacity/,
    footprint: supporterFootprint,
  },
  "app/inbox/profile/actions.ts#updateProfileAction": {
    page: () => "/inbox/profile",
    args: "state",
    form: (_w, { may }) => (may ? { introduction: "x".repeat(5000) } : { introduction: "Changed by someone else" }),
    ok: /Check your profile/,
    footprint: supporterFootprint,
  },

  // Own membership. Joining: an answer that is not a choice is turned down for everyone (nobody really joins).
  "app/networks/[slug]/actions.ts#joinNetworkAction": {
    page: (w) => `/networks/${w.network.slug}`,
    args: "state",
    form: (w) => ({ slug: w.network.slug, visibility: "loud" }),
    ok: /Check your answers/,
    footprint: membershipFootprint,
  },
  // Each member keeps the visibility they have (the change goes through and changes nothing).
  "app/networks/[slug]/actions.ts#setVisibilityAction": {
    page: (w) => `/networks/${w.network.slug}`,
    args: "state",
    form: (w, { pov }) => ({ slug: w.network.slug, visibility: pov === "silent" ? "silent" : "visible" }),
    ok: /"ok":true/,
    refused: /You are not a member of this network\./,
    footprint: membershipFootprint,
  },
  "app/networks/[slug]/actions.ts#leaveNetworkAction": {
    page: (w) => `/networks/${w.network.slug}`,
    args: "state",
    form: (w) => ({ slug: w.network.slug }),
    ok: /"ok":true/,
    refused: /You are not a member of this network and have not asked to join it\./,
    footprint: membershipFootprint,
  },

  // The coordinator console. Pia approves one pending request for real; decline, remove and announce are
  // turned down for a missing reason or title (which only a coordinator is told).
  "app/networks/[slug]/manage/actions.ts#approveAction": {
    page: CONSOLE,
    args: "form",
    form: (w) => ({ networkId: w.network.id, membershipId: w.pendingToApprove.membershipId }),
    ok: /outcome=approved/,
    footprint: membershipFootprint,
  },
  "app/networks/[slug]/manage/actions.ts#declineAction": {
    page: (w) => `${CONSOLE(w)}/requests/${w.pendingToDecline.membershipId}/decline`,
    args: "state",
    form: (w, { may }) => ({ networkId: w.network.id, membershipId: w.pendingToDecline.membershipId, reason: may ? "" : "Not this time." }),
    ok: /Enter a reason for declining this request/,
    footprint: membershipFootprint,
  },
  "app/networks/[slug]/manage/actions.ts#removeAction": {
    page: (w) => `${CONSOLE(w)}/members/${w.memberMembershipId}/remove`,
    args: "state",
    form: (w, { may }) => ({ networkId: w.network.id, membershipId: w.memberMembershipId, reason: may ? "" : "Removed." }),
    ok: /Enter a reason for removing this member/,
    footprint: membershipFootprint,
  },
  "app/networks/[slug]/manage/actions.ts#announceAction": {
    page: (w) => `${CONSOLE(w)}/announce`,
    args: "state",
    form: (w, { may }) => ({ networkId: w.network.id, title: may ? "" : "An announcement", body: "Hello everyone." }),
    ok: /Enter a title/,
    footprint: membershipFootprint,
  },

  // Editing the network's page: those who may not send a complete change (which would go through); Pia leaves the
  // summary out, which only a coordinator is told.
  "app/networks/[slug]/manage/actions.ts#updateNetworkPageAction": {
    page: (w) => `${CONSOLE(w)}/edit`,
    args: "state",
    form: (w, { may }) => ({
      networkId: w.network.id,
      summary: may ? "" : "Changed by someone else.",
      description: "Description.",
      whoFor: "Anyone.",
      howToJoin: "Ask.",
      offers: "",
    }),
    ok: /Enter a short summary/,
    footprint: networkFootprint,
  },

  // The Equality Unit's network administration: the spare network is archived and restored, and its coordinator
  // removed, for real; create, update and assign are turned down by their own checks.
  "app/admin/networks/actions.ts#createNetworkAction": {
    page: () => "/admin/networks/new",
    args: "state",
    form: (w, { may }) => ({
      name: may ? "" : `Matrix Created ${w.tag}`,
      slug: `matrix-created-${w.tag}`,
      summary: "Summary.",
      description: "Description.",
      whoFor: "Anyone.",
      howToJoin: "Ask.",
      offers: "",
      contactMailbox: "",
      joinPolicy: "open",
    }),
    ok: /Enter the network\\u2019s name|Enter the network’s name/,
    footprint: networkFootprint,
  },
  "app/admin/networks/actions.ts#updateNetworkAction": {
    page: (w) => `/admin/networks/${w.network.id}/edit`,
    args: "state",
    form: (w, { may }) => ({
      networkId: w.network.id,
      name: may ? "" : `Matrix Renamed ${w.tag}`,
      slug: w.network.slug,
      summary: "Summary.",
      description: "Description.",
      whoFor: "Anyone.",
      howToJoin: "Ask.",
      offers: "",
      contactMailbox: "",
      joinPolicy: "approval",
    }),
    ok: /Enter the network\\u2019s name|Enter the network’s name/,
    footprint: networkFootprint,
  },
  "app/admin/networks/actions.ts#archiveNetworkAction": {
    page: (w) => `/admin/networks/${w.spare.id}`,
    args: "form",
    form: (w) => ({ networkId: w.spare.id }),
    ok: /outcome=archived/,
    footprint: networkFootprint,
  },
  "app/admin/networks/actions.ts#restoreNetworkAction": {
    page: (w) => `/admin/networks/${w.spare.id}`,
    args: "form",
    form: (w) => ({ networkId: w.spare.id }),
    ok: /outcome=restored/,
    footprint: networkFootprint,
  },
  "app/admin/networks/actions.ts#assignCoordinatorAction": {
    page: (w) => `/admin/networks/${w.network.id}`,
    args: "state",
    form: (w, { may }) => (may ? { networkId: w.network.id, staff: "", staffId: "" } : { networkId: w.network.id, staff: "", staffId: w.bystanderId }),
    ok: /"ok":false/,
    footprint: networkFootprint,
  },
  "app/admin/networks/actions.ts#removeCoordinatorAction": {
    page: (w) => `/admin/networks/${w.spare.id}`,
    args: "form",
    form: (w) => ({ networkId: w.spare.id, userId: w.spare.coordinatorId }),
    ok: /outcome=coordinator-removed/,
    footprint: networkFootprint,
  },

  // The roster: empty forms, turned down by the Equality Unit's own validation.
  "app/admin/supporters/new/actions.ts#addSupporterAction": {
    page: () => "/admin/supporters/new",
    args: "state",
    form: () => ({ staff: "", staffId: "" }),
    ok: /Check the supporter's details|Check the supporter\\u0027s details/,
    footprint: supporterFootprint,
  },
  "app/admin/supporters/[id]/actions.ts#updateSupporterAction": {
    page: (w) => `/admin/supporters/${w.supporterId}/edit`,
    args: "state",
    form: (w) => ({ supporterId: w.supporterId, roleTitle: "" }),
    ok: /Check the supporter's details|Check the supporter\\u0027s details/,
    footprint: supporterFootprint,
  },
  "app/admin/supporters/[id]/actions.ts#changeStatusAction": {
    page: (w) => `/admin/supporters/${w.supporterId}/status`,
    args: "state",
    form: (w, { may }): Fields => (may ? { supporterId: w.supporterId, status: "" } : { supporterId: w.supporterId, status: "retired", reason: "Leaving." }),
    ok: /Check the status change/,
    footprint: supporterFootprint,
  },

  // Staff records: the bystander is marked a leaver and reinstated for real; granting Eve the role she has, and
  // revoking it from someone who lacks it, are turned down after the Equality Unit check.
  "app/admin/staff/actions.ts#markLeaverAction": {
    page: (w) => `/admin/staff/${w.bystanderId}/leave`,
    args: "state",
    form: (w) => ({ userId: w.bystanderId }),
    ok: /done=left/,
    footprint: staffFootprint,
  },
  "app/admin/staff/actions.ts#reinstateAction": {
    page: (w) => `/admin/staff/${w.bystanderId}`,
    args: "state",
    form: (w) => ({ userId: w.bystanderId }),
    ok: /done=reinstated/,
    footprint: staffFootprint,
  },
  "app/admin/staff/actions.ts#grantEqualityUnitAction": {
    page: (w) => `/admin/staff/${w.bystanderId}`,
    args: "state",
    form: (w, { may }) => ({ userId: may ? w.userIds.eu : w.bystanderId }),
    ok: /"ok":false/,
    footprint: staffFootprint,
  },
  "app/admin/staff/actions.ts#revokeEqualityUnitAction": {
    page: (w) => `/admin/staff/${w.bystanderId}`,
    args: "state",
    // Nina is not in the Equality Unit: turned down for Eve; for anyone else it would be a refusal too, so the
    // status code (404) is what tells.
    form: (w) => ({ userId: w.userIds.req }),
    ok: /"ok":false/,
    footprint: staffFootprint,
  },
  "app/admin/staff/import/actions.ts#startImportAction": {
    page: () => "/admin/staff/import",
    args: "state",
    form: (w, { may }): Fields =>
      may
        ? {}
        : {
            file: {
              name: `matrix-${w.tag}.csv`,
              mimeType: "text/csv",
              buffer: Buffer.from(`email,name,rank or grade,department,site\r\nmatrix.import.${w.tag}@example.org,Matrix Import,PC,Matrix,Force HQ\r\n`),
            },
          },
    ok: /Select a CSV file/,
    footprint: staffFootprint,
  },
  "app/admin/feedback/actions.ts#archiveFeedbackAction": {
    page: () => "/admin/feedback",
    args: "form",
    form: (w) => ({ feedbackId: w.feedbackId }),
    ok: /outcome=archived/,
    footprint: feedbackFootprint,
  },
  "app/admin/feedback/actions.ts#restoreFeedbackAction": {
    page: () => "/admin/feedback",
    args: "form",
    form: (w) => ({ feedbackId: w.feedbackId }),
    ok: /outcome=restored/,
    footprint: feedbackFootprint,
  },
  "app/admin/audit/actions.ts#verifyAuditLogAction": {
    page: () => "/admin/audit",
    args: "state",
    form: () => ({}),
    ok: /"ok":true/,
    // Anyone else's attempt records nothing but the refusal.
    footprint: auditVerifications,
  },
};
