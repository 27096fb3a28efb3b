import "server-only";

import { randomUUID } from "node:crypto";

import { and, asc, count, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";

import type { SessionUser } from "@/lib/auth/session";
import { appendAudit } from "@/lib/audit";
import { clock } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { db } from "../client";
import { networkAnnouncements, networkCoordinators, networkMemberCounts, networkMemberships, networks, users } from "../schema";
import {
  ANNOUNCEMENTS_PAGE_SIZE,
  MEMBERS_PAGE_SIZE,
  NETWORKS_PAGE_SIZE,
  type JoinInput,
  type LeaveInput,
  type Visibility,
  type VisibilityInput,
} from "../validation/networks";
import { notify } from "./notifications";

// The networks that staff see: the list, a network's page, joining, switching visibility and leaving, and "Your
// networks" on /account. Membership is special-category data (religion, ethnicity, sexuality, health), so:
// - every write finds the membership by the signed-in person's id, never by an id from a form;
// - the member list and announcements are only returned when the viewer is an active member of that network, and
//   the check is in the same statement (a non-member gets NotFoundError, exactly as for a network that does not
//   exist);
// - member counts leave the database only when they are 5 or more: smaller counts could identify someone, and
//   only the network's coordinators (in their console, not here) are told "fewer than 5";
// - audit events name the membership row's opaque id, never the network.

export const MEMBER_COUNT_THRESHOLD = 5;

export type MembershipStatus = "pending" | "active" | "declined" | "removed";
export type JoinPolicy = "open" | "approval";

export type NetworkSummary = {
  slug: string;
  name: string;
  summary: string;
  whoFor: string;
  howToJoin: string;
  joinPolicy: JoinPolicy;
  contactMailbox: string | null;
  /** Coordinators' names: they are the network's public contact points. */
  coordinators: string[];
  /** Active members, or null when there are fewer than 5 (the page then says nothing about size). */
  memberCount: number | null;
};

export type NetworkDetail = NetworkSummary & { description: string; offers: string };

/** The viewer's own membership row, for the viewer only. */
export type OwnMembership = {
  status: MembershipStatus;
  visibility: Visibility;
  requestNote: string | null;
  /** The coordinator's reason for declining or removing; seen only by the person and the coordinators. */
  decisionReason: string | null;
  requestedAt: Date;
  decidedAt: Date | null;
};

export type NetworkPage = { network: NetworkDetail; membership: OwnMembership | null };

export type NetworkListPage = {
  entries: NetworkSummary[];
  total: number;
  page: number;
  pageCount: number;
};

export type MemberEntry = { name: string; isViewer: boolean };

export type MemberListPage = {
  members: MemberEntry[];
  /** Visible members (the viewer included when they are visible). */
  total: number;
  page: number;
  pageCount: number;
};

export type Announcement = { id: string; title: string; body: string; createdAt: Date };

export type AnnouncementPage = { announcements: Announcement[]; total: number; page: number; pageCount: number };

export type MyNetwork = {
  slug: string;
  name: string;
  /** An archived network's page is gone, but the person can still see and leave their membership. */
  networkActive: boolean;
  joinPolicy: JoinPolicy;
  status: MembershipStatus;
  visibility: Visibility;
};

export type JoinResult = {
  membershipId: string;
  status: "active" | "pending";
  /** False when the person was already a member or already waiting: joining twice changes nothing. */
  changed: boolean;
};

type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0];

// A name missing from single sign-on still needs something to show; the email address is never shown instead.
const NAME_FALLBACK = "Name not recorded";

const coordinatorUser = alias(users, "coordinator_user");
const viewerMembership = alias(networkMemberships, "viewer_membership");

// Subqueries are built with the query builder (like db/queries/users.ts) so that every column, including the outer
// query's networks.id, is qualified with its table's name. Coordinators' names for the network in the outer query
// come back as a JSON array, so a page of networks and their coordinators is one statement. Leavers (deactivated
// accounts) are not contact points.
const coordinatorNames = db
  .select({ names: sql<string>`coalesce(json_group_array(${coordinatorUser.name}), '[]')` })
  .from(networkCoordinators)
  .innerJoin(coordinatorUser, eq(coordinatorUser.id, networkCoordinators.userId))
  .where(
    and(
      eq(networkCoordinators.networkId, networks.id),
      isNull(coordinatorUser.deactivatedAt),
      sql`${coordinatorUser.name} is not null`,
    ),
  );

// The suppression happens in SQL, so a count under 5 never reaches the application, let alone a page. The count
// is read from network_member_counts (live accounts' memberships, kept current by triggers), not counted here.
const suppressedMemberCount = db
  .select({ n: sql<number | null>`case when sum(${networkMemberCounts.n}) >= ${MEMBER_COUNT_THRESHOLD} then sum(${networkMemberCounts.n}) end` })
  .from(networkMemberCounts)
  .where(and(eq(networkMemberCounts.networkId, networks.id), eq(networkMemberCounts.status, "active")));

