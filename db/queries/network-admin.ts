import "server-only";

import { and, asc, count, eq, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";

import type { SessionUser } from "@/lib/auth/session";
import { appendAudit } from "@/lib/audit";
import { clock } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { db, type Db } from "../client";
import { networkCoordinators, networks, users } from "../schema";
import { ADMIN_PAGE_SIZE, type NetworkData } from "../validation/network-admin";
import { viewerIsEqualityUnit } from "./permissions";

// The Equality Unit's network administration (/admin/networks). Every statement carries viewerIsEqualityUnit in
// its WHERE, so a role revoked a moment ago stops working at once and nobody else can read or change anything here.
//
// The Equality Unit sees counts, never names (DESIGN: permission matrix): no function in this module selects a
// member's or a requester's name, and counts under 5 are replaced by null in SQL, so an exact small number never
// reaches a page, its React payload or a log. Coordinators are named: they are the networks' public contact points.

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Fewer than this many is shown as "fewer than 5": a small count could identify someone. */
export const SUPPRESSION_THRESHOLD = 5;

/** A count, or null when it is below the threshold (which includes zero). */
export type SuppressedCount = number | null;

export type AdminCoordinator = { userId: string; name: string; email: string };

export type AdminNetworkSummary = {
  id: string;
  slug: string;
  name: string;
  status: "active" | "archived";
  joinPolicy: "open" | "approval";
  members: SuppressedCount;
  pending: SuppressedCount;
  coordinators: AdminCoordinator[];
};

export type AdminNetwork = AdminNetworkSummary & {
  summary: string;
  description: string;
  whoFor: string;
  howToJoin: string;
  offers: string;
  contactMailbox: string | null;
};

export type AdminNetworkPage = {
  items: AdminNetworkSummary[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
};

export type AdminResult<T> = { ok: true; data: T } | { ok: false; field: "slug" | "staff"; error: string };

export const SLUG_TAKEN = "Another network already uses this web address. Choose a different one";

// Only live accounts count, as in the coordinator console: a leaver is not a member anyone can reach. The counts
// are kept current by triggers in network_member_counts (db/schema.ts) rather than counted on every page. Written
// with an explicit alias because Drizzle leaves columns unqualified in the select list of a single-table query.
function suppressedCount(status: "active" | "pending"): SQL<SuppressedCount> {
  return sql<SuppressedCount>`(select case when sum(c.n) >= ${SUPPRESSION_THRESHOLD} then sum(c.n) end
    from network_member_counts as c where c.network_id = networks.id and c.status = ${status})`;
}

function equalityUnitNow(viewer: SessionUser, tx: Tx | Db = db): boolean {
  return tx.get<{ ok: number } | undefined>(sql`select 1 as ok where ${viewerIsEqualityUnit(viewer)}`) !== undefined;
}

/** For actions, before they read the form: anyone outside the Equality Unit gets a 404. */
export function assertNetworkAdmin(viewer: SessionUser): void {
  if (!equalityUnitNow(viewer)) throw new NotFoundError("network");
}

function coordinatorsOf(viewer: SessionUser, networkIds: string[]): Map<string, AdminCoordinator[]> {
  const byNetwork = new Map<string, AdminCoordinator[]>();
  if (networkIds.length === 0) return byNetwork;
  const rows = db
    .select({ networkId: networkCoordinators.networkId, userId: users.id, name: users.name, email: users.email })
    .from(networkCoordinators)
    .innerJoin(users, eq(users.id, networkCoordinators.userId))
    .where(and(inArray(networkCoordinators.networkId, networkIds), viewerIsEqualityUnit(viewer)))
    .orderBy(sql`${users.name} collate nocase`, asc(users.id))
    .all();
  for (const row of rows) {
    const list = byNetwork.get(row.networkId) ?? [];
    list.push({ userId: row.userId, name: row.name ?? row.email, email: row.email });
    byNetwork.set(row.networkId, list);
  }
  return byNetwork;
}

const summaryColumns = {
  id: networks.id,
  slug: networks.slug,
  name: networks.name,
  status: networks.status,
  joinPolicy: networks.joinPolicy,
  members: suppressedCount("active"),
  pending: suppressedCount("pending"),
};

/** Every network, active first, then archived, each by name. */
export function listNetworksForAdmin(viewer: SessionUser, page: number): AdminNetworkPage {
  const total = db.select({ n: count() }).from(networks).where(viewerIsEqualityUnit(viewer)).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / ADMIN_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
  const rows = db
    .select(summaryColumns)
    .from(networks)
    .where(viewerIsEqualityUnit(viewer))
    .orderBy(asc(networks.status), sql`${networks.name} collate nocase`, asc(networks.id))
    .limit(ADMIN_PAGE_SIZE)
    .offset((current - 1) * ADMIN_PAGE_SIZE)
    .all();
  const coordinators = coordinatorsOf(viewer, rows.map((r) => r.id));
  return {
    items: rows.map((r) => ({ ...r, coordinators: coordinators.get(r.id) ?? [] })),
    total,
    page: current,
    pageCount,
    pageSize: ADMIN_PAGE_SIZE,
  };
}

export function getNetworkForAdmin(viewer: SessionUser, networkId: string): AdminNetwork {
  const row = db
    .select({
      ...summaryColumns,
      summary: networks.summary,
      description: networks.description,
      whoFor: networks.whoFor,
      howToJoin: networks.howToJoin,
      offers: networks.offers,
      contactMailbox: networks.contactMailbox,
    })
    .from(networks)
    .where(and(eq(networks.id, networkId), viewerIsEqualityUnit(viewer)))
    .get();
  if (!row) throw new NotFoundError("network");
  return { ...row, coordinators: coordinatorsOf(viewer, [row.id]).get(row.id) ?? [] };
}

function slugTaken(tx: Tx, slug: string, exceptId?: string): boolean {
  return (
    tx
      .select({ id: networks.id })
      .from(networks)
      .where(exceptId ? and(eq(networks.slug, slug), ne(networks.id, exceptId)) : eq(networks.slug, slug))
      .get() !== undefined
  );
}

function isSlugConflict(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed: networks\.slug/.test(error.message);
}

export function createNetwork(viewer: SessionUser, input: NetworkData): AdminResult<{ id: string }> {
  try {
    return db.transaction(
      (tx): AdminResult<{ id: string }> => {
        if (!equalityUnitNow(viewer, tx)) throw new NotFoundError("network");
        if (slugTaken(tx, input.slug)) return { ok: false, field: "slug", error: SLUG_TAKEN };
        const created = tx
          .insert(networks)
          .values({ ...input, status: "active", createdAt: clock.now() })
          .returning({ id: networks.id })
          .get();
        appendAudit(tx, { actorId: viewer.id, action: "network.created", objectType: "network", objectId: created.id, outcome: "success" });
        return { ok: true, data: created };
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    // The check above holds the write lock, so this is only a safety net for another writer outside the app.
    if (isSlugConflict(error)) return { ok: false, field: "slug", error: SLUG_TAKEN };
    throw error;
  }
}

export function updateNetwork(viewer: SessionUser, networkId: string, input: NetworkData): AdminResult<{ id: string }> {
  try {
    return db.transaction(
      (tx): AdminResult<{ id: string }> => {
        if (!equalityUnitNow(viewer, tx)) throw new NotFoundError("network");
        if (slugTaken(tx, input.slug, networkId)) return { ok: false, field: "slug", error: SLUG_TAKEN };
        const updated = tx
          .update(networks)
          .set({ ...input, updatedAt: clock.now() })
          .where(and(eq(networks.id, networkId), viewerIsEqualityUnit(viewer)))
          .returning({ id: networks.id })
          .get();
        if (!updated) throw new NotFoundError("network");
        appendAudit(tx, { actorId: viewer.id, action: "network.updated", objectType: "network", objectId: networkId, outcome: "success" });
        return { ok: true, data: updated };
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (isSlugConflict(error)) return { ok: false, field: "slug", error: SLUG_TAKEN };
    throw error;
  }
}

// Archiving hides the network from staff (its pages 404, its coordinators lose the console) but keeps every
// membership, so restoring brings it back exactly as it was. Doing it twice is harmless and audited once.
function setStatus(viewer: SessionUser, networkId: string, status: "active" | "archived"): void {
  db.transaction(
    (tx) => {
      const current = tx
        .select({ status: networks.status })
        .from(networks)
        .where(and(eq(networks.id, networkId), viewerIsEqualityUnit(viewer)))
        .get();
      if (!current) throw new NotFoundError("network");
      if (current.status === status) return;
      tx.update(networks)
        .set({ status, updatedAt: clock.now() })
        .where(and(eq(networks.id, networkId), viewerIsEqualityUnit(viewer)))
        .run();
      appendAudit(tx, {
        actorId: viewer.id,
        action: status === "archived" ? "network.archived" : "network.restored",
        objectType: "network",
        objectId: networkId,
        outcome: "success",
      });
    },
    { behavior: "immediate" },
  );
}

export function archiveNetwork(viewer: SessionUser, networkId: string): void {
  setStatus(viewer, networkId, "archived");
}

export function restoreNetwork(viewer: SessionUser, networkId: string): void {
  setStatus(viewer, networkId, "active");
}

/** Makes a current member of staff a coordinator. A deactivated account (a leaver) cannot be assigned. */
export function assignCoordinator(viewer: SessionUser, networkId: string, userId: string): AdminResult<undefined> {
  return db.transaction(
    (tx): AdminResult<undefined> => {
      const network = tx
        .select({ id: networks.id })
        .from(networks)
        .where(and(eq(networks.id, networkId), viewerIsEqualityUnit(viewer)))
        .get();
      if (!network) throw new NotFoundError("network");
      const person = tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, userId), isNull(users.deactivatedAt)))
        .get();
      if (!person) return { ok: false, field: "staff", error: "That member of staff could not be found. Search again and choose them from the list" };
      const inserted = tx
        .insert(networkCoordinators)
        .values({ networkId, userId, assignedAt: clock.now() })
        .onConflictDoNothing()
        .run();
      if (inserted.changes === 0) return { ok: false, field: "staff", error: "They are already a coordinator of this network" };
      appendAudit(tx, { actorId: viewer.id, action: "network.coordinator_assigned", objectType: "network", objectId: networkId, outcome: "success" });
      return { ok: true, data: undefined };
    },
    { behavior: "immediate" },
  );
}

export function removeCoordinator(viewer: SessionUser, networkId: string, userId: string): void {
  db.transaction(
    (tx) => {
      const removed = tx
        .delete(networkCoordinators)
        .where(
          and(
            eq(networkCoordinators.networkId, networkId),
            eq(networkCoordinators.userId, userId),
            viewerIsEqualityUnit(viewer),
          ),
        )
        .run();
      if (removed.changes !== 1) throw new NotFoundError("network_coordinator");
      appendAudit(tx, { actorId: viewer.id, action: "network.coordinator_removed", objectType: "network", objectId: networkId, outcome: "success" });
    },
    { behavior: "immediate" },
  );
}
