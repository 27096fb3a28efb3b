import { getConsoleNetwork } from "@/db/queries/network-console";
import { exportNetworkReportCsv } from "@/db/queries/reports";
import { NetworkSlugParam } from "@/db/validation/network-console";
import { NetworkReportParam, parseRange } from "@/db/validation/reports";
import { requireUser } from "@/lib/auth/session";
import { today } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { refuse } from "../../console-guard";

// The network report's tables as CSV, for the network's coordinators only (checked in SQL by the data access layer,
// which also writes the audit event). The file name says nothing about the network.
export async function GET(request: Request, { params }: { params: Promise<{ slug: string; table: string }> }): Promise<Response> {
  const viewer = await requireUser();
  const { slug: rawSlug, table: rawTable } = await params;
  const slug = NetworkSlugParam.safeParse(rawSlug);
  const table = NetworkReportParam.safeParse(rawTable);
  if (!slug.success || !table.success) refuse(viewer);
  const day = today();
  const parsed = parseRange(new URL(request.url).searchParams, day);
  let csv: string;
  try {
    if (!parsed.ok) {
      // Dates are only answered once the permission is known, so a wrong address says nothing more than a 404.
      getConsoleNetwork(viewer, slug.data);
      return new Response("Check the dates: go back to the report and choose the range again.\n", {
        status: 400,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
    }
    csv = exportNetworkReportCsv(viewer, slug.data, table.data, parsed.range);
  } catch (error) {
    if (error instanceof NotFoundError) refuse(viewer);
    throw error;
  }
  return new Response(csv, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="network-${table.data}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
