import { createHash } from "node:crypto";

import { desc } from "drizzle-orm";

import { db as defaultDb, type Db } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { clock } from "./clock";

// Audit events record who did what to which object, never content: no message text, no names of networks a
// person belongs to, no search terms. Object ids are opaque.
export type AuditInput = {
  actorId: string | null;
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  outcome: "success" | "denied" | "failure";
};

const GENESIS = "0".repeat(64);

function hashEvent(prevHash: string, e: { at: Date } & AuditInput): string {
  const canonical = JSON.stringify([
    prevHash,
    e.at.getTime(),
    e.actorId,
    e.action,
    e.objectType ?? null,
    e.objectId ?? null,
    e.outcome,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

// Each event's hash covers the previous event's hash, so removing or editing any event breaks the chain after it.
// Use inside a transaction that already holds the write lock, so the event commits with the change it records.
export function appendAudit(tx: Tx, input: AuditInput): void {
  const last = tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1).get();
  const prevHash = last?.hash ?? GENESIS;
  const at = clock.now();
  tx.insert(auditEvents)
    .values({
      at,
      actorId: input.actorId,
      action: input.action,
      objectType: input.objectType ?? null,
      objectId: input.objectId ?? null,
      outcome: input.outcome,
      prevHash,
      hash: hashEvent(prevHash, { ...input, at }),
    })
    .run();
}

// An IMMEDIATE transaction takes the write lock before reading the last hash, so two processes (the app and
// maintenance) cannot both extend the chain from the same event.
export function audit(input: AuditInput, db: Db = defaultDb): void {
  db.transaction((tx) => appendAudit(tx, input), { behavior: "immediate" });
}

type RawEvent = {
  seq: number;
  at: number;
  actor_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: AuditInput["outcome"];
  prev_hash: string;
  hash: string;
};

export type ChainCheck = { ok: true; events: number } | { ok: false; events: number; brokenAt: number };

// One event checked against the hash of the one before it. A changed field changes the hash; a removed event
// leaves the next one pointing at a hash that is no longer its predecessor's.
function eventIsIntact(prevHash: string, r: RawEvent): boolean {
  const event = { at: new Date(r.at), actorId: r.actor_id, action: r.action, objectType: r.object_type,
    objectId: r.object_id, outcome: r.outcome };
  return r.prev_hash === prevHash && hashEvent(prevHash, event) === r.hash;
}

const EVENT_COLUMNS = "seq, at, actor_id, action, object_type, object_id, outcome, prev_hash, hash";

// Walks the chain in batches by primary key (the log grows without bound and is never loaded at once), yielding
// after each full batch so a caller can let other work run; the generator's return value is the result.
function* checkChain(db: Db, batchSize: number): Generator<void, ChainCheck> {
  const batch = db.$client.prepare(`SELECT ${EVENT_COLUMNS} FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?`);
  let prevHash = GENESIS;
  let events = 0;
  let lastSeq = 0;
  for (;;) {
    const rows = batch.all(lastSeq, batchSize) as RawEvent[];
    for (const r of rows) {
      if (!eventIsIntact(prevHash, r)) return { ok: false, events, brokenAt: r.seq };
      prevHash = r.hash;
      lastSeq = r.seq;
      events += 1;
    }
    if (rows.length < batchSize) return { ok: true, events };
    yield;
  }
}

/** The whole check at once, for scripts and tests. */
export function verifyAuditChain(db: Db = defaultDb): ChainCheck {
  const walk = checkChain(db, 5000);
  for (;;) {
    const step = walk.next();
    if (step.done) return step.value;
  }
}

/**
 * The same check for the web server (the audit log page's "Verify the log"), giving the event loop back between
 * batches: a synchronous check of a log of millions of events would stall every other request in the process for
 * seconds, and one long read would hold back the WAL checkpoint while it ran. Events appended while it runs are
 * checked too: they extend the same chain.
 */
export async function verifyAuditChainInBatches(db: Db = defaultDb, batchSize = 5000): Promise<ChainCheck> {
  const walk = checkChain(db, batchSize);
  for (;;) {
    const step = walk.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
