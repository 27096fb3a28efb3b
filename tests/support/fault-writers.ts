import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";

import type Database from "better-sqlite3";
import { build } from "esbuild";

import { decryptField } from "@/lib/crypto";

// Shared by tests/crash-safety.test.ts and tests/db-faults.test.ts: people, supporters and networks for
// tests/support/crash-writer.ts to write with, the writer itself as child processes, and the check that every write
// a writer acknowledged is in the database with the content it wrote.

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export type Ack =
  | { kind: "request"; id: string; requesterId: string; message: string; safeContact: string }
  | { kind: "message"; requestId: string; authorId: string; body: string }
  | { kind: "membership"; id: string; userId: string; networkId: string; status: string };

// Rows the writers need, inserted with plain SQL (like tests/factories.ts) so that the writers' calls are the only
// app code writing. Supporters take any number of requests; there are enough people that the rate limit (5
// requests an hour each) rarely refuses anyone.
export function seedWriterPool(sql: Database.Database, people = 3000): void {
  sql.transaction(() => {
    const user = sql.prepare("INSERT INTO users (id, email, name, department) VALUES (?, ?, ?, 'Response Policing')");
    for (let i = 0; i < people; i += 1) user.run(randomUUID(), `writer-person-${i}@example.org`, `Writer Person ${i}`);
    for (let i = 0; i < 8; i += 1) {
      const userId = randomUUID();
      const supporterId = randomUUID();
      user.run(userId, `writer-supporter-${i}@example.org`, `Writer Supporter ${i}`);
      sql
        .prepare(
          `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, capacity)
           VALUES (?, ?, 'active', 'PC', 'Force HQ', '2025-01-01', '2099-01-01', 1000000)`,
        )
        .run(supporterId, userId);
      sql.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'contact_method', 'in_app')").run(supporterId);
    }
    for (const [i, policy] of (["open", "approval", "open"] as const).entries()) {
      const networkId = randomUUID();
      sql
        .prepare(
          `INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join, join_policy)
           VALUES (?, ?, ?, 'summary', 'description', 'who for', 'how to join', ?)`,
        )
        .run(networkId, `writer-network-${i}`, `Writer Network ${i}`, policy);
      const coordinator = randomUUID();
      user.run(coordinator, `writer-coordinator-${i}@example.org`, `Writer Coordinator ${i}`);
      sql.prepare("INSERT INTO network_coordinators (network_id, user_id) VALUES (?, ?)").run(networkId, coordinator);
    }
  })();
}

// node --import tsx takes about half a second to load the data access layer; the crash test starts a writer more
// than a hundred times. So the writer is bundled once with esbuild (what tsx itself compiles with), from the same
// sources and with the same react-server condition, and then starts in a fifth of the time.
export async function bundleWriter(dir: string): Promise<string> {
  const outfile = path.join(dir, "crash-writer.cjs");
  await build({
    entryPoints: [path.join(ROOT, "tests/support/crash-writer.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    conditions: ["react-server"],
    external: ["better-sqlite3"],
    tsconfig: path.join(ROOT, "tsconfig.json"),
    outfile,
    logLevel: "error",
  });
  return outfile;
}

export type Writer = {
  child: ChildProcess;
  acks: Ack[];
  /** Writes the app refused as a person would be refused (the rate limit), which are not failures. */
  refused: number;
  /** Lines other than acknowledgements: a failed write prints one and exits 1. */
  errors: string[];
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  go: () => void;
};

const running = new Set<ChildProcess>();

// For a test's after(): a failed assertion must not leave writers behind, which would keep the test process alive.
export function stopWriters(): void {
  for (const child of running) child.kill("SIGKILL");
}

// One writer process on the database in env.DATABASE_PATH. Lines are only taken whole: a line cut off by a kill
// was never an acknowledgement.
// `as` runs it as another (unprivileged) user, for a file that root could write whatever its mode.
export function startWriter(bundle: string, env: NodeJS.ProcessEnv, seed: number, count: number, as: { uid?: number; gid?: number } = {}): Writer {
  const child = spawn(process.execPath, [bundle, String(seed), String(count)], {
    ...as,
    env: { ...env, NODE_PATH: path.join(ROOT, "node_modules") },
    stdio: ["pipe", "pipe", "pipe"],
  });
  running.add(child);
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let pending = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const lines = (pending + chunk.toString("utf8")).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const parsed = JSON.parse(line) as Ack | { ready: true } | { error: string } | { refused: string };
      if ("ready" in parsed) markReady();
      else if ("refused" in parsed) writer.refused += 1;
      else if ("error" in parsed) writer.errors.push(line);
      else writer.acks.push(parsed);
    }
  });
  child.stderr.on("data", (chunk: Buffer) => writer.errors.push(chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      running.delete(child);
      markReady();
      resolve({ code, signal });
    }),
  );
  // A writer killed before it read "go" must not take the test down with EPIPE.
  child.stdin.on("error", () => {});
  const writer: Writer = { child, acks: [], refused: 0, errors: [], ready, exited, go: () => child.stdin.write("go\n") };
  return writer;
}

// Every acknowledged write, read back: the request with its audit event and its content decrypting to what was
// written, each message among its conversation's messages, each membership with its person and network. Returns
// what is missing or wrong, so a failure lists every lost write at once.
export function missingWrites(sql: Database.Database, acks: readonly Ack[]): string[] {
  const problems: string[] = [];
  const request = sql.prepare("SELECT requester_id, message_cipher, safe_contact_cipher FROM support_requests WHERE id = ?");
  const created = sql.prepare("SELECT 1 FROM audit_events WHERE action = 'request.created' AND object_id = ?");
  const messages = sql.prepare("SELECT id, author_id, body_cipher FROM request_messages WHERE request_id = ?");
  const membership = sql.prepare("SELECT user_id, network_id, status FROM network_memberships WHERE id = ?");
  for (const ack of acks) {
    if (ack.kind === "request") {
      const row = request.get(ack.id) as { requester_id: string; message_cipher: string | null; safe_contact_cipher: string | null } | undefined;
      if (!row) {
        problems.push(`request ${ack.id} is missing`);
        continue;
      }
      const message = row.message_cipher && decryptField(row.message_cipher, { table: "support_requests", column: "message_cipher", rowId: ack.id });
      const safeContact = row.safe_contact_cipher
        ? decryptField(row.safe_contact_cipher, { table: "support_requests", column: "safe_contact_cipher", rowId: ack.id })
        : "";
      if (row.requester_id !== ack.requesterId || message !== ack.message || safeContact !== ack.safeContact) {
        problems.push(`request ${ack.id} does not hold what was written`);
      }
      if (!created.get(ack.id)) problems.push(`request ${ack.id} has no request.created audit event`);
    } else if (ack.kind === "message") {
      const rows = messages.all(ack.requestId) as { id: string; author_id: string; body_cipher: string }[];
      const found = rows.some(
        (row) =>
          row.author_id === ack.authorId &&
          decryptField(row.body_cipher, { table: "request_messages", column: "body_cipher", rowId: row.id }) === ack.body,
      );
      if (!found) problems.push(`a message on request ${ack.requestId} is missing`);
    } else {
      const row = membership.get(ack.id) as { user_id: string; network_id: string; status: string } | undefined;
      if (!row || row.user_id !== ack.userId || row.network_id !== ack.networkId || row.status !== ack.status) {
        problems.push(`membership ${ack.id} is missing or changed`);
      }
    }
  }
  return problems;
}
