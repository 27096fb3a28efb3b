import "server-only";

import { appendAudit } from "@/lib/audit";
import { decryptField, DecryptionError, encryptField } from "@/lib/crypto";
import { env } from "@/lib/env";
import { db } from "../client";

// Key rotation (npm run rotate-key): re-encrypts every encrypted value to the newest key version in
// CONFIDE_DATA_KEY while the app keeps serving. An operator task, not a person's action, so these functions take no
// signed-in user and are reached only from scripts/rotate-key.ts.
//
// Without downtime: values are read in small batches outside any transaction, decrypted and re-encrypted in memory,
// then written back in a short IMMEDIATE transaction per batch. Each row is written only if it still holds the value
// that was read (compare-and-swap), so a concurrent write by the app is never overwritten: a request erased meanwhile
// stays erased, instead of getting its old content back re-encrypted.

/**
 * Every column that holds lib/crypto ciphertext, with the AAD context the app seals it under (rowId is the row's
 * `id`). Found from the encryptField call sites (db/queries/requests.ts and db/queries/feedback.ts). A new encrypted
 * column must be added here: tests/key-rotation.test.ts fails until it is.
 */
export const ENCRYPTED_COLUMNS = [
  { table: "support_requests", column: "message_cipher" },
  { table: "support_requests", column: "safe_contact_cipher" },
  { table: "support_requests", column: "decline_reason_cipher" },
  { table: "request_messages", column: "body_cipher" },
  { table: "feedback", column: "body_cipher" },
] as const;

export type EncryptedColumn = (typeof ENCRYPTED_COLUMNS)[number];

/** The version new values are written with: the highest configured one (as lib/crypto's encryptField uses). */
export function newestKeyVersion(): number {
  return Math.max(...env().CONFIDE_DATA_KEY.keys());
}

const prefixOf = (version: number) => `v${version}.`;

// Identifiers come from ENCRYPTED_COLUMNS only, never from input.
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

export type RotationRow = { rowid: number; id: string; stored: string };
export type RotationBatch = { target: EncryptedColumn; version: number; rows: RotationRow[]; lastRowid: number };

/** The next values after `afterRowid` in one column that are not yet on `version`, in rowid order. */
export function readRotationBatch(target: EncryptedColumn, version: number, afterRowid: number, limit: number): RotationBatch {
  const prefix = prefixOf(version);
  const rows = db.$client
    .prepare(
      `SELECT rowid AS rowid, id, ${quoted(target.column)} AS stored FROM ${quoted(target.table)}
       WHERE rowid > ? AND ${quoted(target.column)} IS NOT NULL AND substr(${quoted(target.column)}, 1, ?) <> ?
       ORDER BY rowid LIMIT ?`,
    )
    .all(afterRowid, prefix.length, prefix, limit) as RotationRow[];
  return { target, version, rows, lastRowid: rows.at(-1)?.rowid ?? afterRowid };
}

export type BatchOutcome = {
  /** Re-encrypted and written. */
  rotated: number;
  /** Changed by the app between the read and the write (erased, or written anew): left as the app wrote it. */
  changedMeanwhile: number;
  /** Not readable with the configured keys (a missing old key, or tampered): left untouched. */
  unreadable: RotationRow[];
};

/** Re-encrypts a batch to its version and writes each value back only if the row still holds what was read. */
export function applyRotationBatch(batch: RotationBatch): BatchOutcome {
  const { target, version } = batch;
  if (newestKeyVersion() !== version) throw new Error(`key version ${version} is not the newest configured`);
  const unreadable: RotationRow[] = [];
  const updates: { rowid: number; stored: string; fresh: string }[] = [];
  // The cryptography runs before the transaction, so the write lock is held only for the updates.
  for (const row of batch.rows) {
    const context = { table: target.table, column: target.column, rowId: row.id };
    try {
      updates.push({ rowid: row.rowid, stored: row.stored, fresh: encryptField(decryptField(row.stored, context), context) });
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      unreadable.push(row);
    }
  }
  const swap = db.$client.prepare(
    `UPDATE ${quoted(target.table)} SET ${quoted(target.column)} = ? WHERE rowid = ? AND ${quoted(target.column)} = ?`,
  );
  let rotated = 0;
  db.$client
    .transaction(() => {
      for (const u of updates) rotated += swap.run(u.fresh, u.rowid, u.stored).changes;
    })
    .immediate();
  return { rotated, changedMeanwhile: updates.length - rotated, unreadable };
}

