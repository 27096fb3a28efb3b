import "server-only";

import { eq } from "drizzle-orm";

import type { Db } from "../client";
import { networkCoordinators, networkMemberships, sessions, supporterAttributes, supporters, supporterStatusEvents } from "../schema";
import { appendAudit } from "@/lib/audit";
import { endOwnRequests, releaseAssignedRequests } from "./requests";

// What happens when someone goes: a leaver marked by the Equality Unit (/admin/staff) or a person erasing their own
// data (/account). Each function runs in the caller's IMMEDIATE transaction, so a departure happens whole or not at
// all. The caller checks permission; these take ids the caller has already resolved.

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type Departure = {
  userId: string;
  /**
   * Who did it, for the audit log and the roster history: the Equality Unit member, the person themself, or null
   * for an operator at the command line (npm run deactivate).
   */
  actorId: string | null;
  /** Kept in the roster's history when a supporter is retired (never in the audit log). */
  rosterReason: string;
  now: Date;
  /** Erase the content of the person's own requests and unlink them (erasing your data), or only withdraw. */
  eraseOwnRequests: boolean;
};

export type DepartureSummary = { releasedRequests: number; withdrawnRequests: number; leftNetworks: number; retiredSupporter: boolean };

/**
 * Ends every session now; retires the person as a supporter (out of the directory at once) and declines their open
 * requests so each requester can choose another supporter; withdraws the requests they made; removes their network
 * memberships and coordinator roles.
 */
export function depart(tx: Tx, d: Departure): DepartureSummary {
  tx.delete(sessions).where(eq(sessions.userId, d.userId)).run();

  let retiredSupporter = false;
  let releasedRequests = 0;
  const supporter = tx.select({ id: supporters.id, status: supporters.status }).from(supporters).where(eq(supporters.userId, d.userId)).get();
  if (supporter) {
    if (supporter.status !== "retired") {
      tx.update(supporters)
        .set({ status: "retired", pausedUntil: null, pauseReason: null, updatedAt: d.now })
        .where(eq(supporters.id, supporter.id))
        .run();
      const eventId = crypto.randomUUID();
      tx.insert(supporterStatusEvents)
        .values({ id: eventId, supporterId: supporter.id, fromStatus: supporter.status, toStatus: "retired", reason: d.rosterReason, actorId: d.actorId, at: d.now })
        .run();
      appendAudit(tx, { actorId: d.actorId, action: "supporter.retired", objectType: "supporter_status_event", objectId: eventId, outcome: "success" });
      retiredSupporter = true;
    }
    releasedRequests = releaseAssignedRequests(tx, supporter.id, d.actorId, d.now);
  }

  const withdrawnRequests = endOwnRequests(tx, d.userId, d.now, { erase: d.eraseOwnRequests });

  // Memberships are deleted, not marked: a past membership is nobody's business. No audit event of its own, since
  // one naming the person would tell the log's readers that they belonged to some network; the caller's departure
  // event covers it.
  const memberships = tx.delete(networkMemberships).where(eq(networkMemberships.userId, d.userId)).run();
  tx.delete(networkCoordinators).where(eq(networkCoordinators.userId, d.userId)).run();
  return { releasedRequests, withdrawnRequests, leftNetworks: memberships.changes, retiredSupporter };
}

/** Removes a supporter's profile text and attributes (for erasure); the roster row stays, retired, for past requests. */
export function eraseSupporterProfile(tx: Tx, userId: string, now: Date): void {
  const supporter = tx.select({ id: supporters.id }).from(supporters).where(eq(supporters.userId, userId)).get();
  if (!supporter) return;
  tx.delete(supporterAttributes).where(eq(supporterAttributes.supporterId, supporter.id)).run();
  tx.update(supporters)
    .set({ introduction: "", workingPattern: "", roleTitle: "", pauseReason: null, pausedUntil: null, updatedAt: now })
    .where(eq(supporters.id, supporter.id))
    .run();
}
