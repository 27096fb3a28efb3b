import { sql, type SQL } from "drizzle-orm";

import type { SessionUser } from "@/lib/auth/session";
import { roleGrants } from "../schema";

// Role checks as SQL, for the WHERE of data access functions: the database decides on every statement, so a
// role revoked a moment ago stops working at once and no caller can forget the check.
export function viewerIsEqualityUnit(viewer: SessionUser): SQL {
  return sql`exists (select 1 from ${roleGrants} where ${roleGrants.userId} = ${viewer.id} and ${roleGrants.role} = 'equality_unit')`;
}