const summaryColumns = {
  slug: networks.slug,
  name: networks.name,
  summary: networks.summary,
  whoFor: networks.whoFor,
  howToJoin: networks.howToJoin,
  joinPolicy: networks.joinPolicy,
  contactMailbox: networks.contactMailbox,
  coordinators: sql<string>`${coordinatorNames}`,
  memberCount: sql<number | null>`${suppressedMemberCount}`,
};

type SummaryRow = {
  slug: string;
  name: string;
  summary: string;
  whoFor: string;
  howToJoin: string;
  joinPolicy: JoinPolicy;
  contactMailbox: string | null;
  coordinators: string;
  memberCount: number | null;
};

function toSummary(row: SummaryRow): NetworkSummary {
  const memberCount = row.memberCount !== null && row.memberCount >= MEMBER_COUNT_THRESHOLD ? row.memberCount : null;
  return {
    slug: row.slug,
    name: row.name,
    summary: row.summary,
    whoFor: row.whoFor,
    howToJoin: row.howToJoin,
    joinPolicy: row.joinPolicy,
    contactMailbox: row.contactMailbox,
    coordinators: (JSON.parse(row.coordinators) as string[]).sort((a, b) => a.localeCompare(b, "en-GB")),
    memberCount,
  };
}

function pageCountOf(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

function clampPage(page: number, pageCount: number): number {
  return Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
}

const isActiveNetwork = eq(networks.status, "active");

// Every member of staff may read the network pages (DESIGN: permission matrix), so the viewer is not in the
// WHERE; it is taken for the same signature as every other data access function.
export function listActiveNetworks(_viewer: SessionUser, page: number): NetworkListPage {
  const total = db.select({ n: count() }).from(networks).where(isActiveNetwork).get()?.n ?? 0;
  const pageCount = pageCountOf(total, NETWORKS_PAGE_SIZE);
  const current = clampPage(page, pageCount);
  const rows = db
    .select(summaryColumns)
    .from(networks)
    .where(isActiveNetwork)
    .orderBy(sql`${networks.name} collate nocase`, asc(networks.id))
    .limit(NETWORKS_PAGE_SIZE)
    .offset((current - 1) * NETWORKS_PAGE_SIZE)
    .all();
  return { entries: rows.map(toSummary), total, page: current, pageCount };
}

// The network (active only: an archived or unknown slug is NotFoundError) and the viewer's own membership row, if
// any, in one statement. Nothing about anyone else's membership is read.
export function getNetworkPage(viewer: SessionUser, slug: string): NetworkPage {
  const row = db
    .select({
      ...summaryColumns,
      description: networks.description,
      offers: networks.offers,
      membershipStatus: viewerMembership.status,
      visibility: viewerMembership.visibility,
      requestNote: viewerMembership.requestNote,
      decisionReason: viewerMembership.decisionReason,
      requestedAt: viewerMembership.requestedAt,
      decidedAt: viewerMembership.decidedAt,
    })
    .from(networks)
    .leftJoin(viewerMembership, and(eq(viewerMembership.networkId, networks.id), eq(viewerMembership.userId, viewer.id)))
    .where(and(eq(networks.slug, slug), isActiveNetwork))
    .get();
  if (!row) throw new NotFoundError("network");
  const membership: OwnMembership | null =
    row.membershipStatus && row.visibility && row.requestedAt
      ? {
          status: row.membershipStatus,
          visibility: row.visibility,
          requestNote: row.requestNote,
          decisionReason: row.decisionReason,
          requestedAt: row.requestedAt,
          decidedAt: row.decidedAt,
        }
      : null;
  return {
    network: { ...toSummary(row), description: row.description, offers: row.offers },
    membership,
  };
}

// The viewer's active membership of the active network with this slug, as join conditions: every member-only read
// starts from it, so a non-member's statement returns no row at all.
function viewerIsActiveMember(viewer: SessionUser): SQL {
  return and(
    eq(viewerMembership.networkId, networks.id),
    eq(viewerMembership.userId, viewer.id),
    eq(viewerMembership.status, "active"),
  ) as SQL;
}

// Visible members only: silent members are known to the coordinators and nobody else, so they are never in this
// list, not even for other silent members. The viewer is in it (marked) when they are visible themselves.
// A non-member gets NotFoundError (the same as a network that does not exist), never an empty list that could be
// mistaken for "no visible members".
export function listVisibleMembers(viewer: SessionUser, slug: string, page: number): MemberListPage {
  const listed = and(
    eq(networkMemberships.networkId, networks.id),
    eq(networkMemberships.status, "active"),
    eq(networkMemberships.visibility, "visible"),
  );
  // The total is the trigger-maintained count of visible active members with live accounts: exactly the rows the
  // list below can show.
  const totals = db
    .select({ total: sql<number>`coalesce(${networkMemberCounts.n}, 0)` })
    .from(networks)
    .innerJoin(viewerMembership, viewerIsActiveMember(viewer))
    .leftJoin(
      networkMemberCounts,
      and(
        eq(networkMemberCounts.networkId, networks.id),
        eq(networkMemberCounts.status, "active"),
        eq(networkMemberCounts.visibility, "visible"),
      ),
    )
    .where(and(eq(networks.slug, slug), isActiveNetwork))
    .get();
  if (!totals) throw new NotFoundError("network");
  const pageCount = pageCountOf(totals.total, MEMBERS_PAGE_SIZE);
  const current = clampPage(page, pageCount);
  const rows = db
    .select({ name: users.name, userId: users.id })
    .from(networks)
    .innerJoin(viewerMembership, viewerIsActiveMember(viewer))
    .innerJoin(networkMemberships, listed)
    .innerJoin(users, and(eq(users.id, networkMemberships.userId), isNull(users.deactivatedAt)))
    .where(and(eq(networks.slug, slug), isActiveNetwork))
    .orderBy(sql`${users.name} collate nocase`, asc(networkMemberships.id))
    .limit(MEMBERS_PAGE_SIZE)
    .offset((current - 1) * MEMBERS_PAGE_SIZE)
    .all();
  return {
    members: rows.map((row) => ({ name: row.name?.trim() || NAME_FALLBACK, isViewer: row.userId === viewer.id })),
    total: totals.total,
    page: current,
    pageCount,
  };
}

// Announcements reach every active member, silent ones included. Newest first. Non-members: NotFoundError.
export function listAnnouncements(viewer: SessionUser, slug: string, page: number): AnnouncementPage {
  const totals = db
    .select({ total: count(networkAnnouncements.id) })
    .from(networks)
    .innerJoin(viewerMembership, viewerIsActiveMember(viewer))
    .leftJoin(networkAnnouncements, eq(networkAnnouncements.networkId, networks.id))
    .where(and(eq(networks.slug, slug), isActiveNetwork))
    .groupBy(networks.id)
    .get();
  if (!totals) throw new NotFoundError("network");
  const pageCount = pageCountOf(totals.total, ANNOUNCEMENTS_PAGE_SIZE);
  const current = clampPage(page, pageCount);
  const announcements = db
    .select({
      id: networkAnnouncements.id,
      title: networkAnnouncements.title,
      body: networkAnnouncements.body,
      createdAt: networkAnnouncements.createdAt,
    })
    .from(networks)
    .innerJoin(viewerMembership, viewerIsActiveMember(viewer))
    .innerJoin(networkAnnouncements, eq(networkAnnouncements.networkId, networks.id))
    .where(and(eq(networks.slug, slug), isActiveNetwork))
    // The id breaks ties between announcements made in the same millisecond, so pages never overlap.
    .orderBy(desc(networkAnnouncements.createdAt), desc(networkAnnouncements.id))
    .limit(ANNOUNCEMENTS_PAGE_SIZE)
    .offset((current - 1) * ANNOUNCEMENTS_PAGE_SIZE)
    .all();
  return { announcements, total: totals.total, page: current, pageCount };
}

// Every network the viewer belongs to or has asked to join (one row per network, so the list is as short as the
// number of networks). Archived networks are included: the person can always see and delete their own data.
export function listMyNetworks(viewer: SessionUser): MyNetwork[] {
  return db
    .select({
      slug: networks.slug,
      name: networks.name,
      networkStatus: networks.status,
      joinPolicy: networks.joinPolicy,
      status: networkMemberships.status,
      visibility: networkMemberships.visibility,
    })
    .from(networkMemberships)
    .innerJoin(networks, eq(networks.id, networkMemberships.networkId))
    .where(eq(networkMemberships.userId, viewer.id))
    .orderBy(sql`${networks.name} collate nocase`, asc(networks.id))
    .all()
    .map(({ networkStatus, ...row }) => ({ ...row, networkActive: networkStatus === "active" }));
}

function activeNetworkBySlug(tx: Tx, slug: string) {
  return tx
    .select({ id: networks.id, slug: networks.slug, joinPolicy: networks.joinPolicy })
    .from(networks)
    .where(and(eq(networks.slug, slug), isActiveNetwork))
    .get();
}

// The coordinators are told that someone asked, with a content-free notification (no name, no network) whose link
// is the console, which checks their permission again.
function notifyCoordinators(tx: Tx, network: { id: string; slug: string }): void {
  const coordinators = tx
    .select({ userId: networkCoordinators.userId })
    .from(networkCoordinators)
    .innerJoin(users, eq(users.id, networkCoordinators.userId))
    .where(and(eq(networkCoordinators.networkId, network.id), isNull(users.deactivatedAt)))
    .all();
  for (const coordinator of coordinators) {
    notify(tx, coordinator.userId, "network.join_requested", `/networks/${encodeURIComponent(network.slug)}/manage`);
  }
}

// Open networks: a member at once. Approval networks: a pending request with the optional note, and the
// coordinators are told. Already a member or already waiting: nothing changes (and the unique index on
// network + person means a second row cannot exist). After a decline or a removal, joining again replaces the
// row, clearing the coordinator's reason.
export function joinNetwork(viewer: SessionUser, input: JoinInput): JoinResult {
  return db.transaction(
    (tx): JoinResult => {
      const network = activeNetworkBySlug(tx, input.slug);
      if (!network) throw new NotFoundError("network");
      const mine = and(eq(networkMemberships.networkId, network.id), eq(networkMemberships.userId, viewer.id));
      const existing = tx.select({ id: networkMemberships.id, status: networkMemberships.status }).from(networkMemberships).where(mine).get();
      if (existing && (existing.status === "active" || existing.status === "pending")) {
        return { membershipId: existing.id, status: existing.status, changed: false };
      }

      const now = clock.now();
      const status = network.joinPolicy === "open" ? "active" : "pending";
      const values = {
        status,
        visibility: input.visibility,
        // The note is for the coordinators who decide; an open network has no decision to make.
        requestNote: status === "pending" ? input.note : null,
        decisionReason: null,
        requestedAt: now,
        decidedAt: status === "active" ? now : null,
      } as const;

      let membershipId: string;
      if (existing) {
        tx.update(networkMemberships).set(values).where(and(eq(networkMemberships.id, existing.id), mine)).run();
        membershipId = existing.id;
      } else {
        membershipId = randomUUID();
        tx.insert(networkMemberships)
          .values({ id: membershipId, networkId: network.id, userId: viewer.id, ...values })
          .run();
      }

      if (status === "pending") notifyCoordinators(tx, network);
      appendAudit(tx, {
        actorId: viewer.id,
        action: status === "active" ? "network_membership.joined" : "network_membership.requested",
        objectType: "network_membership",
        objectId: membershipId,
        outcome: "success",
      });
      return { membershipId, status, changed: true };
    },
    { behavior: "immediate" },
  );
}

function activeNetworkIdBySlug(slug: string) {
  return db.select({ id: networks.id }).from(networks).where(and(eq(networks.slug, slug), isActiveNetwork));
}

// Members and people waiting for a decision can choose who sees them; the choice takes effect at once.
export function setVisibility(viewer: SessionUser, input: VisibilityInput): { membershipId: string } {
  return db.transaction(
    (tx) => {
      const row = tx
        .update(networkMemberships)
        .set({ visibility: input.visibility })
        .where(
          and(
            eq(networkMemberships.userId, viewer.id),
            inArray(networkMemberships.networkId, activeNetworkIdBySlug(input.slug)),
            inArray(networkMemberships.status, ["active", "pending"]),
          ),
        )
        .returning({ id: networkMemberships.id })
        .get();
      if (!row) throw new NotFoundError("network_membership");
      appendAudit(tx, {
        actorId: viewer.id,
        action: "network_membership.visibility_changed",
        objectType: "network_membership",
        objectId: row.id,
        outcome: "success",
      });
      return { membershipId: row.id };
    },
    { behavior: "immediate" },
  );
}

const LEAVE_ACTIONS: Record<MembershipStatus, string> = {
  active: "network_membership.left",
  pending: "network_membership.withdrawn",
  declined: "network_membership.cleared",
  removed: "network_membership.cleared",
};

// Leaving deletes the row at once (no soft delete): the membership, a pending request, or a decline or removal
// the person no longer wants kept. Unlike joining, this works for an archived network too, because nobody may be
// kept from deleting their own special-category data.
export function leaveNetwork(viewer: SessionUser, input: LeaveInput): { membershipId: string; previousStatus: MembershipStatus } {
  return db.transaction(
    (tx) => {
      const row = tx
        .delete(networkMemberships)
        .where(
          and(
            eq(networkMemberships.userId, viewer.id),
            inArray(
              networkMemberships.networkId,
              db.select({ id: networks.id }).from(networks).where(eq(networks.slug, input.slug)),
            ),
          ),
        )
        .returning({ id: networkMemberships.id, status: networkMemberships.status })
        .get();
      if (!row) throw new NotFoundError("network_membership");
      appendAudit(tx, {
        actorId: viewer.id,
        action: LEAVE_ACTIONS[row.status],
        objectType: "network_membership",
        objectId: row.id,
        outcome: "success",
      });
      return { membershipId: row.id, previousStatus: row.status };
    },
    { behavior: "immediate" },
  );
}
