import "server-only";

import { and, asc, desc, eq, isNull, sql, type SQL } from "drizzle-orm";

import type { SessionUser } from "@/lib/auth/session";
import { appendAudit, audit } from "@/lib/audit";
import { clock } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { csvLine } from "@/lib/csv";
import { db } from "../client";
import { networkAnnouncements, networkCoordinators, networkMemberCounts, networkMemberships, networks, users } from "../schema";
import { CONSOLE_PAGE_SIZE, type AnnouncementData, type NetworkPageData, type NetworkPageValues } from "../validation/network-console";
import { notify } from "./notifications";

// The coordinator console (/networks/[slug]/manage). Only a coordinator of THAT network may read or change
// anything here, and only while the network is active. The rule is in the WHERE of every statement, so a member,
// a coordinator of another network, the Equality Unit and everyone else get the same empty result as for a network
// that does not exist, and the page, the action and the CSV all answer 404.
//
// Members whose accounts are deactivated (leavers) are left out of the lists, the export and announcements: their
// work mailbox may be read by someone else, and a coordinator cannot contact them through the force any more.

// A person created without a name from single sign-on still needs something in the list; never their email.
export const NAME_FALLBACK = "Name not recorded";

/** The viewer coordinates the network in the outer query's `networks` row, and it is active. */
function coordinatedBy(viewer: SessionUser): SQL {
  return and(
    eq(networks.status, "active"),
    sql`exists (select 1 from ${networkCoordinators} where ${networkCoordinators.networkId} = ${networks.id}
      and ${networkCoordinators.userId} = ${viewer.id})`,
  ) as SQL;
}

/** For statements on network_memberships alone (UPDATE): its network is active and the viewer coordinates it. */
function membershipCoordinatedBy(viewer: SessionUser): SQL {
  return sql`exists (select 1 from ${networks} inner join ${networkCoordinators}
    on ${networkCoordinators.networkId} = ${networks.id}
    where ${networks.id} = ${networkMemberships.networkId} and ${networks.status} = 'active'
      and ${networkCoordinators.userId} = ${viewer.id})`;
}

const liveAccount = isNull(users.deactivatedAt);

export type ConsoleNetwork = { id: string; slug: string; name: string; joinPolicy: "open" | "approval" };

export type ConsoleMember = {
  membershipId: string;
  name: string;
  visibility: "visible" | "silent";
  joinedAt: Date;
};

export type PendingRequest = {
  membershipId: string;
  name: string;
  requestedAt: Date;
  /** The person's own note to the coordinators, if they wrote one. */
  note: string | null;
};

export type Paged<T> = { items: T[]; total: number; page: number; pageCount: number; pageSize: number };

export type ConsoleOverview = {
  network: ConsoleNetwork;
  members: Paged<ConsoleMember>;
  requests: Paged<PendingRequest>;
};

function pageCountFor(total: number): number {
  return Math.max(1, Math.ceil(total / CONSOLE_PAGE_SIZE));
}

function clampPage(page: number, total: number): number {
  return Math.min(Math.max(1, Math.trunc(page) || 1), pageCountFor(total));
}

function findNetwork(viewer: SessionUser, match: SQL): ConsoleNetwork {
  const row = db
    .select({ id: networks.id, slug: networks.slug, name: networks.name, joinPolicy: networks.joinPolicy })
    .from(networks)
    .where(and(match, coordinatedBy(viewer)))
    .get();
  if (!row) throw new NotFoundError("network");
  return row;
}

/** A refused or mistyped console address is audited without the slug: an attempt says nothing about anyone. */
export function auditConsoleDenied(viewer: SessionUser | null): void {
  audit({ actorId: viewer?.id ?? null, action: "access.denied", objectType: "network_console", outcome: "denied" });
}

export function getConsoleNetwork(viewer: SessionUser, slug: string): ConsoleNetwork {
  return findNetwork(viewer, eq(networks.slug, slug));
}

/** For actions, before they check the rest of the form: anyone but the network's coordinators gets a 404. */
export function assertCoordinates(viewer: SessionUser, networkId: string): void {
  findNetwork(viewer, eq(networks.id, networkId));
}

function membersWhere(viewer: SessionUser, networkId: string, status: "active" | "pending"): SQL {
  return and(
    eq(networkMemberships.networkId, networkId),
    eq(networkMemberships.status, status),
    liveAccount,
    coordinatedBy(viewer),
  ) as SQL;
}

