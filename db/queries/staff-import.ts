import "server-only";

import { randomUUID } from "node:crypto";

import { and, count, desc, eq, inArray, sql } from "drizzle-orm";

import { appendAudit } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/session";
import { clock } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { logEvent, newErrorReference } from "@/lib/log";
import { db, type Db } from "../client";
import { staffImports, users } from "../schema";
import {
  firstIssue,
  IMPORT_PAGE_SIZE,
  REJECTIONS_KEPT,
  STAFF_COLUMNS,
  StaffRow,
  type StaffFile,
  type StaffRowData,
} from "../validation/staff-import";
import { viewerIsEqualityUnit } from "./permissions";

// The Equality Unit's staff records import. The upload checks the file as a whole and records the import
// (startStaffImport); the rows are then applied in batches after the response (applyStaffImport), so the page can
// show progress and the server keeps answering other people in between. Every statement carries
// viewerIsEqualityUnit in its WHERE, or runs in a transaction that has just asked it while holding the write lock,
// so a role revoked mid-import stops the import at the next batch.
//
// Importing the same file again writes no user row: a row only becomes an UPDATE when a value differs, and an
// empty rank, department or site leaves what the record holds. Leavers are never brought back by an import.

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export const BATCH_SIZE = 1_000;

export type ImportStatus = "running" | "done" | "failed";
export type Rejection = { row: number; reason: string };

export const LEAVER_REASON = "Marked as a leaver: reinstate them on their staff record first";
export const STOPPED_ROLE_REMOVED = "The import stopped because the person who started it no longer has the Equality Unit role";

function equalityUnitNow(viewer: SessionUser, tx: Tx | Db = db): boolean {
  return tx.get<{ ok: number } | undefined>(sql`select 1 as ok where ${viewerIsEqualityUnit(viewer)}`) !== undefined;
}

function assertEqualityUnit(viewer: SessionUser, tx: Tx | Db = db): void {
  if (!equalityUnitNow(viewer, tx)) throw new NotFoundError("staff_import");
}

// ---------------------------------------------------------------------------------------------------------------
// Starting and applying an import
// ---------------------------------------------------------------------------------------------------------------

/** Records a new import of a checked file (readStaffFile) and audits its start. Returns the import's id. */
export function startStaffImport(viewer: SessionUser, file: Pick<StaffFile, "fileName" | "rows">): string {
  return db.transaction(
    (tx) => {
      assertEqualityUnit(viewer, tx);
      const id = randomUUID();
      tx.insert(staffImports)
        .values({ id, actorId: viewer.id, fileName: file.fileName, status: "running", totalRows: file.rows.length, createdAt: clock.now() })
        .run();
      appendAudit(tx, { actorId: viewer.id, action: "staff.import_started", objectType: "staff_import", objectId: id, outcome: "success" });
      return id;
    },
    { behavior: "immediate" },
  );
}

export type ImportCounts = {
  processedRows: number;
  createdRows: number;
  updatedRows: number;
  unchangedRows: number;
  rejectedRows: number;
};

type Progress = ImportCounts & { rejections: Rejection[]; seen: Map<string, number> };

type Checked = { row: number; data: StaffRowData };

/** Row checks that need no database: column count, the row's own values, and duplicates earlier in the file. */
function checkRow(file: StaffFile, row: StaffFile["rows"][number], progress: Progress): Checked | Rejection {
  if (row.cells.length !== STAFF_COLUMNS.length) {
    return { row: row.row, reason: `The row has ${row.cells.length} ${row.cells.length === 1 ? "column" : "columns"}: it should have ${STAFF_COLUMNS.length}` };
  }
  const values: Record<string, string> = {};
  file.order.forEach((column, index) => {
    values[column] = row.cells[index] ?? "";
  });
  const parsed = StaffRow.safeParse(values);
  // The email address on its own only when the row as a whole is refused, to find duplicates among refused rows too.
  const email = parsed.success ? { success: true as const, data: parsed.data.email } : StaffRow.shape.email.safeParse(values.email);
  // Two rows for one person: the first counts and later ones are refused, even when the first is refused for another
  // reason, so the report points at every row that says something different about the same person.
  if (email.success) {
    const first = progress.seen.get(email.data);
    if (first !== undefined) return { row: row.row, reason: `Duplicate of row ${first}: the email address is already in the file` };
    progress.seen.set(email.data, row.row);
  }
  if (!parsed.success) return { row: row.row, reason: firstIssue(parsed.error) };
  return { row: row.row, data: parsed.data };
}

