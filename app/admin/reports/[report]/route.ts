import { notFound } from "next/navigation";

import { exportReportCsv } from "@/db/queries/reports";
import { AdminReportParam, parseRange } from "@/db/validation/reports";
import { audit } from "@/lib/audit";
import { requireEqualityUnit } from "@/lib/auth/equality-unit";
import { today } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";

// One report as CSV, with the same date range and the same suppressed figures as the page. The file name is the
// report's name only: downloads folders are shared and synced.
export async function GET(request: Request, { params }: { params: Promise<{ report: string }> }): Promise<Response> {
  const viewer = await requireEqualityUnit("report");
  const name = AdminReportParam.safeParse((await params).report);
  if (!name.success) {
    audit({ actorId: viewer.id, action: "access.denied", objectType: "report", outcome: "denied" });
    notFound();
  }
  const day = today();
  const parsed = parseRange(new URL(request.url).searchParams, day);
  if (!parsed.ok) {
    return new Response("Check the dates: go back to the reports page and choose the range again.\n", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  let csv: string;
  try {
    csv = exportReportCsv(viewer, name.data, parsed.range, day);
  } catch (error) {
    // The role was revoked since the request began: the same 404 as for anyone else.
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  return new Response(csv, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name.data}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