// Read from network_member_counts (live accounts' memberships, kept current by triggers): the same number as
// counting membersWhere's rows, without reading a large network's every membership.
function countMemberships(viewer: SessionUser, networkId: string, status: "active" | "pending"): number {
  const row = db
    .select({ n: sql<number>`coalesce(sum(${networkMemberCounts.n}), 0)` })
    .from(networks)
    .innerJoin(networkMemberCounts, and(eq(networkMemberCounts.networkId, networks.id), eq(networkMemberCounts.status, status)))
    .where(and(eq(networks.id, networkId), coordinatedBy(viewer)))
    .get();
  return row?.n ?? 0;
}

/** Everything the console's main page shows: every active member (silent ones too) and the pending requests. */
export function getConsoleOverview(
  viewer: SessionUser,
  slug: string,
  pages: { page: number; requests: number },
): ConsoleOverview {
  const network = getConsoleNetwork(viewer, slug);

  const memberTotal = countMemberships(viewer, network.id, "active");
  const memberPage = clampPage(pages.page, memberTotal);
  const members = db
    .select({
      membershipId: networkMemberships.id,
      name: users.name,
      visibility: networkMemberships.visibility,
      decidedAt: networkMemberships.decidedAt,
      requestedAt: networkMemberships.requestedAt,
    })
    .from(networkMemberships)
    .innerJoin(networks, eq(networks.id, networkMemberships.networkId))
    .innerJoin(users, eq(users.id, networkMemberships.userId))
    .where(membersWhere(viewer, network.id, "active"))
    // sort_name is users.name kept in step by triggers: ordering by it walks network_memberships_network_status_name_idx
    // a page at a time, where users.name would sort every member of the network on every view.
    .orderBy(sql`${networkMemberships.sortName} collate nocase`, asc(networkMemberships.id))
    .limit(CONSOLE_PAGE_SIZE)
    .offset((memberPage - 1) * CONSOLE_PAGE_SIZE)
    .all();

  const requestTotal = countMemberships(viewer, network.id, "pending");
  const requestPage = clampPage(pages.requests, requestTotal);
  const requests = db
    .select({
      membershipId: networkMemberships.id,
      name: users.name,
      requestedAt: networkMemberships.requestedAt,
      note: networkMemberships.requestNote,
    })
    .from(networkMemberships)
    .innerJoin(networks, eq(networks.id, networkMemberships.networkId))
    .innerJoin(users, eq(users.id, networkMemberships.userId))
    .where(membersWhere(viewer, network.id, "pending"))
    // Oldest first: the person who has waited longest is dealt with first.
    .orderBy(asc(networkMemberships.requestedAt), asc(networkMemberships.id))
    .limit(CONSOLE_PAGE_SIZE)
    .offset((requestPage - 1) * CONSOLE_PAGE_SIZE)
    .all();

  return {
    network,
    members: {
      items: members.map((m) => ({
        membershipId: m.membershipId,
        name: m.name ?? NAME_FALLBACK,
        visibility: m.visibility,
        joinedAt: m.decidedAt ?? m.requestedAt,
      })),
      total: memberTotal,
      page: memberPage,
      pageCount: pageCountFor(memberTotal),
      pageSize: CONSOLE_PAGE_SIZE,
    },
    requests: {
      items: requests.map((r) => ({ ...r, name: r.name ?? NAME_FALLBACK })),
      total: requestTotal,
      page: requestPage,
      pageCount: pageCountFor(requestTotal),
      pageSize: CONSOLE_PAGE_SIZE,
    },
  };
}

// One membership of a network the viewer coordinates, in the given state; the decline and remove pages share it.
function consoleMembership(viewer: SessionUser, slug: string, membershipId: string, status: "pending" | "active") {
  const row = db
    .select({
      networkId: networks.id,
      slug: networks.slug,
      networkName: networks.name,
      joinPolicy: networks.joinPolicy,
      membershipId: networkMemberships.id,
      name: users.name,
      visibility: networkMemberships.visibility,
      note: networkMemberships.requestNote,
      requestedAt: networkMemberships.requestedAt,
      decidedAt: networkMemberships.decidedAt,
    })
    .from(networkMemberships)
    .innerJoin(networks, eq(networks.id, networkMemberships.networkId))
    .innerJoin(users, eq(users.id, networkMemberships.userId))
    .where(
      and(
        eq(networks.slug, slug),
        eq(networkMemberships.id, membershipId),
        eq(networkMemberships.status, status),
        liveAccount,
        coordinatedBy(viewer),
      ),
    )
    .get();
  if (!row) throw new NotFoundError("network_membership");
  const network: ConsoleNetwork = { id: row.networkId, slug: row.slug, name: row.networkName, joinPolicy: row.joinPolicy };
  return { ...row, network, name: row.name ?? NAME_FALLBACK };
}