type Existing = {
  id: string;
  email: string;
  name: string | null;
  jobTitle: string | null;
  department: string | null;
  site: string | null;
  deactivatedAt: Date | null;
};

function differs(current: Existing, data: StaffRowData): boolean {
  // An empty cell (null) keeps the value the record has, so it never counts as a difference.
  return (
    current.name !== data.name ||
    (data.jobTitle !== null && current.jobTitle !== data.jobTitle) ||
    (data.department !== null && current.department !== data.department) ||
    (data.site !== null && current.site !== data.site)
  );
}

// Prepared once and reused for every row: building the same statement 50,000 times was most of an import's time.
// They run on the one connection, inside the batch's IMMEDIATE transaction, which has just checked the viewer's role
// while holding the write lock, so no grant can be revoked between that check and these writes.
let prepared: { insert: ReturnType<typeof prepareInsert>; update: ReturnType<typeof prepareUpdate> } | undefined;

function prepareInsert() {
  return db
    .insert(users)
    .values({
      id: sql.placeholder("id"),
      email: sql.placeholder("email"),
      name: sql.placeholder("name"),
      jobTitle: sql.placeholder("jobTitle"),
      department: sql.placeholder("department"),
      site: sql.placeholder("site"),
      createdAt: sql.placeholder("createdAt"),
    })
    .prepare();
}

// An empty cell (null) keeps the record's value.
function prepareUpdate() {
  return db
    .update(users)
    .set({
      name: sql`${sql.placeholder("name")}`,
      jobTitle: sql`coalesce(${sql.placeholder("jobTitle")}, ${users.jobTitle})`,
      department: sql`coalesce(${sql.placeholder("department")}, ${users.department})`,
      site: sql`coalesce(${sql.placeholder("site")}, ${users.site})`,
    })
    .where(eq(users.id, sql.placeholder("id")))
    .prepare();
}

function applyBatch(viewer: SessionUser, importId: string, file: StaffFile, batch: StaffFile["rows"], progress: Progress): void {
  db.transaction(
    (tx) => {
      assertEqualityUnit(viewer, tx);
      const rejectionsBefore = progress.rejections.length;
      const reject = (rejection: Rejection) => {
        progress.rejectedRows += 1;
        if (progress.rejections.length < REJECTIONS_KEPT) progress.rejections.push(rejection);
      };

      const accepted: Checked[] = [];
      for (const row of batch) {
        const checked = checkRow(file, row, progress);
        if ("data" in checked) accepted.push(checked);
        else reject(checked);
      }

      // One statement for the whole batch, on the lower(email) index that also keeps addresses unique.
      const existing = new Map<string, Existing>();
      if (accepted.length > 0) {
        const emailKey = sql<string>`lower(${users.email})`;
        const found = tx
          .select({
            key: emailKey,
            id: users.id,
            email: users.email,
            name: users.name,
            jobTitle: users.jobTitle,
            department: users.department,
            site: users.site,
            deactivatedAt: users.deactivatedAt,
          })
          .from(users)
          .where(and(inArray(emailKey, accepted.map((a) => a.data.email)), viewerIsEqualityUnit(viewer)))
          .all();
        for (const { key, ...user } of found) existing.set(key, user);
      }

      const { insert, update } = (prepared ??= { insert: prepareInsert(), update: prepareUpdate() });
      const createdAt = clock.now();
      for (const { row, data } of accepted) {
        const current = existing.get(data.email);
        if (!current) {
          // A new starter: the record is linked to them by email address when they first sign in.
          insert.run({ id: randomUUID(), ...data, createdAt });
          progress.createdRows += 1;
          continue;
        }
        if (current.deactivatedAt !== null) {
          reject({ row, reason: LEAVER_REASON });
          continue;
        }
        if (!differs(current, data)) {
          progress.unchangedRows += 1;
          continue;
        }
        update.run({ id: current.id, name: data.name, jobTitle: data.jobTitle, department: data.department, site: data.site });
        progress.updatedRows += 1;
      }
      progress.processedRows += batch.length;

      tx.update(staffImports)
        .set({
          processedRows: progress.processedRows,
          createdRows: progress.createdRows,
          updatedRows: progress.updatedRows,
          unchangedRows: progress.unchangedRows,
          rejectedRows: progress.rejectedRows,
          ...(progress.rejections.length !== rejectionsBefore ? { rejections: JSON.stringify(progress.rejections) } : {}),
        })
        .where(and(eq(staffImports.id, importId), viewerIsEqualityUnit(viewer)))
        .run();
    },
    { behavior: "immediate" },
  );
}

