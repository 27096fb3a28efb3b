import { notFound, redirect } from "next/navigation";
import type { NextRequest } from "next/server";

import { exportAuditCsv } from "@/db/queries/audit-log";
import { auditLogSearch, parseAuditLogQuery } from "@/db/validation/audit-log";
import { requireEqualityUnit } from "@/lib/auth/equality-unit";
import { NotFoundError } from "@/lib/errors";
import { resolveFilter } from "../load";

// The audit log as CSV, for the filter on the page (the same query string). Streamed a thousand rows at a time and
// capped at 100,000, so a download of a huge log neither fills the server's memory nor holds a read open. The file
// name says nothing about the filter: downloads folders are shared and synced.
export async function GET(request: NextRequest): Promise<Response> {
  const viewer = await requireEqualityUnit("audit_log");
  const params: Record<string, string> = {};
  for (const [name, value] of request.nextUrl.searchParams) params[name] ??= value;
  const query = parseAuditLogQuery(params);
  const { filter } = resolveFilter(viewer, query);
  // A filter with a problem goes back to the page, which shows the problem on the form.
  if (!filter) redirect(`/admin/audit${auditLogSearch(query.values)}`);

  const chunks = exportAuditCsv(viewer, filter);
  let first: IteratorResult<string>;
  try {
    // The first step checks the role again and records the export, before any row is read.
    first = chunks.next();
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const encoder = new TextEncoder();
  let pending: IteratorResult<string> | null = first;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = pending ?? chunks.next();
      pending = null;
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    cancel() {
      chunks.return(undefined);
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="audit-log.csv"',
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
