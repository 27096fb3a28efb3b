// Time goes through here so that tests can move it (session expiry, refresher reminders, retention).
export const clock = {
  now: (): Date => new Date(),
};

const londonDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });

// Calendar dates (training, refresher due, pause end) are the force's local dates, as ISO strings YYYY-MM-DD.
export function today(): string {
  return londonDate.format(clock.now());
}

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function addYears(isoDate: string, years: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.toISOString().slice(0, 10);
}

// "3 March" (and the year when it is not this year), for "Not taking requests until 3 March".
export function formatDate(isoDate: string, reference: string = today()): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  const sameYear = isoDate.slice(0, 4) === reference.slice(0, 4);
  return date.toLocaleDateString("en-GB", { day: "numeric", month: "long", ...(sameYear ? {} : { year: "numeric" }), timeZone: "UTC" });
}

// The acknowledgement target counts working days: a request sent on Friday afternoon is due on Tuesday, not
// Sunday. (Bank holidays are not counted out; the Equality Unit sees the reminders and can allow for them.)
export function addWorkingDays(from: Date, days: number): Date {
  const date = new Date(from);
  let left = days;
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return date;
}
