import { redirect } from "next/navigation";

import { requireEqualityUnit } from "@/lib/auth/equality-unit";

// The list of imports lives on the import page itself; this address only leads there.
export default async function StaffImportsPage() {
  await requireEqualityUnit("staff_import");
  redirect("/admin/staff/import#recent-imports");
}
