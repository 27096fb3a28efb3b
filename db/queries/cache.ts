import "server-only";

import { db } from "../client";

// Results computed from the database and kept until what they are computed from changes. Only for non-personal
// results (suppressed report figures, the directory), read after the caller's permission check, never instead of it.
//
// Two ways to tell "changed", both exact and cheap:
// - the whole database (the default): total_changes() counts every row this connection has written (the server's
//   own writes), and PRAGMA data_version changes whenever another connection commits (a script, another server
//   process). A write that rolled back also moves the count: that only costs a recomputation. Any write at all
//   clears the cache, sliding a session included, so it suits results that are costly and read in bursts.
// - a named version in data_versions, moved by triggers on exactly the tables a result is computed from (migration
//   0014), in the writing transaction and whichever process writes: the cache then survives unrelated writes.

const versionStatement = () => db.$client.prepare<[], { changes: number }>("select total_changes() as changes");
let statement: ReturnType<typeof versionStatement> | undefined;

function databaseVersion(): string {
  statement ??= versionStatement();
  const changes = statement.get()?.changes ?? 0;
  return `${String(db.$client.pragma("data_version", { simple: true }))}:${changes}`;
}

const namedVersionStatement = () =>
  db.$client.prepare<[string], { version: number }>("select version from data_versions where name = ?");
let namedStatement: ReturnType<typeof namedVersionStatement> | undefined;

/** The version of a named set of tables (data_versions), for cacheUntilChange. */
export function versionOf(name: "directory"): () => string {
  return () => {
    namedStatement ??= namedVersionStatement();
    const row = namedStatement.get(name);
    if (!row) throw new Error(`data_versions has no row ${name}`);
    return String(row.version);
  };
}

export type ChangeCache<T> = { get(key: string, compute: () => T): T };

/** A cache of at most `size` results, each dropped as soon as the database (or the named version) has changed. */
export function cacheUntilChange<T>(size: number, currentVersion: () => string = databaseVersion): ChangeCache<T> {
  const entries = new Map<string, { version: string; value: T }>();
  return {
    get(key, compute) {
      const version = currentVersion();
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
