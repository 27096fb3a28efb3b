import "server-only";

import { db } from "../client";

// Figures computed from the database and kept until the database changes. Only for non-personal results (suppressed
// report figures, say), read after the caller's permission check, never instead of it.
//
// "Changed" is exact and cheap: total_changes() counts every row this connection has written (the server's own
// writes), and PRAGMA data_version changes whenever another connection commits (a script, another server process).
// A write that rolled back also moves the count: that only costs a recomputation.

const versionStatement = () => db.$client.prepare<[], { changes: number }>("select total_changes() as changes");
let statement: ReturnType<typeof versionStatement> | undefined;

function databaseVersion(): string {
  statement ??= versionStatement();
  const changes = statement.get()?.changes ?? 0;
  return `${String(db.$client.pragma("data_version", { simple: true }))}:${changes}`;
}

export type ChangeCache<T> = { get(key: string, compute: () => T): T };

/** A cache of at most `size` results, each dropped as soon as anything in the database has changed. */
export function cacheUntilChange<T>(size: number): ChangeCache<T> {
  const entries = new Map<string, { version: string; value: T }>();
  return {
    get(key, compute) {
      const version = databaseVersion();
      const hit = entries.get(key);
      if (hit && hit.version === version) return hit.value;
      const value = compute();
      entries.delete(key);
      // Oldest first (a Map keeps insertion order), so the least recently computed goes when it is full.
      if (entries.size >= size) entries.delete(entries.keys().next().value as string);
      // Read the version before computing: a write that lands while computing makes the entry stale at once.
      entries.set(key, { version, value });
      return value;
    },
  };
}