/** One pending request, for the decline page. */
export function getPendingRequest(
  viewer: SessionUser,
  slug: string,
  membershipId: string,
): PendingRequest & { network: ConsoleNetwork } {
  const row = consoleMembership(viewer, slug, membershipId, "pending");
  return { network: row.network, membershipId: row.membershipId, name: row.name, requestedAt: row.requestedAt, note: row.note };
}

/** One active member, for the remove page. */
export function getActiveMember(
  viewer: SessionUser,
  slug: string,
  membershipId: string,
): ConsoleMember & { network: ConsoleNetwork } {
  const row = consoleMembership(viewer, slug, membershipId, "active");
  return {
    network: row.network,
    membershipId: row.membershipId,
    name: row.name,
    visibility: row.visibility,
    joinedAt: row.decidedAt ?? row.requestedAt,
  };
}

/** How many people an announcement would reach now, for the announcement page. */
export function countAnnouncementRecipients(viewer: SessionUser, networkId: string): number {
  return countMemberships(viewer, networkId, "active");
}

export type SentAnnouncement = { id: string; title: string; createdAt: Date };

/** The network's latest announcements (titles and dates only), newest first. */
export function listRecentAnnouncements(viewer: SessionUser, networkId: string, limit = 5): SentAnnouncement[] {
  return db
    .select({ id: networkAnnouncements.id, title: networkAnnouncements.title, createdAt: networkAnnouncements.createdAt })
    .from(networkAnnouncements)
    .innerJoin(networks, eq(networks.id, networkAnnouncements.networkId))
    .where(and(eq(networkAnnouncements.networkId, networkId), coordinatedBy(viewer)))
    .orderBy(desc(networkAnnouncements.createdAt), desc(networkAnnouncements.id))
    .limit(limit)
    .all();
}

type Decision =
  | { kind: "approve" }
  | { kind: "decline"; reason: string }
  | { kind: "remove"; reason: string };

// Approve, decline and remove share one shape: a conditional UPDATE whose WHERE holds the permission and the
// expected current status, the person told in-app and by a content-free email, and the audit event, all in one
// transaction. The audit event names only the opaque membership id: never the network or the person.
function decide(viewer: SessionUser, networkId: string, membershipId: string, decision: Decision): { slug: string } {
  const from = decision.kind === "remove" ? "active" : "pending";
  const to = { approve: "active", decline: "declined", remove: "removed" }[decision.kind] as "active" | "declined" | "removed";
  const action = { approve: "approved", decline: "declined", remove: "removed" }[decision.kind];
  return db.transaction(
    (tx) => {
      const now = clock.now();
      const changed = tx
        .update(networkMemberships)
        .set({ status: to, decisionReason: decision.kind === "approve" ? null : decision.reason, decidedAt: now })
        .where(
          and(
            eq(networkMemberships.id, membershipId),
            eq(networkMemberships.networkId, networkId),
            eq(networkMemberships.status, from),
            membershipCoordinatedBy(viewer),
          ),
        )
        .returning({ userId: networkMemberships.userId })
        .get();
      if (!changed) throw new NotFoundError("network_membership");
      const network = tx.select({ slug: networks.slug }).from(networks).where(eq(networks.id, networkId)).get();
      if (!network) throw new NotFoundError("network");
      // The link is the network's own page, which checks permission again and shows the person their status and
      // the coordinator's reason; the notification itself says nothing.
      notify(
        tx,
        changed.userId,
        decision.kind === "remove" ? "network.membership_removed" : "network.request_decided",
        `/networks/${network.slug}`,
        now,
      );
      appendAudit(tx, {
        actorId: viewer.id,
        action: `network_membership.${action}`,
        objectType: "network_membership",
        objectId: membershipId,
        outcome: "success",
      });
      return { slug: network.slug };
    },
    { behavior: "immediate" },
  );
}

export function approveRequest(viewer: SessionUser, networkId: string, membershipId: string): { slug: string } {
  return decide(viewer, networkId, membershipId, { kind: "approve" });
}

export function declineRequest(viewer: SessionUser, networkId: string, membershipId: string, reason: string): { slug: string } {
  return decide(viewer, networkId, membershipId, { kind: "decline", reason });
}

export function removeMember(viewer: SessionUser, networkId: string, membershipId: string, reason: string): { slug: string } {
  return decide(viewer, networkId, membershipId, { kind: "remove", reason });
}

/**
 * Stores the announcement once and tells every active member (silent ones too) individually: their own in-app
 * notification and a content-free email. Nobody is ever shown who else received it; the coordinator learns only
 * how many. Returns that number.
 */
