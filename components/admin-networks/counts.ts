import type { SuppressedCount } from "@/db/queries/network-admin";

// The data access layer has already replaced counts under 5 with null; this only words it.
export function countLabel(count: SuppressedCount): string {
  return count === null ? "fewer than 5" : count.toLocaleString("en-GB");
}

export const JOIN_POLICY_LABELS = { open: "Join at once", approval: "Coordinator approves" } as const;
export const STATUS_LABELS = { active: "Active", archived: "Archived" } as const;
