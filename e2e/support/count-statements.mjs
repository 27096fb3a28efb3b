// Preloaded into a `next start` server by e2e/query-discipline.spec.ts (node --import): counts every SQL statement
// the process executes, by its text, and tells the test the running totals over the IPC channel it was started
// with. Nothing in the app changes: the counting wraps better-sqlite3's own methods, which every query reaches
// (Drizzle, Auth.js's adapter, pragmas and transactions all end in Statement#run/get/all/iterate or Database#exec).
// `next start` serves from this same process (it forks a worker only in development), and better-sqlite3 is an
// external package (next.config.mjs): the server requires the very module imported (and patched) here.

import Database from "better-sqlite3";

const probe = new Database(":memory:");
const Statement = Object.getPrototypeOf(probe.prepare("select 1"));
probe.close();

/** Executions per SQL text since the server started. */
const executed = new Map();

function record(source) {
  executed.set(source, (executed.get(source) ?? 0) + 1);
}

for (const method of ["run", "get", "all", "iterate"]) {
  const original = Statement[method];
  Statement[method] = function countedStatement(...args) {
    record(this.source);
    return original.apply(this, args);
  };
}

const exec = Database.prototype.exec;
Database.prototype.exec = function countedExec(source) {
  record(source);
  return exec.call(this, source);
};

if (!process.send) throw new Error("count-statements.cjs needs an IPC channel: spawn with stdio [..., 'ipc']");

process.on("message", (message) => {
  if (message && message.type === "statements") process.send({ type: "statements", executed: Object.fromEntries(executed) });
});

// The test owns this server: when it goes away (even without stopping us), so do we.
process.on("disconnect", () => process.exit(0));
