import { exportMembersCsv } from "@/db/queries/network-console";
import { NetworkSlugParam } from "@/db/validation/network-console";
import { requireUser } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { refuse } from "../console-guard";

// The member list with contact details, for coordinators only (checked in SQL by exportMembersCsv, which also
// writes the audit event). The file name says nothing about the network: downloads folders are shared and synced.
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  const viewer = await requireUser();
  const slug = NetworkSlugParam.safeParse((await params).slug);
  if (!slug.success) refuse(viewer);
  let csv: string;
  try {
    csv = exportMembersCsv(viewer, slug.data);
  } catch (error) {
    if (error instanceof NotFoundError) refuse(viewer);
    throw error;
  }
  return new Response(csv, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="members.csv"',
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
