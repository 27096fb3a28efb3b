const day = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" });

/** "3 March 2026", the force's local date. */
export function formatDay(date: Date): string {
  return day.format(date);
}

export function membersLabel(n: number): string {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? "member" : "members"}`;
}

export const SILENT_LABEL = "Silent \u2014 only coordinators can see this";
export const VISIBLE_LABEL = "Visible to other members";