export function sendAnnouncement(viewer: SessionUser, input: AnnouncementData): { recipients: number } {
  return db.transaction(
    (tx) => {
      const network = tx
        .select({ id: networks.id, slug: networks.slug })
        .from(networks)
        .where(and(eq(networks.id, input.networkId), coordinatedBy(viewer)))
        .get();
      if (!network) throw new NotFoundError("network");
      const now = clock.now();
      const announcement = tx
        .insert(networkAnnouncements)
        .values({ networkId: network.id, authorId: viewer.id, title: input.title, body: input.body, createdAt: now })
        .returning({ id: networkAnnouncements.id })
        .get();
      const recipients = tx
        .select({ userId: networkMemberships.userId })
        .from(networkMemberships)
        .innerJoin(users, eq(users.id, networkMemberships.userId))
        .where(and(eq(networkMemberships.networkId, network.id), eq(networkMemberships.status, "active"), liveAccount))
        .all();
      for (const recipient of recipients) {
        notify(tx, recipient.userId, "network.announcement", `/networks/${network.slug}`, now);
      }
      appendAudit(tx, {
        actorId: viewer.id,
        action: "network.announcement_sent",
        objectType: "network_announcement",
        objectId: announcement.id,
        outcome: "success",
      });
      return { recipients: recipients.length };
    },
    { behavior: "immediate" },
  );
}

export type NetworkPageText = ConsoleNetwork & { text: NetworkPageValues };

/** The network's page as its coordinators may edit it, for the edit page. */
export function getNetworkPageText(viewer: SessionUser, slug: string): NetworkPageText {
  const row = db
    .select({
      id: networks.id,
      slug: networks.slug,
      name: networks.name,
      joinPolicy: networks.joinPolicy,
      summary: networks.summary,
      description: networks.description,
      whoFor: networks.whoFor,
      howToJoin: networks.howToJoin,
      offers: networks.offers,
    })
    .from(networks)
    .where(and(eq(networks.slug, slug), coordinatedBy(viewer)))
    .get();
  if (!row) throw new NotFoundError("network");
  const { id, slug: found, name, joinPolicy, ...text } = row;
  return { id, slug: found, name, joinPolicy, text };
}

/**
 * Changes the network's page: its text only. The columns are named one by one, so nothing else in `input` can
 * reach the row whatever a caller passes: the name and web address, the contact mailbox and how people join are
 * the Equality Unit's. Audited as the Equality Unit's edits are ("network.updated", the network's id).
 */
export function updateNetworkPage(viewer: SessionUser, input: NetworkPageData): { slug: string } {
  return db.transaction(
    (tx) => {
      const updated = tx
        .update(networks)
        .set({
          summary: input.summary,
          description: input.description,
          whoFor: input.whoFor,
          howToJoin: input.howToJoin,
          offers: input.offers,
          updatedAt: clock.now(),
        })
        .where(and(eq(networks.id, input.networkId), coordinatedBy(viewer)))
        .returning({ slug: networks.slug })
        .get();
      if (!updated) throw new NotFoundError("network");
      appendAudit(tx, {
        actorId: viewer.id,
        action: "network.updated",
        objectType: "network",
        objectId: input.networkId,
        outcome: "success",
      });
      return updated;
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// CSV export
// ---------------------------------------------------------------------------------------------------------------

export const CSV_HEADER = ["name", "email", "visibility", "joined"] as const;


const londonDate = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/**
 * Every active member with their contact details, for a coordinator who needs to reach them. Read and audited in
 * one transaction, so there is no export without its audit event ("network.members_exported", the network's id).
 */
export function exportMembersCsv(viewer: SessionUser, slug: string): string {
  return db.transaction(
    (tx) => {
      const network = tx
        .select({ id: networks.id })
        .from(networks)
        .where(and(eq(networks.slug, slug), coordinatedBy(viewer)))
        .get();
      if (!network) throw new NotFoundError("network");
      const rows = tx
        .select({
          name: users.name,
          email: users.email,
          visibility: networkMemberships.visibility,
          decidedAt: networkMemberships.decidedAt,
          requestedAt: networkMemberships.requestedAt,
        })
        .from(networkMemberships)
        .innerJoin(networks, eq(networks.id, networkMemberships.networkId))
        .innerJoin(users, eq(users.id, networkMemberships.userId))
        .where(membersWhere(viewer, network.id, "active"))
        .orderBy(sql`${users.name} collate nocase`, asc(networkMemberships.id))
        .all();
      appendAudit(tx, {
        actorId: viewer.id,
        action: "network.members_exported",
        objectType: "network",
        objectId: network.id,
        outcome: "success",
      });
      const lines = [
        csvLine(CSV_HEADER),
        ...rows.map((r) =>
          csvLine([r.name ?? "", r.email, r.visibility, londonDate.format(r.decidedAt ?? r.requestedAt)]),
        ),
      ];
      return `${lines.join("\r\n")}\r\n`;
    },
    { behavior: "immediate" },
  );
}
