import type { AuditActor, HiddenReason } from "@/db/queries/audit-log";

// How the audit log page shows events. Shared by the page and its table; the CSV has its own plain columns.

const londonTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** "5 Mar 2026, 14:03:21", the force's local time. */
export function formatEventTime(at: Date): string {
  return londonTime.format(at);
}

export const HIDDEN_REASONS: Record<HiddenReason, string> = {
  request: "It could identify someone who asked for help, or their supporter",
  membership: "It could identify a member of a network",
  feedback: "Feedback can be sent anonymously",
  other: "This kind of event has not been cleared to show who did it",
};

export function actorSummary(actor: AuditActor): { main: string; detail: string | null } {
  switch (actor.kind) {
    case "person":
      return { main: actor.name ?? "No name recorded", detail: actor.email };
    case "none":
      return { main: "None", detail: "An automatic task, a script, or someone not signed in" };
    case "unknown":
      return { main: "Unknown", detail: `The account no longer exists (id ${actor.id})` };
    case "hidden":
      return { main: "Not shown", detail: HIDDEN_REASONS[actor.reason] };
  }
}

export const OUTCOME_LABELS = { success: "Success", denied: "Refused", failure: "Failed" } as const;
export const OUTCOME_COLOURS = { success: "green", denied: "red", failure: "orange" } as const;

// The types of object our code records (grep "objectType" in db, lib, app, scripts, auth.ts). A type given in the
// query string that is not listed here is still used, and added to the list so the form shows it.
export const OBJECT_TYPES = [
  "admin",
  "audit_event",
  "audit_log",
  "feedback",
  "network",
  "network_admin",
  "network_announcement",
  "network_console",
  "network_membership",
  "network_report",
  "report",
  "request",
  "roster",
  "staff_import",
  "staff_record",
  "supporter",
  "supporter_status_event",
  "user",
] as const;

/** The action list: "any", then each family (as "family.") followed by its actions. */
export function actionItems(actions: readonly string[], current: string): { value: string; text: string }[] {
  const all = new Set(actions);
  if (current) all.add(current);
  const families = new Map<string, string[]>();
  for (const action of [...all].sort()) {
    if (action.endsWith(".")) {
      families.set(action.slice(0, -1), families.get(action.slice(0, -1)) ?? []);
      continue;
    }
    const family = action.includes(".") ? action.slice(0, action.indexOf(".")) : action;
    families.set(family, [...(families.get(family) ?? []), action]);
  }
  const items = [{ value: "", text: "Any action" }];
  for (const [family, list] of families) {
    items.push({ value: `${family}.`, text: `Every ${family}.\u2026 action` });
    for (const action of list) items.push({ value: action, text: action });
  }
  return items;
}

export function objectTypeItems(current: string): { value: string; text: string }[] {
  const types = new Set<string>(OBJECT_TYPES);
  if (current) types.add(current);
  return [{ value: "", text: "Any type" }, ...[...types].sort().map((type) => ({ value: type, text: type }))];
}