function finish(viewer: SessionUser, importId: string): void {
  db.transaction(
    (tx) => {
      const done = tx
        .update(staffImports)
        .set({ status: "done", finishedAt: clock.now() })
        .where(and(eq(staffImports.id, importId), eq(staffImports.status, "running"), viewerIsEqualityUnit(viewer)))
        .run();
      if (done.changes !== 1) throw new NotFoundError("staff_import");
      appendAudit(tx, { actorId: viewer.id, action: "staff.import_finished", objectType: "staff_import", objectId: importId, outcome: "success" });
    },
    { behavior: "immediate" },
  );
}

// Recording the failure is not the viewer's change but the import's own bookkeeping, so it is written even when the
// viewer has just lost the role (that is one of the ways an import fails), but only on a running import they started.
function markFailed(viewer: SessionUser, importId: string, message: string): void {
  db.transaction(
    (tx) => {
      const stopped = tx
        .update(staffImports)
        .set({ status: "failed", error: message, finishedAt: clock.now() })
        .where(and(eq(staffImports.id, importId), eq(staffImports.actorId, viewer.id), eq(staffImports.status, "running")))
        .run();
      if (stopped.changes !== 1) return;
      appendAudit(tx, { actorId: viewer.id, action: "staff.import_finished", objectType: "staff_import", objectId: importId, outcome: "failure" });
    },
    { behavior: "immediate" },
  );
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Applies the rows of a started import, BATCH_SIZE at a time, each batch in one IMMEDIATE transaction with the
 * import's counts, yielding to the event loop between batches so other requests are served. Never throws: a
 * failure marks the import "failed" with a message fit to show (the log has a reference, never row content).
 */
export async function applyStaffImport(
  viewer: SessionUser,
  importId: string,
  file: StaffFile,
  options: { batchSize?: number } = {},
): Promise<ImportStatus> {
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const progress: Progress = { processedRows: 0, createdRows: 0, updatedRows: 0, unchangedRows: 0, rejectedRows: 0, rejections: [], seen: new Map() };
  let firstRow = file.rows[0]?.row ?? 2;
  try {
    for (let start = 0; start < file.rows.length; start += batchSize) {
      const batch = file.rows.slice(start, start + batchSize);
      firstRow = batch[0]?.row ?? firstRow;
      applyBatch(viewer, importId, file, batch, progress);
      await nextTurn();
    }
    finish(viewer, importId);
    return "done";
  } catch (error) {
    let message: string;
    if (error instanceof NotFoundError) {
      message = STOPPED_ROLE_REMOVED;
    } else {
      const reference = newErrorReference();
      logEvent("error", "staff_import.failed", { reference, importId, error: error instanceof Error ? error.name : "unknown" });
      message =
        `The import stopped at row ${firstRow} because of an unexpected problem (reference ${reference}). ` +
        "Rows before it were applied. Import the file again to finish: rows already applied will show as unchanged.";
    }
    try {
      markFailed(viewer, importId, message);
    } catch (markError) {
      logEvent("error", "staff_import.mark_failed_failed", { importId, error: markError instanceof Error ? markError.name : "unknown" });
    }
    return "failed";
  }
}

/** Both steps at once, for scripts and tests: the app starts the import and applies it after the response. */
export async function importStaff(viewer: SessionUser, file: StaffFile, options: { batchSize?: number } = {}): Promise<{ id: string; status: ImportStatus }> {
  const id = startStaffImport(viewer, file);
  const status = await applyStaffImport(viewer, id, file, options);
  return { id, status };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading imports
// ---------------------------------------------------------------------------------------------------------------

export type ImportSummary = ImportCounts & {
  id: string;
  fileName: string;
  status: ImportStatus;
  totalRows: number;
  createdAt: Date;
  finishedAt: Date | null;
  /** Who ran it; null once their account has been removed. */
  actorName: string | null;
};

export type ImportList = { items: ImportSummary[]; total: number; page: number; pageCount: number; pageSize: number };

const actor = sql<string | null>`(select coalesce(u.name, u.email) from users as u where u.id = ${staffImports.actorId})`;

const summaryColumns = {
  id: staffImports.id,
  fileName: staffImports.fileName,
  status: staffImports.status,
  totalRows: staffImports.totalRows,
  processedRows: staffImports.processedRows,
  createdRows: staffImports.createdRows,
  updatedRows: staffImports.updatedRows,
  unchangedRows: staffImports.unchangedRows,
  rejectedRows: staffImports.rejectedRows,
  createdAt: staffImports.createdAt,
  finishedAt: staffImports.finishedAt,
  actorName: actor,
};

/** Newest first. */
export function listStaffImports(viewer: SessionUser, page: number): ImportList {
  const total = db.select({ n: count() }).from(staffImports).where(viewerIsEqualityUnit(viewer)).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / IMPORT_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
  const items = db
    .select(summaryColumns)
    .from(staffImports)
    .where(viewerIsEqualityUnit(viewer))
    .orderBy(desc(staffImports.createdAt), desc(staffImports.id))
    .limit(IMPORT_PAGE_SIZE)
    .offset((current - 1) * IMPORT_PAGE_SIZE)
    .all();
  return { items, total, page: current, pageCount, pageSize: IMPORT_PAGE_SIZE };
}

export type ImportReport = ImportSummary & {
  error: string | null;
  /** This page of the rejected rows kept for the report (the first REJECTIONS_KEPT). */
  rejections: Rejection[];
  rejectionsKept: number;
  rejectionsPage: number;
  rejectionsPageCount: number;
};

function parseRejections(json: string): Rejection[] {
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (item): item is Rejection =>
        typeof item === "object" && item !== null && typeof (item as Rejection).row === "number" && typeof (item as Rejection).reason === "string",
    );
  } catch {
    return [];
  }
}

export function getStaffImport(viewer: SessionUser, importId: string, rejectionsPage = 1): ImportReport {
  const row = db
    .select({ ...summaryColumns, error: staffImports.error, rejections: staffImports.rejections })
    .from(staffImports)
    .where(and(eq(staffImports.id, importId), viewerIsEqualityUnit(viewer)))
    .get();
  if (!row) throw new NotFoundError("staff_import");
  const { rejections: json, ...summary } = row;
  const all = parseRejections(json);
  const pageCount = Math.max(1, Math.ceil(all.length / IMPORT_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.trunc(rejectionsPage) || 1), pageCount);
  return {
    ...summary,
    rejections: all.slice((page - 1) * IMPORT_PAGE_SIZE, page * IMPORT_PAGE_SIZE),
    rejectionsKept: all.length,
    rejectionsPage: page,
    rejectionsPageCount: pageCount,
  };
}