export type OldVersionCount = { table: string; column: string; remaining: number };

/** How many stored values in each encrypted column are on a version other than `version`. */
export function countOldVersions(version: number = newestKeyVersion()): OldVersionCount[] {
  const prefix = prefixOf(version);
  return ENCRYPTED_COLUMNS.map(({ table, column }) => {
    const row = db.$client
      .prepare(
        `SELECT count(*) AS n FROM ${quoted(table)}
         WHERE ${quoted(column)} IS NOT NULL AND substr(${quoted(column)}, 1, ?) <> ?`,
      )
      .get(prefix.length, prefix) as { n: number };
    return { table, column, remaining: row.n };
  });
}

export type RotationProgress = {
  table: string;
  column: string;
  rotated: number;
  changedMeanwhile: number;
  unreadable: number;
  /** True once, when the column is finished. */
  done: boolean;
};

export type RotationSummary = {
  version: number;
  rotated: number;
  changedMeanwhile: number;
  /** Row ids (opaque) of values that could not be decrypted, by column. */
  unreadable: { table: string; column: string; ids: string[] }[];
  /** Counted after the last batch: values still on another version, e.g. written meanwhile by a server not yet restarted with the new key. */
  remaining: OldVersionCount[];
};

export type RotationOptions = {
  batchSize?: number;
  /** Pause between batches, so the app's writers get the write lock in between. */
  pauseMs?: number;
  onProgress?: (progress: RotationProgress) => void;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Re-encrypts every encrypted value to the newest key version. Idempotent: values already on it are not read again,
 * so a second run (or a run after an interruption) does only what is left.
 */
export async function rotateAllToNewestKey(options: RotationOptions = {}): Promise<RotationSummary> {
  const batchSize = options.batchSize ?? 500;
  const pauseMs = options.pauseMs ?? 5;
  const version = newestKeyVersion();
  const summary: RotationSummary = { version, rotated: 0, changedMeanwhile: 0, unreadable: [], remaining: [] };
  for (const target of ENCRYPTED_COLUMNS) {
    const progress: RotationProgress = { ...target, rotated: 0, changedMeanwhile: 0, unreadable: 0, done: false };
    const unreadableIds: string[] = [];
    let after = 0;
    for (;;) {
      const batch = readRotationBatch(target, version, after, batchSize);
      if (batch.rows.length === 0) break;
      const outcome = applyRotationBatch(batch);
      progress.rotated += outcome.rotated;
      progress.changedMeanwhile += outcome.changedMeanwhile;
      progress.unreadable += outcome.unreadable.length;
      unreadableIds.push(...outcome.unreadable.map((row) => row.id));
      options.onProgress?.({ ...progress });
      after = batch.lastRowid;
      await sleep(pauseMs);
    }
    options.onProgress?.({ ...progress, done: true });
    summary.rotated += progress.rotated;
    summary.changedMeanwhile += progress.changedMeanwhile;
    if (unreadableIds.length > 0) summary.unreadable.push({ ...target, ids: unreadableIds });
  }
  summary.remaining = countOldVersions(version);
  if (summary.rotated > 0) {
    // One event per run that changed anything: no content, no row ids, only the version rotated to.
    db.transaction(
      (tx) => appendAudit(tx, { actorId: null, action: "data_key.rotated", objectType: "data_key", objectId: `v${version}`, outcome: "success" }),
      { behavior: "immediate" },
    );
  }
  return summary;
}
