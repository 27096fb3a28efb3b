import { createHash } from "node:crypto";

import type Database from "better-sqlite3";

// What the fuzzing properties (e2e/fuzz.spec.ts) compare before and after: a content hash of every row of every
// table, keyed by the table and the row's primary key, leaving out the rows in the caller's own scope (a row is in
// scope when any of its values mentions one of the scope's ids: the fuzz accounts, their requests, their network).
//
// Left out as a whole, each for a reason:
const EXCLUDED_TABLES: Record<string, string> = {
  // Append-only bookkeeping the caller writes on every request, refused ones included (access.denied, validation
  // failures, the rate limiter's refusals). Rows cannot be changed or deleted (triggers), so an out-of-scope write
  // cannot hide here; the spec checks separately that the fuzz accounts' successful events concern their own scope.
  audit_events: "append-only log of the caller's own requests",
  // Sessions: the fuzz accounts' own (in scope anyway) and other journeys' sign-ins and sign-outs, which happen all
  // the time in a parallel run and are no write of ours; Auth.js' accounts/verification tokens likewise.
  sessions: "other journeys sign in and out in parallel",
  verification_tokens: "Auth.js bookkeeping, unused with OIDC",
  // Counters per limiter key and window, written on every counted request (the caller's own key) and pruned.
  rate_limits: "the caller's own counters, pruned by window",
  // Content-free delivery queue (a kind and an address): a mail to someone else is the consequence of a write in
  // scope (a request to a supporter, an announcement to members), and that write shows in the tables compared here.
  mail_outbox: "content-free consequence of writes compared elsewhere",
  // Aggregates kept by triggers (db/migrations/0009_aggregate_triggers.sql) from tables compared here: they change
  // only when those rows do (a caller joining someone else's network changes that network's counts).
  network_member_counts: "trigger-maintained aggregate of network_memberships",
  request_rollup: "trigger-maintained aggregate of support_requests",
  request_duration_rollup: "trigger-maintained aggregate of support_requests",
  site_staff_counts: "trigger-maintained aggregate of users",
  // SQLite's and Drizzle's own.
  sqlite_sequence: "SQLite's autoincrement counters",
  __drizzle_migrations: "migration bookkeeping",
};

// Columns left out of a row's hash: derived counts kept by triggers from rows compared here.
const EXCLUDED_COLUMNS: Record<string, readonly string[]> = {
  // A request in scope sent to another person's supporter profile counts against their capacity (a trigger).
  supporters: ["open_requests"],
};

export type Snapshot = Map<string, { hash: string; text: string }>;

type ColumnInfo = { name: string; pk: number };

function tablesOf(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' ORDER BY name").pluck().all() as string[]).filter(
    (name) => !(name in EXCLUDED_TABLES),
  );
}

/** Every row outside the excluded tables, with its values as text (for finding ids in it and for reports). */
export function snapshot(db: Database.Database): Snapshot {
  const rows: Snapshot = new Map();
  for (const table of tablesOf(db)) {
    const columns = db.prepare(`PRAGMA table_info("${table}")`).all() as ColumnInfo[];
    const keep = columns.filter((c) => !(EXCLUDED_COLUMNS[table] ?? []).includes(c.name));
    const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    const keyColumns = pk.length ? pk.map((c) => `"${c.name}"`).join(", ") : "rowid";
    const select = `SELECT ${keyColumns}, ${keep.map((c) => `"${c.name}"`).join(", ")} FROM "${table}"`;
    for (const raw of db.prepare(select).raw().all() as unknown[][]) {
      const key = `${table}|${JSON.stringify(raw.slice(0, pk.length || 1))}`;
      const text = JSON.stringify(raw.slice(pk.length || 1));
      rows.set(key, { hash: createHash("sha256").update(text).digest("hex"), text });
    }
  }
  return rows;
}

export type RowChange = { key: string; before?: string; after?: string };

/** Rows added, removed or changed between two snapshots, except those that mention an id in `scope`. */
export function changesOutside(before: Snapshot, after: Snapshot, scope: readonly string[]): RowChange[] {
  const inScope = (key: string, text: string | undefined) => scope.some((id) => key.includes(id) || (text ?? "").includes(id));
  const changes: RowChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    if (b?.hash === a?.hash) continue;
    if (inScope(key, b?.text) || inScope(key, a?.text)) continue;
    changes.push({ key, before: b?.text.slice(0, 300), after: a?.text.slice(0, 300) });
  }
  return changes;
}

/** The primary-key values of every row outside `scope` in a snapshot: the ids of what was someone else's. */
export function idsOutside(rows: Snapshot, scope: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const [key, row] of rows) {
    if (scope.some((id) => key.includes(id) || row.text.includes(id))) continue;
    const values = JSON.parse(key.slice(key.indexOf("|") + 1)) as unknown[];
    for (const value of values) if (typeof value === "string" && value.length >= 8) ids.add(value);
  }
  return ids;
}

// What a response must never show: stack frames, source paths, error class names with their message, SQLite's
// own errors and SQL. Our hostile input contains SQL fragments and markup, which a form may rightly echo back in its
// fields: these patterns match only what none of the inputs contains.
const INTERNALS: readonly [string, RegExp][] = [
  ["a stack frame", /\bat [\w$.<>[\] ]+ \(?[^()\s]*\.(?:js|mjs|cjs|ts|tsx):\d+(?::\d+)?\)?/],
  ["a stack frame", /\n\s+at (?:async )?[\w$.<>]+ \(/],
  ["an error with its message", /\b(?:Type|Range|Reference|Syntax|Sqlite|Zod|NotFound|Database)?Error: [A-Za-z]/],
  ["a source path", /(?:\/work\/|\/home\/|\/root\/|\/usr\/lib\/node|node_modules\/|\.next(?:-test-\d+)?\/server\/|webpack-internal:|file:\/\/\/)/],
  ["a SQLite error", /\bSQLITE_[A-Z_]+\b|\bno such (?:table|column)\b|\bUNIQUE constraint failed\b|\bFOREIGN KEY constraint failed\b|\bnear "[^"]*": syntax error\b/],
  ["SQL text", /\bselect\s+[\w".*, ]+\s+from\s+"?(?:users|support_requests|networks|network_memberships|supporters|audit_events|sessions|feedback)"?/i],
];

/** The internals a response body shows, if any (empty when it shows none). */
export function internalsIn(body: string): string[] {
  return INTERNALS.filter(([, pattern]) => pattern.test(body)).map(([what, pattern]) => `${what}: ${body.match(pattern)?.[0] ?? ""}`);
}
