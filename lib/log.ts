import { randomBytes } from "node:crypto";

// One JSON line per event on stderr. Never pass request content, message text or network membership here.
type Fields = Record<string, string | number | boolean | null | undefined>;

export function logEvent(level: "info" | "warn" | "error", event: string, fields: Fields = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
}

// A short reference a person can read out to the service desk; the log line with it has the detail.
export function newErrorReference(): string {
  return randomBytes(5).toString("hex").toUpperCase();
}
